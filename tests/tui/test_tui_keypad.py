"""The keypad drawn as one widget: every key where a click finds it, the key under the
mouse highlighted, labels cut to their cell, keys in order whatever their source."""

from __future__ import annotations

import pytest
from tuihelp import SIZE, click_key, run, slot

from phone_sim.tui.keypad import ACTION_KEYS, DIGIT_KEYS, FUNCTION_KEYS, Keypad, button_id, cells, key_of

ALL_KEYS = (*DIGIT_KEYS, *FUNCTION_KEYS, *ACTION_KEYS)


@pytest.mark.parametrize("width", [30, 33, 36, 49, 80])
def test_every_key_has_its_own_cell_inside_the_keypad(width: int) -> None:
    placed = cells(width)
    assert sorted(c.key for c in placed) == sorted(ALL_KEYS)
    taken: set[tuple[int, int]] = set()
    for cell in placed:
        assert cell.width >= 1 and 0 <= cell.x and cell.x + cell.width <= width and 0 <= cell.y < 4
        spots = {(x, cell.y) for x in range(cell.x, cell.x + cell.width)}
        assert not spots & taken, f"{cell.key} overlaps another key"
        taken |= spots


def test_button_ids_name_keys_as_the_handset_knows_them() -> None:
    for key in (*DIGIT_KEYS, *FUNCTION_KEYS):
        assert key_of(button_id(key)) == key
    assert button_id("*") == "key-star" and button_id("#") == "key-hash"
    assert button_id("power") == "power" and key_of("power") is None


def test_a_click_on_each_key_finds_that_key_and_a_gap_finds_none(make_app) -> None:
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            keypad = slot(app, "A").keypad
            for key in ALL_KEYS:
                x, y = keypad.offset_of(key)
                assert keypad.key_at(x, y) == key
            assert keypad.key_at(4, 0) is None  # the gap between 1 and 2
            pressed: list[tuple[str, str]] = []
            app.phones.sim.press = lambda party, key: pressed.append((party, key))  # type: ignore[method-assign]
            for key in ("7", "#", "call", "end", "hold", "conf"):
                await click_key(pilot, slot(app, "A"), key)
            await pilot.click(slot(app, "C").keypad, offset=(4, 0))  # between keys: nothing pressed
            await pilot.pause()
            assert pressed == [("A", k) for k in ("7", "#", "call", "end", "hold", "conf")]
            assert app.phones.selected == "C"  # but that handset chosen, as a click on it does

    run(scenario())


def test_the_key_under_the_mouse_is_highlighted(make_app) -> None:
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            keypad = slot(app, "A").keypad
            x, y = keypad.offset_of("5")
            plain = keypad.render_line(y)
            await pilot.hover(keypad, offset=(x, y))
            lit = keypad.render_line(y)
            assert lit.text == plain.text  # the same labels
            hover = keypad.get_component_rich_style("keypad--hover").bgcolor
            assert [s.style.bgcolor for s in lit if s.text.strip() == "5"] == [hover]
            assert all(s.style.bgcolor != hover for s in plain)
            await pilot.hover(slot(app, "C").keypad, offset=keypad.offset_of("5"))
            assert all(s.style.bgcolor != hover for s in keypad.render_line(y))

    run(scenario())


def test_labels_are_cut_to_their_cell_and_follow_the_language_and_power(make_app) -> None:
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            keypad: Keypad = slot(app, "A").keypad
            assert keypad.labels["power"] == "Éteindre"
            await pilot.press("alt+1", "o")  # switched off: the key now switches on
            assert keypad.labels["power"] == "Allumer"
            await pilot.press("l")
            assert keypad.labels["call"] == "Call" and keypad.labels["power"] == "Power on"
            narrow = [c for c in cells(30) if c.key == "power"][0]
            shown = keypad._label(narrow)
            assert len(shown) == narrow.width and shown.strip().endswith("…")

    run(scenario())


def test_another_theme_recolours_the_keys(make_app) -> None:
    app = make_app()

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            keypad = slot(app, "A").keypad
            before = [s.style.bgcolor for s in keypad.render_line(0)]
            app.theme = "textual-light" if app.theme != "textual-light" else "nord"
            await pilot.pause()
            after = [s.style.bgcolor for s in keypad.render_line(0)]
            assert before != after
            assert after == [s.style.bgcolor for s in keypad.render_line(0)]

    run(scenario())
