"""Stores in a temporary directory, with a cheap scrypt cost and a clock the test moves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from phone_sim.store.store import Store

CHEAP = 2**4  # scrypt n for tests: the hashing is the same, only cheaper


class FakeClock:
    """Wall-clock seconds that move only when the test says so."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "phone-sim.sqlite3"


@pytest.fixture
def store(db_path: Path, clock: FakeClock) -> Iterator[Store]:
    opened = Store(db_path, wall_clock=clock, cost=CHEAP)
    yield opened
    opened.close()


@pytest.fixture
def reopen(db_path: Path, clock: FakeClock) -> Iterator[Callable[[], Store]]:
    """Open the same database again, as a restarted simulator would."""
    opened: list[Store] = []

    def again() -> Store:
        opened.append(Store(db_path, wall_clock=clock, cost=CHEAP))
        return opened[-1]

    yield again
    for each in opened:
        each.close()
