"""« Prendre l'identité d'un utilisateur »: the manager then uses the user portal as that
user (the user's rules apply; the audit names the manager)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Select

from phone_sim.tui.portal.view import PortalView


class IdentityView(PortalView):
    NAME = "identity"

    def compose(self) -> ComposeResult:
        t = self.t
        yield self.title("portal.menu.identity")
        users = [(self.session.line_label(p), p.id) for p in self.session.pabx_lines()]
        yield self.field("user", t("portal.line"),
                         Select(users, value=users[0][1] if users else Select.NULL, allow_blank=not users, id="user"))
        yield Horizontal(Button(t("portal.take_identity"), id="submit", variant="primary"), classes="buttons")
        yield self.status_line()

    @on(Button.Pressed, "#submit")
    def submit(self, event: Button.Pressed) -> None:
        event.stop()
        result = self.session.take_identity(str(self.query_one("#user", Select).value))
        if result is None:
            self.go("home")
        else:
            self.show_errors({"user": result})
