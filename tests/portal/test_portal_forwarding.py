"""« Gérer les renvois d'appel d'une ligne »: valid changes saved at once, errors inline."""

from __future__ import annotations

from portal_helpers import SIZE, PortalApp, fill, log_in, open_page, press_button, shown
from textual.widgets import Checkbox, Input, Select

from phone_sim.network.company import Forwarding
from phone_sim.network.switch import Network
from phone_sim.store.store import Store


async def set_up(pilot, line: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    await log_in(pilot)
    await open_page(pilot, "forwarding")
    screen = pilot.app.screen
    screen.query_one("#line", Select).value = line
    await pilot.pause()
    screen.query_one("#type", Select).value = kind
    await pilot.pause()


async def test_a_no_answer_forwarding_is_saved_and_applied(app: PortalApp, net: Network, store: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await set_up(pilot, "A", "no_answer")
        assert app.screen.query_one("#field-delay").display
        await press_button(pilot, "#active", click=True)
        await fill(pilot, "#number", "06 01 02 03 03")
        await fill(pilot, "#delay", "20")
        await press_button(pilot, "#submit", click=True)
        assert shown(app, "#form-status") == "Modification enregistrée"
        assert shown(app, "#fwd-current") == \
            "Renvois actifs : Renvoi sur non réponse vers Monsieur C (06 01 02 03 03) après 20 s"
    assert net.parties["A"].forwarding == Forwarding(no_answer="0601020303", delay=20)
    assert store.load()[0].forwarding["A"] == Forwarding(no_answer="0601020303", delay=20)
    last = store.audit()[0]
    assert (last.operation, last.target, last.account) == ("set_forwarding", "A", "gestionnaire")


async def test_a_short_number_is_refused_next_to_the_field(app: PortalApp, net: Network, store: Store) -> None:
    before = len(store.audit())
    async with app.run_test(size=SIZE) as pilot:
        await set_up(pilot, "C", "busy")
        await press_button(pilot, "#active")
        await fill(pilot, "#number", "301")
        await press_button(pilot, "#submit")
        assert shown(app, "#number-error") == "Numéro court non autorisé [short_number_not_allowed]"
        assert shown(app, "#delay-error") == ""
    assert net.parties["C"].forwarding.busy is None
    assert len(store.audit()) == before


async def test_a_wrong_delay_and_a_forward_to_self_are_both_marked(app: PortalApp, net: Network) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await set_up(pilot, "A", "no_answer")
        await press_button(pilot, "#active")
        await fill(pilot, "#number", "0601020301")
        await fill(pilot, "#delay", "7")
        await press_button(pilot, "#submit")
        assert shown(app, "#number-error").endswith("[forward_to_self]")
        assert shown(app, "#delay-error").endswith("[invalid_delay]")
        assert "[forward_to_self]" in shown(app, "#form-status")
    assert net.parties["A"].forwarding.is_empty()


async def test_errors_in_english(net: Network, store: Store) -> None:
    app = PortalApp(net, store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await set_up(pilot, "C", "unconditional")
        await press_button(pilot, "#active")
        await fill(pilot, "#number", "0812345678")
        await press_button(pilot, "#submit")
        assert shown(app, "#number-error") == "Special (08) number not allowed [special_number_not_allowed]"


async def test_the_opt_out_box_erases_every_forwarding(app: PortalApp, net: Network, store: Store) -> None:
    assert net.parties["MME_C"].forwarding.no_answer == "0601020309"
    async with app.run_test(size=SIZE) as pilot:
        await set_up(pilot, "MME_C", "no_answer")
        assert app.screen.query_one("#active", Checkbox).value
        assert app.screen.query_one("#number", Input).value == "0601020309"
        await press_button(pilot, "#opt-out")
        assert app.screen.query_one("#number", Input).disabled
        await press_button(pilot, "#submit")
        assert shown(app, "#form-status") == "Modification enregistrée"
    assert net.parties["MME_C"].forwarding.is_empty()
    assert "MME_C" not in store.company().forwarding


async def test_unticking_activate_keeps_the_number_registered(app: PortalApp, net: Network) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await set_up(pilot, "D", "unreachable")
        assert app.screen.query_one("#active", Checkbox).value
        await press_button(pilot, "#active")
        await press_button(pilot, "#submit")
        assert net.parties["D"].forwarding.unreachable is None
        assert not app.screen.query_one("#active", Checkbox).value
        assert app.screen.query_one("#number", Input).value == "0145020304"  # still registered
        await press_button(pilot, "#active")
        await press_button(pilot, "#submit")
    assert net.parties["D"].forwarding.unreachable == "0145020304"
