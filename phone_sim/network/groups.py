"""Call groups: members, connection, hunt distribution, queue, rest times (SPEC 9).

Only connected members receive group calls; a member who is unreachable, in any call or
already ringing is busy for every group (a group call never waits); a member rests for
the inter-call delay after a group call they answered ends, until exactly end + delay.
A group call never follows a member's own forwarding or ring list: members are alerted
directly. Callers who find no free member wait in the group's queue (FIFO by arrival)
while fewer than ``queue`` callers wait; the first member to become free gets the
oldest caller.

Each caller offered to a group is a ``GroupHunt`` (grouphunt.py); this module keeps the
groups, who belongs where, who is free, and hands freed members to the oldest callers.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from phone_sim.network.calls import Pool
from phone_sim.network.company import GroupSpec
from phone_sim.network.events import MemberDidChange
from phone_sim.network.grouphunt import HUNT_STATES, HUNT_TRANSITIONS, GroupHunt
from phone_sim.network.huntqueue import HuntQueue
from phone_sim.network.sharedmachine import SharedMachine

if TYPE_CHECKING:
    from phone_sim.network.calls import Call
    from phone_sim.network.parties import Party
    from phone_sim.network.portal import AuditEntry
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
        self.last_member: str | None = None  # who took the last call (circular)
        self.last_end: dict[str, int] = {}  # member -> end of their last answered group call (uniform)
        self.rest_until: dict[str, int] = {}
        self.rest_after: dict[str, int] = {}  # member -> rest (ms) owed after the group call they are in
        self.waiting = HuntQueue()  # the queue, oldest caller first
        self.ringing: list[GroupHunt] = []  # hunts ringing members now, oldest first

    def spec(self) -> GroupSpec:
        return GroupSpec(self.id, self.number, self.name, self.user_code, self.admin_code, self.queue,
                         self.switchover_delay, self.inter_call_delay, self.distribution,
                         tuple(self.members), tuple(m for m in self.members if m in self.connected))

    @property
    def is_open(self) -> bool:
        """The guide's status: "at least one member connected" (else "none")."""
        return bool(self.connected)

    def order(self) -> tuple[str, ...]:
        """Members in the order this group's mode tries them, for a call arriving now."""
        members = self.members
        if self.distribution == "circular" and self.last_member in members:
            start = members.index(self.last_member) + 1
            return tuple(members[start:] + members[:start])
        if self.distribution == "uniform":
            last = self.last_end
            ranked = sorted(range(len(members)), key=lambda i: (last.get(members[i], -1), i))
            return tuple(members[i] for i in ranked)
        return tuple(members)


@dataclass(frozen=True, slots=True)
class MemberStatus:
    line: str
    name: str
    number: str
    connected: bool


@dataclass(frozen=True, slots=True)
class GroupStatus:
    """What the portal's group table and member list show."""

    id: str
    number: str
    name: str
    open: bool  # at least one member connected
    members: tuple[MemberStatus, ...]
    waiting: int  # callers in the queue now


class GroupService:
    """The company's groups, their hunts and queues, and the voice menus."""

    def __init__(self, net: Network, specs: tuple[GroupSpec, ...]) -> None:
        from phone_sim.network.voicemenu import MenuService

        self.net = net
        self.groups: dict[str, Group] = {}
        self.by_number: dict[str, Group] = {}
        self.of_member: dict[str, list[Group]] = {}  # line -> the groups it belongs to, in group order
        self._folded_groups: dict[str, str] = {}  # casefolded id -> id: ids differ by more than case
        self._folded_parties: dict[str, str] | None = None  # the same for parties (fixed), made when needed
        self._rank: dict[str, int] = {}  # group id -> its place in ``groups`` (orders of_member)
        self._ranks = itertools.count()
        self.machine = SharedMachine(model=None, states=HUNT_STATES, transitions=HUNT_TRANSITIONS,
                               initial="idle", auto_transitions=False, queued=True)
        self.hunts = Pool(self.machine, GroupHunt)
        self._seq = itertools.count(1)
        self._dirty: dict[str, Group] = {}  # groups where a member may have become free
        self._dispatch_pending = False
        for spec in specs:
            self.add(Group(spec))
        self.menus = MenuService(net, self)

    # ------------------------------------------------------------------ registry
    def id_holder(self, folded: str) -> str | None:
        """The party or group whose id is ``folded`` without regard to case, or None."""
        if self._folded_parties is None:
            self._folded_parties = {ident.casefold(): ident for ident in self.net.parties}
        return self._folded_parties.get(folded) or self._folded_groups.get(folded)

    def add(self, group: Group) -> None:
        self._folded_groups[group.id.casefold()] = group.id
        self.groups[group.id] = group
        self.by_number[group.number] = group
        self._rank[group.id] = next(self._ranks)
        for member in group.members:
            self._index(group, member)

    def remove(self, group: Group) -> None:
        del self.groups[group.id]
        self._folded_groups.pop(group.id.casefold(), None)
        if self.by_number.get(group.number) is group:
            del self.by_number[group.number]
        for member in group.members:
            self._unindex(group, member)
        del self._rank[group.id]

    def renumber(self, group: Group, number: str) -> None:
        if self.by_number.get(group.number) is group:
            del self.by_number[group.number]
        group.number = number
        self.by_number[number] = group

    def add_member(self, group: Group, line: str) -> None:
        group.members.append(line)
        self._index(group, line)

    def remove_member(self, group: Group, line: str) -> None:
        self.set_connected(group, line, False)
        group.members.remove(line)
        for table in (group.last_end, group.rest_until, group.rest_after):
            table.pop(line, None)
        if group.last_member == line:
            group.last_member = None
        self._unindex(group, line)

    def _index(self, group: Group, member: str) -> None:
        """``member`` belongs to ``group``: its list of groups stays in group order."""
        groups = self.of_member.setdefault(member, [])
        groups.append(group)
        if len(groups) > 1 and self._rank[groups[-2].id] > self._rank[group.id]:
            groups.sort(key=lambda g: self._rank[g.id])

    def _unindex(self, group: Group, member: str) -> None:
        groups = self.of_member.get(member)
        if groups is not None and group in groups:
            groups.remove(group)
            if not groups:
                del self.of_member[member]

    def is_free_for(self, group: Group, member: str) -> bool:
        """Connected, reachable, in no call, not ringing, with pabx, not resting for this group."""
        if member not in group.connected:
            return False
        party = self.net.parties.get(member)
        if party is None or party.legs or not party.power or party.location == "no_coverage":
            return False
        if "pabx" not in party.options:
            return False
        until = group.rest_until.get(member)
        return until is None or self.net.clock.now >= until

    def status(self, group_id: str) -> GroupStatus:
        group = self.groups[group_id]
        parties = self.net.parties
        members = tuple(MemberStatus(m, parties[m].name, parties[m].number, m in group.connected)
                        for m in group.members if m in parties)
        return GroupStatus(group.id, group.number, group.name, group.is_open, members, len(group.waiting))

    # ------------------------------------------------------------------ calls
    def offer(self, call: Call, group: Group) -> None:
        call.group = group.id
        if not group.connected:
            self.net.release(call, "group_closed")
            return
        hunt: GroupHunt = self.hunts.take()
        hunt.reset(self, call, group, (self.net.clock.now, next(self._seq)))
        hunt.start()

    def recycle(self, hunt: GroupHunt) -> None:
        if hunt.call is not None and hunt.call.hunt is hunt:
            hunt.call.hunt = None
        hunt.service = None  # type: ignore[assignment]
        hunt.call = None  # type: ignore[assignment]
        hunt.group = None  # type: ignore[assignment]
        hunt.declined = set()
        self.hunts.give(hunt)

    def party_free(self, party: Party) -> None:
        """A handset has no call left (or came back): queued callers may get it, now."""
        groups = self.of_member.get(party.id)
        if groups:
            self._mark(groups)

    def party_changed(self, party: Party) -> None:
        """Power or location changed; calls it was in were already handled by the switch."""
        self.party_free(party)

    def setting_changed(self, entry: AuditEntry) -> None:
        """A portal change: granting pabx back makes a member eligible again."""
        if entry.operation == "grant":
            party = self.net.parties.get(str(dict(entry.params).get("line")))
            if party is not None:
                self.party_free(party)

    def member_call_ended(self, group_id: str, member: str) -> None:
        """A group call a member answered has ended for them: they rest."""
        group = self.groups.get(group_id)
        if group is None:
            return
        now = self.net.clock.now
        group.last_end[member] = now
        rest = group.rest_after.pop(member, group.inter_call_delay * 1000)
        if rest:
            group.rest_until[member] = now + rest
            self.net.later(rest, self._mark, (group,))
        else:
            group.rest_until.pop(member, None)

    def _mark(self, groups: list[Group] | tuple[Group, ...]) -> None:
        for group in groups:
            self._dirty[group.id] = group
        if not self._dispatch_pending:
            self._dispatch_pending = True
            self.net.later(0, self._dispatch)

    def dispatch_group(self, group: Group) -> None:
        self._dirty.pop(group.id, None)
        self._run_dispatch([group])

    def _dispatch(self) -> None:
        self._dispatch_pending = False
        dirty = list(self._dirty.values())
        self._dirty.clear()
        self._run_dispatch(dirty)

    def _run_dispatch(self, dirty: list[Group]) -> None:
        """Members may be free: the oldest callers first, then simultaneous calls ringing.

        The queues of the groups concerned are merged by arrival. A caller is handed a
        member when one is free that they have not declined; a group none of whose
        members is free has nothing for its later callers either (handing out members
        never frees one), so its queue is left there: the cost is that of the callers
        served, not of the queue's length.
        """
        heads: list[tuple[tuple[int, int], int, GroupHunt, Iterator[GroupHunt]]] = []
        for order, group in enumerate(dirty):
            _push(heads, order, iter(group.waiting))
        while heads:
            _, order, hunt, rest = heapq.heappop(heads)
            group = hunt.group
            if hunt.state == "queued" and group is dirty[order] and not hunt.dispatch():
                if not hunt.declined or not any(self.is_free_for(group, m) for m in group.members):
                    continue  # nobody is free: this group's queue stops here
            _push(heads, order, rest)
        for group in dirty:
            for hunt in list(group.ringing):
                if hunt.distribution == "simultaneous" and hunt.state == "ringing":
                    hunt.join()
                elif hunt.asleep_since is not None and hunt.state == "ringing":
                    hunt.wake()

    # ------------------------------------------------------------------ membership
    def set_connected(self, group: Group, member: str, connected: bool) -> None:
        if connected == (member in group.connected):
            return
        party = self.net.parties[member]
        if connected:
            group.connected.add(member)
            self._mark((group,))
        else:
            group.connected.discard(member)
            for leg in list(party.legs):
                if leg.party is not party or leg.state != "alerting" or leg.group != group.id:
                    continue
                hunt = leg.call.hunt
                if isinstance(hunt, GroupHunt):
                    self.net.stop_ringing(leg, "disconnected")
                    hunt.gone(party, "disconnected")
            for hunt in list(group.waiting):
                if hunt.state != "queued" or hunt.group is not group:
                    continue
                if not group.connected:
                    self.net.release(hunt.call, "group_closed")
                elif hunt.hopeless():
                    self.net.release(hunt.call, "busy")
        self.net.touch(party)
        self.net.publish(MemberDidChange(self.net.now, group.id, member, connected))

    # ------------------------------------------------------------------ voice menu
    def menu_for(self, digits: str) -> Group | None:
        """``*`` then a group's number (then CALL) reaches that group's voice menu."""
        if not digits.startswith("*") or digits.endswith("#"):
            return None
        number = self.net.plan.normalise(digits[1:])
        return self.by_number.get(number) if number else None

    def start_menu(self, call: Call, group: Group) -> None:
        self.menus.start(call, group)


def _push(heads: list[tuple[tuple[int, int], int, GroupHunt, Iterator[GroupHunt]]], order: int,
          rest: Iterator[GroupHunt]) -> None:
    """The next caller of one queue onto the merge of the queues (by arrival)."""
    hunt = next(rest, None)
    if hunt is not None:
        heapq.heappush(heads, (hunt.key, order, hunt, rest))
