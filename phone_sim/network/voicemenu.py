"""The groups' voice menu, reached from a handset by DTMF (SPEC 9).

A line of the company dials ``*`` then the group number (``*0609182236``, any written
form of the number) and presses CALL. The network answers at once and asks for a
four-digit code; digits are typed as in-call DTMF and no ``#`` is ever needed, so the
menu never asks for ``#1`` (which stays the transfer command).

- the **user connection code** opens the member's menu: 1 log in, 2 log out, 3 status;
- the **admin code** opens the manager's menu: 4 log out every member, 5 every member's
  status, 6 change the user code, 7 change the admin code (then the four new digits);
  a member who enters it keeps 1, 2 and 3 too;
- ``*`` repeats the current prompt; any other key is an invalid choice.

Every prompt is an ``Announcement`` (French and English) and shows on the caller's
display. Changes go through the portal service, so the same rules and the audit apply:
1 and 2 act as the user of the line; 4, 6 and 7 act as the fleet manager for that group
(the audit's parameters name the line in ``by``). A wrong code is refused with
``wrong_code``; three wrong codes in a row (across calls; a right code resets the count)
end the call and lock that line out of that group's menu for 15 minutes of simulated
time (``code_locked``), until exactly 15 minutes later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from phone_sim.network.calls import Pool
from phone_sim.network.catalogue import TEXTS, text
from phone_sim.network.events import Announcement
from phone_sim.network.printable import ascii_digits
from phone_sim.network.refusal import Refused
from phone_sim.network.sharedmachine import SharedMachine

if TYPE_CHECKING:
    from phone_sim.network.calls import Call
    from phone_sim.network.groups import Group, GroupService
    from phone_sim.network.parties import Party
    from phone_sim.network.switch import Network

LOCK_MS = 15 * 60 * 1000
MAX_WRONG = 3
CODE_LENGTH = 4
MANAGER = "manager"

STATES = ["code", "member", "admin", "new_user_code", "new_admin_code", "closed"]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "open_member", "source": "code", "dest": "member"},
    {"trigger": "open_admin", "source": "code", "dest": "admin"},
    {"trigger": "ask_user_code", "source": "admin", "dest": "new_user_code"},
    {"trigger": "ask_admin_code", "source": "admin", "dest": "new_admin_code"},
    {"trigger": "code_set", "source": ["new_user_code", "new_admin_code"], "dest": "admin"},
    {"trigger": "close", "source": STATES, "dest": "closed"},
]
ENTRY_STATES = ("code", "new_user_code", "new_admin_code")


class VoiceMenu:
    """One caller in one group's menu: a pooled model of the shared menu machine."""

    state: str
    open_member: Any
    open_admin: Any
    ask_user_code: Any
    ask_admin_code: Any
    code_set: Any
    close: Any

    def __init__(self) -> None:
        self.service: MenuService = None  # type: ignore[assignment]
        self.net: Network = None  # type: ignore[assignment]
        self.call: Call = None  # type: ignore[assignment]
        self.group: Group = None  # type: ignore[assignment]
        self.caller: Party = None  # type: ignore[assignment]
        self.buffer = ""

    def reset(self, service: MenuService, call: Call, group: Group) -> None:
        self.service = service
        self.net = service.net
        self.call = call
        self.group = group
        self.caller = call.caller.party
        self.buffer = ""
        self.state = "code"

    @property
    def belongs(self) -> bool:
        """The caller is a member of the group (transitions owns is_<state> names)."""
        return self.caller.id in self.group.members

    # ---------------------------------------------------------------- prompts
    def say(self, key: str, shown: str = "", spoken: tuple[str, str] | None = None, show: bool = True) -> None:
        """Speak a prompt (Announcement, FR and EN) and show it on the caller's display."""
        group = self.group.name
        fr_members, en_members = spoken or (shown or text("none", "fr"), shown or text("none", "en"))
        fr = text(key, "fr", group=group, members=fr_members)
        en = text(key, "en", group=group, members=en_members)
        if show:
            detail = group if "{group}" in TEXTS.get(key, ("", ""))[0] else shown
            self.caller.notice = (key, detail)
            self.net.touch(self.caller)
        self.net.publish(Announcement(self.net.now, self.caller.id, key, fr, en))

    def prompt(self, show: bool = True) -> None:
        """The prompt of the current state (spoken only, with ``show=False``)."""
        if self.state == "code":
            self.say("menu.welcome", show=show)
        elif self.state == "member":
            self.say("menu.user", show=show)
        elif self.state == "admin":
            self.say("menu.admin_member" if self.belongs else "menu.admin", show=show)
        elif self.state in ("new_user_code", "new_admin_code"):
            self.say("menu.new_code", show=show)

    def refuse(self, refusal: Refused) -> None:
        self.net.report_refusal(self.caller.id, "voice_menu", refusal)

    # ---------------------------------------------------------------- digits
    def digit(self, key: str) -> None:
        """A DTMF digit from the caller."""
        if self.state == "closed":
            return
        if key == "*":
            self.buffer = ""
            self.prompt()
            return
        if self.state in ENTRY_STATES:
            if not ascii_digits(key):
                return
            self.buffer += key
            if len(self.buffer) == CODE_LENGTH:
                code, self.buffer = self.buffer, ""
                self._code_entered(code)
            return
        self._choice(key)

    def _code_entered(self, code: str) -> None:
        if self.state in ("new_user_code", "new_admin_code"):
            self._new_code("user_code" if self.state == "new_user_code" else "admin_code", code)
            return
        group = self.group
        key = (group.id, self.caller.id)
        if code == group.admin_code:
            self.service.wrong.pop(key, None)
            self.open_admin()
            self.prompt()
        elif code == group.user_code and self.belongs:
            self.service.wrong.pop(key, None)
            self.open_member()
            self.prompt()
        elif code == group.user_code:
            self.say("menu.not_member")
            self.refuse(Refused("not_member", group.id))
        else:
            self._wrong()

    def _wrong(self) -> None:
        service, key = self.service, (self.group.id, self.caller.id)
        count = service.wrong.get(key, 0) + 1
        if count < MAX_WRONG:
            service.wrong[key] = count
            self.say("menu.wrong_code")
            self.refuse(Refused("wrong_code"))
            return
        service.wrong.pop(key, None)
        service.locked[key] = self.net.now + LOCK_MS
        self.say("menu.locked")
        self.refuse(Refused("code_locked"))
        self.net.release(self.call, "code_locked")

    def _new_code(self, which: str, code: str) -> None:
        result = self._execute(MANAGER, "update_group", {"group": self.group.id, which: code})
        self.code_set()
        if result is None:
            self.say("menu.code_changed")
        self.prompt(show=False)  # the display keeps "code changed" (or the refusal)

    def _choice(self, key: str) -> None:
        group, me = self.group, self.caller.id
        admin = self.state == "admin"
        if key in ("1", "2") and self.belongs:
            operation = "connect" if key == "1" else "disconnect"
            if self._execute(me, operation, {"group": group.id, "line": me}) is None:
                self._my_status()
        elif key == "3" and self.belongs:
            self._my_status()
        elif key == "4" and admin:
            if self._execute(MANAGER, "disconnect_all", {"group": group.id}) is None:
                self.say("menu.all_disconnected")
        elif key == "5" and admin:
            self._members_status()
        elif key == "6" and admin:
            self.ask_user_code()
            self.prompt()
        elif key == "7" and admin:
            self.ask_admin_code()
            self.prompt()
        else:
            self.say("menu.invalid_choice")

    def _execute(self, actor: str, operation: str, params: dict[str, Any]) -> Refused | None:
        """A change through the portal service (rules and audit); a refusal is said and shown."""
        if actor == MANAGER:
            params = {**params, "by": self.caller.id}
        result = self.net.portal.execute(actor, operation, params, via="mmi")
        if isinstance(result, Refused):
            self.refuse(result)
        return result

    def _my_status(self) -> None:
        self.say("menu.connected" if self.caller.id in self.group.connected else "menu.disconnected")

    def _members_status(self) -> None:
        group, parties = self.group, self.net.parties
        members = [(parties[m].name, m in group.connected) for m in group.members if m in parties]
        shown = ", ".join(f"{name} {'●' if on else '○'}" for name, on in members)
        fr, en = (", ".join(f"{name} {text('member.connected' if on else 'member.disconnected', lang).lower()}"
                            for name, on in members) or text("none", lang) for lang in ("fr", "en"))
        self.say("menu.members", shown or text("none", "fr"), (fr, en))

    def ended(self) -> None:
        """The call is over (the caller hung up, or the lock-out ended it)."""
        if self.state != "closed":
            self.close()
        self.service.recycle(self)


class MenuService:
    """Starts menus; remembers wrong codes and lock-outs per (group, line)."""

    def __init__(self, net: Network, groups: GroupService) -> None:
        self.net = net
        self.groups = groups
        self.machine = SharedMachine(model=None, states=STATES, transitions=TRANSITIONS, initial="code",
                               auto_transitions=False, queued=True)
        self.menus = Pool(self.machine, VoiceMenu)
        self.wrong: dict[tuple[str, str], int] = {}
        self.locked: dict[tuple[str, str], int] = {}

    def locked_until(self, group: Group, line: str) -> int | None:
        """When the lock-out of ``line`` from ``group``'s menu ends, or None."""
        until = self.locked.get((group.id, line))
        if until is not None and self.net.now >= until:
            del self.locked[(group.id, line)]
            return None
        return until

    def start(self, call: Call, group: Group) -> None:
        net = self.net
        caller = call.caller.party
        call.group = group.id
        if not caller.is_line:
            net.release(call, "invalid_number")
            return
        if self.locked_until(group, caller.id) is not None:
            fr, en = text("menu.locked", "fr"), text("menu.locked", "en")
            net.publish(Announcement(net.now, caller.id, "menu.locked", fr, en))
            net.release(call, "code_locked")
            return
        menu: VoiceMenu = self.menus.take()
        menu.reset(self, call, group)
        call.service = menu
        net.factory.fire(call.caller, "connect")
        call.caller.answered_at = net.now
        net.factory.fire(call, "connect")
        call.answered_at = net.now
        net.touch(caller)
        menu.prompt()

    def recycle(self, menu: VoiceMenu) -> None:
        menu.service = None  # type: ignore[assignment]
        menu.call = None  # type: ignore[assignment]
        menu.group = None  # type: ignore[assignment]
        menu.caller = None  # type: ignore[assignment]
        self.menus.give(menu)
