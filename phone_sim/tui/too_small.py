"""Below the smallest terminal the screens are designed for, one notice instead of a
clipped screen: "terminal too small: 80x24 needed", in the session's language.

``SizeGuard`` (a mixin for our apps) puts the notice on top when the terminal shrinks
under ``MIN_SIZE`` and takes it away when it grows again; nothing underneath is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from phone_sim.network.catalogue import text
from phone_sim.tui.layout import MIN_SIZE, too_small

if TYPE_CHECKING:
    _Base = App[Any]
else:
    _Base = object


class TooSmallScreen(Screen[None]):
    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; }
    TooSmallScreen Static { width: 100%; text-align: center; text-style: bold; color: $warning; }
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.notice = Static("", id="too-small", markup=False)

    def compose(self) -> ComposeResult:
        yield self.notice

    def show_size(self, width: int, height: int) -> None:
        self.notice.update(text("tui.too_small", self.lang, need=f"{MIN_SIZE[0]}x{MIN_SIZE[1]}",
                                size=f"{width}x{height}"))


class SizeGuard(_Base):
    def on_resize(self, event: events.Resize) -> None:
        self.check_size(event.size.width, event.size.height)  # self.size is set after this

    def check_size(self, width: int | None = None, height: int | None = None) -> None:
        if width is None or height is None:
            width, height = self.size
        top = self.screen_stack[-1] if self.screen_stack else None
        if too_small(width, height):
            if not isinstance(top, TooSmallScreen):
                top = TooSmallScreen(getattr(self, "lang", "fr"))
                self.push_screen(top)
            top.show_size(width, height)
        elif isinstance(top, TooSmallScreen):
            self.pop_screen()
