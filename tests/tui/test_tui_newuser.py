"""What a new user meets (issue: the TUI as a new user meets it): closing a scenario with
the keyboard, names from the network shown, words instead of codes, help that teaches,
the palette in the chosen language, remembered choices, the footer before any key."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

from rich.console import Console
from textual.app import App
from textual.command import CommandPalette
from textual.widgets import Input, Static
from tuihelp import SIZE, run

from phone_sim.scenario.loader import load_scenario
from phone_sim.tui.footer import KeysFooter
from phone_sim.tui.help_screen import HelpScreen
from phone_sim.tui.prefs import FILE, Prefs, chosen_lang

SCENARIO = """name: Alice calls Bob
company:
  name: Autre société
  lines:
    - {id: A, name: Alice, number: "0611111111", options: [pabx, double_appel]}
    - {id: C, name: Bob, number: "0622222222", options: [pabx, double_appel]}
steps:
  - dial: {from: A, to: C}
  - expect: {C: {ringing: A}}
"""


def log_text(app) -> str:  # type: ignore[no-untyped-def]
    return app.phones.log_panel.plain()


def test_a_scenario_closes_with_backspace_and_the_company_before_comes_back(make_app, tmp_path):
    path = tmp_path / "alice.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("3", "0", "3", "enter")  # Monsieur A calls Monsieur C on the demo company
            demo_net = app.live.net
            assert "Monsieur A appelle Monsieur C" in log_text(app)
            app.start_player(load_scenario(path))
            await pilot.pause()
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert "Fermer le scénario" in titles
            assert app.screen.active_bindings["backspace"].enabled
            footer_keys = [b.id for _, b, enabled, _ in app.screen.active_bindings.values() if b.show and enabled]
            assert "close_player" in footer_keys
            await pilot.press("n", "n")  # both steps
            assert "Alice appelle Bob" in log_text(app)  # the scenario's people, not the demo's
            assert "Monsieur" not in log_text(app)
            await pilot.press("backspace")
            assert app.player is None and app.live.net is demo_net
            assert [c.state for c in demo_net.view("C").calls] == ["ringing"]  # as it was left
            assert "Monsieur A appelle Monsieur C" in log_text(app) and "Alice" not in log_text(app)
            assert "Fermer le scénario" not in [c.title for c in app.get_system_commands(app.screen)]
            await pilot.press("alt+3", "enter")  # the demo company is live again
            assert [c.state for c in demo_net.view("C").calls] == ["active"]
            assert "Monsieur C répond à Monsieur A" in log_text(app)

    run(scenario())


def test_the_log_says_it_in_words_with_calls_counted_from_one(make_app):
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("alt+7", "3", "0", "1", "enter")  # the assistant calls Monsieur A
            await pilot.press("alt+1", "enter", "h", "3", "0", "3", "enter", "alt+3", "enter",
                              "alt+1", "number_sign", "1")  # A transfers her to Monsieur C
            await pilot.press("alt+3", "escape")
            await pilot.press("alt+1", "3", "0", "6", "enter", "A")  # Madame C does not answer: 25 s
            log = log_text(app)
            assert "Appel 1 : Assistante appelle Monsieur A" in log
            assert "Monsieur A sonne (appel d'Assistante)" in log  # elision
            assert "Appel 2 : Monsieur A appelle Monsieur C" in log
            assert "Fin de l'appel 2" in log and "transféré (#1) [transferred]" in log
            assert "Appel 3 : Monsieur A appelle Madame C" in log
            assert "Renvoi sur non réponse de Madame C vers Assistante (06 01 02 03 09) (renvoi n° 1)" in log
            for code in ("(transferred)", "(merged)", "(no_answer", "saut 1", "Fin d'appel"):
                assert code not in log
            await pilot.press("l")
            log = log_text(app)
            assert "Call 1: Assistante calls Monsieur A" in log
            assert "Forwarding on no answer from Madame C to Assistante (06 01 02 03 09) (hop 1)" in log
            assert "ended: transferred (#1) [transferred]" in log

    run(scenario())


def test_f1_lists_the_guides_codes_beside_the_keys(make_app):
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f1")
            assert isinstance(app.screen, HelpScreen)
            console = Console(width=200, file=io.StringIO())
            console.print(app.screen.query_one("#help-codes", Static).content)
            shown = console.file.getvalue()
            for code in ("# 1", "0 ⏎", "4 ⏎", "1X ⏎", "2X ⏎", "**21*N#", "**61*N**T#", "##21#", "*#21#",
                         "##002#", "*43#", "*N ⏎"):
                assert code in shown, code
            assert "Menu vocal d'un groupe" in shown and "Transfert" in shown
            rows = dict((b, a) for a, b in app.screen.rows())
            assert rows["Claviers affichés ou repliés"] == "K"

    run(scenario())


def test_the_palette_speaks_the_chosen_language(make_app):
    app = make_app(lang="en")

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+p")
            assert isinstance(app.screen, CommandPalette)
            assert app.screen.query_one(Input).placeholder == "Search for a command…"
            await pilot.press("escape")
            titles = [c.title for c in app.get_system_commands(app.phones)]
            assert "Quit" in titles and "Theme" in titles
            assert not any("application" in title for title in titles)  # none of Textual's English

    run(scenario())


def test_the_footer_shows_before_any_key_even_without_the_focus(make_app):
    app = make_app()
    app.set_reactive(App.app_focus, False)  # a browser tab that has not been clicked yet

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            footer = app.phones.query_one(KeysFooter)
            shown = [str(key.description) for key in footer.children if hasattr(key, "description")]
            assert "Portail" in shown and "Aide" in shown

    run(scenario())


def test_language_and_last_handset_are_remembered_privately(make_app, tmp_path):
    data = tmp_path / "remembered"
    assert chosen_lang(None, data) == "fr"  # nothing remembered yet
    app = make_app(data=data)

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("l", "alt+4")

    run(scenario())
    path = data / FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert chosen_lang(None, data) == "en"
    assert Prefs(data).get("handset") == "MME_C"
    again = make_app(data=data, lang="en")

    async def second():
        async with again.run_test(size=SIZE):
            assert again.phones.selected == "MME_C"

    run(second())
    assert chosen_lang("fr", data) == "fr" and chosen_lang(None, data) == "fr"  # given: remembered


def test_a_broken_preferences_file_is_an_empty_one(tmp_path):
    (tmp_path / FILE).write_text("{not json", encoding="utf-8")
    assert Prefs(tmp_path).get("lang") is None
    (tmp_path / FILE).write_text('{"lang": 3, "trainee": "Léa", "other": "x"}', encoding="utf-8")
    assert Prefs(tmp_path).values == {"trainee": "Léa"}


def test_the_trainees_name_is_asked_for_then_remembered(tmp_path: Path):
    from tuihelp import run as run_pilot

    from phone_sim.training.loader import load_lessons
    from phone_sim.tui.lessons.app import LessonApp
    from phone_sim.tui.lessons.picker import LessonPicker
    from phone_sim.tui.lessons.screen import LessonScreen

    def lesson_app() -> LessonApp:
        return LessonApp(load_lessons(), data=tmp_path, realtime=False, show_delay=0, wall=lambda: 0.0)

    app = lesson_app()

    async def first():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("enter")  # no name: not started, the field asks for one
            assert isinstance(app.screen, LessonPicker)
            assert "Votre nom d'abord" in str(app.screen.query_one("#name-needed", Static).render())
            assert app.focused is app.screen.query_one("#trainee-name", Input)
            await pilot.press(*"Léa", "enter")  # the first Enter in the field starts the lesson
            assert isinstance(app.screen, LessonScreen)
            assert app.screen.trainee_name == "Léa"
            assert app.screen.lesson.id == "1-transfert-d-appel"

    run_pilot(first())
    assert Prefs(tmp_path).get("trainee") == "Léa"
    again = lesson_app()

    async def second():
        async with again.run_test(size=SIZE) as pilot:
            assert again.screen.query_one("#trainee-name", Input).value == "Léa"
            await pilot.press("down", "enter")  # the list has the focus: the second lesson
            assert isinstance(again.screen, LessonScreen) and again.screen.lesson.id == "2-conference"

    run_pilot(second())


def test_the_portal_keeps_you_logged_in_until_you_log_out(tmp_path):
    from textual.widgets import Button
    from tuihelp import open_portal, stored_app

    from phone_sim.store.accounts import DEMO_MANAGER

    app = stored_app(tmp_path)
    password = app.store.first_passwords[DEMO_MANAGER]  # drawn at the first run

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            portal = await open_portal(pilot)
            portal.query_one("#login-name", Input).value = DEMO_MANAGER
            portal.query_one("#login-password", Input).value = password
            portal.query_one("#login-password", Input).focus()
            await pilot.press("enter")
            assert portal.current == "home"
            await pilot.press("escape")  # Accueil: Escape closes the portal
            assert app.screen is app.phones
            portal = await open_portal(pilot)
            assert portal.current == "home" and portal.session.account.name == DEMO_MANAGER
            portal.query_one("#nav-logout", Button).press()
            await pilot.pause()
            assert portal.current == "login" and portal.session.account is None
            await pilot.press("escape")
            portal = await open_portal(pilot)
            assert portal.current == "login"

    try:
        run(scenario())
    finally:
        app.finish()
