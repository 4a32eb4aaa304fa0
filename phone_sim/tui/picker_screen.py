"""Choose any handset of the company from a list (when there are more than six)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from phone_sim.network.catalogue import text
from phone_sim.tui.bindings import bind, relabel


class PickerScreen(ModalScreen[str | None]):
    BINDINGS = [bind("escape", "dismiss", "close")]

    def __init__(self, handsets: list[tuple[str, str]], lang: str = "fr") -> None:
        super().__init__()
        self.handsets = handsets
        self.lang = lang
        relabel(self, lang)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(text("tui.picker.title", self.lang), classes="dialog-title")
            yield OptionList(*[Option(f"{n:>2}  {name}  ({ident})", id=ident)
                               for n, (ident, name) in enumerate(self.handsets, 1)], id="handset-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
