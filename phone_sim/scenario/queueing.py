"""Queueing theory against the network: an M/M/c/K call group, simulated and exact.

A group of ``c`` members (every member connected, no rest after a call, answering the
instant they are rung) takes Poisson arrivals (exponential gaps, mean ``1/lambda``) from
callers with no patience limit; talk times are exponential (mean ``1/mu``); at most
``K - c`` callers wait (the group's ``queue``), so the system holds at most ``K`` callers
and the next one hears busy. Everything goes through the real network API (``dial``,
``answer``, ``end`` from clock timers; outcomes read from the event stream).

``mmck`` gives the exact figures (blocking = P(K) by PASTA, probability of waiting, mean
wait of the callers let in, by Little's law); ``erlang_c`` those of M/M/c (no queue limit).
``simulate`` returns the simulated figures with 95 % confidence intervals from batch means:
the arrivals after a warm-up are cut into batches of consecutive calls, whose means are
nearly independent, so the interval's width follows from the spread between batches
rather than from an assumption that calls are independent.
"""

from __future__ import annotations

import math
import random
import statistics
from dataclasses import dataclass

from phone_sim.network import events as ev
from phone_sim.network.clock import Clock
from phone_sim.network.company import CompanySpec, GroupSpec, LineSpec
from phone_sim.network.switch import Network

GROUP_NUMBER = "0609000000"
# Student's t, two-sided 95 %, by degrees of freedom (batch means use few batches)
T95 = {9: 2.262, 19: 2.093, 29: 2.045, 39: 2.023, 49: 2.010}


@dataclass(frozen=True, slots=True)
class Theory:
    blocking: float  # P(an arrival finds K callers in the system)
    waiting: float  # P(a caller let in waits), i.e. finds every member busy
    mean_wait_s: float  # mean time in the queue of the callers let in (0 for those who do not wait)


@dataclass(frozen=True, slots=True)
class Estimate:
    value: float
    half_width: float  # the 95 % interval is value +- half_width

    def covers(self, x: float) -> bool:
        return abs(x - self.value) <= self.half_width


@dataclass(frozen=True, slots=True)
class Simulated:
    calls: int
    blocking: Estimate
    waiting: Estimate
    mean_wait_s: Estimate


def mmck(c: int, k: int, offered: float, mean_talk_s: float) -> Theory:
    """M/M/c/K with ``offered`` = lambda/mu Erlang."""
    weights = [offered ** n / math.factorial(n) if n < c else
               offered ** n / (math.factorial(c) * c ** (n - c)) for n in range(k + 1)]
    total = sum(weights)
    p = [w / total for w in weights]
    blocking = p[k]
    admitted = 1 - blocking
    lam = offered / mean_talk_s
    queue_length = sum((n - c) * p[n] for n in range(c, k + 1))
    return Theory(blocking, sum(p[c:k]) / admitted, queue_length / (lam * admitted))


def erlang_c(c: int, offered: float, mean_talk_s: float) -> Theory:
    """M/M/c (no limit on the queue, ``offered`` < c): Erlang C."""
    top = offered ** c / math.factorial(c) * c / (c - offered)
    waiting = top / (sum(offered ** n / math.factorial(n) for n in range(c)) + top)
    return Theory(0.0, waiting, waiting * mean_talk_s / (c - offered))


class _Group:
    """Drives the callers and the members of one M/M/c/K group from clock timers."""

    def __init__(self, c: int, queue: int, offered: float, mean_talk_s: float, calls: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.mean_talk_ms = mean_talk_s * 1000
        self.gap_ms = self.mean_talk_ms / offered
        members = tuple(f"M{i}" for i in range(c))
        callers = [f"L{i}" for i in range(c + queue + 8)]
        lines = [LineSpec(m, f"Agent {i}", f"0610{i:06d}", None, "mobile", frozenset({"pabx"}))
                 for i, m in enumerate(members)]
        lines += [LineSpec(line, f"Line {i}", f"0620{i:06d}") for i, line in enumerate(callers)]
        group = GroupSpec("G", GROUP_NUMBER, "Groupe", "1111", "2222", queue, 15, 0, "linear", members, members)
        self.net = Network(CompanySpec(lines=tuple(lines), groups=(group,)), Clock())
        self.free = callers
        self.calls = calls
        self.placed = 0
        self.caller_of: dict[int, tuple[int, str]] = {}  # call id -> (arrival index, caller)
        self.queued_at: dict[int, int] = {}
        self.blocked = [False] * calls
        self.waited_ms = [0] * calls
        self.queued = [False] * calls
        self._index = -1
        self.net.bus.subscribe(self._event)

    def run(self) -> None:
        self.net.clock.call_later(self._gap(), self._arrive)
        while self.net.clock.step() is not None:
            pass

    def _gap(self) -> int:
        return max(1, round(self.rng.expovariate(1 / self.gap_ms)))

    def _arrive(self) -> None:
        if self.placed < self.calls:
            self.net.clock.call_later(self._gap(), self._arrive)
        else:
            return
        self._index = self.placed
        self.placed += 1
        caller = self.free.pop()
        self.net.dial(caller, GROUP_NUMBER)

    def _event(self, e: ev.Event) -> None:
        if isinstance(e, ev.CallDidStart):
            self.caller_of[e.call_id] = (self._index, e.caller)
        elif isinstance(e, ev.CallDidQueue):
            self.queued_at[e.call_id] = e.time
            self.queued[self.caller_of[e.call_id][0]] = True
        elif isinstance(e, ev.LegDidRing) and e.group is not None:
            start = self.queued_at.pop(e.call_id, None)
            if start is not None:
                self.waited_ms[self.caller_of[e.call_id][0]] = e.time - start
            self.net.clock.call_later(0, self.net.answer, e.party)  # at once, after this action
        elif isinstance(e, ev.CallDidAnswer):
            talk = max(1, round(self.rng.expovariate(1 / self.mean_talk_ms)))
            self.net.clock.call_later(talk, self.net.end, e.party)
        elif isinstance(e, ev.CallDidEnd):
            index, caller = self.caller_of.pop(e.call_id)
            self.blocked[index] = e.reason == "busy"
            self.free.append(caller)


def simulate(c: int, k: int, offered: float, mean_talk_s: float, calls: int, seed: int = 1,
             batches: int = 20, warm_up: float = 0.05) -> Simulated:
    """Run ``calls`` arrivals through the network; the figures with 95 % intervals."""
    group = _Group(c, k - c, offered, mean_talk_s, calls, seed)
    group.run()
    start = int(calls * warm_up)
    size = (calls - start) // batches
    blocking, waiting, wait = [], [], []
    for b in range(batches):
        chunk = range(start + b * size, start + (b + 1) * size)
        admitted = [i for i in chunk if not group.blocked[i]]
        blocking.append(1 - len(admitted) / size)
        waiting.append(sum(group.queued[i] for i in admitted) / max(1, len(admitted)))
        wait.append(sum(group.waited_ms[i] for i in admitted) / max(1, len(admitted)) / 1000)
    return Simulated(calls, _estimate(blocking), _estimate(waiting), _estimate(wait))


def _estimate(means: list[float]) -> Estimate:
    t = T95.get(len(means) - 1, 1.96)
    return Estimate(statistics.fmean(means), t * statistics.stdev(means) / math.sqrt(len(means)))
