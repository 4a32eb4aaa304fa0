"""The groups' voice menu, reached from a handset by DTMF (SPEC 9).

Dial ``*`` then the group number (e.g. ``*0609182236``) and CALL. The menu asks for a
four-digit code (no ``#`` needed, so it never asks for ``#1``): the user connection code
opens the member's menu (1 log in, 2 log out, 3 status); the admin code opens the
manager's menu too (4 log out every member, 5 every member's status, 6 change the user
code, 7 change the admin code). Three wrong codes in a row lock that line out of that
group's menu for 15 minutes of simulated time (``code_locked``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from transitions import Machine

from phone_sim.network.catalogue import text
from phone_sim.network.events import Announcement
from phone_sim.network.refusal import Refused

if TYPE_CHECKING:
    from phone_sim.network.calls import Call
    from phone_sim.network.groups import Group, GroupService
    from phone_sim.network.switch import Network

LOCK_MS = 15 * 60 * 1000
MAX_WRONG = 3

STATES = ["code", "member", "admin", "new_user_code", "new_admin_code", "closed"]
TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "open_member", "source": "code", "dest": "member"},
    {"trigger": "open_admin", "source": "code", "dest": "admin"},
    {"trigger": "ask_user_code", "source": "admin", "dest": "new_user_code"},
    {"trigger": "ask_admin_code", "source": "admin", "dest": "new_admin_code"},
    {"trigger": "code_set", "source": ["new_user_code", "new_admin_code"], "dest": "admin"},
    {"trigger": "close", "source": STATES, "dest": "closed"},
]


class VoiceMenu:
    """One caller in one group's menu: the model of the shared menu machine."""

    state: str
    open_member: Any
    open_admin: Any
    ask_user_code: Any
    ask_admin_code: Any
    code_set: Any
    close: Any

    def __init__(self, service: MenuService, call: Call, group: Group) -> None:
        self.service = service
        self.net = service.net
        self.call = call
        self.group = group
        self.caller = call.caller.party
        self.buffer = ""

    # ---------------------------------------------------------------- prompts
    def say(self, key: str, value: str = "") -> None:
        fr = text(key, "fr", group=self.group.name, members=value or text("none", "fr"))
        en = text(key, "en", group=self.group.name, members=value or text("none", "en"))
        self.caller.notice = (key, self.group.name if "{group}" in _template(key) else value)
        self.net.touch(self.caller)
        self.net.publish(Announcement(self.net.now, self.caller.id, key, fr, en))

    def refuse(self, reason: str) -> None:
        self.net._refused(self.caller.id, "voice_menu", Refused(reason))

    # ---------------------------------------------------------------- digits
    def digit(self, key: str) -> None:
        if self.state == "closed":
            return
        if self.state in ("code", "new_user_code", "new_admin_code"):
            if not key.isdigit():
                return
            self.buffer += key
            if len(self.buffer) == 4:
                code, self.buffer = self.buffer, ""
                self._code_entered(code)
            return
        self._choice(key)

    def _code_entered(self, code: str) -> None:
        group = self.group
        if self.state == "new_user_code":
            group.user_code = code
            self.service.changed(self, "user_code")
            self.code_set()
            self.say("menu.code_changed")
            self.say("menu.admin")
            return
        if self.state == "new_admin_code":
            group.admin_code = code
            self.service.changed(self, "admin_code")
            self.code_set()
            self.say("menu.code_changed")
            self.say("menu.admin")
            return
        if code == group.admin_code:
            self.service.wrong.pop((group.id, self.caller.id), None)
            self.open_admin()
            self.say("menu.admin")
        elif code == group.user_code and self.caller.id in group.members:
            self.service.wrong.pop((group.id, self.caller.id), None)
            self.open_member()
            self.say("menu.user")
        elif code == group.user_code:
            self.say("menu.not_member")
        else:
            self._wrong()

    def _wrong(self) -> None:
        key = (self.group.id, self.caller.id)
        count = self.service.wrong.get(key, 0) + 1
        if count >= MAX_WRONG:
            self.service.wrong.pop(key, None)
            self.service.locked[key] = self.net.now + LOCK_MS
            self.say("menu.locked")
            self.refuse("code_locked")
            self.net.release(self.call, "code_locked")
            return
        self.service.wrong[key] = count
        self.say("menu.wrong_code")
        self.refuse("wrong_code")

    def _choice(self, key: str) -> None:
        group, me = self.group, self.caller.id
        groups = self.service.groups
        is_member = me in group.members
        if key in "123" and is_member:
            if key == "1":
                groups.set_connected(group, me, True)
                self.service.changed(self, "connect")
            elif key == "2":
                groups.set_connected(group, me, False)
                self.service.changed(self, "disconnect")
            self.say("menu.connected" if me in group.connected else "menu.disconnected")
        elif self.state == "admin" and key == "4":
            for member in list(group.connected):
                groups.set_connected(group, member, False)
            self.service.changed(self, "disconnect_all")
            self.say("menu.all_disconnected")
        elif self.state == "admin" and key == "5":
            names = ", ".join(self.net.parties[m].name for m in group.members if m in group.connected)
            self.say("menu.members", names)
        elif self.state == "admin" and key == "6":
            self.ask_user_code()
            self.say("menu.new_code")
        elif self.state == "admin" and key == "7":
            self.ask_admin_code()
            self.say("menu.new_code")
        else:
            self.say("menu.invalid_choice")

    def ended(self) -> None:
        if self.state != "closed":
            self.close()
        self.service.machine.remove_model(self)


def _template(key: str) -> str:
    from phone_sim.network.catalogue import TEXTS

    return TEXTS.get(key, ("", ""))[0]


class MenuService:
    """Starts menus, remembers wrong codes and lock-outs per (group, line)."""

    def __init__(self, net: Network, groups: GroupService) -> None:
        self.net = net
        self.groups = groups
        self.machine = Machine(model=None, states=STATES, transitions=TRANSITIONS, initial="code",
                               auto_transitions=False, queued=True)
        self.wrong: dict[tuple[str, str], int] = {}
        self.locked: dict[tuple[str, str], int] = {}
        self.on_change: list[Any] = []

    def start(self, call: Call, group: Group) -> None:
        net = self.net
        caller = call.caller.party
        until = self.locked.get((group.id, caller.id), 0)
        if net.now < until:
            net.release(call, "code_locked")
            return
        if not caller.is_line:
            net.release(call, "invalid_number")
            return
        menu = VoiceMenu(self, call, group)
        self.machine.add_model(menu)
        call.service = menu
        call.group = group.id
        net.factory.fire(call.caller, "connect")
        call.caller.answered_at = net.now
        net.factory.fire(call, "connect")
        call.answered_at = net.now
        net.touch(caller)
        menu.say("menu.welcome")

    def changed(self, menu: VoiceMenu, operation: str) -> None:
        """A change made from the menu: listeners (the portal's audit log) hear of it."""
        for listener in self.on_change:
            listener(menu.caller.id, menu.group.id, operation)
