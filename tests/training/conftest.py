"""Lesson test helpers: the bundled lessons, and small lessons written on the fly."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from phone_sim.training.loader import load_lessons
from phone_sim.training.model import Lesson

HERE = Path(__file__).parent
LESSON_HEAD = """title: {fr: Essai, en: Test}
usage: {fr: Pour essayer, en: To try}
company: company.yaml
trainee: A
"""


def bundled() -> list[Lesson]:
    return load_lessons()


@pytest.fixture
def write_lesson(tmp_path: Path) -> Callable[[str], Path]:
    """Write a lesson (the head above plus ``body``) beside a copy of the test company."""
    shutil.copy(HERE / "bad" / "company.yaml", tmp_path / "company.yaml")
    count = iter(range(1000))

    def write(body: str, head: str = LESSON_HEAD) -> Path:
        path = tmp_path / f"lesson-{next(count)}.yaml"
        path.write_text(head + body, encoding="utf-8")
        return path

    return write


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests (Pilot) in a fresh event loop: no asyncio plugin needed."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True
