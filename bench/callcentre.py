"""Call-centre load benchmark (a script, not a test): prints figures.

10 groups of 10 members (one distribution mode after another), 500 other lines, 20,000
calls with random (seeded) arrivals, patience and talk times over 8 simulated hours,
driven through the real network API (see phone_sim/scenario/simulate.py, also
`phone-sim simulate`). Prints the wall time, the simulated-to-real speed ratio (target at
least 2,000x: 8 hours in at most 14.4 s), calls per second, answered / abandoned / busy and
the mean and max queue wait per group, and memory before and after (RSS at each simulated
hour; live legs, calls, hunts and timers at the end must all be zero).

Usage: python bench/callcentre.py [--groups N] [--members N] [--lines N] [--calls N]
       [--hours H] [--seed S] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from phone_sim.scenario.simulate import add_arguments, config_from, format_report, run  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
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
    return 0 if not any(report.live.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
