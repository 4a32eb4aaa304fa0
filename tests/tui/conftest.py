"""TUI test fixtures: the demo company, an app with its clock paused, no sound, and data
in a temporary folder; helpers to read what a handset shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from phone_sim.network.company import CompanySpec
from phone_sim.tui.app import PhoneSimApp
from phone_sim.tui.commands import load_company_or_demo


@pytest.fixture(scope="session")
def demo() -> CompanySpec:
    return load_company_or_demo(None)


@pytest.fixture
def make_app(tmp_path: Path, demo: CompanySpec) -> Callable[..., PhoneSimApp]:
    """An app on the demo company whose virtual clock moves only when told to."""

    def make(company: CompanySpec | None = None, **options: Any) -> PhoneSimApp:
        options.setdefault("realtime", False)
        options.setdefault("data", tmp_path / "data")
        options.setdefault("sound", None)
        return PhoneSimApp(company or demo, **options)

    return make
