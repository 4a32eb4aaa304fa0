"""The portal screen: login, then the fleet manager's or the user's pages (SPEC 10).

The main TUI pushes ``PortalScreen(net, store, lang, session)``. Every change goes
through the portal service of that same network, so it shows at once on the phones
screen; with a store it is committed to SQLite before it is applied. Escape goes back to
Accueil, and from Accueil or the login page closes the portal. Closing the portal does
not log out: the app keeps the session, and the next ``p`` opens on Accueil; "Se
déconnecter" logs out.
"""

from __future__ import annotations

import inspect
import math
import time
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from phone_sim.tui.bindings import bind, relabel
from phone_sim.tui.footer import KeysFooter
from phone_sim.tui.portal.audit import AuditView
from phone_sim.tui.portal.forwarding import ForwardingForm
from phone_sim.tui.portal.group_form import GroupForm
from phone_sim.tui.portal.groups import GroupsView
from phone_sim.tui.portal.home import HomeView
from phone_sim.tui.portal.identity import IdentityView
from phone_sim.tui.portal.incoming import IncomingForm
from phone_sim.tui.portal.login import LoginView
from phone_sim.tui.portal.my_groups import MyGroupsView
from phone_sim.tui.portal.options import OptionsForm
from phone_sim.tui.portal.session import PortalSession
from phone_sim.tui.portal.view import Navigate, PortalView

if TYPE_CHECKING:
    from phone_sim.network.switch import Network
    from phone_sim.store.store import Store

VIEWS: dict[str, type[PortalView]] = {view.NAME: view for view in (
    LoginView, HomeView, ForwardingForm, IncomingForm, GroupsView, GroupForm, MyGroupsView, OptionsForm,
    IdentityView, AuditView,
)}


class PortalScreen(Screen[None]):
    """The fleet-manager and user portals on one network (and its store, if any)."""

    CSS_PATH = "portal.tcss"
    BINDINGS = [bind("escape", "back", "back")]

    def __init__(self, net: Network, store: Store | None, lang: str = "fr",
                 session: PortalSession | None = None) -> None:
        super().__init__()
        self.session = session if session is not None else PortalSession(net, store, lang)
        self.session.lang = lang
        self.current = ""
        relabel(self, lang)
        # keys typed before the login page is up (a second ``p`` while the portal opens)
        # stay out of its fields (phone_sim.tui.keyorder); Textual stamps keys with
        # time.monotonic()
        self.keys_from = math.inf

    def compose(self) -> ComposeResult:
        t = self.session.t
        with Horizontal(id="portal-bar"):
            yield Static(t("portal.product"), id="portal-product", markup=False)
            yield Button(t("portal.home"), id="nav-home", compact=True)
            yield Static("", id="portal-who", markup=False)
            yield Button(t("portal.logout"), id="nav-logout", compact=True)
            yield Button(t("portal.close"), id="nav-close", compact=True)
        yield VerticalScroll(id="portal-body")
        yield KeysFooter()

    async def on_mount(self) -> None:
        await self.show("home" if self.session.logged_in else "login")
        self.keys_from = time.monotonic()

    def on_resize(self, event: events.Resize) -> None:
        # a narrow terminal: the bar keeps who is logged in and its buttons, not the product
        self.query_one("#portal-product").display = event.size.width >= 100

    async def show(self, name: str, **args: Any) -> None:
        """Replace the page; a page this session may not open is never built. The page
        shows what is saved now, another simulator's changes included."""
        session = self.session
        session.refresh()
        if name not in VIEWS or not session.can_open(name):
            name = "home" if session.logged_in else "login"
            args = {}
        view = VIEWS[name]
        accepted = inspect.signature(view).parameters
        args = {key: value for key, value in args.items() if key in accepted}
        body = self.query_one("#portal-body", VerticalScroll)
        await body.remove_children()
        await body.mount(view(session, **args))
        body.scroll_home(animate=False)
        self.current = name
        self._refresh_bar()

    def _refresh_bar(self) -> None:
        session = self.session
        account = session.account
        for ident in ("#nav-home", "#nav-logout"):
            self.query_one(ident).display = account is not None
        who = ""
        if account is not None:
            who = session.t("portal.logged_in", name=account.name, role=session.t(f"portal.role.{account.role}"))
            if session.as_whom is not None:
                party = session.net.parties[session.as_whom]
                who += " · " + session.t("portal.acting_as", name=party.name, line=party.id)
        label = self.query_one("#portal-who", Static)
        label.update(who)
        label.tooltip = who or None  # the whole line when a narrow terminal cuts it

    @on(Navigate)
    async def _navigate(self, message: Navigate) -> None:
        message.stop()
        await self.show(message.view, **message.args)

    @on(Button.Pressed, "#nav-home")
    async def _home(self) -> None:
        await self.show("home")

    @on(Button.Pressed, "#nav-logout")
    async def _logout(self) -> None:
        self.session.logout()
        await self.show("login")

    @on(Button.Pressed, "#nav-close")
    def _close(self) -> None:
        self.leave_portal()

    async def action_back(self) -> None:
        if self.current in ("login", "home"):
            self.leave_portal()
        elif self.current == "group_form":
            await self.show("groups")
        else:
            await self.show("home")

    def leave_portal(self) -> None:
        """Leave the portal, still logged in (the next visit opens on Accueil)."""
        if len(self.app.screen_stack) > 1:
            self.dismiss(None)
