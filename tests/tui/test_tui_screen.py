"""Pilot: refusals, language, power and location, paging, help, command palette, portal,
and errors that must not stop the app."""

from __future__ import annotations

import sys
import types

import pytest
from textual.screen import Screen
from textual.widgets import OptionList
from tuihelp import SIZE, calls, click_key, run, shown, slot

from phone_sim.tui.help_screen import HelpScreen
from phone_sim.tui.move_screen import MoveScreen


def log_text(app) -> str:
    return app.phones.log_panel.plain()


def test_a_key_that_means_nothing_is_refused_on_the_display_and_in_the_log(make_app):
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("h")  # HOLD with no call
            assert "Aucun appel" in shown(app, "A")
            assert "Monsieur A : refusé — Aucun appel [no_call]" in log_text(app)
            await pilot.press("c")  # CONF with no call
            assert "Conférence : il faut un appel en cours" in shown(app, "A")
            await pilot.press("5")  # the next key clears the notice
            assert shown(app, "A") == "5"

    run(scenario())


def test_english_by_a_key_and_back(make_app):
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("h")
            await pilot.press("l")
            assert app.lang == "en"
            assert shown(app, "A") == "No call"
            assert "Monsieur A: refused — No call [no_call]" in log_text(app)
            assert slot(app, "A").keypad.labels["call"] == "Call"
            descriptions = {b.id: b.description for _, b in app.phones._bindings if b.id}
            assert descriptions["hold"] == "Hold" and descriptions["conf"] == "Conf"
            await pilot.press("l")
            assert shown(app, "A") == "Aucun appel"

    run(scenario())


def test_english_from_the_command_line(make_app):
    app = make_app(lang="en")

    async def scenario():
        async with app.run_test(size=SIZE):
            assert shown(app, "A") == "Ready"

    run(scenario())


def test_switch_off_and_move_a_handset(make_app):
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("alt+3", "o")
            assert not app.live.net.parties["C"].power
            assert shown(app, "C") == "Éteint"
            await pilot.press("alt+1")
            await pilot.press("3", "0", "3", "enter")
            assert calls(app, "A") == []  # C is off: released at once
            assert "pas joignable" in shown(app, "A")
            await pilot.press("alt+3", "o", "m")
            assert isinstance(app.screen, MoveScreen)
            await pilot.press("2")  # abroad
            assert app.live.net.parties["C"].location == "abroad"
            assert "À l'étranger" in shown(app, "C")
            await click_key(pilot, slot(app, "C"), "move")
            assert isinstance(app.screen, MoveScreen)
            await pilot.press("escape")
            assert app.live.net.parties["C"].location == "abroad"

    run(scenario())


def test_more_than_six_handsets_by_page_tab_and_list(make_app):
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            assert [s.party for s in app.phones.slots()] == ["A", "A_FIXE", "C", "MME_C", "D", "D_FIXE"]
            await pilot.press("pagedown")
            assert [s.party for s in app.phones.slots()] == ["ASSIST", "B", "INTL", "SPECIAL", None, None]
            assert not app.phones.slots()[4].display
            await pilot.press("pageup", "shift+tab")  # from A back to the last handset
            assert app.phones.selected == "SPECIAL" and app.phones.page == 1
            await pilot.press("tab")
            assert app.phones.selected == "A" and app.phones.page == 0
            await pilot.press("alt+0")
            assert app.phones.selected == "SPECIAL"
            await pilot.press("g")
            options = app.screen.query_one(OptionList)
            options.highlighted = 3  # Madame C
            await pilot.press("enter")
            assert app.phones.selected == "MME_C" and app.phones.page == 0

    run(scenario())


def test_help_lists_the_bindings(make_app):
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f1")
            assert isinstance(app.screen, HelpScreen)
            rows = dict((b, a) for a, b in app.screen.rows())
            assert rows["Attente"] == "h" and rows["Conf"] == "c" and rows["Enregistrer"] == "r"
            assert "Alt+1" in rows["Téléphone n°"]
            await pilot.press("escape")
            assert app.screen is app.phones

    run(scenario())


def test_the_command_palette_lists_the_main_actions(make_app):
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE):
            titles = [command.title for command in app.get_system_commands(app.screen)]
            for title in ("Pause", "+25 s", "Enregistrer", "Contrôle", "Scénarios", "Portail", "Aide",
                          "Appel", "Fin", "Attente", "Conf"):
                assert title in titles
            command = next(c for c in app.get_system_commands(app.screen) if c.title == "+25 s")
            command.callback()
            assert app.live.net.now == 25_000

    run(scenario())


def test_portal_not_available_says_so(make_app, monkeypatch):
    monkeypatch.setitem(sys.modules, "phone_sim.tui.portal", None)  # import fails
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("p")
            assert app.screen is app.phones
            assert any("Portail non disponible" in str(n.message) for n in app._notifications)

    run(scenario())


def test_portal_screen_is_pushed_when_there_is_one(make_app, monkeypatch):
    class PortalScreen(Screen[None]):
        def __init__(self, net, lang) -> None:
            super().__init__()
            self.net, self.lang = net, lang

    fake = types.ModuleType("phone_sim.tui.portal")
    fake.PortalScreen = PortalScreen  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "phone_sim.tui.portal", fake)
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("p")
            assert isinstance(app.screen, PortalScreen)
            assert app.screen.net is app.live.net and app.screen.lang == "fr"
            await pilot.press("r")  # app keys for the phones screen do nothing here
            assert app.live.recorder is None

    run(scenario())


def test_the_real_portal_on_the_live_network(make_app):
    portal = pytest.importorskip("phone_sim.tui.portal")
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("p")
            assert isinstance(app.screen, portal.PortalScreen)
            assert app.screen.session.net is app.live.net
            await pilot.press("escape")
            assert app.screen is app.phones

    run(scenario())


def test_an_unexpected_error_is_logged_and_the_app_keeps_running(make_app, monkeypatch, tmp_path):
    app = make_app(data=tmp_path / "data")

    def broken(party, key):
        raise RuntimeError("simulated bug")

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            monkeypatch.setattr(app.live, "press", broken)
            await pilot.press("5")
            log = tmp_path / "data" / "logs" / "tui-errors.log"
            assert "RuntimeError: simulated bug" in log.read_text()
            assert any(str(log) in str(n.message) for n in app._notifications)
            monkeypatch.undo()
            await pilot.press("3", "0", "3", "enter")  # still running, still working
            assert calls(app, "C") == [("ringing", ("A",))]

    run(scenario())
