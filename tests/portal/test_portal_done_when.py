"""The issue's "done when", end to end: the demo manager sets a no-answer forwarding and
creates a group like "Com" with connected members through the screens; calls follow those
settings, and still do after a restart on the same data directory."""

from __future__ import annotations

from pathlib import Path

from portal_helpers import SIZE, PortalApp, fill, log_in, open_page, press_button, shown, until, until_page
from textual.widgets import DataTable, Select

from phone_sim.network.switch import Network
from phone_sim.store import open_network


def calls_follow_the_settings(net: Network) -> None:
    # B calls A, nobody answers: after 20 s the call goes to Monsieur C
    assert not isinstance(net.dial("B", "0601020301"), Exception)
    assert net.ringing("A")
    net.clock.advance(19_000)
    assert not net.ringing("C")
    net.clock.advance(1_000)
    assert net.ringing("C")
    net.end("B")
    net.clock.settle()
    # B calls the group "Vente": its connected member Monsieur D rings
    net.dial("B", "0609182240")
    net.clock.advance(0)
    assert net.ringing("D") and not net.ringing("ASSIST")


async def configure_through_the_portal(app: PortalApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, typed=True)
        await open_page(pilot, "forwarding")
        screen = app.screen
        screen.query_one("#line", Select).value = "A"
        await pilot.pause()
        await press_button(pilot, "#active", click=True)
        await fill(pilot, "#number", "0601020303")
        await fill(pilot, "#delay", "20")
        await press_button(pilot, "#submit", click=True)
        await until(pilot, lambda: shown(app, "#form-status"), "the forwarding got no answer")
        await open_page(pilot, "groups")
        await press_button(pilot, "#group-add", click=True)
        await until_page(pilot, "group_form")
        await fill(pilot, "#number", "0609182240")
        await fill(pilot, "#name", "Vente")
        await press_button(pilot, "#submit", click=True)
        await until_page(pilot, "groups")
        members = lambda: app.screen.query_one("#members-table", DataTable).row_count  # noqa: E731
        for count, line in enumerate(("D", "ASSIST"), start=1):
            await until(pilot, lambda: app.screen.query_one("#member-line", Select), "no member list")
            app.screen.query_one("#member-line", Select).value = line
            await pilot.pause()
            await press_button(pilot, "#member-add")
            await until(pilot, lambda: members() == count, f"{line} was not added")  # noqa: B023
        app.screen.query_one("#members-table", DataTable).move_cursor(row=0)  # Monsieur D
        await press_button(pilot, "#member-connect", click=True)
        await until(pilot, lambda: "● Connecté" in str(app.screen.query_one("#members-table", DataTable)
                                                       .get_row_at(0)[2]), "D was not connected")


async def test_settings_made_in_the_portal_drive_calls_after_a_restart(tmp_path: Path) -> None:
    net, store = open_network(tmp_path, announce=lambda _: None)
    await configure_through_the_portal(PortalApp(net, store))
    vente = net.groups.groups["VENTE"]
    assert (vente.members, vente.connected) == (["D", "ASSIST"], {"D"})
    calls_follow_the_settings(net)
    store.close()

    restarted, store = open_network(tmp_path, announce=lambda _: None)
    calls_follow_the_settings(restarted)
    store.close()
