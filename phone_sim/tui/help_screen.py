"""The help screen: every key binding of the phones screen and the app, the codes of the
operator's guide typed on the chosen handset (transfer, conference, call-related codes,
forwarding codes, the groups' voice menu), in the current language, and a word on the
command palette."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from phone_sim.network.catalogue import text
from phone_sim.tui.bindings import bind, relabel

# the guide's codes, typed on the chosen handset (⏎ = Enter = CALL), and what they do
GUIDE_CODES = (
    ("# 1", "transfer"), ("c", "conference"),
    ("0 ⏎", "code0"), ("1 ⏎", "code1"), ("2 ⏎", "code2"), ("3 ⏎", "code3"), ("4 ⏎", "code4"),
    ("1X ⏎", "release_x"), ("2X ⏎", "private_x"),
    ("**21*N# ⏎", "fwd_unconditional"), ("**67*N# ⏎", "fwd_busy"), ("**61*N# ⏎   **61*N**T# ⏎", "fwd_no_answer"),
    ("**62*N# ⏎", "fwd_unreachable"), ("#21# ⏎   *21# ⏎", "fwd_off_on"), ("##21# ⏎", "fwd_erase"),
    ("*#21# ⏎", "fwd_status"), ("##002# ⏎", "fwd_erase_all"), ("*43# ⏎   #43# ⏎   *#43# ⏎", "waiting"),
    ("*N ⏎", "voice_menu"),
)


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
        codes = Table(box=None, show_header=False, padding=(0, 2))
        codes.add_column(style="bold cyan", no_wrap=True)
        codes.add_column()
        for keys, name in GUIDE_CODES:
            codes.add_row(keys, text("tui.help.code." + name, lang))
        with VerticalScroll(classes="dialog help"):
            yield Static(text("tui.help.title", lang), classes="dialog-title")
            yield Static(table)
            yield Static(text("tui.help.codes", lang), classes="dialog-title help-section")
            yield Static(codes, id="help-codes")
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
