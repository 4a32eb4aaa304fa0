"""The footer of our screens: drawn from the start, whether or not the terminal says it
has the focus.

Textual's footer waits for the app to have the focus before it lists the keys; a browser
tab (``phone-sim serve``) reports none until the first key or click, so the page showed
no footer until then.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    def on_mount(self) -> None:
        # Footer.on_mount (called too: Textual runs every class's handler) subscribes to
        # the screen's binding changes; this draws the keys now
        self.bindings_changed(self.screen)

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self.recompose)
