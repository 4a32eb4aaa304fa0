"""A handset's keypad: ``1-9 * 0 #`` and the function keys, all Buttons.

Buttons carry ids like ``key-7``, ``key-star``, ``key-call``; a click, or ``press_key``
(the lesson screen's keyboard), calls ``Button.press()``. The phones screen presses the
chosen handset's keys itself when their binding runs (its slots are reused from page to
page). Buttons do not take focus: Tab moves between handsets.
"""

from __future__ import annotations

from typing import Self

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.widgets import Button

from phone_sim.network.catalogue import text
from phone_sim.tui.light_button import LightButton

DIGIT_KEYS = tuple("123456789*0#")
FUNCTION_KEYS = ("call", "end", "hold", "conf")
_ID_OF = {"*": "star", "#": "hash"}
_KEY_OF = {"star": "*", "hash": "#"}


def button_id(key: str) -> str:
    return "key-" + _ID_OF.get(key, key)


def key_of(button_id: str) -> str | None:
    """``key-star`` -> ``*``; None for a button that is not a key."""
    if not button_id.startswith("key-"):
        return None
    name = button_id[4:]
    return _KEY_OF.get(name, name)


class KeyButton(LightButton):
    """A keypad button: no focus, no press animation (the display answers at once).

    ``press()`` posts ``Button.Pressed`` to the screen rather than to the button itself:
    every button has its own message queue, so keys typed fast on different buttons
    could otherwise reach the network out of order. Clicks and keys both come here.
    """

    def press(self) -> Self:
        if self.disabled or not self.display:
            return self
        self.screen.post_message(Button.Pressed(self))
        return self


class Keypad(Horizontal):
    """Digits in a 3x4 grid, function keys and handset actions beside them."""

    def __init__(self, lang: str = "fr", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lang = lang
        self.buttons: dict[str, Button] = {}

    def compose(self) -> ComposeResult:
        with Grid(classes="digits"):
            for key in DIGIT_KEYS:
                yield KeyButton(key, id=button_id(key), classes="digit")
        with Grid(classes="functions"):
            for key in FUNCTION_KEYS:
                yield KeyButton(text("tui.key." + key, self.lang), id=button_id(key), classes=key)
            yield KeyButton(text("tui.power.switch_off", self.lang), id="power", classes="action")
            yield KeyButton(text("tui.move", self.lang), id="move", classes="action")

    def press_key(self, key: str) -> None:
        if not self.buttons:  # kept after the first use: a DOM query per key costs time
            self.buttons = {b.id or "": b for b in self.query(KeyButton)}
        self.buttons[button_id(key)].press()

    def relabel(self, lang: str, power: bool) -> None:
        self.lang = lang
        for key in FUNCTION_KEYS:
            self.query_one("#" + button_id(key), Button).label = text("tui.key." + key, lang)
        power_key = "tui.power.switch_off" if power else "tui.power.switch_on"
        self.query_one("#power", Button).label = text(power_key, lang)
        self.query_one("#move", Button).label = text("tui.move", lang)
