"""Call-centre load benchmark (a script, not a test): prints figures.

10 groups of 10 members (one distribution mode after another), 500 other lines, 20,000
calls with random (seeded) arrivals, patience and talk times over 8 simulated hours,
driven through the real network API (see phone_sim/scenario/simulate.py, also
`phone-sim simulate`). Prints the wall time, the simulated-to-real speed ratio (target at
least 2,000x: 8 hours in at most 14.4 s), calls per second, answered / abandoned / busy and
the mean and max queue wait per group, and memory before and after (RSS at each simulated
hour; live legs, calls, hunts and timers at the end must all be zero).

Then the same day as a plain SimPy queue model (bench/simpy_centre.py; SimPy comes with
the `bench` extra), ours and SimPy's run one after the other ``--reps`` times in this one
run: calls per second of each (min and median), and how many times slower ours is
(target: at most 4x).

Usage: python bench/callcentre.py [--groups N] [--members N] [--lines N] [--calls N]
       [--hours H] [--seed S] [--reps N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from phone_sim.scenario.simulate import SimConfig, add_arguments, config_from, format_report, run  # noqa: E402


def versus_simpy(cfg: SimConfig, reps: int) -> None:
    """Ours and SimPy's, alternately, ``reps`` times: calls per CPU second of each."""
    try:
        sys.path.insert(0, os.path.dirname(__file__))
        from simpy_centre import run_simpy
    except ImportError:
        print("\nSimPy comparison skipped: SimPy is not installed (pip install -e '.[bench]')")
        return
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(reps):
        mine = run(cfg)
        ours.append(mine.placed / mine.cpu_s)
        ref = run_simpy(cfg)
        theirs.append(ref.placed / ref.cpu_s)
    ratios = sorted(t / o for o, t in zip(ours, theirs, strict=True))
    print(f"\nthe same day as a SimPy queue model ({reps} runs each, alternately; CPU time; "
          f"load average {os.getloadavg()[0]:.1f}):")
    print(f"  ours:  {max(ours):,.0f} calls/s best, {statistics.median(ours):,.0f} median")
    print(f"  SimPy: {max(theirs):,.0f} calls/s best, {statistics.median(theirs):,.0f} median "
          f"({ref.answered:,} answered, {ref.abandoned:,} abandoned, {ref.busy:,} busy, {ref.queued:,} queued)")
    print(f"  ours is {max(theirs) / max(ours):.2f}x slower (best against best), "
          f"median of the paired runs {statistics.median(ratios):.2f}x (target <= 4x: "
          f"{'met' if statistics.median(ratios) <= 4 else 'MISSED'})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    parser.add_argument("--reps", type=int, default=3, help="runs of ours and SimPy's, alternately (default 3)")
    parser.add_argument("--profile", action="store_true", help="run under cProfile and print the top functions")
    args = parser.parse_args()
    try:
        cfg = config_from(args)
    except ValueError as exc:
        parser.error(str(exc))
    if args.profile:
        profiler = cProfile.Profile()
        report = profiler.runcall(run, cfg)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    else:
        report = run(cfg)
    print(format_report(report))
    if not args.profile and args.reps > 0:
        versus_simpy(cfg, args.reps)
    return 0 if not any(report.live.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
