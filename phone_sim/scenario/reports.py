"""What ``phone-sim run`` writes besides its lines: ladders (``--ladder``, ``--ladder-out``),
coverage (``--coverage``, ``--coverage-json``), JUnit XML (``--junit``) and JSON (``--json``).

``Reports`` watches each scenario while it runs (``watch``), records its outcome
(``done``) and writes the files at the end (``close``). A failing scenario's report
always ends with its ladder up to the failing step: the replay is deterministic, so when
no ladder was being drawn the scenario is replayed once more with one.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from phone_sim.network.switch import Network
from phone_sim.scenario.explain import Explainer
from phone_sim.scenario.ladder import Ladder, LadderBuilder
from phone_sim.scenario.ladder_text import ascii_ladder, mermaid_document
from phone_sim.scenario.model import Scenario
from phone_sim.scenario.runner import ScenarioResult, run_scenario

FAILURE_ROWS = 60  # rows of the ladder a failure report shows (its tail)


@dataclass
class ReportOptions:
    ladder: bool = False
    ladder_out: str | None = None
    ladder_media: bool = False
    coverage: bool = False
    coverage_json: str | None = None
    junit: str | None = None
    json: str | None = None
    lang: str = "fr"

    @property
    def draws(self) -> bool:
        return self.ladder or self.ladder_out is not None


@dataclass
class Watch:
    """One scenario being watched: the hooks to give ``run_scenario``."""

    reports: Reports
    scenario: Scenario
    builder: LadderBuilder | None = None
    extra: list[Callable[[Network], Any]] = field(default_factory=list)

    def on_network(self, net: Network) -> None:
        for hook in self.extra:
            hook(net)
        if self.reports.options.draws:
            self.builder = new_builder(net, self.scenario, self.reports.options.ladder_media).attach()
        if self.reports.coverage is not None:
            self.reports.coverage.attach(net)

    def on_step(self, index: int, result: Any) -> None:
        if self.builder is not None:
            self.builder.step(index, result)

    def ladder(self) -> Ladder:
        if self.builder is None:
            return replay_ladder(self.scenario)
        return self.builder.ladder()


def new_builder(net: Network, scenario: Scenario, media: bool = False) -> LadderBuilder:
    explainer = Explainer(scenario.company)
    return LadderBuilder(net, scenario.name, media=media,
                         explain=lambda _, step: (explainer.sentence(step, "fr"),  # type: ignore[arg-type]
                                                  explainer.sentence(step, "en")))  # type: ignore[arg-type]


def replay_ladder(scenario: Scenario) -> Ladder:
    """Replay ``scenario`` once more, drawing its ladder (up to its failing step)."""
    box: list[LadderBuilder] = []
    run_scenario(scenario, on_step=lambda i, r: box[0].step(i, r),
                 on_network=lambda net: box.append(new_builder(net, scenario).attach()))
    return box[0].ladder()


def tail(ladder: Ladder, rows: int) -> tuple[Ladder, int]:
    """The last ``rows`` rows of a ladder, and how many were left out."""
    dropped = max(0, len(ladder.rows) - rows)
    return Ladder(ladder.title, ladder.columns, ladder.rows[dropped:]), dropped


def failure_ladder(ladder: Ladder, lang: str = "fr") -> str:
    """The tail of a failed scenario's ladder, as its report shows it after the timeline."""
    shown, dropped = tail(ladder, FAILURE_ROWS)
    head = "    ladder:" + (f" (… {dropped} earlier rows)" if dropped else "")
    return "\n".join([head] + ["    " + line for line in ascii_ladder(shown, lang).splitlines()])


@dataclass
class Case:
    scenario: Scenario
    result: ScenarioResult
    ms: float
    files: list[str] = field(default_factory=list)


class Reports:
    def __init__(self, options: ReportOptions, scenarios: list[Scenario]) -> None:
        self.options = options
        self.cases: list[Case] = []
        self.coverage = None
        if options.coverage or options.coverage_json:
            from phone_sim.scenario.coverage import Coverage

            self.coverage = Coverage(Network(scenarios[0].company)) if scenarios else None
        self.root = _common_root([s.path for s in scenarios])

    def watch(self, scenario: Scenario, *hooks: Callable[[Network], Any]) -> Watch:
        return Watch(self, scenario, extra=list(hooks))

    def done(self, watch: Watch, result: ScenarioResult, ms: float, out: TextIO) -> None:
        """Print the ladder (``--ladder``; always after a failure's report) and write its files."""
        case = Case(watch.scenario, result, ms)
        self.cases.append(case)
        if self.coverage is not None:
            self.coverage.steps(result)
        lang = self.options.lang
        failed = result.status in ("fail",)
        if not (self.options.draws or failed):
            return
        ladder = watch.ladder()
        if failed:
            print(failure_ladder(ladder, lang), file=out)
        elif self.options.ladder:
            print("\n".join("  " + line for line in ascii_ladder(ladder, lang).splitlines()), file=out)
        if self.options.ladder_out is not None:
            case.files = self._write_ladder(watch.scenario, ladder)

    def _write_ladder(self, scenario: Scenario, ladder: Ladder) -> list[str]:
        from phone_sim.scenario.ladder_svg import svg_ladder

        assert self.options.ladder_out is not None
        lang = self.options.lang
        base = Path(self.options.ladder_out) / _relative(scenario.path, self.root)
        written = []
        for suffix, content in ((".md", mermaid_document(ladder, lang, scenario.path)),
                                (".svg", svg_ladder(ladder, lang))):
            target = base.with_suffix(suffix)
            write_private(target, content)
            written.append(str(target))
        return written

    # ------------------------------------------------------------------ the end
    def close(self, seconds: float, out: TextIO) -> None:
        options = self.options
        if self.coverage is not None:
            if options.coverage:
                print("\n" + self.coverage.table(options.lang), file=out)
            if options.coverage_json:
                write_private(Path(options.coverage_json), self.coverage.dumps())
        if options.junit:
            write_private(Path(options.junit), junit_xml(self.cases, seconds))
        if options.json:
            document = json.dumps(json_report(self.cases, seconds, self.coverage), indent=2, ensure_ascii=False)
            write_private(Path(options.json), document + "\n")


# ---------------------------------------------------------------------- JUnit, JSON
def failure_text(result: ScenarioResult) -> tuple[str, str]:
    """(one-line message, the whole report) of a failed or unexpectedly passing scenario."""
    if result.status == "xpass":
        message = f"expected to fail ({result.scenario.xfail}) but passed"
        return message, message
    f = result.failed
    if f is None:
        return "failed", "failed"
    where = f"{f.step.file or result.scenario.path}:{f.step.line}"
    return f"step {f.index + 1} ({f.step.action}) at {where}: {f.message}", result.report()


def junit_xml(cases: list[Case], seconds: float) -> str:
    suite = ET.Element("testsuite", name="phone-sim", tests=str(len(cases)),
                       failures=str(sum(c.result.status in ("fail", "xpass") for c in cases)),
                       errors="0", skipped=str(sum(c.result.status == "xfail" for c in cases)),
                       time=f"{seconds:.3f}")
    for case in cases:
        path = case.scenario.path
        classname = ".".join(Path(path).with_suffix("").parts[:-1]) or "scenarios"
        item = ET.SubElement(suite, "testcase", classname=classname, name=case.scenario.name,
                             file=path, time=f"{case.ms / 1000:.4f}")
        status = case.result.status
        if status in ("fail", "xpass"):
            message, body = failure_text(case.result)
            ET.SubElement(item, "failure", message=message, type="ScenarioFailed").text = body
        elif status == "xfail":
            ET.SubElement(item, "skipped", message=f"expected failure: {case.scenario.xfail}")
        if case.files:
            ET.SubElement(item, "system-out").text = "ladder: " + " ".join(case.files)
    root = ET.Element("testsuites", tests=suite.get("tests", "0"), failures=suite.get("failures", "0"),
                      time=f"{seconds:.3f}")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def json_report(cases: list[Case], seconds: float, coverage: Any = None) -> dict[str, Any]:
    counts = {"pass": 0, "fail": 0, "xfail": 0, "xpass": 0}
    scenarios = []
    for case in cases:
        result = case.result
        counts[result.status] += 1
        entry: dict[str, Any] = {"path": case.scenario.path, "name": case.scenario.name, "status": result.status,
                                 "ms": round(case.ms, 3), "steps_run": len(result.steps),
                                 "steps": len(case.scenario.steps), "failure": None}
        f = result.failed
        if result.status in ("fail", "xpass", "xfail") and f is not None:
            entry["failure"] = {"step": f.index + 1, "action": f.step.action, "line": f.step.line,
                                "file": f.step.file or case.scenario.path, "message": f.message,
                                "expected": f.expected, "observed": f.observed, "timeline": result.timeline[-40:]}
        if case.files:
            entry["ladder"] = case.files
        scenarios.append(entry)
    report: dict[str, Any] = {"summary": {**counts, "total": len(cases), "seconds": round(seconds, 3)},
                              "scenarios": scenarios}
    if coverage is not None:
        report["coverage"] = coverage.to_json()
    return report


# ---------------------------------------------------------------------- files
def write_private(path: Path, content: str) -> None:
    """Write a report readable by its owner only (0600), creating its folders."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    try:
        fd = os.open(path, flags, 0o600)
    except FileNotFoundError:  # the folder first (tried second: most files land in a folder made already)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, flags, 0o600)
    os.fchmod(fd, 0o600)  # an older file keeps its mode through O_CREAT
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        stream.write(content)


def _common_root(paths: list[str]) -> str:
    folders = [os.path.dirname(os.path.abspath(p)) for p in paths if p]
    return os.path.commonpath(folders) if folders else "."


def _relative(path: str, root: str) -> str:
    relative = os.path.relpath(os.path.abspath(path), root)
    return relative if not relative.startswith("..") else os.path.basename(path)
