"""MMI service codes typed on the keypad then CALL (SPEC 8; TS 22.030).

``**21*N#`` register and activate, ``*21#`` activate again, ``#21#`` deactivate, ``##21#``
erase, ``*#21#`` interrogate; the same for 67 (busy), 61 (no answer, ``**61*N**T#`` with
the delay), 62 (unreachable), 002 (all), 004 (all conditional); ``*43#``, ``#43#``,
``*#43#`` for call waiting. The change goes through the portal service as the user of
the line, so the same validation and audit apply; the answer shows on the display.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from phone_sim.network.catalogue import text
from phone_sim.network.events import ServiceAnswer
from phone_sim.network.refusal import Refused

if TYPE_CHECKING:
    from phone_sim.network.switch import Network

SERVICES = {"21": ("unconditional",), "67": ("busy",), "61": ("no_answer",), "62": ("unreachable",),
            "002": ("unconditional", "busy", "no_answer", "unreachable"),
            "004": ("busy", "no_answer", "unreachable")}
PATTERN = re.compile(r"^(?P<op>\*\*|\*#|##|\*|#)(?P<sc>\d{2,3})(?:\*(?P<number>[+\d]+))?(?:\*\*?(?P<delay>\d+))?#$")


def is_mmi(digits: str) -> bool:
    return digits[:1] in ("*", "#") and digits.endswith("#") and len(digits) >= 3


def run(net: Network, line: str, digits: str) -> Refused | None:
    """Execute an MMI code for ``line``; the network's answer goes on its display."""
    match = PATTERN.match(digits)
    if match is None:
        return _answer(net, line, Refused("unknown_code", digits))
    op, code = match["op"], match["sc"]
    if code == "43":
        return _answer(net, line, _call_waiting(net, line, op))
    if code not in SERVICES:
        return _answer(net, line, Refused("unknown_code", digits))
    party = net.parties[line]
    conditions = SERVICES[code]
    if op == "*#":
        active = [f"{c}: {party.forwarding.get(c)}" for c in conditions if party.forwarding.get(c)]
        key = "mmi.active_to" if active else "mmi.not_active"
        return _answer(net, line, (key, "; ".join(active)))
    registered: dict[str, str] = party.__dict__.setdefault("registered", {})
    for condition in conditions:
        if op == "**":
            if not match["number"]:
                return _answer(net, line, Refused("no_number"))
            params = {"line": line, "type": condition, "to": match["number"]}
            if match["delay"] and condition == "no_answer":
                params["delay"] = int(match["delay"])
            result = net.portal.execute(line, "set_forwarding", params)
            if result is None:
                registered[condition] = party.forwarding.get(condition) or match["number"]
        elif op == "*":
            number = registered.get(condition)
            if number is None:
                return _answer(net, line, Refused("no_number"))
            result = net.portal.execute(line, "set_forwarding", {"line": line, "type": condition, "to": number})
        else:
            if op == "##":
                registered.pop(condition, None)
            result = net.portal.execute(line, "clear_forwarding", {"line": line, "type": condition})
        if result is not None:
            return _answer(net, line, result)
    key = {"**": "mmi.activated", "*": "mmi.activated", "#": "mmi.deactivated", "##": "mmi.erased"}[op]
    return _answer(net, line, (key, ""))


def _call_waiting(net: Network, line: str, op: str) -> Refused | tuple[str, str]:
    party = net.parties[line]
    if not party.has("double_appel"):
        return Refused("double_appel_required")
    if op == "*#":
        return ("mmi.waiting_on" if party.call_waiting else "mmi.waiting_off", "")
    if op not in ("*", "#"):
        return Refused("unknown_code", op + "43#")
    result = net.portal.execute(line, "set_call_waiting", {"line": line, "on": op == "*"})
    if result is not None:
        return result
    return ("mmi.waiting_on" if op == "*" else "mmi.waiting_off", "")


def _answer(net: Network, line: str, outcome: Refused | tuple[str, str]) -> Refused | None:
    party = net.parties[line]
    if isinstance(outcome, Refused):
        return outcome
    key, detail = outcome
    party.notice = (key, detail)
    net.touch(party)
    fr = f"{text(key, 'fr')} {detail}".strip()
    en = f"{text(key, 'en')} {detail}".strip()
    net.publish(ServiceAnswer(net.now, line, key, fr, en))
    net.flush()
    return None
