"""pytest plugin: ``pytest scenarios/`` collects scenario files as test items."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from phone_sim.scenario.loader import is_company_file, load_scenario
from phone_sim.scenario.model import ScenarioError
from phone_sim.scenario.runner import run_scenario


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    if "scenarios" not in file_path.parts:
        return None
    try:
        if is_company_file(file_path):
            return None
    except ScenarioError:
        pass
    return ScenarioFile.from_parent(parent, path=file_path)


class ScenarioFile(pytest.File):
    def collect(self) -> Any:
        yield ScenarioItem.from_parent(self, name=self.path.stem)


class ScenarioFailed(Exception):
    pass


class ScenarioItem(pytest.Item):
    def runtest(self) -> None:
        try:
            scenario = load_scenario(self.path)
        except ScenarioError as exc:
            raise ScenarioFailed(str(exc)) from None
        if scenario.xfail:
            self.add_marker(pytest.mark.xfail(reason=scenario.xfail, strict=True))
        result = run_scenario(scenario)
        if not result.ok:
            raise ScenarioFailed(f"{scenario.name}\n{result.report()}")

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"scenario: {self.name}"
