"""A small M/M/c/K call group on the network agrees with the exact formulas.

Poisson arrivals, exponential talk times, no rest time, no patience limit, answered the
instant a member rings (phone_sim/scenario/queueing.py). The simulated blocking,
probability of waiting and mean wait must fall inside their 95 % confidence intervals
(batch means over 20 batches of consecutive calls: the width the sample size justifies);
the seed is fixed, so the run is the same every time.
"""

from __future__ import annotations

import math

import pytest

from phone_sim.scenario.queueing import erlang_c, mmck, simulate


def erlang_b(c: int, offered: float) -> float:
    b = 1.0
    for n in range(1, c + 1):
        b = offered * b / (n + offered * b)
    return b


def test_the_formulas_agree_with_erlang_b_and_erlang_c() -> None:
    assert math.isclose(mmck(3, 3, 2.0, 60).blocking, erlang_b(3, 2.0))  # no queue: Erlang B
    assert mmck(3, 3, 2.0, 60).mean_wait_s == 0
    long_queue, c = mmck(5, 400, 4.0, 100), erlang_c(5, 4.0, 100)  # a queue that never fills: Erlang C
    assert math.isclose(long_queue.waiting, c.waiting) and math.isclose(long_queue.mean_wait_s, c.mean_wait_s)
    assert math.isclose(erlang_c(1, 0.5, 10).mean_wait_s, 10.0)  # M/M/1: rho / (mu - lambda)


@pytest.mark.parametrize(("c", "k", "offered"), [(2, 4, 1.5), (3, 6, 3.0)])
def test_a_small_group_matches_mmck(c: int, k: int, offered: float) -> None:
    theory = mmck(c, k, offered, 10.0)
    sim = simulate(c, k, offered, 10.0, calls=6_000, seed=1)
    assert sim.blocking.covers(theory.blocking), (sim.blocking, theory.blocking)
    assert sim.waiting.covers(theory.waiting), (sim.waiting, theory.waiting)
    assert sim.mean_wait_s.covers(theory.mean_wait_s), (sim.mean_wait_s, theory.mean_wait_s)
    assert sim.blocking.half_width < 0.03 and sim.mean_wait_s.half_width < 0.15 * theory.mean_wait_s


def test_the_check_tells_a_wrong_model_apart() -> None:
    """The check can fail: two members simulated, the formula of one member: out of the interval."""
    theory = mmck(1, 3, 1.5, 10.0)
    sim = simulate(2, 4, 1.5, 10.0, calls=6_000, seed=1)
    assert not sim.mean_wait_s.covers(theory.mean_wait_s)
