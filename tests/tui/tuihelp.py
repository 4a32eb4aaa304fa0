"""Helpers for the TUI tests: run a Pilot session, read what a handset shows."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from phone_sim.tui.app import PhoneSimApp
from phone_sim.tui.handset_widget import HandsetWidget

SIZE = (160, 50)


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run a Pilot session (no pytest-asyncio here)."""
    return asyncio.run(coro)


def slot(app: PhoneSimApp, party: str) -> HandsetWidget:
    screen = app.phones
    widget = screen.slot_of(party)
    assert widget is not None, f"{party} is not on the page shown"
    return widget


def shown(app: PhoneSimApp, party: str) -> str:
    """The display lines the handset's widget shows now."""
    face = slot(app, party).face
    assert face is not None
    return "\n".join(face.lines)


async def click_key(pilot: Any, handset: HandsetWidget, key: str) -> None:
    """Click ``key`` (``7``, ``#``, ``call``, ``power``, ``move``) on the handset's keypad,
    where it is drawn."""
    keypad = handset.keypad
    assert keypad.key_at(*keypad.offset_of(key)) == key
    assert await pilot.click(keypad, offset=keypad.offset_of(key)), f"{key} is not on the screen"


def calls(app: PhoneSimApp, party: str) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((c.state, tuple(sorted(c.parties))) for c in app.live.net.view(party).calls)


def stored_app(data: Path) -> PhoneSimApp:
    """The app on the company stored in ``data`` (accounts, audit), as ``phone-sim`` opens it."""
    from phone_sim.network.snapshot import snapshot
    from phone_sim.store import open_network

    net, store = open_network(data, announce=lambda line: None)
    store.created = False  # no first-run notice above the login fields
    return PhoneSimApp(snapshot(net), net=net, store=store, realtime=False, data=data, sound=None)


async def until(pilot, condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the keys were never all handled"
        await pilot.pause(0.02)


async def open_portal(pilot) -> Any:  # type: ignore[no-untyped-def]
    """p, then wait until the portal takes keys (typing starts once it is there)."""
    from phone_sim.tui.portal import PortalScreen

    await pilot.press("p")
    await until(pilot, lambda: isinstance(pilot.app.screen, PortalScreen) and pilot.app.screen.keys_from < math.inf)
    return pilot.app.screen
