"""Accueil: the guide's menu for the fleet manager, the user's own for a user."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from phone_sim.tui.portal.view import PortalView

MANAGER_MENU = ("forwarding", "incoming", "groups", "options", "identity", "audit")
USER_MENU = ("forwarding_own", "incoming_own", "my_groups")
TARGET = {"forwarding_own": "forwarding", "incoming_own": "incoming"}


class HomeView(PortalView):
    NAME = "home"

    def compose(self) -> ComposeResult:
        session = self.session
        yield self.title("portal.title.manager" if session.is_manager else "portal.title.user")
        if session.as_whom is not None:
            party = session.net.parties[session.as_whom]
            yield Static(self.t("portal.acting_as", name=party.name, line=party.id), classes="notice", markup=False)
            yield Button(self.t("portal.resume_identity"), id="resume-identity")
        menu = MANAGER_MENU if session.is_manager else USER_MENU
        yield Vertical(*(Button(self.t(f"portal.menu.{entry}"), id=f"menu-{TARGET.get(entry, entry)}",
                                classes="menu-entry") for entry in menu), id="menu")

    def on_mount(self) -> None:
        self.query(".menu-entry").first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        ident = event.button.id or ""
        event.stop()
        if ident == "resume-identity":
            self.session.resume_identity()
            self.go("home")
        elif ident.startswith("menu-"):
            self.go(ident.removeprefix("menu-"))
