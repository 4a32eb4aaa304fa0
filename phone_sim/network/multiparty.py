"""Transfer with #1 (SPEC 4), conferences of up to six (SPEC 5), call-related codes (SPEC 8).

Refusals follow the spec's order: options (``no_pabx_option``, ``double_appel_required``),
then location (transfer only), then call state, then values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from phone_sim.network.events import CallDidTransfer, ConferenceDidChange
from phone_sim.network.printable import ascii_digits
from phone_sim.network.refusal import Refused

if TYPE_CHECKING:
    from phone_sim.network.calls import Call, Leg
    from phone_sim.network.parties import Party
    from phone_sim.network.switch import Network

MAX_CONFERENCE = 6


def _options(party: Party) -> Refused | None:
    if not party.has("pabx"):
        return Refused("no_pabx_option")
    if not party.has("double_appel"):
        return Refused("double_appel_required")
    return None


def _active_and_held(party: Party) -> tuple[Leg, Leg] | None:
    """Exactly one answered active call and one held call (a waiting call may ring too)."""
    active = [leg for leg in party.legs if leg.state == "connected"]
    held = [leg for leg in party.legs if leg.state == "held"]
    others = [leg for leg in party.legs if leg.state == "calling"]
    if len(active) != 1 or len(held) != 1 or others:
        return None
    if active[0].call.service is not None or held[0].call.service is not None:
        return None
    return active[0], held[0]


def _others(leg: Leg) -> list[Leg]:
    return [other for other in leg.call.legs if other is not leg and other.state != "released"]


def transfer(net: Network, party: Party) -> Refused | None:
    refusal = _options(party)
    if refusal is not None:
        return refusal
    if party.location == "abroad":
        return Refused("unavailable_abroad")
    if party.location == "white_zone":
        return Refused("unavailable_white_zone")
    pair = _active_and_held(party)
    if pair is None:
        return Refused("transfer_needs_two_calls")
    active, held = pair
    remote_active, remote_held = _others(active), _others(held)
    if len(remote_active) != 1 or len(remote_held) != 1:
        return Refused("transfer_needs_two_calls")
    if remote_active[0].party is remote_held[0].party:  # two calls with the same person
        return Refused("transfer_needs_two_calls")
    for remote in (remote_active[0], remote_held[0]):
        if net.plan.is_special(remote.party.number):
            return Refused("special_number_not_allowed")
    base, other_call = held.call, active.call
    moving = remote_active[0]
    net.detach(base, held)
    net._drop_leg(held)
    net.detach(other_call, active)
    net._drop_leg(active)
    net.detach(other_call, moving)
    moving.call = base
    base.legs.append(moving)
    base.organiser = None
    net.release(other_call, "transferred", by=party.id)
    for leg in base.legs:
        net.touch(leg.party)
    net.publish(CallDidTransfer(net.now, party.id, (remote_held[0].party.id, moving.party.id), base.id))
    return None


def conference(net: Network, party: Party) -> Refused | None:
    refusal = _options(party)
    if refusal is not None:
        return refusal
    pair = _active_and_held(party)
    if pair is None:
        return Refused("conference_needs_two_calls")
    active, held = pair
    joining, present = _others(active), _others(held)
    # a person in both calls (called twice) cannot be in the conference twice
    if {leg.party.id for leg in joining} & {leg.party.id for leg in present}:
        return Refused("conference_needs_two_calls")
    size = 1 + len(joining) + len(present)
    if size > MAX_CONFERENCE:
        return Refused("conference_full")
    # the new party joins the existing conference; its organiser stays in charge, even
    # when a participant adds someone (documented in docs/behaviour.md)
    base_leg, other_leg = held, active
    if active.call.organiser is party or (active.call.organiser is not None and held.call.organiser is None):
        base_leg, other_leg = active, held
    base, other_call = base_leg.call, other_leg.call
    for leg in _others(other_leg):
        net.detach(other_call, leg)
        leg.call = base
        base.legs.append(leg)
    net.detach(other_call, other_leg)
    net._drop_leg(other_leg)
    net.release(other_call, "merged", by=party.id)
    if base_leg.state == "held":
        net.retrieve_leg(base_leg)
    if base.organiser is None:
        base.organiser = party
    participants_changed(net, base)
    return None


def participants_changed(net: Network, call: Call) -> None:
    """After a join or a departure: two left make an ordinary call."""
    live = call.live_legs()
    if len(live) <= 2:
        call.organiser = None
    for leg in live:
        net.touch(leg.party)
    organiser = call.organiser.id if call.organiser is not None else ""
    net.publish(ConferenceDidChange(net.now, call.id, organiser, tuple(leg.party.id for leg in live)))


def participant(party: Party, index: str) -> Leg | None:
    """Participant X (1-based, in joining order) of the conference this party organises."""
    conf = next((leg for leg in party.legs if leg.call.organiser is party), None)
    if conf is None or not ascii_digits(index) or len(index) > 2:
        return None
    others = _others(conf)
    position = int(index) - 1
    return others[position] if 0 <= position < len(others) else None


def call_related(net: Network, party: Party, code: str) -> Refused | None:
    """``0``, ``1``, ``1X``, ``2``, ``2X``, ``3``, ``4`` followed by CALL during calls."""
    states = {leg.state: leg for leg in party.legs}
    waiting = states.get("alerting") if len(party.legs) > 1 else None
    if code == "0":
        if waiting is not None:
            net.reject_leg(waiting)
        elif "held" in states:
            net.leave(states["held"])
        else:
            return Refused("no_call")
        return None
    if code == "1":
        # release the call in the foreground (answered, or still being placed), then take
        # the waiting call, else the held one
        current = states.get("connected") or states.get("calling")
        held = states.get("held")
        if current is None and waiting is None and held is None:
            return Refused("no_call")
        if current is not None and current.state == "connected":
            net.leave(current)
        elif current is not None:
            net.release(current.call, "abandoned", by=party.id)
        if waiting is not None and waiting.state == "alerting":
            net.connect(waiting)
        elif held is not None and held.state == "held":
            net.retrieve_leg(held)
        return None
    if code == "2":
        return net.hold(party.id)
    if code == "3":
        return conference(net, party)
    if code == "4":
        return transfer(net, party)
    if len(code) == 2 and code[0] in "12":
        target = participant(party, code[1])
        if target is None:
            return Refused("no_participant")
        if code[0] == "1":
            net.leave(target)
            return None
        # a private call beside any other held or active call would be one call too many
        if any(leg.call is not target.call and leg.state != "alerting" for leg in party.legs):
            return Refused("too_many_calls")
        split(net, party, target)
        return None
    return Refused("unknown_code")


def split(net: Network, party: Party, target: Leg) -> None:
    """``2X``: a private call with participant X; the rest stay held in conference."""
    conf_leg = next(leg for leg in party.legs if leg.call is target.call)
    conf = conf_leg.call
    net.detach(conf, target)
    private = net.factory.new_call(target.party.id, net.now)
    net.calls[private.id] = private
    mine = net.factory.new_leg(party, private, True, net.now)
    private.caller = mine
    net.factory.fire(mine, "connect")
    mine.answered_at = net.now
    net.factory.fire(private, "connect")
    private.answered_at = net.now
    target.call = private
    private.legs = [mine, target]
    party.legs.append(mine)
    if conf_leg.state == "connected":
        net.hold_leg(conf_leg)
    participants_changed(net, conf)
    net.touch(target.party)

