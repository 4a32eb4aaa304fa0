"""The phones screen at every terminal size from 80x24: each handset on the page shows all
of its call lines and its tone, the log shrinks first, keypads fold when they must (or
with K); below 80x24 one notice says so."""

from __future__ import annotations

import pytest
from textual.widgets import Static
from tuihelp import run, shown

from phone_sim.tui.layout import fit, page_shape, wrapped
from phone_sim.tui.too_small import TooSmallScreen

SIZES = [(80, 24), (100, 30), (120, 40), (140, 35), (160, 50), (200, 60)]
# A: Monsieur C held, Monsieur D active, Madame B waiting (three call lines, one wrapped)
THREE_CALLS = ["3", "0", "3", "enter", "alt+3", "enter", "alt+1", "h", "3", "0", "4", "enter", "alt+5", "enter",
               "alt+8", *"0601020301", "enter", "alt+1"]


def inside(inner, outer) -> bool:  # type: ignore[no-untyped-def]
    return (outer.x <= inner.x and inner.right <= outer.right and outer.y <= inner.y
            and inner.bottom <= outer.bottom)


def assert_everything_shows(app) -> None:  # type: ignore[no-untyped-def]
    """Every handset on the page: its display tall enough for its (wrapped) lines, its
    tone line on screen, nothing under the log or off the screen."""
    screen = app.phones
    log = screen.query_one("#log").region
    handsets = [slot for slot in screen.slots() if slot.face is not None]
    assert len(handsets) == min(screen.per_page, len(screen.order) - screen.page * screen.per_page)
    for slot in handsets:
        region = slot.region
        assert inside(region, screen.region) and region.bottom <= log.y, (slot.party, region, log)
        display = slot.parts["screen"]
        width = display.content_region.width
        assert display.content_region.height >= wrapped(slot.face.lines, width), slot.face.lines
        assert inside(display.region, region)
        tone = slot.parts["tone"]
        assert tone.region.height == 1 and inside(tone.region, region)
        assert "♪" in str(tone.render())
    assert log.height >= 3


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_call_line_and_tone_shows(make_app, size):
    app = make_app()

    async def scenario():
        async with app.run_test(size=size) as pilot:
            await pilot.press(*THREE_CALLS)
            assert shown(app, "A").count("\n") == 2  # held, active, waiting
            assert_everything_shows(app)
            assert app.phones.slot_of("A").keypad.display == (page_shape(*size).keypads)
            await pilot.press("K")  # keypads folded: more handsets, still every line
            assert app.phones.per_page >= page_shape(*size).per_page
            await pilot.press("alt+1")
            assert_everything_shows(app)
            assert not app.phones.slot_of("A").keypad.region.height

    run(scenario())


def test_at_80x24_two_handsets_with_keypads_then_four_without(make_app):
    app = make_app()

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            assert [s.party for s in app.phones.slots() if s.face] == ["A", "A_FIXE"]
            assert app.phones.slot_of("A").keypad.region.height == 4
            await pilot.press("K")
            assert [s.party for s in app.phones.slots() if s.face] == ["A", "A_FIXE", "C", "MME_C"]
            assert app.phones.slot_of("A").border_subtitle == "● Alt+1"  # power, without the status line
            await pilot.press("K")
            assert app.phones.per_page == 2

    run(scenario())


def test_a_display_that_needs_more_lines_takes_them_from_the_log_first():
    room = 24 - 2  # clock bar and footer
    calm = fit(24, [[1, 1]], keypads=True)
    busy = fit(24, [[6, 1]], keypads=True)
    assert calm.keypads and busy.keypads
    assert busy.rows[0] - calm.rows[0] == 3 and busy.log == calm.log - 3
    crowded = fit(24, [[9, 1]], keypads=True)  # no room for keypads and nine lines: they fold
    assert not crowded.keypads and crowded.rows[0] + crowded.log <= room and crowded.log >= 3


def test_fast_keys_across_pages_reach_the_handset_chosen_when_they_came(make_app):
    """Alt+3 turns the page at 80x24 (two handsets a page) and Enter, typed right after,
    answers on Monsieur C: slots are reused, the key goes to the chosen handset."""
    from textual import events

    app = make_app()

    async def scenario():
        async with app.run_test(size=(80, 24)) as pilot:
            for key, char in [("3", "3"), ("0", "0"), ("3", "3"), ("enter", "\r"), ("pound_sign", "£"),
                              ("enter", "\r"), ("inverted_exclamation_mark", "¡"), ("h", "h"), ("3", "3"),
                              ("0", "0"), ("4", "4"), ("enter", "\r")]:
                app._driver.send_message(events.Key(key, char))  # all at once
            for _ in range(100):
                await pilot.pause(0.05)
                if len(app.live.net.view("A").calls) == 2:
                    break
            assert sorted((c.state, c.parties) for c in app.live.net.view("A").calls) == \
                [("calling", ("D",)), ("held", ("C",))]

    run(scenario())


def test_below_80x24_one_notice_then_the_screen_again(make_app):
    app = make_app(lang="en")

    async def scenario():
        async with app.run_test(size=(70, 20)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, TooSmallScreen)
            notice = str(app.screen.query_one(Static).render())
            assert "Terminal too small: 80x24 needed" in notice and "70x20" in notice
            await pilot.resize_terminal(100, 30)
            await pilot.pause()
            assert app.screen is app.phones
            await pilot.resize_terminal(80, 23)
            await pilot.pause()
            assert isinstance(app.screen, TooSmallScreen)

    run(scenario())
