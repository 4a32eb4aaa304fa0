"""Fixtures: a store in a temporary directory, its network, the app hosting the portal."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from pathlib import Path

import pytest
from portal_helpers import CHEAP, PortalApp

from phone_sim.network.switch import Network
from phone_sim.store.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "phone-sim.sqlite3", cost=CHEAP)
    opened.created = False  # the first-run notice is tested on its own
    yield opened
    opened.close()


@pytest.fixture
def net(store: Store) -> Network:
    return store.build_network()


@pytest.fixture
def app(net: Network, store: Store) -> PortalApp:
    return PortalApp(net, store)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests here in a fresh event loop (no asyncio plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True

