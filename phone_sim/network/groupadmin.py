"""Group administration operations behind the portal (SPEC 9, 10).

Each ``op_*`` checks its parameters and returns ``(target, before, after, apply, rows)``
(``rows``: the group as it will be stored, writes.py); nothing changes until the portal
calls ``apply`` (after the store has committed). A group is checked against the live
network's indexes, so a change costs the same in a company of any size. The
portal decides who may act (``forbidden``: a user may only connect or disconnect their
own line in a group they belong to); these functions apply the group rules with the
same validation as company files. Routing changes (number, delays, mode, queue) apply to
calls that arrive afterwards; connections apply at once (a member disconnected while
ringing stops ringing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from phone_sim.network.company import ConfigError, GroupSpec, Path
from phone_sim.network.groups import Group
from phone_sim.network.refusal import RefusedError
from phone_sim.network.validation import MemberLine, check_id, group_errors, name_problem
from phone_sim.network.writes import GroupRows, Rows

if TYPE_CHECKING:
    from phone_sim.network.switch import Network

Change = tuple[str, str, str, Callable[[], None], tuple[Rows, ...]]
GROUP_KEYS = ("number", "name", "user_code", "admin_code", "queue", "switchover_delay",
              "inter_call_delay", "distribution")
ORDER = ("forbidden", "unknown_line", "no_pabx_option", "not_mobile", "already_member", "group_full",
         "invalid_number", "number_in_use", "invalid_code", "invalid_value", "invalid_delay", "not_member")


def _group(net: Network, p: dict[str, Any]) -> Group:
    group = net.groups.groups.get(str(p.get("group")))
    if group is None:
        raise RefusedError("unknown_group", str(p.get("group")))
    return group


def _describe(spec: GroupSpec) -> str:
    return (f"{spec.number} {spec.name} codes={spec.user_code}/{spec.admin_code} queue={spec.queue} "
            f"switchover={spec.switchover_delay} inter_call={spec.inter_call_delay} {spec.distribution} "
            f"members={','.join(spec.members)} connected={','.join(spec.connected)}")


def _check(net: Network, spec: GroupSpec, replacing: str | None) -> GroupSpec:
    """Validate a group against the whole company with the same rules as company files."""
    plan = net.plan
    number = plan.normalise(str(spec.number)) if isinstance(spec.number, str) else None
    spec = replace(spec, number=number or str(spec.number))
    if not isinstance(spec.name, str) or not spec.name.strip():
        raise RefusedError("invalid_value", "a group needs a name")
    errors = group_rule_errors(net, spec, replacing)
    if errors:
        errors.sort(key=lambda e: ORDER.index(e.reason) if e.reason in ORDER else len(ORDER))
        raise RefusedError(errors[0].reason, errors[0].rule)
    return spec


def group_rule_errors(net: Network, spec: GroupSpec, replacing: str | None) -> list[ConfigError]:
    """The company file rules ``spec`` breaks as a group of the live company, in place of
    group ``replacing`` (or added); paths are ``("groups", i, ...)`` as in a company file."""
    errors: list[ConfigError] = []
    groups = net.groups.groups

    def err(path: Path, reason: str, rule: str) -> None:
        errors.append(ConfigError(path, reason, rule))

    def taken(folded: str) -> str | None:
        holder = net.groups.id_holder(folded)
        return None if holder == replacing else holder

    def claim_id(ident: str, path: Path) -> None:
        check_id(ident, path, taken, err)

    def check_name(name: object, path: Path) -> None:
        problem = name_problem(name)
        if problem:
            err(path + ("name",), "invalid_value", problem)

    def owner(digits: str) -> str | None:
        party = net.by_number.get(digits)
        return None if party is None else "lines" if party.is_line else "externals"

    def line_of(ident: str) -> MemberLine | None:
        party = net.parties.get(ident)
        return party if party is not None and party.is_line else None

    index = len(groups) - (replacing in groups)
    group_errors(spec, ("groups", index), net.plan, claim_id, check_name, owner, line_of, err)
    return errors


def _rows(spec: GroupSpec) -> tuple[Rows, ...]:
    connected = tuple(m for m in spec.members if m in spec.connected)
    return (GroupRows(spec.id, replace(spec, connected=connected)),)


def _member_rules(net: Network, lines: tuple[str, ...]) -> None:
    """Each member a line of the company with pabx (the option's code wins), and mobile."""
    for line in lines:
        party = net.parties.get(line)
        if party is None or not party.is_line:
            raise RefusedError("unknown_line", line)
        if not party.has("pabx"):
            raise RefusedError("no_pabx_option", line)
        if party.kind != "mobile":
            raise RefusedError("not_mobile", line)


def op_create_group(net: Network, p: dict[str, Any]) -> Change:
    ident = str(p.get("id") or "")
    if not ident:
        raise RefusedError("invalid_value", "a group needs an id")
    if ident in net.groups.groups or ident in net.parties:
        raise RefusedError("duplicate_group", ident)
    fields = {k: v for k, v in p.items() if k in GROUP_KEYS}
    fields.setdefault("number", "")
    fields.setdefault("name", "")
    members = tuple(str(m) for m in p.get("members", ()) or ())
    connected = tuple(str(m) for m in p.get("connected", ()) or ())
    _member_rules(net, members)
    spec = _check(net, GroupSpec(ident, members=members, connected=connected, **fields), None)

    def apply() -> None:
        net.groups.add(Group(spec))

    return ident, "none", _describe(spec), apply, _rows(spec)


def op_update_group(net: Network, p: dict[str, Any]) -> Change:
    group = _group(net, p)
    old = group.spec()
    changes = {k: v for k, v in p.items() if k in GROUP_KEYS}
    spec = _check(net, replace(old, **changes), group.id)

    def apply() -> None:
        net.groups.renumber(group, spec.number)
        for key in GROUP_KEYS:
            if key != "number":
                setattr(group, key, getattr(spec, key))

    return group.id, _describe(old), _describe(spec), apply, _rows(spec)


def op_delete_group(net: Network, p: dict[str, Any]) -> Change:
    group = _group(net, p)

    def apply() -> None:
        for member in list(group.connected):
            net.groups.set_connected(group, member, False)
        net.groups.remove(group)

    return group.id, _describe(group.spec()), "none", apply, (GroupRows(group.id, None),)


def op_add_member(net: Network, p: dict[str, Any]) -> Change:
    group = _group(net, p)
    line = str(p.get("line"))
    old = group.spec()
    _member_rules(net, (line,))
    if line in group.members:
        raise RefusedError("already_member", line)
    _check(net, replace(old, members=old.members + (line,)), group.id)

    def apply() -> None:
        net.groups.add_member(group, line)

    return (group.id, ",".join(old.members), ",".join(old.members + (line,)), apply,
            _rows(replace(old, members=old.members + (line,))))


def op_remove_member(net: Network, p: dict[str, Any]) -> Change:
    group = _group(net, p)
    line = str(p.get("line"))
    if line not in group.members:
        raise RefusedError("not_member", line)
    old = group.spec()
    remaining = tuple(m for m in old.members if m != line)
    # the group's number may be this member's own number: then the member must stay
    after = replace(old, members=remaining, connected=tuple(m for m in old.connected if m != line))
    _check(net, after, group.id)
    before = ",".join(group.members)

    def apply() -> None:
        net.groups.remove_member(group, line)

    return group.id, before, ",".join(m for m in group.members if m != line), apply, _rows(after)


def _connection(net: Network, p: dict[str, Any], connected: bool) -> Change:
    group = _group(net, p)
    line = str(p.get("line"))
    if line not in net.parties:
        raise RefusedError("unknown_line", line)
    if line not in group.members:
        raise RefusedError("not_member", line)
    if connected and not net.parties[line].has("pabx"):
        raise RefusedError("no_pabx_option", line)
    before = "connected" if line in group.connected else "disconnected"

    def apply() -> None:
        net.groups.set_connected(group, line, connected)

    old = group.spec()
    after = old.connected + (line,) if connected else tuple(m for m in old.connected if m != line)
    return (line, f"{group.id}: {before}", f"{group.id}: {'connected' if connected else 'disconnected'}", apply,
            _rows(replace(old, connected=after)))


def op_connect(net: Network, p: dict[str, Any]) -> Change:
    return _connection(net, p, True)


def op_disconnect(net: Network, p: dict[str, Any]) -> Change:
    return _connection(net, p, False)


def op_disconnect_all(net: Network, p: dict[str, Any]) -> Change:
    group = _group(net, p)
    before = ",".join(sorted(group.connected)) or "none"

    def apply() -> None:
        for member in list(group.members):
            net.groups.set_connected(group, member, False)

    return group.id, before, "none", apply, _rows(replace(group.spec(), connected=()))
