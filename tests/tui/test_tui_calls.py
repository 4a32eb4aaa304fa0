"""Pilot: calls placed with the keyboard and with the mouse, hold, #1 transfer,
conference, and the clock bar triggering no-answer forwarding."""

from __future__ import annotations

from textual.widgets import Button
from tuihelp import SIZE, calls, click_key, run, shown, slot


async def dial(pilot, number: str) -> None:
    await pilot.press(*[{"*": "asterisk", "#": "number_sign"}.get(k, k) for k in number], "enter")


def test_a_call_between_two_handsets_by_keys(make_app):
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            assert app.phones.selected == "A"
            await dial(pilot, "303")  # Monsieur C's short number
            assert calls(app, "A") == [("calling", ("C",))]
            assert calls(app, "C") == [("ringing", ("A",))]
            assert "Appel entrant de Monsieur A" in shown(app, "C")
            assert slot(app, "C").parts["screen"].has_class("-ringing")
            await pilot.press("alt+3", "enter")  # choose C, answer
            assert app.phones.selected == "C"
            assert calls(app, "A") == [("active", ("C",))]
            assert "En communication avec Monsieur A" in shown(app, "C")
            assert "En communication avec Monsieur C" in shown(app, "A")
            await pilot.press("escape")  # C hangs up
            assert calls(app, "A") == [] and calls(app, "C") == []
            assert shown(app, "A") == "Prêt"

    run(scenario())


def test_a_call_by_mouse_takes_the_same_path(make_app):
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            a, c = slot(app, "A"), slot(app, "C")
            for key in ["3", "0", "3", "call"]:
                await click_key(pilot, a, key)
            assert calls(app, "C") == [("ringing", ("A",))]
            await click_key(pilot, c, "call")
            assert app.phones.selected == "C"  # clicking a handset's key chooses it
            assert calls(app, "C") == [("active", ("A",))]
            await click_key(pilot, a, "hold")
            assert calls(app, "A") == [("held", ("C",))]
            assert "retour d'appel" not in shown(app, "C")

    run(scenario())


def test_transfer_and_conference_with_the_mouse_only(make_app):
    """The README's walk-through, clicking: keys, handsets, pages."""
    app = make_app()

    async def click_keys(pilot, party: str, keys: list[str]) -> None:
        for key in keys:
            await click_key(pilot, slot(app, party), key)

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.click("#clock-page_next")
            await click_keys(pilot, "B", [*"0601020301", "call"])
            await pilot.click("#clock-page_prev")
            await click_keys(pilot, "A", ["call", "hold", *"303", "call"])
            await click_keys(pilot, "C", ["call"])
            assert calls(app, "A") == [("active", ("C",)), ("held", ("B",))]
            await click_keys(pilot, "A", ["#", "1"])
            assert calls(app, "B") == [("active", ("C",))] and calls(app, "A") == []
            await click_keys(pilot, "C", ["end"])
            await click_keys(pilot, "A", [*"303", "call"])
            await click_keys(pilot, "C", ["call"])
            await click_keys(pilot, "A", ["hold", *"306", "call"])
            await click_keys(pilot, "MME_C", ["call"])
            await click_keys(pilot, "A", ["conf"])
            assert calls(app, "A") == [("conference", ("C", "MME_C"))]

    run(scenario())


def test_hold_then_transfer_with_hash_1(make_app):
    """The guide's example: B calls A; A holds her, calls C by short number, keys #1."""
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("alt+8")  # Madame B, on the second page
            assert app.phones.selected == "B" and app.phones.page == 1
            await dial(pilot, "0601020301")
            await pilot.press("alt+1", "enter", "h")  # A answers, holds B
            await dial(pilot, "303")
            await pilot.press("alt+3", "enter", "alt+1")  # C answers; back to A
            assert calls(app, "A") == [("active", ("C",)), ("held", ("B",))]
            await pilot.press("number_sign", "1")
            assert calls(app, "A") == []
            assert calls(app, "B") == [("active", ("C",))]
            assert calls(app, "C") == [("active", ("B",))]
            log = app.phones.log_panel.plain()
            assert "transfère" in log

    run(scenario())


def test_a_conference_of_three(make_app):
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await dial(pilot, "303")
            await pilot.press("alt+3", "enter", "alt+1", "h")
            await dial(pilot, "306")  # Madame C
            await pilot.press("alt+4", "enter", "alt+1", "c")
            assert calls(app, "A") == [("conference", ("C", "MME_C"))]
            assert calls(app, "C") == [("conference", ("A", "MME_C"))]
            assert "Conférence" in shown(app, "A")

    run(scenario())


def test_advancing_the_clock_forwards_an_unanswered_call(make_app):
    """Madame C forwards to the assistant after 25 s without answer: +5 s five times."""
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await dial(pilot, "306")
            assert calls(app, "MME_C") == [("ringing", ("A",))]
            for _ in range(4):
                await pilot.press("a")  # +5 s
            assert app.live.net.now == 20_000
            assert calls(app, "MME_C") == [("ringing", ("A",))]
            await pilot.click(app.phones.query_one("#clock-plus5", Button))
            assert app.live.net.now == 25_000
            assert calls(app, "MME_C") == []
            await pilot.press("pagedown")
            assert "Renvoyé par Madame C" in shown(app, "ASSIST")
            assert calls(app, "ASSIST") == [("ringing", ("A",))]

    run(scenario())


def test_plus_25_and_step_move_the_clock(make_app):
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await dial(pilot, "306")
            await pilot.press("n")  # the next timer: the no-answer delay
            assert app.live.net.now == 25_000
            assert calls(app, "MME_C") == []
            await pilot.press("A")
            assert app.live.net.now == 50_000

    run(scenario())
