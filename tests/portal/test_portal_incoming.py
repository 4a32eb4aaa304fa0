"""« Gérer les appels entrants d'une ligne »: mode, up to five numbers, the opt-out box."""

from __future__ import annotations

from portal_helpers import SIZE, PortalApp, fill, log_in, open_page, press_button, shown
from textual.widgets import Select

from phone_sim.network.company import RingList
from phone_sim.network.switch import Network
from phone_sim.store.store import Store


async def set_up(pilot, line: str) -> None:  # type: ignore[no-untyped-def]
    await log_in(pilot)
    await open_page(pilot, "incoming")
    pilot.app.screen.query_one("#line", Select).value = line
    await pilot.pause()


async def test_a_sequential_list_is_saved(app: PortalApp, net: Network, store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await set_up(pilot, "A")
        await press_button(pilot, "#active")
        app.screen.query_one("#mode", Select).value = "sequential"
        await pilot.pause()
        assert app.screen.query_one("#field-step").display
        await fill(pilot, "#number-0", "0145020301")
        await fill(pilot, "#number-2", "06.01.02.03.09")
        await fill(pilot, "#step", "20")
        await press_button(pilot, "#submit")
        assert shown(app, "#form-status") == "Modification enregistrée"
    expected = RingList("sequential", ("0145020301", "0601020309"), 20)
    assert net.parties["A"].ring_list == expected
    assert store.load()[0].incoming["A"] == expected


async def test_a_number_outside_the_vpn_is_marked_on_its_field(app: PortalApp, net: Network, store: Store) -> None:
    before = len(store.audit())
    async with app.run_test(size=SIZE) as pilot:
        await set_up(pilot, "C")
        await press_button(pilot, "#active")
        await fill(pilot, "#number-0", "0601020301")
        await fill(pilot, "#number-1", "0145678900")  # Madame B: not a line of the company
        await fill(pilot, "#number-3", "12")
        await press_button(pilot, "#submit")
        assert shown(app, "#number-0-error") == ""
        assert shown(app, "#number-1-error") == "Numéro hors de votre VPN [not_in_vpn]"
        assert shown(app, "#number-3-error").endswith("[short_number_not_allowed]")
    assert net.parties["C"].ring_list is None
    assert len(store.audit()) == before


async def test_an_empty_list_is_required(app: PortalApp, net: Network) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await set_up(pilot, "C")
        await press_button(pilot, "#active")
        await press_button(pilot, "#submit")
        assert shown(app, "#number-0-error") == "Champ obligatoire [required]"
    assert net.parties["C"].ring_list is None


async def test_a_wrong_step_in_english(net: Network, store: Store) -> None:
    app = PortalApp(net, store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await set_up(pilot, "C")
        await press_button(pilot, "#active")
        app.screen.query_one("#mode", Select).value = "sequential"
        await fill(pilot, "#number-0", "0601020301")
        await fill(pilot, "#step", "90")
        await press_button(pilot, "#submit")
        assert shown(app, "#step-error").startswith("Invalid delay")
        assert shown(app, "#step-error").endswith("[invalid_delay]")
    assert net.parties["C"].ring_list is None


async def test_the_opt_out_box_removes_the_list(app: PortalApp, net: Network, store: Store) -> None:
    net.portal.execute("manager", "set_ring_list", {"line": "D", "mode": "simultaneous", "numbers": ["0145020304"]})
    async with app.run_test(size=SIZE) as pilot:
        await set_up(pilot, "D")
        assert shown(app, "#in-current") == "Appels entrants : Simultanément : Monsieur D (fixe) (01 45 02 03 04)"
        await press_button(pilot, "#opt-out")
        await press_button(pilot, "#submit")
        assert shown(app, "#in-current") == "Appels entrants : aucun"
    assert net.parties["D"].ring_list is None
    assert "D" not in store.load()[0].incoming
