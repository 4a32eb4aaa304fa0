"""``phone-sim run PATH...``: replay scenario files headless, one line each, a summary.

Exit 0 when all passed (expected failures included), 1 when one or more failed, 2 when a
file is invalid (its message names file:line; nothing is run).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from phone_sim.files import create_private
from phone_sim.network.cdr import CdrCollector, write_csv
from phone_sim.network.printable import printable
from phone_sim.network.switch import Network
from phone_sim.scenario.loader import load_paths, load_scenario, root_of
from phone_sim.scenario.model import Scenario, ScenarioError
from phone_sim.scenario.reports import ReportOptions, Reports
from phone_sim.scenario.runner import SoundCheck, run_scenario

SoundChecks = Callable[[Network], SoundCheck]


def load_all(paths: list[str], err: TextIO, allow_outside: bool = False) -> list[Scenario] | None:
    try:
        files = load_paths(paths)
    except ScenarioError as exc:
        print(f"error: {exc}", file=err)
        return None
    scenarios, bad = [], False
    for file in files:
        try:
            scenarios.append(load_scenario(file, root_of(file, paths), allow_outside))
        except ScenarioError as exc:
            print(f"error: {exc}", file=err)
            bad = True
    if not files:
        print("error: no scenario file found in " + printable(", ".join(paths)), file=err)
        return None
    return None if bad else scenarios


def run(paths: list[str], out: TextIO | None = None, err: TextIO | None = None, verbose: bool = False,
        cdr: str | None = None, options: ReportOptions | None = None, allow_outside: bool = False,
        sound_check: SoundChecks | None = None) -> int:
    """``sound_check`` (given by ``--verify-audio``, from the faces' level) also checks each
    ``hears`` against the rendered sound."""
    out = out or sys.stdout  # read at call time: tests and the TUI may swap the streams
    err = err or sys.stderr
    scenarios = load_all(paths, err, allow_outside)
    if scenarios is None:
        return 2
    reports = Reports(options or ReportOptions(), scenarios)
    try:
        if cdr is None:
            return _replay(scenarios, out, verbose, None, reports, sound_check)
        with create_private(cdr, force=True) as cdr_file:  # 0600, not through a symbolic link
            return _replay(scenarios, out, verbose, cdr_file, reports, sound_check)
    except OSError as exc:  # a CDR or report file that cannot be written
        print(f"error: {printable(str(exc.filename or cdr))}: {exc.strerror or exc}", file=err)
        return 2


def _replay(scenarios: list[Scenario], out: TextIO, verbose: bool, cdr_file: TextIO | None,
            reports: Reports, sound_check: SoundChecks | None = None) -> int:
    counts = {"pass": 0, "fail": 0, "xfail": 0, "xpass": 0}
    started = time.perf_counter()
    for scenario in scenarios:
        t0 = time.perf_counter()
        collector = CdrCollector()
        watch = reports.watch(scenario, lambda net, c=collector: net.bus.subscribe(c))
        result = run_scenario(scenario, on_step=watch.on_step, on_network=watch.on_network,
                              sound_check=sound_check)
        ms = (time.perf_counter() - t0) * 1000
        if cdr_file is not None:
            write_csv(collector.with_open_calls(), cdr_file, source=scenario.path, header=scenario is scenarios[0])
        status = result.status
        counts[status] += 1
        label = {"pass": "PASS ", "fail": "FAIL ", "xfail": "XFAIL", "xpass": "XPASS"}[status]
        print(f"{label} {printable(scenario.path)}  {scenario.name}  ({ms:.1f} ms)", file=out)
        if status in ("fail", "xpass") or (verbose and status == "xfail"):
            if status == "xpass":
                print(f"  expected to fail ({printable(scenario.xfail or '')}) but passed", file=out)
            else:
                print(printable(result.report(), lines=True), file=out)
        reports.done(watch, result, ms, out)
    total = time.perf_counter() - started
    failed = counts["fail"] + counts["xpass"]
    print(f"\n{counts['pass']} passed, {failed} failed, {counts['xfail']} expected failures "
          f"in {total:.2f} s", file=out)
    reports.close(total, out)
    return 1 if failed else 0
