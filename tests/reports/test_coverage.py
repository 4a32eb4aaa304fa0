"""``phone-sim run --coverage``: machines, SPEC.md's reason codes and services reached."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from report_helpers import GUIDE, ROOT

from phone_sim.cli import main
from phone_sim.network.catalogue import REASONS, SPEC_REASONS
from phone_sim.network.clock import Clock
from phone_sim.network.machines import machines, transitions_of
from phone_sim.network.switch import Network
from phone_sim.scenario.coverage import Coverage, mmi_code
from phone_sim.scenario.loader import load_paths, load_scenario
from phone_sim.scenario.runner import run_scenario

SPEC = next((p for p in (ROOT / "docs" / "spec.md", ROOT.parent / "shared" / "spec" / "SPEC.md", ROOT.parent.parent / "shared" / "spec" / "SPEC.md")
             if p.is_file()), None)


def coverage_of(*paths: Path) -> Coverage:
    scenarios = [load_scenario(p) for p in load_paths(paths)]
    coverage = Coverage(Network(scenarios[0].company, Clock()))
    for scenario in scenarios:
        coverage.steps(run_scenario(scenario, on_network=coverage.attach))
    return coverage


def test_the_guide_examples_reach_what_they_tell() -> None:
    areas = coverage_of(GUIDE).to_json()["areas"]
    assert "alerting -answer-> connected" in areas["leg.transitions"]["reached"]
    assert "connected -hold-> held" in areas["leg.transitions"]["reached"]
    assert areas["forwarding"]["reached"] == ["no_answer"]
    assert areas["ring_list"]["reached"] == ["sequential"]
    assert areas["distribution"]["reached"] == ["linear"]
    assert "conference_full" in areas["reasons"]["never"]
    assert areas["voice_menu.states"]["reached"] == []  # the examples never open a menu
    assert set(areas["reasons"]["reached"]) | set(areas["reasons"]["never"]) == set(SPEC_REASONS)


def test_refusals_releases_mmi_and_call_related_codes_count(tmp_path) -> None:
    coverage = coverage_of(ROOT / "scenarios" / "mmi", ROOT / "scenarios" / "conference" / "08-release-1x.yaml",
                           ROOT / "scenarios" / "basic" / "06-busy-without-double-appel.yaml",
                           ROOT / "scenarios" / "forwarding" / "refusals-destination.yaml")
    areas = coverage.to_json()["areas"]
    assert "**21#" in areas["mmi"]["reached"] and "*#43#" in areas["mmi"]["reached"]
    assert "1X" in areas["call_related"]["reached"]
    assert "busy" in areas["reasons"]["reached"]  # a release reason
    assert "forward_to_self" in areas["reasons"]["reached"]  # a portal refusal: no event, from the step


def test_mmi_codes_are_named_by_operation_and_service() -> None:
    assert mmi_code("**61*0601020309**20#") == "**61#"
    assert mmi_code("*21*0601020309#") == "**21#"
    assert mmi_code("*#43#") == "*#43#"
    assert mmi_code("0601020301") is None


def test_coverage_table_and_json_from_the_command_line(tmp_path, capsys) -> None:
    out_json = tmp_path / "coverage.json"
    report = tmp_path / "report.json"
    assert main(["run", str(GUIDE), "--coverage", "--coverage-json", str(out_json), "--json", str(report),
                 "--lang", "en"]) == 0
    out = capsys.readouterr().out
    table = out[out.index("Coverage of 5 scenarios"):]
    assert re.search(r"reason codes of SPEC.md\s+\d+/27\s+.*conference_full", table)
    assert re.search(r"machine voice_menu: states\s+0/6\s+code, member", table)
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["scenarios"] == 5 and data["total"]["of"] > 100
    assert json.loads(report.read_text(encoding="utf-8"))["coverage"] == data


def test_every_machine_of_a_network_is_listed() -> None:
    """Walk a network's objects: every transitions Machine must be in machines() (so the
    diagrams and the coverage follow a new machine)."""
    from transitions import Machine

    net = Network(load_scenario(GUIDE / "05-group-linear.yaml").company, Clock())
    found, seen, todo = set(), set(), [net]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, (str, int, float, bytes)):
            continue
        seen.add(id(obj))
        if isinstance(obj, Machine):
            found.add(id(obj))
            continue
        values = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, (list, tuple, set)) \
            else vars(obj).values() if hasattr(obj, "__dict__") and type(obj).__module__.startswith("phone_sim") else ()
        todo.extend(values)
    assert found == {id(m) for m in machines(net).values()}
    assert all(transitions_of(m) for m in machines(net).values())


def test_the_projects_suite_keeps_its_readme_figure() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"reach\s+\*\*(\d+) of (\d+)\*\*\s+\((\d+\.\d) %\)", readme)
    assert match, "README.md gives the suite's coverage figure"
    figure = float(match[3])
    total = coverage_of(ROOT / "scenarios").to_json()["total"]
    assert total["percent"] >= figure, f"coverage fell to {total['percent']} % (README: {figure} %)"


@pytest.mark.skipif(SPEC is None, reason="no shared/ spec beside the repository")
def test_spec_reasons_are_the_codes_spec_md_names() -> None:
    assert SPEC is not None
    spec = SPEC.read_text(encoding="utf-8")
    named = {w for w in re.findall(r"`([a-z_]+)`", spec) if w in REASONS}
    assert named == set(SPEC_REASONS)
    listed = set()
    for line in re.findall(r"(?:Codes|Refused):[^\n]*(?:\n[^\n-][^\n]*)*", spec):
        listed |= set(re.findall(r"`([a-z][a-z_]+)`", line))
    assert listed <= set(SPEC_REASONS), listed - set(SPEC_REASONS)
