"""Snapshots (160x50) of the group table and of the forwarding form, as the guide shows them.

Regenerate after a deliberate change with ``pytest tests/portal --snapshot-update`` and
look at the SVGs in ``__snapshots__`` before committing them.
"""

from __future__ import annotations

import pytest
from portal_helpers import SIZE, PortalApp, log_in
from textual.widgets import Input, Select

from phone_sim.network.switch import Network
from phone_sim.store.store import Store


def freeze_cursors(pilot) -> None:  # type: ignore[no-untyped-def]
    for field in pilot.app.screen.query(Input).results(Input):
        field.cursor_blink = False


def test_group_table(snap_compare, net: Network, store: Store) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await log_in(pilot)
        await pilot.app.portal.show("groups")  # no button pressed: its pressed look lasts a moment
        freeze_cursors(pilot)

    assert snap_compare(PortalApp(net, store), terminal_size=SIZE, run_before=run_before)


def test_forwarding_form_with_an_inline_error(snap_compare, net: Network, store: Store) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await log_in(pilot)
        await pilot.app.portal.show("forwarding")
        pilot.app.screen.query_one("#line", Select).value = "MME_C"
        await pilot.pause()
        number = pilot.app.screen.query_one("#number", Input)
        number.value = "0601020306"  # her own number
        number.focus()
        freeze_cursors(pilot)
        await pilot.press("enter")  # not the button: its pressed look lasts a moment

    assert snap_compare(PortalApp(net, store), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 50)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_forwarding_form_prefilled_at_every_size(snap_compare, net: Network, store: Store, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await log_in(pilot)
        await pilot.app.portal.show("forwarding", line="MME_C")
        await pilot.pause()
        await pilot.pause()
        freeze_cursors(pilot)

    assert snap_compare(PortalApp(net, store), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_group_table_at_every_size(snap_compare, net: Network, store: Store, size) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await log_in(pilot)
        await pilot.app.portal.show("groups")
        freeze_cursors(pilot)

    assert snap_compare(PortalApp(net, store), terminal_size=size, run_before=run_before)
