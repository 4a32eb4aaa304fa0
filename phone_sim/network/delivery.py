"""Delivering a call to a party: forwarding precedence, busy, waiting, no answer (SPEC 3, 6).

Order at arrival: unconditional forwarding; the ring list (replaces the line's own
ringing); unreachable; busy (a waiting call when double appel allows it); ringing with the
no-answer timer. Busy includes a rejected call and a refused waiting call; the no-answer
timer runs on a waiting call too. A forwarded call may be forwarded again, at most
``MAX_HOPS`` times; a loop (a party the call already reached) or a sixth hop ends the call
with ``forwarding_loop``.

The line's forwarding is read once, when the call arrives, and kept by the routing
strategy offering the call (``DirectRing`` here, ``RingListHunt`` for ring lists): a
change of routing applies to calls that arrive afterwards (SPEC, "Settings and live
calls"). Group calls never follow a member's own forwarding (they do not come through
here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from phone_sim.network.company import Forwarding
from phone_sim.network.events import CallDidForward
from phone_sim.network.parties import NO_FORWARDING, Party

if TYPE_CHECKING:
    from phone_sim.network.calls import Call, Leg
    from phone_sim.network.clock import Timer
    from phone_sim.network.switch import Network

MAX_HOPS = 5
CONDITIONS_RELEASE = {"busy": "busy", "unreachable": "unreachable", "no_answer": "no_answer"}


def routing_of(party: Party) -> Forwarding:
    """The forwarding a call meets at ``party`` now (externals have none)."""
    return party.forwarding if party.is_line else NO_FORWARDING


def deliver(net: Network, call: Call, target: Any, forwarded_from: tuple[str, ...] = ()) -> None:
    """Offer ``call`` to a party or a group."""
    if not isinstance(target, Party):
        net.groups.offer(call, target)
        return
    party = target
    routing = routing_of(party)
    if routing.unconditional:
        forward(net, call, party, routing, "unconditional")
        return
    if party.is_line and party.ring_list is not None:
        from phone_sim.network.ringlist import RingListHunt

        RingListHunt(net, call, party, routing, forwarded_from).start()
        return
    if not party.reachable:
        on_unreachable(net, call, party, routing)
        return
    if party.legs and not (can_wait(party) and party is not call.caller.party):
        on_busy(net, call, party, routing)
        return
    DirectRing(net, call, party, routing, forwarded_from).start()


def can_wait(party: Party) -> bool:
    """A further call may wait: double appel, call waiting on, nothing else waiting."""
    if not (party.has("double_appel") and party.call_waiting):
        return False
    return all(leg.state in ("connected", "held", "calling") for leg in party.legs)


class DirectRing:
    """The call rings (or waits) at one party, with that party's no-answer timer.

    It is the call's routing strategy (``call.hunt``) while the party rings, so the
    switch reports a rejection or a loss of network here, and the forwarding read at
    arrival decides what happens next.
    """

    def __init__(self, net: Network, call: Call, party: Party, routing: Forwarding,
                 forwarded_from: tuple[str, ...]) -> None:
        self.net = net
        self.call = call
        self.party = party
        self.routing = routing
        self.forwarded_from = forwarded_from
        self.leg: Leg | None = None
        self.timer: Timer | None = None

    def start(self) -> None:
        self.call.hunt = self
        self.leg = self.net.alert(self.call, self.party, self.forwarded_from)
        if self.routing.no_answer:
            self.timer = self.net.later(self.routing.delay * 1000, self._no_answer)

    def _no_answer(self) -> None:
        self.timer = None
        leg = self.leg
        if self.call.hunt is not self or leg is None or leg.call is not self.call or leg.state != "alerting":
            return
        self._detach()
        self.net.stop_ringing(leg, "forwarded")
        forward(self.net, self.call, self.party, self.routing, "no_answer")

    def _detach(self) -> None:
        self.stop()
        if self.call.hunt is self:
            self.call.hunt = None

    # hooks called by the switch
    def gone(self, party: Party, reason: str) -> None:
        """The party rejected the call (busy) or became unreachable while it rang."""
        self._detach()
        if reason == "rejected":
            on_busy(self.net, self.call, self.party, self.routing)
        else:
            on_unreachable(self.net, self.call, self.party, self.routing)

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def answered(self, leg: Leg) -> None:
        self.leg = None

    def ended(self, reason: str) -> None:
        self.leg = None


def on_busy(net: Network, call: Call, party: Party, routing: Forwarding | None = None) -> None:
    """The party is busy (or rejected): busy forwarding, else the caller hears busy."""
    _on_condition(net, call, party, routing, "busy")


def on_unreachable(net: Network, call: Call, party: Party, routing: Forwarding | None = None) -> None:
    """Off or out of coverage: unreachable forwarding, else the caller gets unreachable."""
    _on_condition(net, call, party, routing, "unreachable")


def on_no_answer(net: Network, call: Call, party: Party, routing: Forwarding | None = None) -> None:
    """Unanswered (a ring list): no-answer forwarding, else the caller gets no_answer."""
    _on_condition(net, call, party, routing, "no_answer")


def _on_condition(net: Network, call: Call, party: Party, routing: Forwarding | None, condition: str) -> None:
    routing = routing if routing is not None else routing_of(party)
    if routing.get(condition):
        forward(net, call, party, routing, condition)
    else:
        net.release(call, condition)


def forward(net: Network, call: Call, party: Party, routing: Forwarding, condition: str) -> None:
    """Send ``call`` on from ``party`` to its ``condition`` destination (one more hop)."""
    number = routing.get(condition)
    if number is None:
        net.release(call, CONDITIONS_RELEASE.get(condition, "busy"))
        return
    call.hops += 1
    net.publish(CallDidForward(net.now, call.id, party.id, number, condition, call.hops))
    if call.hops > MAX_HOPS:
        net.release(call, "forwarding_loop")
        return
    target = net.groups.by_number.get(number) or net.by_number.get(number)
    if target is None:
        net.release(call, "number_not_allocated")
        return
    if target.id in call.chain:
        net.release(call, "forwarding_loop")
        return
    forwarders = tuple(call.chain)
    call.chain.append(target.id)
    deliver(net, call, target, forwarders)
