"""The login page: an account and its password (or, with no store, who you are)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Button, Input, Select, Static

from phone_sim.network.portal import MANAGER
from phone_sim.tui.portal.view import PortalView


class LoginView(PortalView):
    NAME = "login"

    def compose(self) -> ComposeResult:
        yield self.title("portal.login.title")
        if self.session.store is None:
            yield Static(self.t("portal.login.no_store"), classes="notice", markup=False)
            choices = [(self.t("portal.role.manager"), MANAGER)] + [
                (self.session.line_label(p), p.id) for p in self.session.pabx_lines()
            ]
            yield self.field("identity", self.t("portal.login.identity"),
                             Select(choices, value=MANAGER, allow_blank=False, id="identity"))
            yield Button(self.t("portal.enter"), id="login-submit", variant="primary")
        else:
            if self.session.store.created:
                from phone_sim.store import first_run_text

                yield Static(first_run_text(self.session.store.first_passwords, self.session.lang),
                             classes="notice", markup=False)
            yield self.field("name", self.t("portal.login.name"), Input(id="login-name"))
            yield self.field("password", self.t("portal.login.password"), Input(password=True, id="login-password"))
            yield Button(self.t("portal.login.submit"), id="login-submit", variant="primary")
        yield self.status_line()

    def on_mount(self) -> None:
        first = self.query("#login-name, #identity").first()
        first.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "login-name":
            self.query_one("#login-password", Input).focus()
        else:
            self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "login-submit":
            event.stop()
            self.submit()

    def submit(self) -> None:
        if self.session.store is None:
            result = self.session.enter(str(self.query_one("#identity", Select).value))
        else:
            password = self.query_one("#login-password", Input)
            result = self.session.login(self.query_one("#login-name", Input).value, password.value)
            password.value = ""  # never kept on screen, right or wrong
        if result is None:
            self.go("home")
        else:
            self.show_errors({"password": result})
