"""``phone-sim run`` with --ladder, --ladder-out, --junit, --json: files CI systems read;
exit codes stay 0 / 1 / 2."""

from __future__ import annotations

import json
import stat
import xml.etree.ElementTree as ET

from report_helpers import FAILING, GUIDE, PASSING, scenario_folder

from phone_sim.cli import main


def test_ladder_prints_each_scenarios_ladder(capsys) -> None:
    assert main(["run", str(GUIDE / "01-transfer-guide.yaml"), "--ladder", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Madame B" in out and "Network" in out
    assert "-- Step 11: Monsieur A keys #1 (transfer) --" in out
    assert out.index("#1: transfers and withdraws") < out.index("1 passed")


def test_a_failing_scenario_shows_its_ladder_up_to_the_failing_step(tmp_path, capsys) -> None:
    folder = scenario_folder(tmp_path, {"bad.yaml": FAILING})
    assert main(["run", str(folder / "bad.yaml"), "--lang", "en"]) == 1  # no --ladder needed
    out = capsys.readouterr().out
    timeline, ladder = out.index("    timeline:"), out.index("    ladder:")
    assert timeline < ladder
    assert "!! FAILED at step 5: C is in_call, expected idle !!" in out
    assert "rings (call from Monsieur A)" in out[ladder:]
    assert "Step 6" not in out  # nothing after the failing step


def test_ladder_out_writes_mermaid_and_svg_per_scenario(tmp_path, capsys) -> None:
    out_dir = tmp_path / "ladders"
    assert main(["run", str(GUIDE), "--ladder-out", str(out_dir)]) == 0
    written = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file())
    stems = sorted(p.stem for p in GUIDE.glob("0*.yaml"))
    assert written == sorted([f"{s}.md" for s in stems] + [f"{s}.svg" for s in stems])
    md = (out_dir / "01-transfer-guide.md").read_text(encoding="utf-8")
    assert "```mermaid\nsequenceDiagram" in md and "appelle Monsieur A (0601020301)" in md
    assert stat.S_IMODE((out_dir / "01-transfer-guide.svg").stat().st_mode) == 0o600


def test_junit_has_one_testcase_per_scenario_and_the_failing_step(tmp_path, capsys) -> None:
    folder = scenario_folder(tmp_path / "suite", {"bad.yaml": FAILING, "good.yaml": PASSING})
    report = tmp_path / "out.xml"
    assert main(["run", str(folder), "--junit", str(report)]) == 1
    root = ET.parse(report).getroot()
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "1"
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert set(cases) == {"A transfer that checks the wrong thing", "Madame B calls Monsieur A"}
    failure = cases["A transfer that checks the wrong thing"].find("failure")
    assert failure is not None
    assert failure.get("message") == f"step 5 (expect) at {folder / 'bad.yaml'}:8: C is in_call, expected idle"
    assert "observed: {ringing: A; tone: none}" in (failure.text or "")
    assert cases["Madame B calls Monsieur A"].find("failure") is None
    assert float(cases["Madame B calls Monsieur A"].get("time", "x")) >= 0


def test_json_reports_every_scenario(tmp_path, capsys) -> None:
    folder = scenario_folder(tmp_path / "suite", {"bad.yaml": FAILING, "good.yaml": PASSING})
    report = tmp_path / "out.json"
    assert main(["run", str(folder), "--json", str(report)]) == 1
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"]["pass"] == 1 and data["summary"]["fail"] == 1 and data["summary"]["total"] == 2
    bad = next(s for s in data["scenarios"] if s["status"] == "fail")
    assert bad["failure"]["step"] == 5 and bad["failure"]["line"] == 8 and bad["failure"]["action"] == "expect"
    assert bad["steps_run"] == 5 and bad["steps"] == 6
    good = next(s for s in data["scenarios"] if s["status"] == "pass")
    assert good["failure"] is None and "coverage" not in data


def test_an_invalid_file_still_exits_2_and_writes_nothing(tmp_path, capsys) -> None:
    folder = scenario_folder(tmp_path, {"broken.yaml": "name: x\ncompany: company.yaml\nsteps:\n  - dial: {from: Z}\n"})
    report = tmp_path / "out.xml"
    assert main(["run", str(folder), "--junit", str(report), "--json", str(tmp_path / "o.json")]) == 2
    assert "broken.yaml:4" in capsys.readouterr().err
    assert not report.exists()


def test_a_report_that_cannot_be_written_is_a_clear_error(tmp_path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["run", str(GUIDE / "01-transfer-guide.yaml"), "--junit", str(blocker / "out.xml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "out.xml" in err and "Traceback" not in err
