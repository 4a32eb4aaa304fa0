"""The call-centre day of ``phone_sim/scenario/simulate.py`` as a plain SimPy queue model.

The reference for bench/callcentre.py (``--simpy``): the same configuration (groups and
members, other lines, calls, hours, queue size, switchover and inter-call delays, chance
of no answer, mean patience and talk time) drawn the same way, without the phones: each
group is a SimPy ``Store`` of free members; a caller takes the first free member or waits
in the group's queue (refused when ``queue`` callers already wait), hangs up when their
patience runs out; the member answers after 1 to 6 s or, one time in ten, lets it ring for
the switchover delay (the caller then goes to the next free member); after the call the
member rests for the inter-call delay. SimPy is a bench-only dependency (the ``bench``
extra).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any

import simpy

from phone_sim.scenario.simulate import HOUR_MS, SimConfig


@dataclass
class SimpyReport:
    wall_s: float
    cpu_s: float
    placed: int
    answered: int = 0
    abandoned: int = 0
    busy: int = 0
    queued: int = 0
    waits: list[float] = field(default_factory=list)


class SimpyCentre:
    def __init__(self, cfg: SimConfig) -> None:
        self.cfg = cfg
        self.rng = random.Random(cfg.seed)
        self.env = simpy.Environment()
        self.free_members = [simpy.Store(self.env) for _ in range(cfg.groups)]
        for g, store in enumerate(self.free_members):
            store.items.extend(f"M{g}_{m}" for m in range(cfg.members))
        n = cfg.groups
        self.weights = [0.8 + 0.4 * i / max(1, n - 1) for i in range(n)]
        self.free_lines = cfg.lines
        self.report = SimpyReport(0.0, 0.0, 0)

    def arrivals(self) -> Any:
        cfg, rng, env = self.cfg, self.rng, self.env
        times = sorted(rng.uniform(0, cfg.hours * HOUR_MS) / 1000 for _ in range(cfg.calls))
        groups = list(range(cfg.groups))
        for at in times:
            yield env.timeout(at - env.now)
            if not self.free_lines:
                continue
            self.free_lines -= 1
            self.report.placed += 1
            group = rng.choices(groups, self.weights)[0]
            env.process(self.caller(group))

    def caller(self, group: int) -> Any:
        cfg, rng, env, report = self.cfg, self.rng, self.env, self.report
        members = self.free_members[group]
        try:
            if not members.items and len(members.get_queue) >= cfg.queue:
                report.busy += 1
                return
            deadline = env.now + rng.expovariate(1 / cfg.patience_s) + 0.001
            queued_at = None if members.items else env.now
            if queued_at is not None:
                report.queued += 1
            while True:
                get = members.get()
                got = yield get | env.timeout(max(0.0, deadline - env.now))
                if get not in got:
                    get.cancel()
                    report.abandoned += 1
                    return
                if queued_at is not None:
                    report.waits.append(env.now - queued_at)
                    queued_at = None
                member = got[get]
                ring = cfg.switchover_s if rng.random() < cfg.no_answer else rng.randint(1, 6)
                if env.now + ring >= deadline:
                    yield env.timeout(deadline - env.now)
                    members.put(member)
                    report.abandoned += 1
                    return
                yield env.timeout(ring)
                if ring == cfg.switchover_s:
                    members.put(member)
                    continue
                report.answered += 1
                yield env.timeout(rng.expovariate(1 / cfg.talk_s) + 0.001)
                env.process(self.rest(members, member))
                return
        finally:
            self.free_lines += 1

    def rest(self, members: simpy.Store, member: str) -> Any:
        yield self.env.timeout(self.cfg.inter_call_s)
        members.put(member)


def run_simpy(cfg: SimConfig) -> SimpyReport:
    centre = SimpyCentre(cfg)
    centre.env.process(centre.arrivals())
    t0, cpu0 = time.perf_counter(), time.process_time()
    centre.env.run()
    centre.report.wall_s = time.perf_counter() - t0
    centre.report.cpu_s = time.process_time() - cpu0
    return centre.report
