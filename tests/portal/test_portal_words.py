"""The portal in words and without colour alone: settings as sentences, the audit log's
operations and actors named, the forwarding form opening on the line's settings,
checkboxes that read ticked or not, the groups' legend by shape."""

from __future__ import annotations

from portal_helpers import SIZE, PortalApp, log_in, open_page, shown
from textual.widgets import Checkbox, DataTable, Input, Select

from phone_sim.network.switch import Network
from phone_sim.tui.portal.tickbox import TickBox


def box(app: PortalApp, selector: str) -> TickBox:
    widget = app.screen.query_one(selector, Checkbox)
    assert isinstance(widget, TickBox)
    return widget


async def test_the_forwarding_form_opens_on_the_lines_settings(app: PortalApp, net: Network) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await open_page(pilot, "forwarding")
        app.screen.query_one("#line", Select).value = "D"  # Monsieur D: forwarded when unreachable
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#type", Select).value == "unreachable"
        assert box(app, "#active").value
        assert app.screen.query_one("#number", Input).value == "0145020304"
        assert shown(app, "#fwd-current") == \
            "Renvois actifs : Renvoi sur injoignabilité vers Monsieur D (fixe) (01 45 02 03 04)"
        app.screen.query_one("#line", Select).value = "MME_C"
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#type", Select).value == "no_answer"
        assert app.screen.query_one("#number", Input).value == "0601020309"
        assert app.screen.query_one("#delay", Input).value == "25"
        assert shown(app, "#fwd-current") == \
            "Renvois actifs : Renvoi sur non réponse vers Assistante (06 01 02 03 09) après 25 s"
        app.screen.query_one("#line", Select).value = "C"  # none: the form says so
        await pilot.pause()
        await pilot.pause()
        assert not box(app, "#active").value and shown(app, "#fwd-current") == "Renvois actifs : aucun"


async def test_checkboxes_read_ticked_or_not_without_colour(app: PortalApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await open_page(pilot, "forwarding")
        active = box(app, "#active")
        active.value = False
        await pilot.pause()
        assert active.render().plain.startswith("▐ ▌")  # type: ignore[union-attr]
        active.value = True
        await pilot.pause()
        assert active.render().plain.startswith("▐✔▌")  # type: ignore[union-attr]
        await open_page(pilot, "options")
        assert box(app, "#option-pabx").render().plain.startswith("▐✔▌")  # type: ignore[union-attr]


async def test_the_audit_log_names_operations_and_who_made_them(app: PortalApp, net: Network) -> None:
    net.portal.execute("C", "set_forwarding", {"line": "C", "type": "no_answer", "to": "0601020309", "delay": 15},
                       via="mmi")
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await open_page(pilot, "audit")
        grid = app.screen.query_one("#audit-table", DataTable)
        rows = [[str(cell) for cell in grid.get_row_at(i)][1:] for i in range(grid.row_count)]
        assert rows[0] == ["Monsieur C", "Monsieur C", "Renvoi d'appel (code tapé sur le téléphone)", "Monsieur C",
                           "aucun", "Renvoi sur non réponse vers Assistante (06 01 02 03 09) après 15 s"]
        assert rows[-1][:3] == ["phone-sim (base de données)", "phone-sim (base de données)",
                                "Base créée avec la société de démonstration"]
        text = " ".join(" ".join(row) for row in rows)
        for code in ("set_forwarding", "manager", "store", "no_answer=", "delay="):
            assert code not in text


async def test_the_audit_log_in_english(net: Network, store) -> None:  # type: ignore[no-untyped-def]
    net.portal.execute("manager", "grant", {"line": "D_FIXE", "option": "double_appel"})
    app = PortalApp(net, store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await open_page(pilot, "audit")
        grid = app.screen.query_one("#audit-table", DataTable)
        assert [str(c) for c in grid.get_row_at(0)][1:] == [
            "Fleet manager", "Fleet manager", "Option granted", "Monsieur D (fixe)", "none", "Double call"]
