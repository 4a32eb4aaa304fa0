"""pytest plugin: scenario files become test items wherever pytest is pointed.

``pytest any/folder``, ``pytest one-file.yaml``, ``pytest -n auto --dist loadfile``: a YAML
file is collected as a scenario when

- it has the top-level keys ``company:`` and ``steps:`` (what a scenario file is), or a
  line ``# phone-sim: scenario`` (for a file that does not look like one yet), or
- its path matches a glob of the ``phone_sim_scenarios`` ini option (relative to the
  root directory, or its file name), or
- it is named on the command line.

Company files and lessons (``lines:`` without ``steps:``, ``goals:``) are phone-sim files
that are not scenarios: they are left alone. Any other YAML file pytest meets is not
collected, and a warning names it, so a folder never yields nothing silently. Files
broken on purpose belong in a folder whose ``conftest.py`` sets ``collect_ignore_glob``.
"""

from __future__ import annotations

import re
import warnings
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest

from phone_sim.scenario.loader import load_scenario, root_of
from phone_sim.scenario.model import ScenarioError
from phone_sim.scenario.reports import failure_ladder, replay_ladder
from phone_sim.scenario.runner import run_scenario

INI = "phone_sim_scenarios"
MARKER = re.compile(r"^#\s*phone-sim:\s*scenario\b", re.MULTILINE)
TOP_KEY = re.compile(r"^(company|steps|lines|goals)\s*:", re.MULTILINE)
READ_AT_MOST = 1 << 20  # classifying reads this much of a file
SKIPPED = pytest.StashKey[list[Path]]()
NAMED = pytest.StashKey[set[Path]]()


class ScenarioCollectionWarning(pytest.PytestWarning):
    """YAML files pytest was pointed at that were not collected as scenarios."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(INI, type="linelist", default=[],
                  help="globs of YAML files to collect as phone-sim scenarios, whatever they contain "
                       "(files with top-level company: and steps: are collected anyway)")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[SKIPPED] = []
    params = config.invocation_params
    config.stash[NAMED] = {Path(params.dir, arg.split("::")[0]).resolve()
                           for arg in params.args if not arg.startswith("-")}


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    kind = classify(file_path, parent.config)
    if kind == "scenario":
        return ScenarioFile.from_parent(parent, path=file_path)
    if kind == "other":
        parent.config.stash[SKIPPED].append(file_path)
    return None


def classify(path: Path, config: pytest.Config) -> str:
    """``scenario``, ``phone-sim`` (a company file or a lesson) or ``other``."""
    if _named(path, config) or _globbed(path, config):
        return "scenario"
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            head = stream.read(READ_AT_MOST)
    except OSError:
        return "other"
    if MARKER.search(head):
        return "scenario"
    keys = set(TOP_KEY.findall(head))
    if {"company", "steps"} <= keys:
        return "scenario"
    if "goals" in keys or ("lines" in keys and "steps" not in keys):
        return "phone-sim"
    return "other"


def _named(path: Path, config: pytest.Config) -> bool:
    """The file was given on the command line (``pytest file.yaml``)."""
    named = config.stash.get(NAMED, set())
    return bool(named) and path.resolve() in named


def _globbed(path: Path, config: pytest.Config) -> bool:
    globs = config.getini(INI)
    if not globs:
        return False
    try:
        relative = path.resolve().relative_to(config.rootpath.resolve()).as_posix()
    except ValueError:
        relative = path.as_posix()
    return any(fnmatch(relative, glob) or fnmatch(path.name, glob) for glob in globs)


def pytest_collection_finish(session: pytest.Session) -> None:
    skipped = session.config.stash.get(SKIPPED, [])
    if not skipped:
        return
    shown = ", ".join(str(p) for p in skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5 else "")
    warnings.warn(ScenarioCollectionWarning(
        f"{len(skipped)} YAML file(s) not collected as phone-sim scenarios: {shown}. A scenario file has the "
        f"top-level keys company: and steps: (or a '# phone-sim: scenario' line); to collect files by name, set "
        f"the {INI} ini option; to leave them out, collect_ignore_glob in a conftest.py."), stacklevel=1)


class ScenarioFile(pytest.File):
    def collect(self) -> Any:
        yield ScenarioItem.from_parent(self, name=self.path.stem)


class ScenarioFailed(Exception):
    pass


class ScenarioItem(pytest.Item):
    def runtest(self) -> None:
        try:
            # a company path stays inside the project (pytest's root folder) or the file's own tree
            scenario = load_scenario(self.path, root_of(self.path, [self.config.rootpath]))
        except ScenarioError as exc:
            raise ScenarioFailed(str(exc)) from None
        if scenario.xfail:
            self.add_marker(pytest.mark.xfail(reason=scenario.xfail, strict=True))
        result = run_scenario(scenario)
        if not result.ok:
            ladder = failure_ladder(replay_ladder(scenario), "en") if result.failed is not None else ""
            raise ScenarioFailed(f"{scenario.name}\n{result.report()}\n{ladder}".rstrip())

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario: {self.name}"
