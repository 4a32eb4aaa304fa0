"""Logging in to the portal: accounts, wrong passwords, lock-out, roles, no store."""

from __future__ import annotations

from portal_helpers import SIZE, PortalApp, log_in, shown, until_page
from textual.widgets import Button, Input, Select

from phone_sim.network.switch import Network
from phone_sim.store.store import Store, demo_company
from phone_sim.tui.portal import PortalScreen

MANAGER_MENU = ["menu-forwarding", "menu-incoming", "menu-groups", "menu-options", "menu-identity", "menu-audit"]


def menu(app: PortalApp) -> list[str]:
    return [b.id or "" for b in app.screen.query("#menu Button").results(Button)]


async def test_the_demo_manager_logs_in_to_the_guide_menu(app: PortalApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        assert app.portal.current == "login"
        await log_in(pilot, typed=True)
        assert app.portal.current == "home"
        assert menu(app) == MANAGER_MENU
        labels = [str(b.label) for b in app.screen.query("#menu Button").results(Button)]
        assert labels[:3] == ["Gérer les renvois d'appel d'une ligne", "Gérer les appels entrants d'une ligne",
                              "Administrer les groupes d'appel"]
        assert "gestionnaire" in shown(app, "#portal-who")


async def test_a_wrong_password_is_refused_inline_and_forgotten(app: PortalApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, password="pas-le-bon")
        assert app.portal.current == "login"
        assert shown(app, "#password-error") == "Identifiant ou mot de passe incorrect [bad_credentials]"
        assert app.screen.query_one("#login-password", Input).value == ""


async def test_five_wrong_passwords_lock_the_account(app: PortalApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(5):
            await log_in(pilot, password="pas-le-bon")
        assert "[account_locked]" in shown(app, "#password-error")
        await log_in(pilot)  # the right password, too late
        assert app.portal.current == "login"
        assert "[account_locked]" in shown(app, "#password-error")


async def test_a_user_gets_the_user_portal(app: PortalApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "MME_C")
        assert app.portal.current == "home"
        assert menu(app) == ["menu-forwarding", "menu-incoming", "menu-my_groups"]
        assert shown(app, "#view-home .view-title") == "Votre portail Utilisateurs"


async def test_english(net: Network, store: Store) -> None:
    app = PortalApp(net, store, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, password="wrong-one")
        assert shown(app, "#password-error") == "Wrong login or password [bad_credentials]"
        await log_in(pilot)
        assert str(app.screen.query_one("#menu-groups", Button).label) == "Administer the call groups"


async def test_the_first_run_shows_the_demo_credentials(net: Network, store: Store) -> None:
    store.created = True
    app = PortalApp(net, store)
    async with app.run_test(size=SIZE):
        notice = str(app.screen.query_one("#view-login .notice").content)  # type: ignore[attr-defined]
        assert "gestionnaire" in notice and store.first_passwords["gestionnaire"] in notice


async def test_without_a_store_you_choose_who_you_are() -> None:
    net = Network(demo_company())
    app = PortalApp(net, None)
    async with app.run_test(size=SIZE) as pilot:
        assert not app.screen.query("#login-password")
        app.screen.query_one("#identity", Select).value = "C"
        await pilot.click("#login-submit")
        await until_page(pilot, "home")
        assert app.portal.session.user_line == "C"
        assert menu(app) == ["menu-forwarding", "menu-incoming", "menu-my_groups"]


async def test_escape_closes_the_portal_still_logged_in(app: PortalApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        screen = app.portal
        await pilot.press("escape")  # Accueil: leave the portal
        await pilot.pause()
        assert not isinstance(app.screen, PortalScreen)
        assert screen.session.account is not None  # "Se déconnecter" logs out, not leaving
