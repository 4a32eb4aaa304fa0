"""Power and location of handsets: switching off, moving, losing the network (SPEC 1).

Off or with no coverage a handset is unreachable and loses every call: an answered call is
left (a conference it organises is released), a call being placed is abandoned, and a call
ringing there follows the line's unreachable forwarding, else the caller gets
``unreachable``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from phone_sim.network import delivery
from phone_sim.network.company import LOCATIONS
from phone_sim.network.events import LocationDidChange, PowerDidChange
from phone_sim.network.refusal import Refused

if TYPE_CHECKING:
    from phone_sim.network.parties import Party
    from phone_sim.network.switch import Network


def switch_off(net: Network, party: Party) -> Refused | None:
    if not party.power:
        return None
    # off first: forwarding triggered by the lost calls must not ring this handset again
    party.power = False
    lose_network(net, party)
    party.notice = None
    party.transient_tone = None  # no busy tone or announcement left for when it comes back on
    net.touch(party)
    net.publish(PowerDidChange(net.now, party.id, False))
    net.groups.party_changed(party)
    return None


def switch_on(net: Network, party: Party) -> Refused | None:
    if party.power:
        return None
    party.power = True
    net.touch(party)
    net.publish(PowerDidChange(net.now, party.id, True))
    net.groups.party_free(party)
    return None


def move(net: Network, party: Party, location: str) -> Refused | None:
    if location not in LOCATIONS:
        return Refused("invalid_value", location)
    before = party.location
    party.location = location
    if location == "no_coverage" and before != "no_coverage":
        lose_network(net, party)
        party.transient_tone = None
    net.touch(party)
    net.publish(LocationDidChange(net.now, party.id, location))
    if before == "no_coverage" and location != "no_coverage":
        net.groups.party_free(party)
    else:
        net.groups.party_changed(party)
    return None


def lose_network(net: Network, party: Party) -> None:
    """Every call of the handset is lost."""
    for leg in list(party.legs):
        if leg.state == "released" or leg.party is not party:
            continue
        call = leg.call
        if leg.state == "alerting":
            net.stop_ringing(leg, "unreachable")
            if call.hunt is not None:
                call.hunt.gone(party, "unreachable")
            else:
                delivery.on_unreachable(net, call, party)
        elif leg.state == "calling":
            net.release(call, "abandoned", by=party.id)
        else:
            net.leave(leg)
