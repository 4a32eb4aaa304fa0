"""The call group against queueing theory (a script, not a test): prints figures.

c = 5 members; offered loads of 3 to 6 Erlang; ``--calls`` arrivals per load point
(default 200,000) through the real network (phone_sim/scenario/queueing.py): Poisson
arrivals, exponential talk times (mean 100 s), no rest after a call, no patience limit.
For M/M/5/15 (10 callers may wait) it prints the blocking, the probability of waiting and
the mean wait, simulated with 95 % intervals (batch means) beside the exact M/M/c/K
figures; then M/M/5 with a queue too long to fill, against Erlang C (loads below 5).

Usage: python bench/queueing.py [--calls N] [--seed S]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from phone_sim.scenario.queueing import Estimate, Theory, erlang_c, mmck, simulate  # noqa: E402

C = 5
TALK_S = 100.0


def row(label: str, theory: Theory, calls: int, k: int, offered: float, seed: int) -> bool:
    t0 = time.process_time()
    sim = simulate(C, k, offered, TALK_S, calls, seed)
    cpu = time.process_time() - t0

    def cell(est: Estimate, exact: float, scale: float = 1.0, unit: str = "") -> str:
        mark = "ok" if est.covers(exact) else "OUT"
        return (f"{est.value * scale:8.3f}{unit} ± {est.half_width * scale:.3f} vs {exact * scale:8.3f}{unit} "
                f"{mark:<3}")

    print(f"{label:<10} {offered:>4.1f} E  blocking % {cell(sim.blocking, theory.blocking, 100)} | "
          f"waiting % {cell(sim.waiting, theory.waiting, 100)} | mean wait {cell(sim.mean_wait_s, theory.mean_wait_s, 1, 's')}"
          f" ({calls:,} calls, {cpu:.1f} s CPU)")
    return all(e.covers(x) for e, x in ((sim.blocking, theory.blocking), (sim.waiting, theory.waiting),
                                        (sim.mean_wait_s, theory.mean_wait_s)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"simulated (95 % interval) vs exact; c = {C}, mean talk {TALK_S:.0f} s; load average "
          f"{os.getloadavg()[0]:.1f}")
    inside = outside = 0
    for offered in (3.0, 4.0, 5.0, 6.0):
        ok = row("M/M/5/15", mmck(C, C + 10, offered, TALK_S), args.calls, C + 10, offered, args.seed)
        inside, outside = inside + ok, outside + (not ok)
    for offered in (3.0, 4.0, 4.5):
        ok = row("M/M/5", erlang_c(C, offered, TALK_S), args.calls, C + 100_000, offered, args.seed)
        inside, outside = inside + ok, outside + (not ok)
    print(f"{inside} load points with every figure inside its 95 % interval, {outside} with one outside "
          f"(expected by chance: about 1 in 7 points, three figures at 95 % each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
