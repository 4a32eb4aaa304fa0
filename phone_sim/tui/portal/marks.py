"""Marks for on/off states that read without colour: filled ● (a member connected, a
group with someone in it) and hollow ○ (nobody), each beside its word."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from phone_sim.tui.portal.session import PortalSession

OPEN_STYLE, CLOSED_STYLE = "bold green", "bold red"
OPEN_MARK, CLOSED_MARK = "● ", "○ "


def connection_mark(connected: bool, session: PortalSession) -> Text:
    """A member's state: the mark and the word."""
    return Text.assemble((OPEN_MARK, OPEN_STYLE) if connected else (CLOSED_MARK, CLOSED_STYLE),
                         session.t("member.connected" if connected else "member.disconnected"))
