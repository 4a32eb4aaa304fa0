"""Which field of a portal form is wrong, and why: the core's own rules, field by field.

The portal service stops at the first broken rule; a form wants every wrong field marked
at once, next to the field. These helpers run the same core checks (``check_forwarding``,
``check_ring_list``, the group rules of ``validate_company``) and return ``{field: Refused}``. The portal
service still has the last word when the form is sent.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from phone_sim.network.company import GroupSpec, RingList, check_forwarding, check_ring_list
from phone_sim.network.groupadmin import group_rule_errors
from phone_sim.network.printable import ascii_digits
from phone_sim.network.refusal import Refused

if TYPE_CHECKING:
    from phone_sim.network.parties import Party
    from phone_sim.network.switch import Network

Errors = dict[str, Refused]
GROUP_INTEGERS = {"queue": "invalid_value", "switchover_delay": "invalid_delay", "inter_call_delay": "invalid_delay"}
# where a refusal from the portal service goes when no field check caught it first
FIELD_OF_REASON = {
    "invalid_delay": "delay", "invalid_code": "user_code", "number_in_use": "number",
    "invalid_number": "number", "duplicate_group": "name",
}


def whole(value: str) -> int | None:
    value = value.strip()
    return int(value) if ascii_digits(value) and len(value) <= 9 else None


def forwarding_errors(net: Network, line: Party, kind: str, to: str, delay: str) -> Errors:
    errors: Errors = {}
    seconds = whole(delay)
    if kind == "no_answer" and seconds is None:
        errors["delay"] = Refused("invalid_delay", repr(delay))
    new = line.forwarding.with_(kind, to.strip(), seconds if kind == "no_answer" else None)
    for key, refused in check_forwarding(new, line.number, net.plan):
        if key == kind:
            errors["number"] = refused
        elif key == "delay" and kind == "no_answer":
            errors.setdefault("delay", refused)
    return errors


def ring_list_errors(net: Network, mode: str, numbers: list[str], step: str) -> Errors:
    """``numbers`` as typed, one per field (blank fields are skipped)."""
    errors: Errors = {}
    typed = [(i, n.strip()) for i, n in enumerate(numbers) if n.strip()]
    if not typed:
        errors["number-0"] = Refused("required")
    seconds = whole(step)
    if mode == "sequential" and seconds is None:
        errors["step"] = Refused("invalid_delay", repr(step))
    ring = RingList(cast(Any, mode), tuple(n for _, n in typed), seconds if seconds is not None else 15)
    vpn = {p.number for p in net.parties.values() if p.is_line}
    for key, refused in check_ring_list(ring, vpn, net.plan):
        if isinstance(key, int):
            errors[f"number-{typed[key][0]}"] = refused
        elif key == "step" and mode == "sequential":
            errors.setdefault("step", refused)
    return errors


def group_errors(net: Network, values: dict[str, str], replacing: str | None) -> tuple[dict[str, Any], Errors]:
    """The group's settings read from the form, and what is wrong with them."""
    errors: Errors = {}
    settings: dict[str, Any] = {k: v.strip() for k, v in values.items()}
    for key, reason in GROUP_INTEGERS.items():
        number = whole(settings.get(key, ""))
        if number is None:
            errors[key] = Refused(reason, repr(settings.get(key, "")))
        else:
            settings[key] = number
    if not settings.get("name"):
        errors["name"] = Refused("required")
    if errors:
        return settings, errors
    old = net.groups.groups.get(replacing) if replacing else None
    base = old.spec() if old is not None else GroupSpec("?new?", "", "")
    trial = replace(base, **{k: v for k, v in settings.items() if k in GroupSpec.__slots__})
    number = net.plan.normalise(trial.number)
    trial = replace(trial, number=number or trial.number)
    for error in group_rule_errors(net, trial, replacing):
        if len(error.path) > 2:
            errors.setdefault(str(error.path[2]), Refused(error.reason))  # the rule text is English only
    return settings, errors


def new_group_id(net: Network, name: str) -> str:
    """An id for a new group, from its name ("Com" -> "COM"), unused by any group or party."""
    base = "".join(c if c.isalnum() else "_" for c in name.strip().upper()) or "GROUPE"
    ident, n = base, 1
    while ident in net.groups.groups or ident in net.parties:
        n += 1
        ident = f"{base}_{n}"
    return ident
