"""Call groups: members, connection, hunt distribution, queue, rest times (SPEC 9).

Only connected members receive group calls; a member in any call or already ringing is
busy for every group (a group call never waits); a member rests for the inter-call delay
after a group call they answered ends, until exactly end + delay. A group call never
follows a member's own forwarding or ring list: members are alerted directly.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from phone_sim.network.catalogue import text
from phone_sim.network.company import GroupSpec
from phone_sim.network.events import Announcement, CallDidQueue, MemberDidChange

if TYPE_CHECKING:
    from phone_sim.network.calls import Call, Leg
    from phone_sim.network.clock import Timer
    from phone_sim.network.parties import Party
    from phone_sim.network.switch import Network


class Group:
    """A group's live settings and state."""

    def __init__(self, spec: GroupSpec) -> None:
        self.id = spec.id
        self.number = spec.number
        self.name = spec.name
        self.user_code = spec.user_code
        self.admin_code = spec.admin_code
        self.queue = spec.queue
        self.switchover_delay = spec.switchover_delay
        self.inter_call_delay = spec.inter_call_delay
        self.distribution = spec.distribution
        self.members: list[str] = list(spec.members)
        self.connected: set[str] = set(spec.connected)
        self.last_member: str | None = None
        self.last_end: dict[str, int] = {}
        self.rest_until: dict[str, int] = {}
        self.waiting: deque[GroupHunt] = deque()

    def spec(self) -> GroupSpec:
        return GroupSpec(self.id, self.number, self.name, self.user_code, self.admin_code, self.queue,
                         self.switchover_delay, self.inter_call_delay, self.distribution,
                         tuple(self.members), tuple(m for m in self.members if m in self.connected))

    @property
    def is_open(self) -> bool:
        return bool(self.connected)

    def order(self) -> list[str]:
        """Members in the order this group's mode tries them."""
        members = self.members
        if self.distribution == "circular" and self.last_member in members:
            start = members.index(self.last_member) + 1
            return members[start:] + members[:start]
        if self.distribution == "uniform":
            return sorted(members, key=lambda m: (self.last_end.get(m, -1), members.index(m)))
        return list(members)


class GroupHunt:
    """One caller being offered to a group: ringing members in turn, or waiting in the queue."""

    def __init__(self, service: GroupService, call: Call, group: Group, arrived: int) -> None:
        self.service = service
        self.net = service.net
        self.call = call
        self.group = group
        self.arrived = arrived
        self.declined: set[str] = set()
        self.current: str | None = None
        self.timer: Timer | None = None

    def eligible(self, member: str) -> bool:
        return member not in self.declined and self.service.is_free_for(self.group, member)

    def start(self) -> None:
        self.call.hunt = self
        if not self._ring_next():
            self.service.enqueue(self, new=True)

    def _ring_next(self) -> bool:
        """Ring the next eligible member(s); False when nobody can ring now."""
        group = self.group
        order = group.order()
        if group.distribution == "simultaneous":
            chosen = [m for m in order if self.eligible(m)]
        else:
            if self.current in order and group.distribution in ("linear", "circular"):
                at = order.index(self.current) + 1
                order = order[at:] + order[:at]
            elif self.current in order:  # uniform: the next after the current in that order
                at = order.index(self.current) + 1
                order = order[at:] + order[:at]
            chosen = [m for m in order if self.eligible(m)][:1]
        if not chosen:
            return False
        for member in chosen:
            party = self.net.parties[member]
            self.net.alert(self.call, party, group=group.id)
        self.current = chosen[0] if group.distribution != "simultaneous" else None
        if group.distribution != "simultaneous":
            self.timer = self.net.later(group.switchover_delay * 1000, self._switchover)
        return True

    def _switchover(self) -> None:
        self.timer = None
        ringing = list(self.call.alerting)
        current = self.current
        for leg in ringing:
            self.net.stop_ringing(leg, "switchover")
        if not self._ring_next():
            if current is not None and self.eligible(current):
                self.current = None
                self._ring_next()
            else:
                self.service.enqueue(self, new=False)

    def dispatch(self) -> bool:
        """From the queue: try again now that a member may be free."""
        self.current = None
        if self._ring_next():
            self.call.queued = False
            self.net.touch(self.call.caller.party)
            return True
        return False

    # hooks called by the switch
    def gone(self, party: Party, reason: str) -> None:
        """A ringing member rejected, was switched off, or was disconnected."""
        if reason == "rejected":
            self.declined.add(party.id)
        if self.call.alerting:
            return
        self.stop()
        if not self._ring_next():
            if self.group.connected and set(self.group.connected) <= self.declined:
                self.service.net.release(self.call, "busy")
            else:
                self.service.enqueue(self, new=False)

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def answered(self, leg: Leg) -> None:
        self.group.last_member = leg.party.id
        if self in self.group.waiting:
            self.group.waiting.remove(self)

    def ended(self, reason: str) -> None:
        if self in self.group.waiting:
            self.group.waiting.remove(self)


class GroupService:
    """The company's groups, their hunts and queues, and the voice menus."""

    def __init__(self, net: Network, specs: tuple[GroupSpec, ...]) -> None:
        self.net = net
        self.groups: dict[str, Group] = {}
        self.by_number: dict[str, Group] = {}
        self._dispatch_pending = False
        self.menus = None  # set by voicemenu.MenuService
        for spec in specs:
            self.add(Group(spec))
        from phone_sim.network.voicemenu import MenuService

        self.menus = MenuService(net, self)

    def add(self, group: Group) -> None:
        self.groups[group.id] = group
        self.by_number[group.number] = group

    def remove(self, group: Group) -> None:
        del self.groups[group.id]
        self.by_number.pop(group.number, None)

    def is_free_for(self, group: Group, member: str) -> bool:
        party = self.net.parties.get(member)
        if party is None or member not in group.connected:
            return False
        if not party.reachable or party.legs:
            return False
        return self.net.now >= group.rest_until.get(member, 0)

    # ------------------------------------------------------------------ calls
    def offer(self, call: Call, group: Group) -> None:
        call.group = group.id
        if not group.connected:
            self.net.release(call, "group_closed")
            return
        GroupHunt(self, call, group, self.net.now).start()

    def enqueue(self, hunt: GroupHunt, new: bool) -> None:
        group = hunt.group
        call = hunt.call
        if not group.connected:
            self._detach(hunt)
            self.net.release(call, "group_closed")
            return
        if new and len(group.waiting) >= group.queue:
            self._detach(hunt)
            self.net.release(call, "busy")
            return
        if hunt not in group.waiting:
            group.waiting.append(hunt)
            ordered = sorted(group.waiting, key=lambda h: (h.arrived, h.call.id))
            group.waiting = deque(ordered)
        call.queued = True
        caller = call.caller.party
        self.net.touch(caller)
        position = list(group.waiting).index(hunt) + 1
        self.net.publish(CallDidQueue(self.net.now, call.id, group.id, caller.id, position))
        self.net.publish(Announcement(self.net.now, caller.id, "announce.queue",
                                      text("announce.queue", "fr"), text("announce.queue", "en")))

    def _detach(self, hunt: GroupHunt) -> None:
        hunt.stop()
        if hunt.call.hunt is hunt:
            hunt.call.hunt = None
        if hunt in hunt.group.waiting:
            hunt.group.waiting.remove(hunt)

    def party_free(self, party: Party) -> None:
        """A handset has no call left (or came back): queued callers may get it, now."""
        if not self._dispatch_pending:
            self._dispatch_pending = True
            self.net.later(0, self._dispatch)

    def party_changed(self, party: Party) -> None:
        """Power or location changed; calls it was in were already handled by the switch."""
        self.party_free(party)

    def member_call_ended(self, group_id: str, member: str) -> None:
        """A group call a member answered has ended for them: they rest."""
        group = self.groups.get(group_id)
        if group is None:
            return
        now = self.net.now
        group.last_end[member] = now
        if group.inter_call_delay:
            group.rest_until[member] = now + group.inter_call_delay * 1000
            self.net.later(group.inter_call_delay * 1000, self._dispatch)

    def _dispatch(self) -> None:
        self._dispatch_pending = False
        for group in list(self.groups.values()):
            while group.waiting:
                if not group.waiting[0].dispatch():
                    break
                group.waiting.popleft()

    # ------------------------------------------------------------------ membership
    def set_connected(self, group: Group, member: str, connected: bool) -> None:
        if connected == (member in group.connected):
            return
        if connected:
            group.connected.add(member)
            self.party_free(self.net.parties[member])
        else:
            group.connected.discard(member)
            party = self.net.parties[member]
            for leg in list(party.legs):
                if leg.state == "alerting" and leg.group == group.id and leg.call.hunt is not None:
                    hunt = leg.call.hunt
                    self.net.stop_ringing(leg, "disconnected")
                    hunt.gone(party, "disconnected")
            if not group.connected:
                for hunt in list(group.waiting):
                    self._detach(hunt)
                    self.net.release(hunt.call, "group_closed")
        self.net.touch(self.net.parties[member])
        self.net.publish(MemberDidChange(self.net.now, group.id, member, connected))

    def groups_of(self, member: str) -> list[Group]:
        return [g for g in self.groups.values() if member in g.members]

    # ------------------------------------------------------------------ voice menu
    def menu_for(self, digits: str) -> Group | None:
        """``*`` then a group's number reaches that group's voice menu."""
        if not digits.startswith("*") or digits.endswith("#"):
            return None
        number = self.net.plan.normalise(digits[1:])
        return self.by_number.get(number) if number else None

    def start_menu(self, call: Call, group: Group) -> None:
        assert self.menus is not None
        self.menus.start(call, group)
