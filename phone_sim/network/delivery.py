"""Delivering a call to a party: forwarding precedence, busy, waiting, no answer (SPEC 3, 6).

Order at arrival: unconditional forwarding; the ring list (replaces the line's own
ringing); unreachable; busy (a waiting call when double appel allows it); ringing with the
no-answer timer. A forwarded call may be forwarded again, at most 5 hops; a loop or a
sixth hop ends the call with ``forwarding_loop``. Group calls never follow a member's own
forwarding (they do not come through here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from phone_sim.network.events import CallDidForward
from phone_sim.network.parties import Party

if TYPE_CHECKING:
    from phone_sim.network.calls import Call, Leg
    from phone_sim.network.switch import Network

MAX_HOPS = 5


def deliver(net: Network, call: Call, target: Any, forwarded_from: tuple[str, ...] = ()) -> None:
    """Offer ``call`` to a party or a group."""
    if not isinstance(target, Party):
        net.groups.offer(call, target)
        return
    party = target
    if party.is_line and party.forwarding.unconditional:
        forward(net, call, party, "unconditional")
        return
    if party.is_line and party.ring_list is not None:
        from phone_sim.network.ringlist import RingListHunt

        RingListHunt(net, call, party, forwarded_from).start()
        return
    if not party.reachable:
        on_unreachable(net, call, party)
        return
    if party.legs:
        if can_wait(party) and party is not call.caller.party:
            ring(net, call, party, forwarded_from)
        else:
            on_busy(net, call, party)
        return
    ring(net, call, party, forwarded_from)


def can_wait(party: Party) -> bool:
    """A further call may wait: double appel, call waiting on, nothing else waiting."""
    if not (party.has("double_appel") and party.call_waiting):
        return False
    return all(leg.state in ("connected", "held", "calling") for leg in party.legs)


def ring(net: Network, call: Call, party: Party, forwarded_from: tuple[str, ...]) -> Leg:
    leg = net.alert(call, party, forwarded_from)
    if party.is_line and party.forwarding.no_answer:
        leg.timer = net.later(party.forwarding.delay * 1000, _no_answer, net, leg, call.id)
    return leg


def _no_answer(net: Network, leg: Leg, call_id: int) -> None:
    leg.timer = None
    if leg.state != "alerting" or leg.call is None or leg.call.id != call_id:
        return
    call, party = leg.call, leg.party
    net.stop_ringing(leg, "forwarded")
    forward(net, call, party, "no_answer")


def on_busy(net: Network, call: Call, party: Party) -> None:
    """The party is busy (or rejected): busy forwarding, else the caller hears busy."""
    if party.is_line and party.forwarding.busy:
        forward(net, call, party, "busy")
    else:
        net.release(call, "busy")


def on_unreachable(net: Network, call: Call, party: Party) -> None:
    if party.is_line and party.forwarding.unreachable:
        forward(net, call, party, "unreachable")
    else:
        net.release(call, "unreachable")


def on_no_answer(net: Network, call: Call, party: Party) -> None:
    """A ring list went unanswered: no-answer forwarding, else the caller gets no_answer."""
    if party.is_line and party.forwarding.no_answer:
        forward(net, call, party, "no_answer")
    else:
        net.release(call, "no_answer")


def forward(net: Network, call: Call, party: Party, condition: str) -> None:
    """Send ``call`` on from ``party`` to its ``condition`` destination."""
    number = party.forwarding.get(condition)
    if number is None:
        net.release(call, condition if condition in ("busy", "unreachable", "no_answer") else "busy")
        return
    call.hops += 1
    net.publish(CallDidForward(net.now, call.id, party.id, number, condition, call.hops))
    target = net.groups.by_number.get(number) or net.by_number.get(number)
    if target is None:
        net.release(call, "number_not_allocated")
        return
    if call.hops > MAX_HOPS or target.id in call.chain:
        net.release(call, "forwarding_loop")
        return
    forwarders = tuple(call.chain)
    call.chain.append(target.id)
    deliver(net, call, target, forwarders)
