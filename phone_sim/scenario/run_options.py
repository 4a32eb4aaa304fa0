"""The options ``phone-sim run`` takes for reports and authoring help (argparse only: the
command line builds its parser on every start, so nothing heavy is imported here)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any


def add_report_options(run: argparse.ArgumentParser) -> None:
    group = run.add_argument_group("reports")
    group.add_argument("--ladder", action="store_true", help="print each scenario's call-flow ladder (ASCII)")
    group.add_argument("--ladder-out", metavar="DIR", help="write a Mermaid (.md) and an SVG ladder per scenario")
    group.add_argument("--ladder-media", action="store_true", help="ladders also show who hears whom")
    group.add_argument("--coverage", action="store_true",
                       help="print the states, transitions, reason codes and services the scenarios reached")
    group.add_argument("--coverage-json", metavar="FILE", help="write the coverage as JSON")
    group.add_argument("--junit", metavar="FILE.xml", help="write a JUnit XML report (one testcase per scenario)")
    group.add_argument("--json", metavar="FILE", help="write a JSON report of every scenario")
    group.add_argument("--explain", action="store_true", help="print the steps as sentences instead of running")
    group.add_argument("--list-steps", action="store_true", help="print every kind of step with an example")
    group.add_argument("--lang", choices=["fr", "en"], default=argparse.SUPPRESS,
                       help="language of ladders, sentences and coverage (default fr)")


def run_command(args: argparse.Namespace, sound_check: Callable[[Any], Any] | None = None) -> int:
    """``phone-sim run`` with its options parsed; ``sound_check`` for ``--verify-audio``."""
    lang = getattr(args, "lang", None) or "fr"
    if args.list_steps or args.explain:
        from phone_sim.scenario.cli_explain import explain_command

        return explain_command(args.paths, args.list_steps, lang)
    if not args.paths:
        print("error: phone-sim run needs at least one scenario file or folder", file=sys.stderr)
        return 2
    from phone_sim.scenario.cli_run import run
    from phone_sim.scenario.reports import ReportOptions

    options = ReportOptions(ladder=args.ladder, ladder_out=args.ladder_out, ladder_media=args.ladder_media,
                            coverage=args.coverage,
                            coverage_json=args.coverage_json, junit=args.junit, json=args.json, lang=lang)
    return run(args.paths, verbose=args.verbose, cdr=args.cdr, options=options,
               allow_outside=getattr(args, "allow_outside", False), sound_check=sound_check)
