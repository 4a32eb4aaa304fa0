"""Helpers for the TUI tests: run a Pilot session, read what a handset shows."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
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


def calls(app: PhoneSimApp, party: str) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((c.state, tuple(sorted(c.parties))) for c in app.live.net.view(party).calls)
