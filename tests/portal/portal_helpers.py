"""A minimal app hosting the portal screen, and what a person does on it (log in, type).

The portal is tested on its own, without the main TUI: the app only hosts the screen.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import App
from textual.css.query import NoMatches
from textual.widgets import Input, Static

from phone_sim.network.switch import Network
from phone_sim.store.accounts import DEMO_MANAGER
from phone_sim.store.store import Store
from phone_sim.tui.portal import PortalScreen

CHEAP = 2**4
SIZE = (160, 50)


class PortalApp(App[None]):
    """Hosts the portal; a blank screen underneath so that closing the portal is visible."""

    def __init__(self, net: Network, store: Store | None, lang: str = "fr") -> None:
        super().__init__()
        self.net = net
        self.store = store
        self.lang = lang

    def on_mount(self) -> None:
        self.push_screen(PortalScreen(self.net, self.store, self.lang))

    @property
    def portal(self) -> PortalScreen:
        screen = self.screen
        assert isinstance(screen, PortalScreen)
        return screen


async def log_in(pilot, name: str = DEMO_MANAGER, password: str | None = None,  # type: ignore[no-untyped-def]
                 typed: bool = False) -> None:
    """Give the credentials and press Enter; ``typed`` types them key by key (slower).
    Without ``password``, the one the first run drew for that account."""
    if password is None:
        password = pilot.app.store.first_passwords[name]
    screen = pilot.app.screen
    if typed:
        await pilot.click("#login-name")
        await pilot.press(*name, "enter", *password, "enter")
    else:
        screen.query_one("#login-name", Input).value = name
        screen.query_one("#login-password", Input).value = password
        screen.query_one("#login-password", Input).focus()
        await pilot.press("enter")
    await until(pilot, lambda: answered(screen), "the login page never answered")


def answered(screen: PortalScreen) -> bool:
    """The login was refused (the password field is emptied) or the next page is up."""
    if screen.current == "login":
        return screen.query_one("#login-password", Input).value == ""
    return bool(screen.query(f"#view-{screen.current}"))


async def until(pilot, condition: Callable[[], object], what: str, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Wait for what the test needs to see (a loaded machine may take several refreshes); a
    condition that queries a widget not mounted yet counts as false."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except NoMatches:
            pass
        assert time.monotonic() < deadline, what
        await pilot.pause(0.02)


async def fill(pilot, selector: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """Put text in an input, as if typed."""
    pilot.app.screen.query_one(selector, Input).value = value
    await pilot.pause()


async def open_page(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    """Back to Accueil, then the menu entry (waiting for each page: a loaded machine is slow)."""
    await press_button(pilot, "#nav-home")
    await until_page(pilot, "home")
    await press_button(pilot, f"#menu-{name}")
    await until_page(pilot, name)


async def until_page(pilot, name: str, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    await until(pilot, lambda: pilot.app.screen.current == name and pilot.app.screen.query(f"#view-{name}"),
                f"the page {name} never showed", timeout)


def shown(app: App[None], selector: str) -> str:
    """The text a Static shows (an inline error, the status line...)."""
    return str(app.screen.query_one(selector, Static).content)


async def press_button(pilot, selector: str, click: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Press a button or tick a box: as the keyboard does, or with the mouse (slower)."""
    from textual.widgets import Button, Checkbox

    if click:
        await pilot.click(selector)
    else:
        widget = pilot.app.screen.query_one(selector)
        if isinstance(widget, Button):
            widget.press()
        elif isinstance(widget, Checkbox):
            widget.toggle()
        else:
            raise TypeError(f"{selector} is neither a button nor a box")
    await pilot.pause()
