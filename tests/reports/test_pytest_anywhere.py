"""The pytest plugin collects scenario files wherever pytest is pointed, never silently
nothing, and spreads them over processes with pytest-xdist."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from report_helpers import FAILING, GUIDE

PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "default"]


def pytest_in(folder: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTEST_ADDOPTS": ""}
    return subprocess.run([*PYTEST, *args], cwd=folder, capture_output=True, text=True, timeout=timeout, env=env)


def qa_folder(tmp_path: Path) -> Path:
    """The guide's examples in a folder that is not named ``scenarios``."""
    folder = tmp_path / "qa-checks" / "guide"
    shutil.copytree(GUIDE, folder)
    return tmp_path / "qa-checks"


def test_any_folder_is_collected(tmp_path) -> None:
    folder = qa_folder(tmp_path)
    done = pytest_in(tmp_path, "qa-checks")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 passed" in done.stdout
    assert "not collected" not in done.stdout  # company.yaml is a phone-sim file, not a stray
    one = pytest_in(folder / "guide", "01-transfer-guide.yaml")
    assert one.returncode == 0 and "1 passed" in one.stdout, one.stdout


def test_xdist_spreads_the_files_over_two_processes(tmp_path) -> None:
    pytest.importorskip("xdist")
    qa_folder(tmp_path)
    done = pytest_in(tmp_path, "-vv", "-n", "2", "--dist", "loadfile", "qa-checks")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 passed" in done.stdout
    assert "[gw0]" in done.stdout and "[gw1]" in done.stdout  # both processes ran files


def test_yaml_that_is_not_collected_is_named_in_a_warning(tmp_path) -> None:
    folder = tmp_path / "checks"
    folder.mkdir()
    (folder / "notes.yaml").write_text("title: not a scenario\nitems: [1, 2]\n")
    done = pytest_in(tmp_path, "checks")
    assert "ScenarioCollectionWarning" in done.stdout
    assert "1 YAML file(s) not collected as phone-sim scenarios" in done.stdout and "notes.yaml" in done.stdout
    assert done.returncode == 5  # and pytest says no test ran


def test_a_marker_or_an_ini_glob_collects_other_files(tmp_path) -> None:
    folder = tmp_path / "checks"
    shutil.copytree(GUIDE, folder)
    flow = "{name: In flow style, company: company.yaml, steps: [{dial: {from: B, to: A}}, {answer: A}]}\n"
    (folder / "flow.scn.yaml").write_text(flow)
    (folder / "marked.yaml").write_text("# phone-sim: scenario\n" + flow)
    done = pytest_in(tmp_path, "checks")
    assert "6 passed" in done.stdout and "flow.scn.yaml" in done.stdout  # the marked one ran, flow warned
    (tmp_path / "pytest.ini").write_text("[pytest]\nphone_sim_scenarios = checks/*.scn.yaml\n")
    done = pytest_in(tmp_path, "checks")
    assert "7 passed" in done.stdout and "not collected" not in done.stdout, done.stdout


def test_a_failing_file_shows_the_step_the_timeline_and_the_ladder(tmp_path) -> None:
    folder = tmp_path / "checks"
    shutil.copytree(GUIDE, folder)
    (folder / "bad.yaml").write_text(FAILING)
    done = pytest_in(tmp_path, "checks/bad.yaml")
    assert done.returncode == 1
    out = done.stdout
    assert "step 5 (expect)" in out and "timeline:" in out and "ladder:" in out
    assert out.index("timeline:") < out.index("ladder:")
