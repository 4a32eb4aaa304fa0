"""The double-call key and in-call digits (SPEC 2, 3).

HOLD answers a waiting call (holding the active one), holds the active call, retrieves the
held one, or swaps the two; it needs ``double_appel``. Digits keyed during an answered
call go in-band to the parties that hear the sender's voice now (media.peers: not a party
holding the call, nor one the sender holds; shown on their displays), and to a network
service answering the call (the voice menu), which no other party hears.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from phone_sim.network.events import DtmfWasSent
from phone_sim.network.media import peers
from phone_sim.network.refusal import Refused

if TYPE_CHECKING:
    from phone_sim.network.parties import Party
    from phone_sim.network.switch import Network

DTMF_SHOWN = 20  # received DTMF digits a display keeps


def hold_key(net: Network, party: Party) -> Refused | None:
    states = [leg.state for leg in party.legs]
    if not states:
        return Refused("no_call")
    if "alerting" in states and len(states) > 1:
        if not party.has("double_appel"):
            return Refused("double_appel_required")
        return net.answer(party.id)
    if not party.has("double_appel"):
        return Refused("double_appel_required")
    if "calling" in states or states == ["alerting"]:
        return Refused("too_many_calls") if "calling" in states else Refused("nothing_to_answer")
    active = [leg for leg in party.legs if leg.state == "connected"]
    held = [leg for leg in party.legs if leg.state == "held"]
    for leg in active:
        net.hold_leg(leg)
    for leg in held:
        net.retrieve_leg(leg)
    return None


def send_dtmf(net: Network, party: Party, digit: str) -> Refused | None:
    leg = next((leg for leg in party.legs if leg.state == "connected"), None)
    if leg is None:
        return Refused("no_call")
    call = leg.call
    receivers = peers(leg)  # heard by whoever hears the sender's voice (SPEC 12)
    for other in receivers:
        other.dtmf = (other.dtmf + digit)[-DTMF_SHOWN:]
        net.touch(other.party)
    net.publish(DtmfWasSent(net.now, party.id, digit, tuple(other.party.id for other in receivers)))
    if call.service is not None:
        call.service.digit(digit)
    return None
