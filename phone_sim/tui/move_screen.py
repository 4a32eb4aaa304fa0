"""Where a handset is: home, abroad, white zone or no coverage (a small modal)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from phone_sim.network.catalogue import text
from phone_sim.network.company import LOCATIONS
from phone_sim.tui.bindings import bind, relabel


class MoveScreen(ModalScreen[str | None]):
    BINDINGS = [bind("escape", "dismiss", "close")] + [
        bind(str(n), f"pick({n})", "pick", show=False) for n in range(1, len(LOCATIONS) + 1)]

    def __init__(self, name: str, location: str, lang: str = "fr") -> None:
        super().__init__()
        self.who = name
        self.location = location
        self.lang = lang
        relabel(self, lang)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(text("tui.move.title", self.lang, name=self.who), classes="dialog-title")
            options = [Option(f"{n}  {text('location.' + loc, self.lang)}", id=loc)
                       for n, loc in enumerate(LOCATIONS, 1)]
            yield OptionList(*options, id="locations")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = LOCATIONS.index(self.location)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, number: int) -> None:
        self.dismiss(LOCATIONS[number - 1])
