"""The scenario being played: its steps, the current one highlighted, each marked pass or
fail, with play/pause, step and speed buttons (the same actions as the keys).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, OptionList, Static

from phone_sim.network.catalogue import text
from phone_sim.tui.light_button import LightButton
from phone_sim.tui.player import Player, describe_step

COMMANDS = ("pause", "step", "speed", "close")
_MARKS = {None: ("·", "dim"), True: ("✓", "green"), False: ("✗", "bold red")}


class PlayerButton(LightButton):
    def __init__(self, label: str, id: str) -> None:
        super().__init__(label, id=id)


class PlayerPanel(Vertical):
    @dataclass
    class Command(Message):
        name: str

    def __init__(self, lang: str = "fr", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lang = lang
        self.player: Player | None = None
        self._shown: list[tuple[bool | None, bool]] = []
        self._built = False  # its widgets asked for
        self._ready = False  # and mounted

    def compose(self) -> ComposeResult:
        # built when the first scenario is loaded: a hidden panel's widgets cost start-up time
        return iter(())

    def _label(self, name: str) -> str:
        if name == "pause" and self.player is not None and self.player.paused:
            return text("tui.play.resume", self.lang)
        if name == "speed":
            speed = self.player.speed if self.player is not None else 1
            return f"{text('tui.clock.speed', self.lang)} x{speed}"
        return text("tui.play." + name, self.lang)

    def load(self, player: Player) -> None:
        self.player = player
        if not self._built:  # its widgets made with their contents, then kept up to date
            self._built = True
            count = len(player.scenario.steps)
            self._shown = [self._state(i) for i in range(count)]
            self.mount(
                Static(text("tui.play.title", self.lang, name=player.scenario.name), id="play-title", markup=False),
                OptionList(*[self._prompt(i) for i in range(count)], id="play-steps"),
                Static(self._status(), id="play-status", markup=False),
                Horizontal(*[PlayerButton(self._label(name), id="play-" + name) for name in COMMANDS],
                           id="play-buttons"),
            )
            self.call_after_refresh(self._mounted)
            return
        if not self._ready:  # another scenario before the panel was even mounted
            self.call_after_refresh(self.load, player)
            return
        steps = self.query_one("#play-steps", OptionList)
        steps.clear_options()
        steps.add_options([self._prompt(i) for i in range(len(player.scenario.steps))])
        self._shown = [self._state(i) for i in range(len(player.scenario.steps))]
        self.query_one("#play-title", Static).update(
            text("tui.play.title", self.lang, name=player.scenario.name))
        self.show()

    def _state(self, index: int) -> tuple[bool | None, bool]:
        assert self.player is not None
        result = self.player.results[index]
        return (None if result is None else result.ok, index == self.player.index)

    def _prompt(self, index: int) -> Text:
        assert self.player is not None
        step = self.player.scenario.steps[index]
        result = self.player.results[index]
        mark, style = _MARKS[None if result is None else result.ok]
        line = Text(f"{mark} {index + 1:>2} ", style=style)
        line.append(describe_step(step), style="bold" if index == self.player.index else "")
        return line

    def show(self) -> None:
        """Redraw the steps that changed, the highlight and the status line."""
        player = self.player
        if player is None or not self._ready:
            return
        steps = self.query_one("#play-steps", OptionList)
        for index in range(len(self._shown)):
            state = self._state(index)
            if state != self._shown[index]:
                self._shown[index] = state
                steps.replace_option_prompt_at_index(index, self._prompt(index))
        steps.highlighted = min(player.index, len(self._shown) - 1)
        self.query_one("#play-status", Static).update(self._status())
        for name in ("pause", "speed"):
            self.query_one("#play-" + name, Button).label = self._label(name)

    def _status(self) -> Text:
        player = self.player
        assert player is not None
        failed = player.failed
        if failed is not None:
            message = text("tui.play.failed", self.lang, step=failed.index + 1, message=failed.message)
            detail = f"\n{failed.expected} ≠ {failed.observed}" if failed.expected else ""
            return Text(message + detail, style="bold red")
        if player.done:
            return Text(text("tui.play.passed", self.lang), style="bold green")
        state = "tui.play.paused" if player.paused else "tui.play.playing"
        return Text(f"{text(state, self.lang)} · {player.index + 1}/{len(player.scenario.steps)}")

    def _mounted(self) -> None:
        self._ready = True
        self.set_lang(self.lang)  # the language may have changed meanwhile; shows the steps

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        if not self._ready:
            return
        if self.player is not None:
            self.query_one("#play-title", Static).update(
                text("tui.play.title", lang, name=self.player.scenario.name))
        for name in COMMANDS:
            self.query_one("#play-" + name, Button).label = self._label(name)
        self.show()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("play-"):
            self.post_message(self.Command(event.button.id.removeprefix("play-")))
