"""Incoming-call management: a line's ring list, simultaneous or sequential (SPEC 7).

The list replaces the line's own ringing. Entries that are unreachable, in any call or
already ringing are skipped (a ring list never makes a waiting call); the first to
answer takes the call and the others stop. When the whole list is busy or unanswered
the line's busy / no-answer forwarding applies, else the caller gets busy / no_answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from phone_sim.network import delivery

if TYPE_CHECKING:
    from phone_sim.network.calls import Call, Leg
    from phone_sim.network.clock import Timer
    from phone_sim.network.parties import Party
    from phone_sim.network.switch import Network


class RingListHunt:
    def __init__(self, net: Network, call: Call, owner: Party, forwarded_from: tuple[str, ...]) -> None:
        assert owner.ring_list is not None
        self.net = net
        self.call = call
        self.owner = owner
        self.ring_list = owner.ring_list
        self.forwarded_from = forwarded_from
        self.entries = [net.by_number[n] for n in self.ring_list.numbers if n in net.by_number]
        self.index = -1
        self.rang = False
        self.unreachable_only = True
        self.timer: Timer | None = None

    def _eligible(self, party: Party) -> bool:
        if not party.reachable:
            return False
        self.unreachable_only = False
        return party.is_free()

    def start(self) -> None:
        self.call.hunt = self
        if self.ring_list.mode == "simultaneous":
            for party in self.entries:
                if self._eligible(party):
                    self.net.alert(self.call, party, self.forwarded_from)
                    self.rang = True
            if not self.rang:
                self._give_up()
            elif self.owner.forwarding.no_answer:
                self.timer = self.net.later(self.owner.forwarding.delay * 1000, self._unanswered)
        else:
            self._next()

    def _next(self) -> None:
        self.timer = None
        for leg in list(self.call.alerting):
            self.net.stop_ringing(leg, "switchover")
        while self.index + 1 < len(self.entries):
            self.index += 1
            party = self.entries[self.index]
            if self._eligible(party):
                self.net.alert(self.call, party, self.forwarded_from)
                self.rang = True
                self.timer = self.net.later(self.ring_list.step * 1000, self._next)
                return
        self._give_up()

    def _unanswered(self) -> None:
        self.timer = None
        for leg in list(self.call.alerting):
            self.net.stop_ringing(leg, "forwarded")
        self._detach()
        delivery.on_no_answer(self.net, self.call, self.owner)

    def _give_up(self) -> None:
        """Nobody left to ring: no answer if someone rang, else busy or unreachable."""
        self._detach()
        if self.rang:
            delivery.on_no_answer(self.net, self.call, self.owner)
        elif self.unreachable_only:
            delivery.on_unreachable(self.net, self.call, self.owner)
        else:
            delivery.on_busy(self.net, self.call, self.owner)

    def _detach(self) -> None:
        self.stop()
        if self.call.hunt is self:
            self.call.hunt = None

    # hooks called by the switch
    def gone(self, party: Party, reason: str) -> None:
        """An entry rejected the call or became unreachable while ringing."""
        if self.ring_list.mode == "sequential":
            self.stop()
            self._next()
        elif not self.call.alerting:
            self._detach()
            if reason == "rejected":
                delivery.on_busy(self.net, self.call, self.owner)
            else:
                self._give_up()

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def answered(self, leg: Leg) -> None:
        pass

    def ended(self, reason: str) -> None:
        pass
