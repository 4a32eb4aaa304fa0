"""The help screen: every key binding of the phones screen and the app, in the current
language, and a word on the command palette."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from phone_sim.network.catalogue import text
from phone_sim.tui.bindings import bind, relabel


class HelpScreen(ModalScreen[None]):
    BINDINGS = [bind("escape", "dismiss", "close"), bind("f1", "dismiss", "close", show=False),
                bind("question_mark", "dismiss", "close", show=False), bind("q", "dismiss", "close", show=False)]

    def __init__(self, bindings: list[Binding], lang: str = "fr") -> None:
        super().__init__()
        self.bindings = bindings
        self.lang = lang
        relabel(self, lang)

    def compose(self) -> ComposeResult:
        lang = self.lang
        table = Table(box=None, show_header=False, padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for keys, description in self.rows():
            table.add_row(keys, description)
        with VerticalScroll(classes="dialog help"):
            yield Static(text("tui.help.title", lang), classes="dialog-title")
            yield Static(table)
            yield Static(text("tui.help.handsets", lang), classes="help-note")
            yield Static(text("tui.help.palette", lang), classes="help-note")
            yield Static(text("tui.help.close", lang), classes="help-note")

    def rows(self) -> list[tuple[str, str]]:
        """One row per action: its keys (as the app displays them) and what it does."""
        by_action: dict[str, list[str]] = {}
        order: list[str] = []
        for binding in self.bindings:
            name = binding.id or binding.action
            label = binding.key_display or self.app.get_key_display(binding)
            if name not in by_action:
                by_action[name] = []
                order.append(name)
            if label not in by_action[name]:
                by_action[name].append(label)
        descriptions = {b.id or b.action: b.description for b in self.bindings}
        return [(_keys(by_action[name]), descriptions[name]) for name in order]


def _keys(labels: list[str]) -> str:
    """``0 … #`` for a run of keys doing the same thing, else the keys one by one."""
    return " ".join(labels) if len(labels) <= 3 else f"{labels[0]} … {labels[-1]}"
