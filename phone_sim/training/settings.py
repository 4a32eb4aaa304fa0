"""A goal's ``settings`` checked against the live network, whatever face changed them
(a portal form, an MMI code typed on the handset, a scenario ``portal:`` step)."""

from __future__ import annotations

from phone_sim.network.switch import Network
from phone_sim.training.model import Settings


def check_settings(net: Network, settings: Settings) -> str | None:
    """None when every setting holds, else why not (English, for authors and reports)."""
    for line, condition, number in settings.forwarding:
        actual = net.parties[line].forwarding.get(condition)
        if actual != number:
            return f"{line}'s {condition} forwarding is {actual or 'off'}, expected {number or 'off'}"
    for line, expected in settings.ring_lists:
        ring = net.parties[line].ring_list
        if expected is None:
            if ring is not None:
                return f"{line} has a ring list ({ring.describe()}), expected none"
            continue
        if ring is None:
            return f"{line} has no ring list"
        if expected.mode is not None and ring.mode != expected.mode:
            return f"{line}'s ring list is {ring.mode}, expected {expected.mode}"
        if expected.numbers is not None and tuple(ring.numbers) != expected.numbers:
            return f"{line}'s ring list is {', '.join(ring.numbers)}, expected {', '.join(expected.numbers)}"
        if expected.step is not None and ring.step != expected.step:
            return f"{line}'s ring list step is {ring.step} s, expected {expected.step} s"
    for group_id, lines in settings.connected:
        group = net.groups.groups.get(group_id)
        missing = [line for line in lines if group is None or line not in group.connected]
        if missing:
            return f"{', '.join(missing)} not connected to group {group_id}"
    return None
