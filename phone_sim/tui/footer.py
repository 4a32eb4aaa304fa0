"""The footer of our screens: drawn from the start, whether or not the terminal says it
has the focus, and rebuilt only when the keys it shows change.

Textual's footer waits for the app to have the focus before it lists the keys; a browser
tab (``phone-sim serve``) reports none until the first key or click, so the page showed
no footer until then. It also rebuilds all its keys on every change of the screen's
bindings (each focus change, each refresh of a screen's actions), several times while
the first screen is drawn; most of these change nothing it shows.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    _pending = False
    _shown: tuple[Any, ...] | None = None

    def on_mount(self) -> None:
        # Footer.on_mount (called too: Textual runs every class's handler) subscribes to
        # the screen's binding changes; this draws the keys now
        self.bindings_changed(self.screen)

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True  # changes that come together rebuild it once
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._pending = False
        if not self.is_attached:  # its screen closed meanwhile
            return
        shown = self.shown_keys()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def shown_keys(self) -> tuple[Any, ...]:
        """What the footer draws: each shown binding's key, label, action, state and tip."""
        return tuple(
            (b.key, self.app.get_key_display(b), b.description, b.action, enabled, tooltip, b.group)
            for _, b, enabled, tooltip in self.screen.active_bindings.values()
            if b.show
        )
