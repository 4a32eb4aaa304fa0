"""The whole event log, scrollable (the panel on the phones screen shows its tail)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import RichLog, Static

from phone_sim.network.catalogue import text
from phone_sim.tui.bindings import bind, relabel


class JournalScreen(ModalScreen[None]):
    BINDINGS = [bind("escape", "dismiss", "close"), bind("j", "dismiss", "close", show=False)]

    def __init__(self, lines: list[Text], lang: str = "fr") -> None:
        super().__init__()
        self.lines = lines
        self.lang = lang
        relabel(self, lang)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog journal"):
            yield Static(text("tui.journal.title", self.lang, count=len(self.lines)), classes="dialog-title")
            yield RichLog(id="journal", wrap=False, markup=False, max_lines=len(self.lines) + 1)

    def on_mount(self) -> None:
        journal = self.query_one(RichLog)
        for line in self.lines:
            journal.write(line)
        journal.focus()
