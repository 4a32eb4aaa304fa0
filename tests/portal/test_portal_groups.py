"""« Administrer les groupes d'appel »: the guide's table, Ajouter / Modifier / Supprimer,
and the members (Nom, Numéro, Statut) with connect, disconnect and disconnect all."""

from __future__ import annotations

from portal_helpers import SIZE, PortalApp, fill, log_in, open_page, press_button, shown, until, until_page
from rich.text import Text
from textual.widgets import DataTable, Select

from phone_sim.network.switch import Network
from phone_sim.store.store import Store

GUIDE_COLUMNS = ["N° du groupe", "Nom du groupe d'appel", "Code connexion utilisateur", "Code administratif",
                 "File d'attente", "Délai avant basculement", "Délai inter-appels", "Mode de distribution",
                 "Modification / Suppression"]


def table(app: PortalApp, selector: str) -> DataTable[object]:
    return app.screen.query_one(selector, DataTable)


def rows(app: PortalApp, selector: str) -> list[list[str]]:
    grid = table(app, selector)
    return [[str(cell) for cell in grid.get_row_at(i)] for i in range(grid.row_count)]


def dot_style(app: PortalApp) -> str:
    cell = table(app, "#groups-table").get_row_at(0)[0]
    assert isinstance(cell, Text)
    return str(cell.spans[0].style)


async def test_the_table_has_the_guide_columns_and_legend(app: PortalApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await open_page(pilot, "groups")
        headers = [str(c.label).replace("\n", " ") for c in table(app, "#groups-table").columns.values()]
        assert headers == GUIDE_COLUMNS
        assert rows(app, "#groups-table") == [["● 0609182236", "Com", "1703", "2202", "1", "12", "30", "Linéaire",
                                               "Modifier / Supprimer"]]
        assert dot_style(app) == "bold green"
        legend = str(app.screen.query_one(".legend").content)  # type: ignore[attr-defined]
        assert legend == "Légende : ● Au moins un membre connecté   ○ Aucun membre connecté"
        assert shown(app, "#members-title") == "Membres du groupe d'appel : Com"
        assert rows(app, "#members-table") == [["Monsieur A", "0601020301", "● Connecté"],
                                               ["Monsieur C", "0601020303", "● Connecté"],
                                               ["Madame C", "0601020306", "○ Déconnecté"]]


async def test_add_a_group(app: PortalApp, net: Network, store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await open_page(pilot, "groups")
        await press_button(pilot, "#group-add", click=True)
        await until_page(pilot, "group_form")
        await fill(pilot, "#number", "06 09 18 22 40")
        await fill(pilot, "#name", "Vente")
        await fill(pilot, "#user_code", "1111")
        await fill(pilot, "#admin_code", "2222")
        app.screen.query_one("#distribution", Select).value = "circular"
        await press_button(pilot, "#submit")
        await until_page(pilot, "groups")
        await until(pilot, lambda: len(rows(app, "#groups-table")) == 2, "the new group is not listed")
        assert rows(app, "#groups-table")[1][:3] == ["○ 0609182240", "Vente", "1111"]  # nobody connected yet
        assert rows(app, "#members-table") == []
    vente = net.groups.groups["VENTE"]
    assert (vente.number, vente.distribution, vente.admin_code) == ("0609182240", "circular", "2222")
    assert [g.id for g in store.load()[0].groups] == ["COM", "VENTE"]


async def test_a_wrong_group_is_marked_field_by_field_and_not_created(
    app: PortalApp, net: Network, store: Store
) -> None:
    before = len(store.audit())
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await open_page(pilot, "groups")
        await press_button(pilot, "#group-add")
        await fill(pilot, "#number", "0145678900")  # Madame B's number
        await fill(pilot, "#user_code", "12")
        await fill(pilot, "#switchover_delay", "")
        await press_button(pilot, "#submit")
        assert app.portal.current == "group_form"
        assert shown(app, "#name-error") == "Champ obligatoire [required]"
        assert shown(app, "#switchover_delay-error").endswith("[invalid_delay]")
        await fill(pilot, "#name", "Vente")
        await fill(pilot, "#switchover_delay", "15")
        await press_button(pilot, "#submit")
        assert shown(app, "#number-error").endswith("[number_in_use]")
        assert shown(app, "#user_code-error") == "Le code doit comporter 4 chiffres [invalid_code]"
        assert shown(app, "#name-error") == ""
    assert list(net.groups.groups) == ["COM"]
    assert len(store.audit()) == before


async def test_modify_then_delete_after_confirming(app: PortalApp, net: Network, store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await open_page(pilot, "groups")
        await press_button(pilot, "#group-edit")
        await fill(pilot, "#switchover_delay", "20")
        await fill(pilot, "#queue", "3")
        await press_button(pilot, "#submit")
        assert rows(app, "#groups-table")[0][4:6] == ["3", "20"]
        await press_button(pilot, "#group-delete")
        assert "COM" in net.groups.groups  # the first press only asks
        assert "Confirmer la suppression de Com" in str(app.screen.query_one("#group-delete").label)  # type: ignore[attr-defined]
        await press_button(pilot, "#group-delete")
        assert rows(app, "#groups-table") == []
    assert net.groups.groups == {}
    assert store.load()[0].groups == ()


async def test_members_connect_disconnect_and_all(app: PortalApp, net: Network, store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await open_page(pilot, "groups")
        table(app, "#members-table").move_cursor(row=2)  # Madame C
        await press_button(pilot, "#member-connect")
        assert rows(app, "#members-table")[2][2] == "● Connecté"
        assert net.groups.groups["COM"].connected == {"A", "C", "MME_C"}
        await press_button(pilot, "#members-disconnect-all")
        assert [r[2] for r in rows(app, "#members-table")] == ["○ Déconnecté"] * 3
        assert dot_style(app) == "bold red" and rows(app, "#groups-table")[0][0].startswith("○")  # at once
        app.screen.query_one("#member-line", Select).value = "D"
        await press_button(pilot, "#member-add")
        assert rows(app, "#members-table")[3][:2] == ["Monsieur D", "0601020304"]
        table(app, "#members-table").move_cursor(row=0)
        await press_button(pilot, "#member-remove")
        assert [r[0] for r in rows(app, "#members-table")] == ["Monsieur C", "Madame C", "Monsieur D"]
    com = store.load()[0].groups[0]
    assert (com.members, com.connected) == (("C", "MME_C", "D"), ())


async def test_a_fixed_line_cannot_be_added(app: PortalApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await open_page(pilot, "groups")
        await until(pilot, lambda: app.screen.query_one("#member-line", Select), "no member list")
        select = app.screen.query_one("#member-line", Select)
        offered = {value for _, value in select._options}  # noqa: SLF001 - what the list offers
        assert "A_FIXE" not in offered and "A" not in offered and "D" in offered
        await press_button(pilot, "#member-add")  # nothing chosen
        await until(pilot, lambda: shown(app, "#members-status"), "no answer to Ajouter")
        assert shown(app, "#members-status") == "Champ obligatoire [required]"
