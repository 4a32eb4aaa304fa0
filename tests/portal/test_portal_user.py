"""The user portal, the manager taking a user's identity, options, the audit log; and a
user never reaching another line's settings, whatever page they try."""

from __future__ import annotations

from portal_helpers import SIZE, PortalApp, fill, log_in, open_page, press_button, shown, until, until_page
from textual.widgets import Checkbox, DataTable, Select

from phone_sim.network.refusal import Refused
from phone_sim.network.switch import Network
from phone_sim.store.store import Store
from phone_sim.tui.portal.screen import VIEWS
from phone_sim.tui.portal.view import Navigate


def offered(app: PortalApp, selector: str = "#line") -> list[str]:
    return [str(value) for _, value in app.screen.query_one(selector, Select)._options]  # noqa: SLF001


async def test_a_user_sets_their_own_forwarding(app: PortalApp, net: Network, store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "C")
        await open_page(pilot, "forwarding")
        assert offered(app) == ["C"] and app.screen.query_one("#line", Select).disabled
        app.screen.query_one("#type", Select).value = "busy"
        await pilot.pause()
        await press_button(pilot, "#active")
        await fill(pilot, "#number", "0601020309")
        await press_button(pilot, "#submit")
        assert shown(app, "#form-status") == "Modification enregistrée"
    assert net.parties["C"].forwarding.busy == "0601020309"
    assert (store.audit()[0].who, store.audit()[0].account) == ("C", "C")


async def test_a_user_connects_and_disconnects_in_their_groups(app: PortalApp, net: Network) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "MME_C")
        await open_page(pilot, "my_groups")
        grid = app.screen.query_one("#my-groups-table", DataTable)
        assert [str(c) for c in grid.get_row_at(0)] == ["● 0609182236", "Com", "○ Déconnecté"]
        await press_button(pilot, "#my-connect")
        assert str(grid.get_row_at(0)[2]) == "● Connecté"
        assert "MME_C" in net.groups.groups["COM"].connected
        await press_button(pilot, "#my-disconnect")
        assert "MME_C" not in net.groups.groups["COM"].connected


async def test_a_user_outside_every_group_is_told_so(app: PortalApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "D")
        await open_page(pilot, "my_groups")
        assert app.screen.query_one("#my-groups-table", DataTable).row_count == 0
        assert "Vous n'êtes membre d'aucun groupe d'appel" in str(
            app.screen.query_one("#view-my_groups .notice").content)  # type: ignore[attr-defined]


async def test_no_page_opens_another_line_to_a_user(app: PortalApp, net: Network) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "A")
        for view in VIEWS:
            app.portal.post_message(Navigate(view, line="C", group="COM"))
            await pilot.pause()
            shown_view = app.portal.current
            assert shown_view in ("home", "forwarding", "incoming", "my_groups"), view
            if app.screen.query("#line"):
                assert offered(app) == ["A"], view
            for table in app.screen.query(DataTable).results(DataTable):
                assert all("0601020303" not in str(row) for row in (table.get_row_at(i)
                                                                     for i in range(table.row_count))), view
        # and the service itself refuses, whatever a page might send
        session = app.portal.session
        refused = session.execute("set_forwarding", {"line": "C", "type": "busy", "to": "0601020309"})
        assert isinstance(refused, Refused) and refused.reason == "forbidden"
        refused = session.execute("disconnect", {"group": "COM", "line": "C"})
        assert isinstance(refused, Refused) and refused.reason == "forbidden"
    assert net.parties["C"].forwarding.busy is None and "C" in net.groups.groups["COM"].connected


async def test_the_manager_takes_a_users_identity(app: PortalApp, net: Network, store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await open_page(pilot, "identity")
        app.screen.query_one("#user", Select).value = "MME_C"
        await press_button(pilot, "#submit")
        await until_page(pilot, "home")
        await until(pilot, lambda: "MME_C" in shown(app, "#portal-who"), "the identity is not shown")
        assert "Vous agissez en tant que Madame C (MME_C)" in shown(app, "#portal-who")
        await open_page(pilot, "forwarding")
        assert offered(app) == ["MME_C"]
        await press_button(pilot, "#opt-out")
        await press_button(pilot, "#submit")
        await until(pilot, lambda: shown(app, "#form-status"), "the change got no answer")
        app.portal.post_message(Navigate("groups"))  # a manager page, while acting as a user
        await until(pilot, lambda: app.portal.current != "forwarding", "the navigation was not handled")
        assert app.portal.current == "home"
        await until_page(pilot, "home")
        await press_button(pilot, "#resume-identity")
        await until(pilot, lambda: app.portal.session.is_manager and app.screen.query("#menu-groups"),
                    "the manager's identity did not come back")
    row = store.audit()[0]
    assert (row.operation, row.who, row.as_whom, row.account) == ("clear_forwarding", "manager", "MME_C",
                                                                  "gestionnaire")
    assert net.parties["MME_C"].forwarding.is_empty()


async def test_options_granted_and_withdrawn(app: PortalApp, net: Network, store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await open_page(pilot, "options")
        app.screen.query_one("#line", Select).value = "D"
        await pilot.pause()
        assert app.screen.query_one("#option-pabx", Checkbox).value
        assert not app.screen.query_one("#option-double_appel", Checkbox).value
        await press_button(pilot, "#option-double_appel")
        await press_button(pilot, "#submit")
        grid = app.screen.query_one("#options-table", DataTable)
        assert [str(c) for c in grid.get_row("D")] == ["Monsieur D", "0601020304", "oui", "oui", "oui"]
    assert net.parties["D"].options == {"pabx", "double_appel"}
    lines = {line.id: line for line in store.load()[0].lines}
    assert lines["D"].options == {"pabx", "double_appel"}


async def test_the_audit_log_filters_by_line(app: PortalApp, net: Network) -> None:
    net.portal.execute("manager", "set_forwarding", {"line": "A", "type": "busy", "to": "0601020303"})
    net.portal.execute("manager", "set_forwarding", {"line": "C", "type": "busy", "to": "0601020301"})
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await open_page(pilot, "audit")
        grid = app.screen.query_one("#audit-table", DataTable)
        targets = [str(grid.get_row_at(i)[4]) for i in range(grid.row_count)]
        assert targets[:2] == ["Monsieur C", "Monsieur A"] and grid.row_count == 3  # newest first, with the seed
        app.screen.query_one("#filter", Select).value = "A"
        await pilot.pause()
        assert [str(c) for c in grid.get_row_at(0)][1:] == [
            "Gestionnaire", "Gestionnaire", "Renvoi d'appel", "Monsieur A", "aucun",
            "Renvoi sur occupation vers Monsieur C (06 01 02 03 03)"]
        assert grid.row_count == 1
