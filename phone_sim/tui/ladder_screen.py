"""The call-flow ladder of the live session so far (key ``f``, or the command palette).

The ladder is the live session's ``LadderBuilder`` (it listens from the start), drawn as
the ASCII ladder of ``phone-sim run --ladder``. While the screen is open it follows the
session: new rows are drawn as they come, and the view keeps to the bottom unless the
user scrolled up to read.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from phone_sim.network.catalogue import text
from phone_sim.scenario.ladder import LadderBuilder
from phone_sim.scenario.ladder_text import ascii_ladder
from phone_sim.tui.bindings import bind, relabel

REFRESH = 0.25  # seconds between two looks at the session


class LadderScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    LadderScreen { align: center middle; }
    LadderScreen .ladder { width: 96%; height: 92%; border: thick $primary; background: $surface; padding: 0 1; }
    LadderScreen #ladder-view { height: 1fr; overflow-x: auto; overflow-y: auto; }
    LadderScreen #ladder-text { width: auto; text-wrap: nowrap; }
    LadderScreen .dialog-title { text-style: bold; padding: 0 0 1 0; }
    """
    BINDINGS = [bind("escape", "dismiss", "close"), bind("f", "dismiss", "close", show=False)]

    def __init__(self, builder: LadderBuilder, lang: str = "fr") -> None:
        super().__init__()
        self.builder = builder
        self.lang = lang
        self._shown = -1
        relabel(self, lang)

    def compose(self) -> ComposeResult:
        with Vertical(classes="ladder"):
            yield Static(text("tui.ladder.title", self.lang), classes="dialog-title")
            with ScrollableContainer(id="ladder-view"):
                yield Static(id="ladder-text", markup=False)

    def on_mount(self) -> None:
        self.follow()
        self.query_one("#ladder-view").focus()
        self.set_interval(REFRESH, self.follow)

    def follow(self) -> None:
        """Redraw when the session added rows; stay at the bottom if the user was there."""
        if self.builder.added == self._shown:
            return
        self._shown = self.builder.added
        view = self.query_one("#ladder-view", ScrollableContainer)
        at_bottom = view.scroll_y >= view.max_scroll_y - 1
        drawing = ascii_ladder(self.builder.ladder(), self.lang)
        self.query_one("#ladder-text", Static).update(Text(drawing, no_wrap=True))
        if at_bottom:
            self.call_after_refresh(view.scroll_end, animate=False)

    def plain(self) -> str:
        """What the screen shows (tests read it)."""
        return ascii_ladder(self.builder.ladder(), self.lang)

