"""Who is logged in to the portal, and what they may see and change (SPEC 10).

No Textual here: the screens ask the session which lines and groups to offer, and every
change goes through ``execute``, that is through the portal service, whose rules refuse
a user acting on another line whatever a screen offers. A manager who takes a user's
identity acts through the user portal as that user; the audit names the manager.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from phone_sim.network.catalogue import text
from phone_sim.network.portal import MANAGER
from phone_sim.network.refusal import Refused
from phone_sim.store.accounts import Account
from phone_sim.store.store import AuditRow
from phone_sim.tui.names import NetworkNames

if TYPE_CHECKING:
    from phone_sim.network.groups import Group
    from phone_sim.network.parties import Party
    from phone_sim.network.switch import Network
    from phone_sim.store.store import Store

MANAGER_VIEWS = ("groups", "group_form", "options", "identity", "audit")
USER_VIEWS = ("my_groups",)
SHARED_VIEWS = ("home", "forwarding", "incoming")


class PortalSession:
    def __init__(self, net: Network, store: Store | None, lang: str = "fr") -> None:
        self.net = net
        self.store = store
        self.lang = lang
        self.account: Account | None = None
        self.as_whom: str | None = None  # the line whose identity the manager took
        self.names = NetworkNames(self)  # ids and numbers -> names, for the words shown

    def refresh(self) -> None:
        """Catch up with changes another simulator saved in the same database."""
        if self.store is not None:
            self.store.refresh()

    def t(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    def refusal_text(self, refused: Refused) -> str:
        """What a form shows next to a field: the message, then the reason code."""
        return f"{refused.message(self.lang)} [{refused.reason}]"

    # ------------------------------------------------------------------ who
    @property
    def logged_in(self) -> bool:
        return self.account is not None

    @property
    def is_manager(self) -> bool:
        """The manager's own portal (not while acting as a user)."""
        return self.account is not None and self.account.is_manager and self.as_whom is None

    @property
    def user_line(self) -> str | None:
        """The line the user portal acts on: the user's own, or the identity taken."""
        if self.account is None:
            return None
        return self.as_whom if self.as_whom is not None else self.account.line

    def login(self, name: str, password: str) -> Refused | None:
        if self.store is None:
            return Refused("bad_credentials")
        result = self.store.accounts.login(name, password)
        if isinstance(result, Refused):
            return result
        self.account, self.as_whom = result, None
        return None

    def enter(self, identity: str) -> Refused | None:
        """Without a store (a company file), choose who you are: nothing is saved anyway."""
        if self.store is not None:
            return Refused("forbidden", "accounts are required")
        if identity == MANAGER:
            self.account = Account(MANAGER, "manager")
        elif identity in (p.id for p in self.pabx_lines()):
            self.account = Account(identity, "user", identity)
        else:
            return Refused("no_pabx_option", identity)
        self.as_whom = None
        return None

    def logout(self) -> None:
        self.account, self.as_whom = None, None

    def take_identity(self, line: str) -> Refused | None:
        if not self.is_manager:
            return Refused("forbidden", "only a fleet manager takes an identity")
        if line not in (p.id for p in self.pabx_lines()):
            return Refused("no_pabx_option", line)
        self.as_whom = line
        return None

    def resume_identity(self) -> None:
        self.as_whom = None

    def can_open(self, view: str) -> bool:
        if self.account is None:
            return view == "login"
        if view in SHARED_VIEWS:
            return True
        return view in (MANAGER_VIEWS if self.is_manager else USER_VIEWS)

    # ------------------------------------------------------------------ what
    def lines(self) -> list[Party]:
        """The lines whose settings this session may open: all for the manager, else one."""
        if self.is_manager:
            return [p for p in self.net.parties.values() if p.is_line]
        mine = self.user_line
        return [self.net.parties[mine]] if mine in self.net.parties else []

    def sip_lines(self) -> dict[str, bool] | None:
        """The lines a SIP device may register as (and whether each is locked); None
        without a store (a company file's secrets are not the portal's business)."""
        return self.store.sip.lines() if self.store is not None else None

    def pabx_lines(self) -> list[Party]:
        return [p for p in self.net.parties.values() if p.is_line and p.has("pabx")]

    def line_label(self, party: Party) -> str:
        return f"{party.name} — {party.number}"

    def groups(self) -> list[Group]:
        """Every group for the manager; the user's own groups otherwise."""
        groups = list(self.net.groups.groups.values())
        if self.is_manager:
            return groups
        return [g for g in groups if self.user_line in g.members]

    def execute(self, operation: str, params: dict[str, Any]) -> Refused | None:
        """Run a change as this session's identity; the portal service decides."""
        account = self.account
        if account is None:
            return Refused("forbidden", "not logged in")
        actor = MANAGER if account.is_manager else str(account.line)
        if self.store is None:
            return self.net.portal.execute(actor, operation, params, as_whom=self.as_whom)
        with self.store.acting_as(account.name):
            return self.net.portal.execute(actor, operation, params, as_whom=self.as_whom)

    def audit(self, line: str | None = None) -> list[AuditRow]:
        """The audit log, newest first: the durable one, or this run's without a store."""
        if self.store is not None:
            return self.store.audit(line)
        return [AuditRow(i, e.time, "", e.who, e.as_whom, None, e.via, e.operation, e.target, e.before,
                         e.after, dict(e.params))
                for i, e in reversed(list(enumerate(self.net.portal.audit_for(line), 1)))]
