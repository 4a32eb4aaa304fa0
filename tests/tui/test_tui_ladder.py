"""The ladder view of the live session (key f, palette) and the ladder saved beside a
recording."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from textual.widgets import Static
from tuihelp import SIZE, run

from phone_sim.tui.ladder_screen import LadderScreen


def test_f_shows_the_ladder_of_the_session_and_follows_it(make_app):
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            # the guide's transfer, by keyboard
            await pilot.press("alt+8", *"0601020301", "enter", "alt+1", "enter", "h", *"303", "enter")
            await pilot.press("alt+3", "enter", "alt+1", "number_sign", "1")
            await pilot.press("f")
            screen = app.screen
            assert isinstance(screen, LadderScreen)
            shown = str(screen.query_one("#ladder-text", Static).render())
            for words in ("Madame B", "Réseau", "appelle Monsieur A (0601020301)", "appelle Monsieur C (303)",
                          "#1 : transfère et se retire", "en relation avec Madame B"):
                assert words in shown, words
            assert "raccroche" not in shown
            app.press("B", "end")  # the session goes on while the ladder is open
            await pilot.pause(0.5)
            shown = str(screen.query_one("#ladder-text", Static).render())
            assert shown.rstrip().endswith("fin d'appel : normale")
            view = screen.query_one("#ladder-view")
            assert view.scroll_y == view.max_scroll_y  # kept at the bottom
            await pilot.press("escape")
            assert app.screen is app.phones

    run(scenario())


def test_the_palette_offers_the_ladder(make_app):
    app = make_app(lang="en")

    async def scenario():
        async with app.run_test(size=SIZE):
            titles = [command.title for command in app.get_system_commands(app.screen)]
            assert "Call flow" in titles

    run(scenario())


def test_a_recording_saves_its_ladder_beside_it(make_app, tmp_path):
    path = tmp_path / "session.yaml"
    app = make_app(record=path)

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("alt+8", *"0601020301", "enter", "alt+1", "enter", "alt+8", "escape")
            await pilot.press("q")

    run(scenario())
    svg = tmp_path / "session.ladder.svg"
    md = tmp_path / "session.ladder.md"
    assert path.is_file() and svg.is_file() and md.is_file()
    texts = [t.text for t in ET.fromstring(svg.read_text().split("\n", 1)[1]).iter("{http://www.w3.org/2000/svg}text")]
    assert "appelle Monsieur A (0601020301)" in texts and "raccroche (FIN)" in texts
    assert "sequenceDiagram" in md.read_text()
    assert (svg.stat().st_mode & 0o777) == 0o600


def test_ladder_screen_snapshot(snap_compare, make_app):
    def keys(number):
        return [{"*": "asterisk", "#": "number_sign"}.get(k, k) for k in number]

    press = ["alt+8", *keys("0601020301"), "enter", "a", "alt+1", "enter", "h", *keys("303"), "enter",
             "alt+3", "enter", "a", "alt+1", "number_sign", "1", "f"]
    assert snap_compare(make_app(), press=press, terminal_size=SIZE)
