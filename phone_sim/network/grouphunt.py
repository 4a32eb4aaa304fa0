"""A caller offered to a call group: the hunt through its members, and its place in the queue.

Each ``GroupHunt`` is a model of one shared, pooled ``transitions`` machine
(idle -> ringing <-> queued -> done). It takes a copy of the group's routing settings
(mode, member order, switchover and inter-call delays) when the call arrives, and again
when it leaves the queue: later changes apply to calls that arrive afterwards.

- ``linear`` and ``circular`` ring one member at a time, each for the switchover delay, in
  the group's order (circular starts after the member who took the last call); ``uniform``
  orders members by the end of their last answered group call (never = first; ties in
  list order); after the last member the hunt starts again from the first of that order.
  When nobody else is free the member ringing keeps ringing, and the hunt sleeps: no timer
  fires again until the group's dispatch says a member may be free (``wake``), then the
  next switchover is at the next multiple of the delay, as if the timer had kept going.
  A call nobody else can take costs nothing however long it rings.
- ``simultaneous`` rings every eligible member at once; a member who becomes free while
  the call rings joins in.
- A member who rejects is not offered that caller again; when every connected member has
  rejected, the caller hears busy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from phone_sim.network.catalogue import text
from phone_sim.network.events import Announcement, CallDidQueue

if TYPE_CHECKING:
    from phone_sim.network.calls import Call, Leg
    from phone_sim.network.clock import Timer
    from phone_sim.network.groups import Group, GroupService
    from phone_sim.network.parties import Party
    from phone_sim.network.switch import Network

HUNT_STATES = ["idle", "ringing", "queued", "done"]
HUNT_TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "ring", "source": ["idle", "queued"], "dest": "ringing"},
    {"trigger": "wait", "source": ["idle", "ringing"], "dest": "queued", "conditions": "queue_has_room"},
    {"trigger": "finish", "source": ["idle", "ringing", "queued"], "dest": "done"},
]



class GroupHunt:
    """One caller offered to a group: ringing members in turn, or waiting in the queue."""

    state: str
    ring: Any
    wait: Any
    finish: Any

    def __init__(self) -> None:
        self.service: GroupService = None  # type: ignore[assignment]
        self.net: Network = None  # type: ignore[assignment]
        self.call: Call = None  # type: ignore[assignment]
        self.group: Group = None  # type: ignore[assignment]
        self.key = (0, 0)  # (arrival time, sequence): the queue's FIFO order
        self.order: tuple[str, ...] = ()
        self.distribution = "linear"
        self.switchover_ms = 0
        self.inter_call_ms = 0
        self.declined: set[str] = set()
        self.current: str | None = None
        self.timer: Timer | None = None
        self.asleep_since: int | None = None  # a switchover found nobody else free then
        self.queue_entry: list[Any] | None = None  # this caller's slot in the group's HuntQueue

    def reset(self, service: GroupService, call: Call, group: Group, key: tuple[int, int]) -> None:
        self.service = service
        self.net = service.net
        self.call = call
        self.group = group
        self.key = key
        self.order = group.order()
        self.distribution = group.distribution
        self.switchover_ms = group.switchover_delay * 1000
        self.inter_call_ms = group.inter_call_delay * 1000
        self.declined = set()
        self.current = None
        self.timer = None
        self.asleep_since = None
        self.queue_entry = None
        self.state = "idle"

    def __lt__(self, other: GroupHunt) -> bool:  # arrival order
        return self.key < other.key

    # ------------------------------------------------------------------ guards
    def queue_has_room(self) -> bool:
        return len(self.group.waiting) < self.group.queue

    def eligible(self, member: str) -> bool:
        return member not in self.declined and self.service.is_free_for(self.group, member)

    # ------------------------------------------------------------------ ringing
    def start(self) -> None:
        self.call.hunt = self
        if self.group.waiting:  # older callers first: they take any member free now
            self.service.dispatch_group(self.group)
        if self._ring_from_start():
            self.ring()
            self.group.ringing.append(self)
        else:
            self._to_queue()

    def _ring_from_start(self) -> bool:
        """Ring the first eligible member in order (all of them, simultaneous)."""
        if self.distribution == "simultaneous":
            return self._ring_all()
        member = self._next_after(None)
        if member is None:
            return False
        self._alert(member)
        return True

    def _ring_all(self) -> bool:
        rang = False
        for member in self.order:
            if self.eligible(member):
                self._alert(member)
                rang = True
        return rang

    def _next_after(self, member: str | None) -> str | None:
        """The next eligible member after ``member`` in cyclic order (not ``member`` itself)."""
        order = self.order
        start = order.index(member) + 1 if member in order else 0
        count = len(order)
        for step in range(count):
            candidate = order[(start + step) % count]
            if candidate != member and self.eligible(candidate):
                return candidate
        return None

    def _alert(self, member: str) -> None:
        self.net.alert(self.call, self.net.parties[member], group=self.group.id)
        if self.distribution != "simultaneous":
            self.current = member
            self.asleep_since = None
            self.timer = self.net.later(self.switchover_ms, self._switchover)

    def _switchover(self) -> None:
        """The switchover delay is over: the next eligible member rings instead."""
        self.timer = None
        current = self.current
        following = self._next_after(current)
        if following is None:  # nobody else is free: the same member keeps ringing
            if self.call.alerting:
                self.asleep_since = self.net.now  # until a member may be free (wake)
            else:
                self._lost()
            return
        for leg in list(self.call.alerting):
            self.net.stop_ringing(leg, "switchover")
        self._alert(following)

    def wake(self) -> None:
        """A member may have become free: if one is, the switchover that would have come
        next (a whole number of delays after the last one) happens then."""
        since = self.asleep_since
        if since is None or self.timer is not None or self._next_after(self.current) is None:
            return
        self.asleep_since = None
        delay = self.switchover_ms
        if delay <= 0:
            self._switchover()
            return
        due = since + ((self.net.now - since) // delay + 1) * delay
        self.timer = self.net.later(due - self.net.now, self._switchover)

    def join(self) -> None:
        """Simultaneous mode: members who became free start ringing too."""
        for member in self.order:
            if self.eligible(member):
                self._alert(member)

    # ------------------------------------------------------------------ queue
    def _to_queue(self) -> None:
        group = self.group
        if not group.connected:
            self.net.release(self.call, "group_closed")
            return
        self.wait()  # guarded by queue_has_room (a queued machine's trigger always returns True)
        if self.state != "queued":
            self.net.release(self.call, "busy")
            return
        if self in group.ringing:
            group.ringing.remove(self)
        position = group.waiting.add(self)
        call = self.call
        call.queued = True
        caller = call.caller.party
        net = self.net
        net.touch(caller)
        net.publish(CallDidQueue(net.now, call.id, group.id, caller.id, position))
        net.publish(Announcement(net.now, caller.id, "announce.queue",
                                 text("announce.queue", "fr"), text("announce.queue", "en")))

    def dispatch(self) -> bool:
        """From the queue: the hunt starts again from the mode's first member."""
        self.order = self.group.order()
        self.current = None
        if not self._ring_from_start():
            return False
        self.ring()
        group = self.group
        group.waiting.discard(self)
        group.ringing.append(self)
        self.call.queued = False
        self.net.touch(self.call.caller.party)
        return True

    def hopeless(self) -> bool:
        """Every connected member has already declined this caller."""
        return self.group.connected <= self.declined

    def _lost(self) -> None:
        """Nobody rings any more and nobody is free now."""
        if not self.group.connected:
            self.net.release(self.call, "group_closed")
        elif self.hopeless():
            self.net.release(self.call, "busy")
        else:
            self._to_queue()

    # ------------------------------------------------------------------ hooks called by the switch
    def gone(self, party: Party, reason: str) -> None:
        """A ringing member rejected, was switched off, lost coverage or was disconnected."""
        if reason == "rejected":
            self.declined.add(party.id)
        if self.call.alerting:  # simultaneous: the others keep ringing
            return
        self.stop()
        if self.distribution == "simultaneous":
            rang = self._ring_all()
        else:
            following = self._next_after(party.id if party.id in self.order else self.current)
            if following is not None:
                self._alert(following)
            rang = following is not None
        if not rang:
            self._lost()

    def stop(self) -> None:
        self.asleep_since = None
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def answered(self, leg: Leg) -> None:
        member = leg.party.id
        self.group.last_member = member
        self.group.rest_after[member] = self.inter_call_ms
        self._done()

    def ended(self, reason: str) -> None:
        self._done()

    def _done(self) -> None:
        self.stop()
        group = self.group
        if self.state == "queued":
            group.waiting.discard(self)
        elif self.state == "ringing":
            group.ringing.remove(self)
        self.finish()
        self.service.recycle(self)
