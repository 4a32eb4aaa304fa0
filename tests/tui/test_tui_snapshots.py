"""Snapshots of the phones screen at 160x50 (pytest-textual-snapshot).

The virtual clock is paused and sound is off, so every picture is the same on every
run: call durations and stamps depend on virtual time only. Update after a deliberate
change of the screen with ``pytest tests/tui --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

from tuihelp import SIZE

from phone_sim.scenario.loader import load_scenario

GUIDE = Path(__file__).parents[2] / "scenarios" / "guide"


def keys(number: str) -> list[str]:
    return [{"*": "asterisk", "#": "number_sign"}.get(k, k) for k in number]


def test_start_screen(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_a_call_ringing(snap_compare, make_app):
    assert snap_compare(make_app(), press=[*keys("303"), "enter"], terminal_size=SIZE)


def test_one_call_active_one_held_before_transfer(snap_compare, make_app):
    press = ["alt+8", *keys("0601020301"), "enter", "a", "alt+1", "enter", "h", *keys("303"), "enter",
             "alt+3", "enter", "a", "alt+1"]
    assert snap_compare(make_app(), press=press, terminal_size=SIZE)


def test_a_conference(snap_compare, make_app):
    press = [*keys("303"), "enter", "alt+3", "enter", "alt+1", "h", *keys("306"), "enter", "alt+4", "enter",
             "alt+1", "c"]
    assert snap_compare(make_app(), press=press, terminal_size=SIZE)


def test_no_answer_forwarding_after_25_seconds(snap_compare, make_app):
    assert snap_compare(make_app(), press=[*keys("306"), "enter", "A", "pagedown"], terminal_size=SIZE)


def test_refusal_in_english(snap_compare, make_app):
    assert snap_compare(make_app(lang="en"), press=["alt+4", "o", "alt+5", "c"], terminal_size=SIZE)


def test_help_screen(snap_compare, make_app):
    assert snap_compare(make_app(), press=["f1"], terminal_size=SIZE)


def test_playing_a_scenario(snap_compare, make_app):
    scenario = load_scenario(GUIDE / "01-transfer-guide.yaml")
    app = make_app(company=scenario.company, scenario=scenario)
    assert snap_compare(app, press=["n"] * 6, terminal_size=SIZE)


def test_move_dialog(snap_compare, make_app):
    assert snap_compare(make_app(), press=["alt+2", "m"], terminal_size=SIZE)
