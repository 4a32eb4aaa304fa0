"""Group administration operations behind the portal (SPEC 9, 10).

Each ``op_*`` checks its parameters and returns ``(target, before, after, apply)``;
nothing changes until the portal calls ``apply`` (after the store has committed). The
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

from phone_sim.network.company import GroupSpec
from phone_sim.network.groups import Group
from phone_sim.network.refusal import RefusedError
from phone_sim.network.validation import validate_company

if TYPE_CHECKING:
    from phone_sim.network.switch import Network

Change = tuple[str, str, str, Callable[[], None]]
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
    company = net_snapshot(net, without=replacing)
    trial = replace(company, groups=company.groups + (spec,))
    index = len(trial.groups) - 1
    errors = [e for e in validate_company(trial) if e.path[:2] == ("groups", index)]
    if errors:
        errors.sort(key=lambda e: ORDER.index(e.reason) if e.reason in ORDER else len(ORDER))
        raise RefusedError(errors[0].reason, errors[0].rule)
    return spec


def net_snapshot(net: Network, without: str | None = None) -> Any:
    from phone_sim.network.snapshot import snapshot

    company = snapshot(net)
    return replace(company, groups=tuple(g for g in company.groups if g.id != without))


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

    return ident, "none", _describe(spec), apply


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

    return group.id, _describe(old), _describe(spec), apply


def op_delete_group(net: Network, p: dict[str, Any]) -> Change:
    group = _group(net, p)

    def apply() -> None:
        for member in list(group.connected):
            net.groups.set_connected(group, member, False)
        net.groups.remove(group)

    return group.id, _describe(group.spec()), "none", apply


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

    return group.id, ",".join(old.members), ",".join(old.members + (line,)), apply


def op_remove_member(net: Network, p: dict[str, Any]) -> Change:
    group = _group(net, p)
    line = str(p.get("line"))
    if line not in group.members:
        raise RefusedError("not_member", line)
    old = group.spec()
    remaining = tuple(m for m in old.members if m != line)
    # the group's number may be this member's own number: then the member must stay
    _check(net, replace(old, members=remaining, connected=tuple(m for m in old.connected if m != line)), group.id)
    before = ",".join(group.members)

    def apply() -> None:
        net.groups.remove_member(group, line)

    return group.id, before, ",".join(m for m in group.members if m != line), apply


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

    return line, f"{group.id}: {before}", f"{group.id}: {'connected' if connected else 'disconnected'}", apply


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

    return group.id, before, "none", apply
