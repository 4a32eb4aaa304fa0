"""A call-centre load simulation on the real network, in virtual time (``phone-sim simulate``).

Groups of members (every member connected) and other lines that call them. Arrivals are
random (seeded) over the simulated hours; each caller has a patience (seeded) and hangs up
if nobody has answered by then; members answer after a short reaction time (sometimes not
at all, so the switchover moves on) and talk for a random time. Everything goes through
the public network API: ``net.dial`` / ``net.answer`` / ``net.end`` fired from clock timers,
and the event stream (``LegDidRing``, ``CallDidQueue``, ``CallDidAnswer``, ``CallDidEnd``)
to know what happened. The report gives the wall time, the simulated-to-real speed
ratio, calls per second, per-group outcomes and queue waits, and memory before and after
(RSS, and the network's live legs, calls, hunts and timers, which must all be zero).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import random
import resource
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from phone_sim.network import events as ev
from phone_sim.network.clock import Clock
from phone_sim.network.company import DISTRIBUTIONS, MAX_GROUP_MEMBERS, CompanySpec, GroupSpec, LineSpec
from phone_sim.network.switch import Network

HOUR_MS = 3_600_000
OPTIONS = frozenset({"pabx"})


@dataclass(frozen=True, slots=True)
class SimConfig:
    groups: int = 10
    members: int = 10
    lines: int = 500
    calls: int = 20_000
    hours: float = 8.0
    seed: int = 1
    talk_s: float = 100.0  # mean talk time (exponential)
    patience_s: float = 90.0  # mean patience before an unanswered caller hangs up (exponential)
    queue: int = 10
    switchover_s: int = 15
    inter_call_s: int = 10
    no_answer: float = 0.1  # chance that a member lets a call ring


@dataclass
class GroupStats:
    offered: int = 0
    answered: int = 0
    abandoned: int = 0  # the caller hung up before anyone answered
    busy: int = 0  # refused at once: the queue was full
    closed: int = 0
    queued: int = 0
    queue_wait_total: int = 0  # ms spent in the queue, over every queued caller
    queue_wait_max: int = 0


@dataclass
class Report:
    config: SimConfig
    wall_s: float
    cpu_s: float
    simulated_ms: int
    placed: int
    groups: dict[str, GroupStats]
    rss_before_kib: int
    rss_after_kib: int
    rss_by_hour_kib: list[int]
    max_rss_kib: int
    live: dict[str, int] = field(default_factory=dict)
    triggers: int = 0


class _Call:
    """What the simulation remembers about one call while it lasts."""

    __slots__ = ("group", "caller", "queued_at", "answered")

    def __init__(self, group: str, caller: str) -> None:
        self.group = group
        self.caller = caller
        self.queued_at: int | None = None
        self.answered = False


def build_company(cfg: SimConfig) -> CompanySpec:
    lines: list[LineSpec] = []
    groups: list[GroupSpec] = []
    for g in range(cfg.groups):
        members = tuple(f"M{g}_{m}" for m in range(cfg.members))
        lines.extend(LineSpec(ident, f"Agent {g}.{m}", f"061{g:03d}{m:04d}", None, "mobile", OPTIONS)
                     for m, ident in enumerate(members))
        groups.append(GroupSpec(f"G{g}", f"069{g:07d}", f"Groupe {g}", "1111", "2222", cfg.queue,
                                cfg.switchover_s, cfg.inter_call_s, DISTRIBUTIONS[g % len(DISTRIBUTIONS)],  # type: ignore[arg-type]
                                members, members))
    lines.extend(LineSpec(f"L{i}", f"Ligne {i}", f"062{i:07d}", None, "mobile", frozenset())
                 for i in range(cfg.lines))
    return CompanySpec(name="Centre d'appels", lines=tuple(lines), groups=tuple(groups))


def rss_kib() -> int:
    """The resident set size now (Linux), else the peak so far."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except (OSError, ValueError, IndexError):
        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


class CallCentre:
    """Drives callers and members from clock timers; counts outcomes from the event stream."""

    def __init__(self, cfg: SimConfig) -> None:
        self.cfg = cfg
        self.rng = random.Random(cfg.seed)
        self.net = Network(build_company(cfg), Clock())
        self.clock = self.net.clock
        self.group_ids = list(self.net.groups.groups)
        self.numbers = {g: self.net.groups.groups[g].number for g in self.group_ids}
        # busier groups get more calls (weights 0.8 to 1.2)
        n = len(self.group_ids)
        self.weights = [0.8 + 0.4 * i / max(1, n - 1) for i in range(n)]
        # accumulated once (random.choices would add them up again on every call: O(groups))
        self.cum_weights = list(itertools.accumulate(self.weights))
        self.stats = {g: GroupStats() for g in self.group_ids}
        self.free = [p for p in self.net.parties if p.startswith("L")]
        self.live: dict[int, _Call] = {}
        self.placed = 0
        self.arrivals = sorted(self.rng.uniform(0, cfg.hours * HOUR_MS) for _ in range(cfg.calls))
        self.rss_by_hour: list[int] = []
        self.handlers: dict[type, Any] = {ev.LegDidRing: self._rang, ev.CallDidQueue: self._queued,
                                          ev.CallDidAnswer: self._answered, ev.CallDidEnd: self._ended}
        self.net.bus.subscribe(self._event, (*self.handlers, ev.CallDidStart))  # what it counts

    # ------------------------------------------------------------------ callers
    def start(self) -> None:
        if self.arrivals:
            self.clock.call_at(int(self.arrivals[0]), self._arrive, 0)
        for hour in range(1, int(self.cfg.hours) + 1):
            self.clock.call_at(hour * HOUR_MS, self._sample)

    def _sample(self) -> None:
        self.rss_by_hour.append(rss_kib())

    def _arrive(self, index: int) -> None:
        if index + 1 < len(self.arrivals):
            self.clock.call_at(int(self.arrivals[index + 1]), self._arrive, index + 1)
        if not self.free:
            return  # every line is in a call: this arrival is lost (not counted as placed)
        rng = self.rng
        slot = rng.randrange(len(self.free))
        self.free[slot], self.free[-1] = self.free[-1], self.free[slot]
        caller = self.free.pop()
        group = rng.choices(self.group_ids, cum_weights=self.cum_weights)[0]
        self.stats[group].offered += 1
        self.placed += 1
        self._pending, self._last_call = (group, caller), 0
        self.net.dial(caller, self.numbers[group])
        self._pending = None
        if not self._last_call:  # refused before any call started (never expected here)
            self.free.append(caller)
            return
        patience = int(rng.expovariate(1 / self.cfg.patience_s) * 1000) + 1
        self.clock.call_later(patience, self._give_up, caller, self._last_call)

    def _give_up(self, caller: str, call_id: int) -> None:
        record = self.live.get(call_id)
        if record is not None and not record.answered:
            self.net.end(caller)

    # ------------------------------------------------------------------ members
    def _rang(self, e: ev.LegDidRing) -> None:
        record = self.live.get(e.call_id)
        if record is not None and record.queued_at is not None:
            self._left_queue(record)
        if e.group is None or self.rng.random() < self.cfg.no_answer:
            return
        self.clock.call_later(self.rng.randint(1000, 6000), self._pick_up, e.party, e.call_id)

    def _pick_up(self, member: str, call_id: int) -> None:
        for leg in self.net.parties[member].legs:
            if leg.state == "alerting" and leg.call.id == call_id:
                self.net.answer(member)
                return

    def _answered(self, e: ev.CallDidAnswer) -> None:
        record = self.live.get(e.call_id)
        if record is None:
            return
        record.answered = True
        self.stats[record.group].answered += 1
        talk = int(self.rng.expovariate(1 / self.cfg.talk_s) * 1000) + 1
        who = record.caller if self.rng.random() < 0.5 else e.party
        self.clock.call_later(talk, self._hang_up, who, e.call_id)

    def _hang_up(self, who: str, call_id: int) -> None:
        if call_id in self.live:
            self.net.end(who)

    # ------------------------------------------------------------------ events
    def _event(self, e: ev.Event) -> None:
        handler = self.handlers.get(type(e))
        if handler is not None:
            handler(e)
        elif isinstance(e, ev.CallDidStart) and self._pending is not None:
            self.live[e.call_id] = _Call(*self._pending)
            self._last_call = e.call_id

    _pending: tuple[str, str] | None = None
    _last_call = 0

    def _queued(self, e: ev.CallDidQueue) -> None:
        record = self.live.get(e.call_id)
        if record is not None and record.queued_at is None:
            record.queued_at = e.time
            self.stats[record.group].queued += 1

    def _left_queue(self, record: _Call) -> None:
        assert record.queued_at is not None
        waited = self.clock.now - record.queued_at
        stats = self.stats[record.group]
        stats.queue_wait_total += waited
        stats.queue_wait_max = max(stats.queue_wait_max, waited)
        record.queued_at = None

    def _ended(self, e: ev.CallDidEnd) -> None:
        record = self.live.pop(e.call_id, None)
        if record is None:
            return
        if record.queued_at is not None:  # hung up while waiting in the queue
            self._left_queue(record)
        stats = self.stats[record.group]
        if e.reason == "busy":
            stats.busy += 1
        elif e.reason == "group_closed":
            stats.closed += 1
        elif not e.answered:
            stats.abandoned += 1
        self.free.append(record.caller)


def run(cfg: SimConfig) -> Report:
    """Build the company, place the calls, let every call end; the figures."""
    centre = CallCentre(cfg)
    net = centre.net
    gc.collect()
    rss_before = rss_kib()
    triggers0 = net.factory.triggers
    centre.start()
    t0, cpu0 = time.perf_counter(), time.process_time()
    net.clock.advance_to(int(cfg.hours * HOUR_MS))
    while net.clock.step() is not None:  # let the last calls end (patience, talk)
        pass
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    gc.collect()
    live = {"calls": len(net.calls), "legs": net.factory.legs.live, "call models": net.factory.calls.live,
            "hunts": net.groups.hunts.live, "queued": sum(len(g.waiting) for g in net.groups.groups.values()),
            "timers": net.clock.pending(), "tracked": len(centre.live)}
    return Report(cfg, wall, cpu, net.clock.now, centre.placed, centre.stats, rss_before, rss_kib(),
                  centre.rss_by_hour, int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss), live,
                  net.factory.triggers - triggers0)


def format_report(r: Report) -> str:
    cfg = r.config
    simulated_s = r.simulated_ms / 1000
    ratio = simulated_s / r.wall_s if r.wall_s else float("inf")
    target_s = cfg.hours * 3600 / 2000
    lines = [
        f"call centre: {cfg.groups} groups x {cfg.members} members, {cfg.lines} other lines, "
        f"{r.placed:,} calls placed over {cfg.hours:g} simulated hour(s) (seed {cfg.seed})",
        f"wall time {r.wall_s:.2f} s for {simulated_s / 3600:.2f} simulated hours (the last calls included) -> speed ratio "
        f"{ratio:,.0f}x (target >= 2,000x, i.e. {cfg.hours:g} h in <= {target_s:.1f} s): "
        f"{'met' if ratio >= 2000 else 'MISSED'} (CPU time {r.cpu_s:.2f} s: {simulated_s / max(r.cpu_s, 1e-9):,.0f}x)",
        f"{r.placed / r.wall_s:,.0f} calls per wall second; {r.triggers:,} transitions triggers",
        "",
        f"{'group':<6} {'mode':<12} {'offered':>7} {'answered':>8} {'abandoned':>9} {'busy':>5} "
        f"{'queued':>6} {'mean wait':>9} {'max wait':>8}",
    ]
    net_modes = [DISTRIBUTIONS[i % len(DISTRIBUTIONS)] for i in range(cfg.groups)]
    totals = GroupStats()
    for (gid, s), mode in zip(r.groups.items(), net_modes, strict=True):
        mean = s.queue_wait_total / s.queued / 1000 if s.queued else 0.0
        lines.append(f"{gid:<6} {mode:<12} {s.offered:>7,} {s.answered:>8,} {s.abandoned:>9,} {s.busy:>5,} "
                     f"{s.queued:>6,} {mean:>8.1f}s {s.queue_wait_max / 1000:>7.1f}s")
        for name in ("offered", "answered", "abandoned", "busy", "queued", "queue_wait_total"):
            setattr(totals, name, getattr(totals, name) + getattr(s, name))
        totals.queue_wait_max = max(totals.queue_wait_max, s.queue_wait_max)
    mean = totals.queue_wait_total / totals.queued / 1000 if totals.queued else 0.0
    lines.append(f"{'all':<6} {'':<12} {totals.offered:>7,} {totals.answered:>8,} {totals.abandoned:>9,} "
                 f"{totals.busy:>5,} {totals.queued:>6,} {mean:>8.1f}s {totals.queue_wait_max / 1000:>7.1f}s")
    hourly = " ".join(f"{kib / 1024:.1f}" for kib in r.rss_by_hour_kib)
    leaked = {k: v for k, v in r.live.items() if v}
    lines += [
        "",
        f"memory: RSS {r.rss_before_kib / 1024:.1f} MiB before, {r.rss_after_kib / 1024:.1f} MiB after "
        f"(peak {r.max_rss_kib / 1024:.1f} MiB); RSS at each simulated hour (MiB): {hourly}",
        "left at the end: " + ", ".join(f"{k} {v}" for k, v in r.live.items())
        + (" -> no leak" if not leaked else f" -> LEAK: {leaked}"),
    ]
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    d = SimConfig()
    parser.add_argument("--groups", type=int, default=d.groups, help=f"call groups (default {d.groups})")
    parser.add_argument("--members", type=int, default=d.members, help=f"members per group, at most 10 "
                                                                       f"(default {d.members})")
    parser.add_argument("--lines", type=int, default=d.lines, help=f"other lines that call (default {d.lines})")
    parser.add_argument("--calls", type=int, default=d.calls, help=f"calls to place (default {d.calls})")
    parser.add_argument("--hours", type=float, default=d.hours, help=f"simulated hours (default {d.hours:g})")
    parser.add_argument("--seed", type=int, default=d.seed, help=f"random seed (default {d.seed})")


def config_from(args: argparse.Namespace) -> SimConfig:
    if not 1 <= args.members <= MAX_GROUP_MEMBERS:
        raise ValueError(f"--members must be 1 to {MAX_GROUP_MEMBERS} (group_full)")
    if args.groups < 1 or args.lines < 1 or args.calls < 0 or args.hours <= 0:
        raise ValueError("--groups, --lines and --hours must be positive, --calls >= 0")
    return SimConfig(groups=args.groups, members=args.members, lines=args.lines, calls=args.calls,
                     hours=args.hours, seed=args.seed)


def main(args: argparse.Namespace) -> int:
    try:
        cfg = config_from(args)
    except ValueError as exc:
        print(f"phone-sim simulate: {exc}", file=sys.stderr)
        return 2
    report = run(cfg)
    print(format_report(report))
    return 0 if not any(report.live.values()) else 1


def add_commands(subparsers: Any) -> None:
    """``phone-sim simulate``: the call-centre load simulation."""
    parser = subparsers.add_parser("simulate", help="call-centre load simulation in virtual time (prints a report)")
    add_arguments(parser)
    parser.set_defaults(handler=main)
