"""The clock bar: virtual time, speed, pause, step, advance; recording and page status.

The screen sets the attributes; buttons post ``ClockBar.Command`` with the action's name
(``pause``, ``step``, ``plus5``, ``plus25``, ``speed``, ``page_prev``, ``page_next``), the
same actions the keys run.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Static

from phone_sim.network.catalogue import text
from phone_sim.network.clock import format_ms
from phone_sim.tui.light_button import LightButton

COMMANDS = ("pause", "step", "plus5", "plus25", "speed")
KEYS = {"pause": "␣", "step": "n", "plus5": "a", "plus25": "A", "speed": "x"}  # the same as the app's bindings


def clock_text(ms: int) -> str:
    """Virtual time to the tenth of a second (``01:25.3``)."""
    shown = format_ms(ms)
    return shown[:-2] if ms < 3_600_000 else shown


class ClockButton(LightButton):
    def __init__(self, label: str, id: str) -> None:
        super().__init__(label, id=id)


class ClockBar(Horizontal):
    @dataclass
    class Command(Message):
        name: str

    def __init__(self, lang: str = "fr", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lang = lang
        self.time_ms = 0
        self.speed = 1
        self.paused = False
        self.status = ""
        self._shown = ("", "")
        self._labelled: tuple[int, bool, str, bool] | None = None
        self.narrow = False  # a terminal under 120 columns: short labels, no padding

    def compose(self) -> ComposeResult:
        yield Static(id="time", markup=False)
        for name in COMMANDS:
            yield ClockButton(self._label(name), id="clock-" + name)
        yield Static(id="clock-status", markup=False)
        # pages of handsets, for the mouse (the keyboard has PageUp/PageDown)
        yield ClockButton("◀", id="clock-page_prev")
        yield ClockButton("▶", id="clock-page_next")

    def on_mount(self) -> None:
        self.show(self.time_ms, self.speed, self.paused, self.status)

    def _label(self, name: str) -> str:
        if name == "pause":
            label = text("tui.clock.resume" if self.paused else "tui.clock.pause", self.lang)
        elif name == "speed":
            label = f"x{self.speed}" if self.narrow else f"{text('tui.clock.speed', self.lang)} x{self.speed}"
        else:
            label = text("tui.clock." + name, self.lang)
        return f"{KEYS[name]} {label}"

    def show(self, time_ms: int, speed: int, paused: bool, status: str) -> None:
        """Redraw what changed (called ten times a second while time runs)."""
        self.time_ms, self.speed, self.paused, self.status = time_ms, speed, paused, status
        if not self.is_mounted:
            return
        state = ("⏸" if self.narrow else text("tui.clock.paused", self.lang)) if paused else f"▶ x{speed}"
        shown = (f"⏱ {clock_text(time_ms)}  {state}", status)
        if shown != self._shown:
            self._shown = shown
            self.query_one("#time", Static).update(shown[0])
            self.query_one("#clock-status", Static).update(status)
        if (speed, paused, self.lang, self.narrow) != self._labelled:
            self.relabel(self.lang)

    def set_narrow(self, narrow: bool) -> None:
        if narrow != self.narrow:
            self.narrow = narrow
            self.set_class(narrow, "-narrow")
            if self.is_mounted:
                self.relabel(self.lang)

    def relabel(self, lang: str) -> None:
        self.lang = lang
        self._labelled = (self.speed, self.paused, lang, self.narrow)
        self._shown = ("", "")
        for name in COMMANDS:
            button = self.query_one("#clock-" + name, Button)
            button.label = self._label(name)
            button.refresh(layout=True)  # its width follows its label

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("clock-"):
            self.post_message(self.Command(event.button.id.removeprefix("clock-")))
