"""MMI service codes typed on the keypad then CALL (SPEC 8; TS 22.030).

Forwarding: ``**SC*N#`` register and activate (``*SC*N#`` too, as networks accept it),
``*SC#`` activate the registered number again, ``#SC#`` deactivate (the number stays
registered), ``##SC#`` erase, ``*#SC#`` interrogate; SC is 21 (unconditional), 67 (busy),
61 (no answer; ``**61*N**T#`` or ``**61*N*BS*T#`` with the delay T), 62 (unreachable), 002
(all) and 004 (all conditional; T allowed as for 61). A basic service group BS, when
given, must be telephony (10 or 11). Call waiting: ``*43#``, ``#43#``, ``*#43#`` when the
line has ``double_appel``.

Each change goes through the portal service as the line itself (``via="mmi"``), so the
same validation and audit apply and a refusal changes nothing; the network's answer,
or the refusal's reason, goes on the display.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from phone_sim.network.catalogue import text
from phone_sim.network.events import ServiceAnswer
from phone_sim.network.refusal import Refused

if TYPE_CHECKING:
    from phone_sim.network.switch import Network

SERVICES: dict[str, tuple[str, ...]] = {
    "21": ("unconditional",), "67": ("busy",), "61": ("no_answer",), "62": ("unreachable",),
    "002": ("unconditional", "busy", "no_answer", "unreachable"),
    "004": ("busy", "no_answer", "unreachable"),
}
CODE_OF = {kinds[0]: sc for sc, kinds in SERVICES.items() if len(kinds) == 1}
WITH_DELAY = ("61", "002", "004")
TELEPHONY = ("", "10", "11")  # no basic service given, all teleservices, telephony
PATTERN = re.compile(
    r"^(?P<op>\*\*|\*#|##|\*|#)(?P<sc>[0-9]{2,3})"
    r"(?:\*(?P<number>[0-9]{0,32})(?:\*(?P<bs>[0-9]{0,8})(?:\*(?P<delay>[0-9]{1,4}))?)?)?#$"
)
OPERATIONS = {"**": "set_forwarding", "*": "activate_forwarding", "#": "deactivate_forwarding",
              "##": "clear_forwarding"}
ANSWERS = {"**": "mmi.activated", "*": "mmi.activated", "#": "mmi.deactivated", "##": "mmi.erased"}

Outcome = Refused | tuple[str, str]


def is_mmi(digits: str) -> bool:
    return digits[:1] in ("*", "#") and digits.endswith("#") and len(digits) >= 3


def run(net: Network, line: str, digits: str) -> Refused | None:
    """Execute an MMI code for ``line``; the network's answer goes on its display."""
    return _answer(net, line, _outcome(net, line, digits))


def _outcome(net: Network, line: str, digits: str) -> Outcome:
    match = PATTERN.match(digits)
    if match is None:
        return Refused("unknown_code", digits)
    party = net.parties.get(line)
    if party is None or not party.is_line:
        return Refused("forbidden", "not a line of the company")
    op, code = match["op"], match["sc"]
    number, bs, delay = match["number"], match["bs"], match["delay"]
    if code == "43":
        if number is not None:
            return Refused("unknown_code", digits)
        return _call_waiting(net, line, op)
    if code not in SERVICES or (bs or "") not in TELEPHONY:
        return Refused("unknown_code", digits)
    if delay is not None and code not in WITH_DELAY:
        return Refused("unknown_code", digits)
    if op == "*#":
        return Refused("unknown_code", digits) if number or delay else _interrogate(net, line, code)
    if op == "*" and number:
        op = "**"  # *SC*N# registers and activates, as networks accept it
    if op != "**" and number is not None:
        return Refused("unknown_code", digits)
    params: dict[str, object] = {"line": line, "type": list(SERVICES[code])}
    if op == "**":
        if not number:
            return Refused("no_number")
        params["to"] = number
        if delay is not None:
            params["delay"] = int(delay)
    result = net.portal.execute(line, OPERATIONS[op], params, via="mmi")
    if result is not None:
        return result
    return (ANSWERS[op], "")


def _interrogate(net: Network, line: str, code: str) -> Outcome:
    """``*#SC#``: the active destinations (with the delay for no answer)."""
    forwarding = net.parties[line].forwarding
    conditions = SERVICES[code]
    active = []
    for condition in conditions:
        number = forwarding.get(condition)
        if number is None:
            continue
        notes = [CODE_OF[condition]] if len(conditions) > 1 else []
        if condition == "no_answer":
            notes.append(f"{forwarding.delay} s")
        active.append(f"{number} ({', '.join(notes)})" if notes else number)
    if not active:
        return ("mmi.not_active", "")
    return ("mmi.active_to", ", ".join(active))


def _call_waiting(net: Network, line: str, op: str) -> Outcome:
    party = net.parties[line]
    if op not in ("*", "#", "*#"):
        return Refused("unknown_code", op + "43#")
    if not party.has("double_appel"):
        return Refused("double_appel_required")
    if op == "*#":
        return ("mmi.waiting_on" if party.call_waiting else "mmi.waiting_off", "")
    result = net.portal.execute(line, "set_call_waiting", {"line": line, "on": op == "*"}, via="mmi")
    if result is not None:
        return result
    return ("mmi.waiting_on" if op == "*" else "mmi.waiting_off", "")


def _answer(net: Network, line: str, outcome: Outcome) -> Refused | None:
    """A refusal is returned (the handset shows it); an answer goes on the display now."""
    if isinstance(outcome, Refused):
        return outcome
    key, detail = outcome
    party = net.parties[line]
    party.notice = (key, detail)
    net.touch(party)
    fr = f"{text(key, 'fr')} {detail}".strip()
    en = f"{text(key, 'en')} {detail}".strip()
    net.publish(ServiceAnswer(net.now, line, key, fr, en))
    net.flush()
    return None
