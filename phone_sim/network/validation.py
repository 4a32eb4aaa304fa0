"""Every spec rule a company must keep, reported as ``ConfigError``s with key paths."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Protocol

from phone_sim.network.company import (
    DISTRIBUTIONS,
    LINE_KINDS,
    MAX_GROUP_MEMBERS,
    MAX_ID_LENGTH,
    MAX_INTER_CALL_DELAY,
    MAX_NAME_LENGTH,
    MAX_QUEUE,
    MAX_SWITCHOVER_DELAY,
    OPTIONS,
    CompanySpec,
    ConfigError,
    GroupSpec,
    Path,
    check_code,
    check_forwarding,
    check_ring_list,
    check_sip_secret,
)
from phone_sim.network.numbering import Number, NumberingPlan, check_plan
from phone_sim.network.printable import has_control
from phone_sim.network.refusal import Refused

_KNOWN_OPTIONS = frozenset(OPTIONS)
GROUP_INTS = (("queue", 0, MAX_QUEUE), ("switchover_delay", 1, MAX_SWITCHOVER_DELAY),
              ("inter_call_delay", 0, MAX_INTER_CALL_DELAY))


def name_problem(name: object, what: str = "a name") -> str | None:
    """Why a display name cannot be used (empty, too long, control characters), or None."""
    if not isinstance(name, str) or not name.strip():
        return f"{what} is a non-empty text"
    if len(name) > MAX_NAME_LENGTH:
        return f"{what} has at most {MAX_NAME_LENGTH} characters"
    if not name.isprintable() and has_control(name):  # printable: has_control's first answer
        return f"{what} may not contain control characters"
    return None


def id_problem(ident: object) -> str | None:
    """Why an id cannot be used, or None; uniqueness is checked by the caller."""
    if not isinstance(ident, str) or not ident.strip():
        return "an id is a non-empty string"
    if len(ident) > MAX_ID_LENGTH or (not ident.isprintable() and has_control(ident)) or ident != ident.strip():
        return f"an id has at most {MAX_ID_LENGTH} characters, no control characters and no spaces around it"
    return None


def validate_company(spec: CompanySpec) -> list[ConfigError]:
    errors: list[ConfigError] = []
    plan = spec.plan

    def err(path: tuple[str | int, ...], reason: str, rule: str) -> None:
        errors.append(ConfigError(path, reason, rule))

    plan_errors = check_plan(plan)
    for field, rule in plan_errors:
        err(("numbering", field), "invalid_value", rule)
    if plan_errors:  # numbers cannot be read with this plan: nothing more to say
        return errors
    problem = name_problem(spec.name, "the company's name")
    if problem:
        err(("name",), "invalid_value", problem)

    ids: dict[str, str] = {}  # casefold -> the id: ids must differ by more than case
    numbers: dict[str, tuple[str | int, ...]] = {}
    shorts: dict[str, tuple[str | int, ...]] = {}

    def claim_id(ident: str, path: tuple[str | int, ...]) -> None:
        if check_id(ident, path, ids.get, err):
            ids[ident.casefold()] = ident

    def check_name(name: object, path: tuple[str | int, ...]) -> None:
        problem = name_problem(name)
        if problem:
            err(path + ("name",), "invalid_value", problem)

    def claim_number(number: str, path: tuple[str | int, ...], allow_international: bool) -> Number:
        parsed = plan.parse(number)
        if parsed.kind == "international" and allow_international:
            pass
        elif parsed.kind != "national":
            err(path + ("number",), "invalid_number",
                f"{number!r} is not a 10-digit national number" + (" or +CC international" if allow_international else ""))
            return parsed
        if parsed.digits in numbers:
            err(path + ("number",), "number_in_use", f"number {number} is used twice")
        else:
            numbers[parsed.digits] = path
        return parsed

    line_numbers: set[str] = set()  # normalised, for ring lists (parsed once, here)

    taken = ids.get
    for i, line in enumerate(spec.lines):  # the calls of claim_id and check_name, one level less
        path: tuple[str | int, ...] = ("lines", i)
        if check_id(line.id, path, taken, err):
            ids[line.id.casefold()] = line.id
        problem = name_problem(line.name)
        if problem:
            err(path + ("name",), "invalid_value", problem)
        parsed = claim_number(line.number, path, False)
        if parsed.kind in ("national", "international"):
            line_numbers.add(parsed.digits)
        if line.short is not None:
            if plan.parse(line.short).kind != "short":
                err(path + ("short",), "invalid_number",
                    f"short number {line.short!r}: {plan.short_min} to {plan.short_max} digits, not starting with 0")
            elif line.short in shorts:
                err(path + ("short",), "number_in_use", f"short number {line.short} is used twice")
            else:
                shorts[line.short] = path
        if line.kind not in LINE_KINDS:
            err(path + ("kind",), "invalid_value", f"kind must be one of {', '.join(LINE_KINDS)}")
        for option in () if _KNOWN_OPTIONS.issuperset(line.options) else sorted(line.options):
            if option not in OPTIONS:
                err(path + ("options",), "invalid_value", f"unknown option {option!r} (known: {', '.join(OPTIONS)})")
        if line.sip_secret is not None:
            secret = check_sip_secret(line.sip_secret)
            if isinstance(secret, Refused):
                err(path + ("sip_secret",), secret.reason, f"sip_secret: {secret.detail}")
    for i, ext in enumerate(spec.externals):
        path = ("externals", i)
        claim_id(ext.id, path)
        check_name(ext.name, path)
        claim_number(ext.number, path, allow_international=True)

    lines = {line.id: line for line in spec.lines}

    def owner(digits: str) -> str | None:
        path = numbers.get(digits)
        return None if path is None else str(path[0])

    for i, group in enumerate(spec.groups):
        group_errors(group, ("groups", i), plan, claim_id, check_name, owner, lines.get, err)

    for line_id, fwd in spec.forwarding.items():
        path = ("forwarding", line_id)
        fwd_line = lines.get(line_id)
        if fwd_line is None:
            err(path, "unknown_line", f"forwarding for {line_id!r}, which is not a line of the company")
            continue
        own = plan.normalise(fwd_line.number) or fwd_line.number
        for key, refusal in check_forwarding(fwd, own, plan):
            err(path + (key,), refusal.reason, refusal.message_en)
    for line_id, ring in spec.incoming.items():
        path = ("incoming", line_id)
        if line_id not in lines:
            err(path, "unknown_line", f"ring list for {line_id!r}, which is not a line of the company")
            continue
        for ring_key, refusal in check_ring_list(ring, line_numbers, plan):
            sub: tuple[str | int, ...] = ("numbers", ring_key) if isinstance(ring_key, int) else (ring_key,)
            err(path + sub, refusal.reason, refusal.message_en)
    return errors


def check_id(ident: str, path: Path, taken: Callable[[str], str | None],
             err: Callable[[Path, str, str], None]) -> bool:
    """A usable id that no other party or group has; ``taken(casefolded)`` names the id that
    holds it (ids must differ by more than case), or None."""
    problem = id_problem(ident)
    if problem:
        err(path + ("id",), "invalid_value", problem)
        return False
    holder = taken(ident.casefold())
    if holder is not None:
        same = "" if holder == ident else f" (as {holder!r}: ids are compared without regard to case)"
        err(path + ("id",), "invalid_value", f"duplicate id {ident!r}{same}")
        return False
    return True


class MemberLine(Protocol):
    """What the group rules read of a member's line (a ``LineSpec`` or a live ``Party``)."""

    @property
    def number(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def options(self) -> AbstractSet[str]: ...


def group_errors(group: GroupSpec, path: Path, plan: NumberingPlan, claim_id: Callable[[str, Path], None],
                 check_name: Callable[[object, Path], None], number_owner: Callable[[str], str | None],
                 line_of: Callable[[str], MemberLine | None], err: Callable[[Path, str, str], None]) -> None:
    """Every broken rule of one group, given who holds ids and numbers.

    ``claim_id`` reports an id that is unusable or taken; ``number_owner`` says which kind of
    party ("lines", "externals") holds a national number, if any; ``line_of`` finds a line of
    the company. ``validate_company`` passes its tables; the portal passes the live
    network's indexes, so checking one group costs the same in any company.
    """
    claim_id(group.id, path)
    check_name(group.name, path)
    parsed = plan.parse(group.number)
    if parsed.kind != "national":
        err(path + ("number",), "invalid_number", f"group number {group.number!r} is not a 10-digit national number")
    elif (owner := number_owner(parsed.digits)) is not None:
        member_numbers = {plan.normalise(line.number) for line in map(line_of, group.members) if line}
        if owner != "lines" or parsed.digits not in member_numbers:
            err(path + ("number",), "number_in_use",
                f"group number {group.number} is used by another party (only a member's number may be shared)")
    for key in ("user_code", "admin_code"):
        if isinstance(check_code(getattr(group, key)), Refused):
            err(path + (key,), "invalid_code", f"{key} must be 4 digits")
    for key, low, high in GROUP_INTS:
        value = getattr(group, key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            err(path + (key,), "invalid_delay" if "delay" in key else "invalid_value",
                f"{key} must be a whole number from {low} to {high}")
    if group.distribution not in DISTRIBUTIONS:
        err(path + ("distribution",), "invalid_value", f"distribution must be one of {', '.join(DISTRIBUTIONS)}")
    if len(group.members) > MAX_GROUP_MEMBERS:
        err(path + ("members",), "group_full", f"at most {MAX_GROUP_MEMBERS} members")
    if len(set(group.members)) != len(group.members):
        err(path + ("members",), "already_member", "a member is listed twice")
    for j, member in enumerate(group.members):
        member_line = line_of(member)
        if member_line is None:
            err(path + ("members", j), "unknown_line", f"member {member!r} is not a line of the company")
        elif member_line.kind != "mobile":
            err(path + ("members", j), "not_mobile", f"member {member} is not a mobile line")
        elif "pabx" not in member_line.options:
            err(path + ("members", j), "no_pabx_option", f"member {member} has no pabx option")
    for j, member in enumerate(group.connected):
        if member not in group.members:
            err(path + ("connected", j), "not_member", f"{member!r} is connected but not a member")
