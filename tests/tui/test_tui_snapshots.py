"""Snapshots of the phones screen at 160x50, and at 80x24 and 100x30 (pytest-textual-snapshot).

The virtual clock is paused and sound is off, so every picture is the same on every
run: call durations and stamps depend on virtual time only. Update after a deliberate
change of the screen with ``pytest tests/tui --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
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


# the phones screen at the three sizes a new user tries: A holds Monsieur C, talks to
# Monsieur D and has Madame B waiting (three call lines), the tone line under them
THREE_CALLS = [*keys("303"), "enter", "alt+3", "enter", "alt+1", "h", *keys("304"), "enter", "alt+5", "enter",
               "alt+8", *keys("0601020301"), "enter", "alt+1"]


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 50)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_three_calls_at_every_size(snap_compare, make_app, size):
    assert snap_compare(make_app(), press=THREE_CALLS, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_keypads_folded_for_more_handsets(snap_compare, make_app, size):
    assert snap_compare(make_app(), press=[*THREE_CALLS, "K", "alt+1"], terminal_size=size)


def test_terminal_too_small(snap_compare, make_app):
    assert snap_compare(make_app(lang="en"), terminal_size=(70, 20))
