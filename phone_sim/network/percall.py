"""Actions on one call of a handset, named by the handset's leg in it.

A handset's keys act on "the active call" or "the held call"; a SIP device addresses each
call by its dialog instead (a BYE, a hold re-INVITE or a 200 names one call). These
actions give the same results as the keys, for the call named: END on that call, HOLD or
retrieve of that call (needs ``double_appel``, like the HOLD key), answer of that call.
Retrieving a call while another one is active holds the other, as the HOLD key swaps.

A call is named by the handset's leg (``CallView.leg``), not the call's id: a conference
merges calls and a transfer moves a leg into another call, and the leg stays the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from phone_sim.network.refusal import Refused

if TYPE_CHECKING:
    from phone_sim.network.calls import Leg
    from phone_sim.network.parties import Party
    from phone_sim.network.switch import Network


def leg_of(party: Party, leg_id: int) -> Leg | None:
    """The party's leg of that id, if it still has it."""
    for leg in party.legs:
        if leg.id == leg_id:
            return leg
    return None


def end_call(net: Network, party: Party, leg_id: int) -> Refused | None:
    leg = leg_of(party, leg_id)
    if leg is None:
        return Refused("no_call")
    if leg.state in ("connected", "held"):
        net.leave(leg)
    elif leg.state == "calling":
        net.release(leg.call, "abandoned", by=party.id)
    elif leg.state == "alerting":
        net.reject_leg(leg)
    else:
        return Refused("no_call")
    return None


def hold_call(net: Network, party: Party, leg_id: int) -> Refused | None:
    leg = leg_of(party, leg_id)
    if leg is None:
        return Refused("no_call")
    if not party.has("double_appel"):
        return Refused("double_appel_required")
    if leg.state == "held":
        return None
    if leg.state != "connected":
        return Refused("no_call")
    net.hold_leg(leg)
    return None


def retrieve_call(net: Network, party: Party, leg_id: int) -> Refused | None:
    leg = leg_of(party, leg_id)
    if leg is None:
        return Refused("no_call")
    if leg.state == "connected":
        return None
    if leg.state != "held":
        return Refused("no_call")
    if not party.has("double_appel"):
        return Refused("double_appel_required")
    for other in party.legs:
        if other is not leg and other.state == "connected":
            net.hold_leg(other)
    net.retrieve_leg(leg)
    return None


def answer_call(net: Network, party: Party, leg_id: int) -> Refused | None:
    leg = leg_of(party, leg_id)
    if leg is None or leg.state != "alerting":
        return Refused("nothing_to_answer")
    return net.answer(party.id)
