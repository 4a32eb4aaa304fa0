"""Incoming-call management: a line's ring list, simultaneous or sequential (SPEC 7).

The list replaces the line's own ringing (its own number rings only if listed). Entries
ring directly, without their own forwarding or ring list. Entries that are unreachable,
in any call or already ringing are skipped (a ring list never makes a waiting call); an
entry that rejects the call is skipped too. The first to answer takes the call and the
others stop.

- Simultaneous: every eligible entry rings at once, until one answers, or until the
  line's no-answer delay when the line has no-answer forwarding.
- Sequential: each eligible entry rings ``step`` seconds in list order; the list is
  unanswered after its last step.

Outcome when nobody answers: unanswered (an entry rang its whole time) → the line's
no-answer forwarding, else ``no_answer``; otherwise busy (an entry was busy or rejected)
→ busy forwarding, else ``busy``; otherwise (every entry unreachable) → unreachable
forwarding, else ``unreachable``. The line's forwarding is the one read at arrival.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from phone_sim.network import delivery

if TYPE_CHECKING:
    from phone_sim.network.calls import Call, Leg
    from phone_sim.network.clock import Timer
    from phone_sim.network.company import Forwarding
    from phone_sim.network.parties import Party
    from phone_sim.network.switch import Network


class RingListHunt:
    """One call being offered to the entries of a line's ring list."""

    def __init__(self, net: Network, call: Call, owner: Party, routing: Forwarding,
                 forwarded_from: tuple[str, ...]) -> None:
        assert owner.ring_list is not None
        self.net = net
        self.call = call
        self.owner = owner
        self.ring_list = owner.ring_list
        self.routing = routing
        self.forwarded_from = forwarded_from
        entries: dict[str, Party] = {}
        for number in self.ring_list.numbers:
            party = net.by_number.get(number)
            if party is not None and party.is_line:
                entries.setdefault(party.id, party)
        self.entries = list(entries.values())
        self.index = -1
        self.rang_out = False  # an entry rang its whole time without answering
        self.busy = False  # an entry was busy or rejected the call
        self.timer: Timer | None = None

    @property
    def simultaneous(self) -> bool:
        return self.ring_list.mode == "simultaneous"

    def _eligible(self, party: Party) -> bool:
        if not party.reachable:
            return False
        if party.legs:
            self.busy = True
            return False
        return True

    def start(self) -> None:
        self.call.hunt = self
        if not self.simultaneous:
            self._next()
            return
        rang = False
        for party in self.entries:
            if self._eligible(party):
                self.net.alert(self.call, party, self.forwarded_from)
                rang = True
        if not rang:
            self._give_up()
        elif self.routing.no_answer:
            self.timer = self.net.later(self.routing.delay * 1000, self._unanswered)

    def _next(self) -> None:
        """Sequential: ring the next eligible entry for one step, or give up."""
        while self.index + 1 < len(self.entries):
            self.index += 1
            party = self.entries[self.index]
            if self._eligible(party):
                self.net.alert(self.call, party, self.forwarded_from)
                self.timer = self.net.later(self.ring_list.step * 1000, self._step_over)
                return
        self._give_up()

    def _step_over(self) -> None:
        self.timer = None
        if self.call.hunt is not self:
            return
        for leg in list(self.call.alerting):
            self.net.stop_ringing(leg, "switchover")
        self.rang_out = True
        self._next()

    def _unanswered(self) -> None:
        """Simultaneous: the line's no-answer delay is over."""
        self.timer = None
        if self.call.hunt is not self:
            return
        self._detach()
        for leg in list(self.call.alerting):
            self.net.stop_ringing(leg, "forwarded")
        delivery.on_no_answer(self.net, self.call, self.owner, self.routing)

    def _give_up(self) -> None:
        """Nobody left to ring: unanswered, else busy, else unreachable."""
        self._detach()
        if self.rang_out:
            delivery.on_no_answer(self.net, self.call, self.owner, self.routing)
        elif self.busy:
            delivery.on_busy(self.net, self.call, self.owner, self.routing)
        else:
            delivery.on_unreachable(self.net, self.call, self.owner, self.routing)

    def _detach(self) -> None:
        self.stop()
        if self.call.hunt is self:
            self.call.hunt = None

    # hooks called by the switch
    def gone(self, party: Party, reason: str) -> None:
        """An entry rejected the call or became unreachable while ringing."""
        if reason == "rejected":
            self.busy = True
        if self.simultaneous:
            if not self.call.alerting:
                self._give_up()
            return
        self.stop()
        for leg in list(self.call.alerting):
            self.net.stop_ringing(leg, "switchover")
        self._next()

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def answered(self, leg: Leg) -> None:
        pass

    def ended(self, reason: str) -> None:
        pass
