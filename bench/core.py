"""Benchmark of the network core (a script, not a test): prints figures.

- basic calls per second in virtual time (dial, ring, answer, 10 s of talk, release),
  20,000 calls among 1,000 lines, and the `transitions` triggers those calls fired;
- the wall time of the same number of bare triggers on a minimal machine (same settings),
  timed in the same run, and the ratio (target: the core costs at most 3x);
- the same for #1 transfers and 6-party conferences;
- memory after all calls end vs before (no leaked legs or models);
- the media plane's cost: the same calls with an event listener attached and the media
  plane watched (every touched handset's earpiece derived, MediaDidChange published)
  against the same unwatched, rounds interleaved in one run (target: at most 10 % fewer
  calls/s);
- loading a company of 100,000 lines (target: at most 2 s and 300 MB).

Usage: python bench/core.py [--calls N] [--lines N] [--big N] [--media-rounds N]
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from transitions import Machine  # noqa: E402

from phone_sim.network.clock import Clock  # noqa: E402
from phone_sim.network.company import CompanySpec, LineSpec  # noqa: E402
from phone_sim.network.switch import Network  # noqa: E402
from phone_sim.network.validation import validate_company  # noqa: E402

OPTS = frozenset({"pabx", "double_appel"})


def company(lines: int) -> CompanySpec:
    return CompanySpec(
        name="bench",
        lines=tuple(LineSpec(f"L{i}", f"Line {i}", f"06{i:08d}", None, "mobile", OPTS) for i in range(lines)),
    )


def bare_trigger_seconds(count: int) -> float:
    """``count`` bare triggers on a minimal machine with the core's settings."""

    class Model:
        pass

    machine = Machine(model=None, states=["a", "b"], initial="a", auto_transitions=False, queued=True,
                      transitions=[{"trigger": "go", "source": "a", "dest": "b"},
                                   {"trigger": "back", "source": "b", "dest": "a"}])
    model = Model()
    machine.add_model(model)
    go, back = model.go, model.back  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    for _ in range(count // 2):
        go()
        back()
    return time.perf_counter() - t0


def basic_round(net: Network, pairs: list[tuple[str, str]]) -> None:
    """Each pair: dial, ring, answer; 10 s of talk; release."""
    for caller, callee in pairs:
        net.dial(caller, net.parties[callee].number)
        net.answer(callee)
    net.clock.advance(10_000)
    for caller, _ in pairs:
        net.end(caller)


def transfer_round(net: Network, triples: list[tuple[str, str, str]]) -> None:
    """A calls B; A holds, calls C; C answers; A keys #1; B and C talk 10 s and hang up."""
    for a, b, c in triples:
        net.dial(a, net.parties[b].number)
        net.answer(b)
        net.dial(a, net.parties[c].number)  # holds the call with B first
        net.answer(c)
        net.transfer(a)
    net.clock.advance(10_000)
    for _, b, _ in triples:
        net.end(b)


def conference_round(net: Network, groups: list[list[str]]) -> None:
    """An organiser adds 5 parties one by one (6 in all), talks 10 s, hangs up."""
    for members in groups:
        organiser, first, *rest = members
        net.dial(organiser, net.parties[first].number)
        net.answer(first)
        for other in rest:
            net.dial(organiser, net.parties[other].number)
            net.answer(other)
            net.conference(organiser)
    net.clock.advance(10_000)
    for members in groups:
        net.end(members[0])


def measure(label: str, net: Network, rounds: list[Callable[[], None]], calls: int) -> None:
    gc.collect()
    triggers0 = net.factory.triggers
    t0 = time.perf_counter()
    for run in rounds:
        run()
    wall = time.perf_counter() - t0
    fired = net.factory.triggers - triggers0
    bare = bare_trigger_seconds(fired)
    print(f"{label}: {calls:,} calls in {wall:.3f} s = {calls / wall:,.0f} calls/s "
          f"(virtual time {net.clock.now / 1000:,.0f} s)")
    print(f"  triggers fired: {fired:,}; the same number of bare triggers: {bare:.3f} s "
          f"-> core / bare = {wall / bare:.2f}x (target <= 3x)")


def chunk(seq: list, size: int) -> list[list]:
    return [seq[i:i + size] for i in range(0, len(seq), size)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=20_000)
    ap.add_argument("--lines", type=int, default=1_000)
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--media-rounds", type=int, default=20)
    args = ap.parse_args()
    net = Network(company(args.lines), Clock())
    ids = list(net.parties)
    half = args.lines // 2
    pairs = [(ids[i], ids[i + half]) for i in range(half)]

    basic_round(net, pairs)  # warm-up: pools reach their working size
    rounds = [lambda: basic_round(net, pairs)] * (args.calls // half)
    measure("basic calls", net, rounds, len(rounds) * half)
    memory_check(net, pairs, len(rounds))

    third = args.lines // 3
    triples = [(ids[i], ids[i + third], ids[i + 2 * third]) for i in range(third)]
    rounds = [lambda: transfer_round(net, triples)] * max(1, args.calls // 4 // third)
    measure("#1 transfers", net, rounds, len(rounds) * third * 2)

    sixes = [ids[i:i + 6] for i in range(0, args.lines - 5, 6)]
    rounds = [lambda: conference_round(net, sixes)] * max(1, args.calls // 10 // len(sixes))
    measure("6-party conferences", net, rounds, len(rounds) * len(sixes) * 5)
    print(f"  after all flows: live calls {len(net.calls)}, live legs {net.factory.legs.live}")

    media_cost(args.lines, pairs, sixes, args.media_rounds)
    big_load(args.big)


def media_cost(lines: int, pairs: list[tuple[str, str]], sixes: list[list[str]], rounds: int) -> None:
    """Calls/s with the media plane watched (derived and published) vs not, on one network
    with a listener attached (as the TUI, sound and SIP have), rounds interleaved so that the
    machine's load falls on both alike; CPU time, min and median over the rounds."""
    import statistics

    net = Network(company(lines), Clock())
    events = [0]

    def listener(event: object) -> None:
        events[0] += 1

    net.bus.subscribe(listener)
    flows = [("basic calls", lambda: basic_round(net, pairs), len(pairs)),
             ("6-party conferences", lambda: conference_round(net, sixes), len(sixes) * 5)]
    for label, run, calls in flows:
        run()  # warm-up
        times: dict[bool, list[float]] = {True: [], False: []}
        for index in range(2 * rounds):
            watched = index % 4 in (0, 3)  # on off off on: neither side always goes first
            unwatch = net.media.watch() if watched else None
            gc.collect()
            t0 = time.process_time()  # CPU time: other jobs on the machine count less
            run()
            times[watched].append(time.process_time() - t0)
            if unwatch is not None:
                unwatch()
        best = {k: calls / min(v) for k, v in times.items()}
        median = {k: calls / statistics.median(v) for k, v in times.items()}
        print(f"media plane, {label} with a listener: {best[False]:,.0f} calls/s without, {best[True]:,.0f} "
              f"with (best of {rounds}) -> {100 * (1 - best[True] / best[False]):+.1f} % "
              f"(median {100 * (1 - median[True] / median[False]):+.1f} %; target <= 10 %)")


def memory_check(net: Network, pairs: list[tuple[str, str]], rounds: int) -> None:
    """Traced memory before and after the same calls again (timed apart: tracing is slow)."""
    tracemalloc.start()
    basic_round(net, pairs)  # under tracing, pooled models re-allocate their fields (twice: lists)
    basic_round(net, pairs)
    gc.collect()
    size_before = tracemalloc.get_traced_memory()[0]
    for _ in range(rounds):
        basic_round(net, pairs)
    gc.collect()
    size_after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(f"  memory: traced {size_before / 1024:,.1f} KiB before, {size_after / 1024:,.1f} KiB after "
          f"{rounds * len(pairs):,} more calls; live calls {len(net.calls)}, live legs {net.factory.legs.live}, "
          f"models on the leg machine {net.factory.legs.attached()} (idle pool {len(net.factory.legs.idle)}), "
          f"pending timers {net.clock.pending()}")


def big_load(count: int) -> None:
    gc.collect()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    spec = company(count)
    errors = validate_company(spec)
    net = Network(spec, Clock())
    wall = time.perf_counter() - t0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"company of {count:,} lines: built, validated ({len(errors)} errors) and loaded in {wall:.2f} s "
          f"(target <= 2 s); max RSS growth {(rss1 - rss0) / 1024:,.0f} MB (target <= 300 MB); "
          f"{len(net.parties):,} handsets")
    store_load(count)
    yaml_load(count)


def store_load(count: int) -> None:
    """The same company saved in the SQLite store, then read back into a network."""
    import tempfile

    from phone_sim.store.db import connect, transaction
    from phone_sim.store.rows import LiveSettings, read_company, write_company
    from phone_sim.store.schema import migrate

    with tempfile.TemporaryDirectory() as folder:
        conn = connect(os.path.join(folder, "bench.sqlite3"))
        migrate(conn)
        t0 = time.perf_counter()
        with transaction(conn):
            write_company(conn, company(count), LiveSettings())
        written = time.perf_counter() - t0
        t0 = time.perf_counter()
        spec, _ = read_company(conn)
        net = Network(spec, Clock())
        wall = time.perf_counter() - t0
        conn.close()
    print(f"company of {count:,} lines from the SQLite store: read and loaded in {wall:.2f} s "
          f"(written in {written:.2f} s); {len(net.parties):,} handsets")


def yaml_load(count: int) -> None:
    """The same company written as a YAML file and loaded through the scenario loader."""
    import tempfile

    from phone_sim.scenario.companyfile import dump_company, load_company

    text = dump_company(company(count))
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        handle.write(text)
    t0 = time.perf_counter()
    spec = load_company(handle.name)
    Network(spec, Clock())
    wall = time.perf_counter() - t0
    os.unlink(handle.name)
    print(f"company of {count:,} lines from a YAML file ({len(text) / 2**20:.1f} MB): loaded in {wall:.2f} s")


if __name__ == "__main__":
    main()
