"""Company files: YAML data <-> ``CompanySpec`` (scenario-format.md, "Company").

``company_from_data`` checks the shape of the data (keys, types), normalises numbers with
the company's numbering plan, then applies every spec rule through ``validate_company``
and reports the first broken rule (and any others) at the line of the offending value.
``dump_company`` writes a spec back in the same format (``phone-sim company export``).
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Iterable
from typing import Any, cast

from phone_sim.network.collector import collector_paused
from phone_sim.network.company import (
    DEFAULT_NO_ANSWER_DELAY,
    DEFAULT_RING_STEP,
    FORWARDING_TYPES,
    OPTIONS,
    CompanySpec,
    ConfigError,
    ExternalSpec,
    Forwarding,
    GroupSpec,
    LineSpec,
    RingList,
)
from phone_sim.network.numbering import DEFAULT_PLAN, NumberingPlan, check_plan
from phone_sim.network.validation import validate_company
from phone_sim.scenario.yamlnodes import (
    Lines,
    Path,
    Where,
    check_keys,
    kind_name,
    mapping,
    not_ours,
    read_yaml,
    sequence,
    text,
    texts,
    type_name,
    whole,
    word,
)
from phone_sim.scenario.yamlwriter import Flow, FlowMap, Quoted, to_yaml

COMPANY_KEYS = ("name", "lines", "externals", "groups", "forwarding", "incoming", "numbering")
LINE_KEYS = ("id", "number"), ("name", "short", "kind", "options", "sip_secret")
EXTERNAL_KEYS = ("id", "number"), ("name",)
GROUP_KEYS = (
    ("id", "number"),
    (
        "name",
        "user_code",
        "admin_code",
        "queue",
        "switchover_delay",
        "inter_call_delay",
        "distribution",
        "members",
        "connected",
    ),
)
RING_LIST_KEYS = ("mode", "numbers", "step", "enabled")
_GROUP_SETTINGS: dict[str, Callable[[Where, Any, Path, str], Any]] = {
    "user_code": text,
    "admin_code": text,
    "queue": whole,
    "switchover_delay": whole,
    "inter_call_delay": whole,
    "distribution": word,
}


def load_company(path: str | os.PathLike[str]) -> CompanySpec:
    """Load and validate one company file; errors name this file and the line."""
    with collector_paused():  # a big company is a million objects, none in a cycle
        data, lines = read_yaml(path, "company file")
        spec = company_from_data(data, str(path), lines)
    lines.release()  # an alias bomb, once the file's other errors are reported
    return spec


def company_from_data(data: Any, file: str = "<company>", lines: Lines | None = None) -> CompanySpec:
    """Build and validate a company from plain data (parsed YAML, or any dict).

    ``lines`` locates values by path relative to the company (see ``Lines.under`` for a
    company inline in a scenario); without it errors say line 0.
    """
    where = Where(file, lines or Lines())
    with collector_paused():
        spec = _build(where, data)
        _check_rules(where, spec)
    return spec


def _build(where: Where, data: Any) -> CompanySpec:
    if not isinstance(data, dict):
        raise where.error((), f"a company must be a mapping, got {kind_name(data)}")
    root = data
    not_ours(where, root, COMPANY_KEYS, "a company")
    check_keys(where, root, (), "company", optional=COMPANY_KEYS)
    plan = _plan(where, root.get("numbering"))
    return CompanySpec(
        name=word(where, root["name"], ("name",), "name") if "name" in root else "Company",
        lines=tuple([_line(where, item, ("lines", i), plan) for i, item in _items(where, root, "lines")]),
        externals=tuple(
            _external(where, item, ("externals", i), plan) for i, item in _items(where, root, "externals")
        ),
        groups=tuple(_group(where, item, ("groups", i), plan) for i, item in _items(where, root, "groups")),
        forwarding={
            key: _forwarding(where, value, ("forwarding", key), plan)
            for key, value in _per_line(where, root, "forwarding").items()
        },
        incoming={
            key: ring
            for key, value in _per_line(where, root, "incoming").items()
            if (ring := _ring_list(where, value, ("incoming", key), plan)) is not None
        },
        plan=plan,
    )


def _items(where: Where, root: dict[str, Any], key: str) -> Iterable[tuple[int, Any]]:
    value = root.get(key)
    return () if value is None else enumerate(sequence(where, value, (key,), key))


def _per_line(where: Where, root: dict[str, Any], key: str) -> dict[str, Any]:
    value = root.get(key)
    return {} if value is None else mapping(where, value, (key,), key)


def _number(where: Where, value: Any, path: Path, key: str, plan: NumberingPlan) -> str:
    """The normalised number at ``path + (key,)``, or the text as given (the rules then
    say what is wrong)."""
    raw = value if type(value) is str else text(where, value, path + (key,), key)
    return plan.normalise(raw) or raw


# A company file is mostly its lines: these read one value of a mapping at ``path + (key,)``
# as ``text``/``word``/``texts`` do, building that path only to report an error.


def _text_at(where: Where, value: Any, path: Path, key: str) -> str:
    return value if type(value) is str else text(where, value, path + (key,), key)


def _word_at(where: Where, value: Any, path: Path, key: str) -> str:
    return value if type(value) is str and value.strip() else word(where, value, path + (key,), key)


def _texts_at(where: Where, value: Any, path: Path, key: str) -> tuple[str, ...]:
    if type(value) is list and {*map(type, value)} <= _STR:  # strings only (as ``texts`` checks)
        return tuple(value)
    return texts(where, value, path + (key,), key)


_STR = {str}
_LINE_ALLOWED = frozenset(LINE_KEYS[0] + LINE_KEYS[1])


def _line(where: Where, item: Any, path: Path, plan: NumberingPlan) -> LineSpec:
    data = mapping(where, item, path, "a line")
    if not (data.keys() <= _LINE_ALLOWED and "id" in data and "number" in data):
        check_keys(where, data, path, "line", *LINE_KEYS)  # raises: an unknown or missing key
    # each value in the order of the keys in scenario-format.md: the first error is the same
    ident = _word_at(where, data["id"], path, "id")
    name = _word_at(where, data.get("name", ident), path, "name")
    number = _number(where, data["number"], path, "number", plan)
    short = data.get("short")
    if short is not None:
        short = _text_at(where, short, path, "short")
    kind: Any = _word_at(where, data.get("kind", "mobile"), path, "kind")  # its value: for the rules
    options = frozenset(_texts_at(where, data.get("options", []), path, "options"))
    secret = data.get("sip_secret")
    if secret is not None:
        secret = _text_at(where, secret, path, "sip_secret")
    return LineSpec(ident, name, number, short, kind, options, secret)  # by position: half the cost


def _external(where: Where, item: Any, path: Path, plan: NumberingPlan) -> ExternalSpec:
    data = mapping(where, item, path, "an external")
    check_keys(where, data, path, "external", *EXTERNAL_KEYS)
    ident = word(where, data["id"], path + ("id",), "id")
    return ExternalSpec(
        id=ident,
        name=word(where, data.get("name", ident), path + ("name",), "name"),
        number=_number(where, data["number"], path, "number", plan),
    )


def _group(where: Where, item: Any, path: Path, plan: NumberingPlan) -> GroupSpec:
    data = mapping(where, item, path, "a group")
    check_keys(where, data, path, "group", *GROUP_KEYS)
    ident = word(where, data["id"], path + ("id",), "id")
    given = {key: value for key, value in data.items() if value is not None}
    settings: dict[str, Any] = {}  # keys not given keep GroupSpec's defaults
    for key, read in _GROUP_SETTINGS.items():
        if key in given:
            settings[key] = read(where, given[key], path + (key,), key)
    return GroupSpec(
        id=ident,
        number=_number(where, data["number"], path, "number", plan),
        name=word(where, given.get("name", ident), path + ("name",), "name"),
        members=texts(where, given.get("members", []), path + ("members",), "members"),
        connected=texts(where, given.get("connected", []), path + ("connected",), "connected"),
        **settings,
    )


def _forwarding(where: Where, value: Any, path: Path, plan: NumberingPlan) -> Forwarding:
    data = mapping(where, value, path, f"forwarding of {path[-1]}")
    check_keys(where, data, path, "forwarding", optional=FORWARDING_TYPES + ("delay",))
    targets = {
        condition: _number(where, data[condition], path, condition, plan)
        for condition in FORWARDING_TYPES
        if data.get(condition) is not None
    }
    delay = whole(where, data.get("delay", DEFAULT_NO_ANSWER_DELAY), path + ("delay",), "delay")
    return Forwarding(**targets, delay=delay)


def _ring_list(where: Where, value: Any, path: Path, plan: NumberingPlan) -> RingList | None:
    """The line's ring list, or None when it is disabled (``enabled: false``)."""
    data = mapping(where, value, path, f"ring list of {path[-1]}")
    check_keys(where, data, path, "ring list", optional=RING_LIST_KEYS)
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise where.error(path + ("enabled",), f"enabled must be true or false, got {type_name(enabled)}")
    if not enabled:
        return None
    if "numbers" not in data:
        raise where.error(path, "missing key 'numbers' in ring list")
    numbers = texts(where, data["numbers"], path + ("numbers",), "numbers")
    return RingList(
        mode=cast(Any, word(where, data.get("mode", "simultaneous"), path + ("mode",), "mode")),
        numbers=tuple(plan.normalise(n) or n for n in numbers),
        step=whole(where, data.get("step", DEFAULT_RING_STEP), path + ("step",), "step"),
    )


def _plan(where: Where, value: Any) -> NumberingPlan:
    """The default numbering plan with the fields the file overrides."""
    if value is None:
        return DEFAULT_PLAN
    path: Path = ("numbering",)
    data = mapping(where, value, path, "numbering")
    names = [f.name for f in dataclasses.fields(NumberingPlan)]
    check_keys(where, data, path, "numbering", optional=names)
    changes: dict[str, Any] = {}
    for key, raw in data.items():
        default = getattr(DEFAULT_PLAN, key)
        if isinstance(default, tuple):
            changes[key] = texts(where, raw, path + (key,), key)
        elif isinstance(default, int):
            changes[key] = whole(where, raw, path + (key,), key)
        else:
            changes[key] = word(where, raw, path + (key,), key)
    plan = dataclasses.replace(DEFAULT_PLAN, **changes)
    for key, rule in check_plan(plan):  # before any number is read with it
        raise where.error(path + (key,), f"numbering.{key}: {rule} [invalid_value]")
    return plan


def _check_rules(where: Where, spec: CompanySpec) -> None:
    """Raise the broken rules, first in file order, each as ``file:line: message``."""
    errors = validate_company(spec)
    if not errors:
        return
    located = sorted(((where.lines.value(e.path), i, e) for i, e in enumerate(errors)), key=lambda t: t[:2])
    first, rest = located[0][2], located[1:]
    message = _rule_message(spec, first)
    message += "".join(f"\n{where.file}:{n}: {_rule_message(spec, e)}" for n, _, e in rest)
    raise where.error(first.path, message)


def _rule_message(spec: CompanySpec, error: ConfigError) -> str:
    return f"{describe_path(spec, error.path)}: {error.rule} [{error.reason}]"


def describe_path(spec: CompanySpec, path: Path) -> str:
    """``("groups", 0, "members", 3)`` -> ``groups.COM.members[3]``: ids, not positions."""
    items: dict[str, tuple[Any, ...]] = {
        "lines": spec.lines,
        "externals": spec.externals,
        "groups": spec.groups,
    }
    out = ""
    for i, part in enumerate(path):
        owner = items.get(str(path[i - 1])) if i else None
        if isinstance(part, int) and owner is not None and part < len(owner) and owner[part].id:
            out += f".{owner[part].id}"
        elif isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# -- dumping -------------------------------------------------------------------------


def dump_company(spec: CompanySpec) -> str:
    """The company as YAML in the format of scenario-format.md (loads back equal)."""
    with collector_paused():  # a mapping per line, then a string per line: no cycles
        return to_yaml(company_to_data(spec))


def company_to_data(spec: CompanySpec) -> dict[str, Any]:
    data: dict[str, Any] = {"name": spec.name}
    numbering = _plan_data(spec.plan)
    if numbering:
        data["numbering"] = numbering
    data["lines"] = [_line_data(line) for line in spec.lines]
    data["externals"] = [FlowMap(id=e.id, name=e.name, number=Quoted(e.number)) for e in spec.externals]
    data["groups"] = [_group_data(group) for group in spec.groups]
    data["forwarding"] = {key: _forwarding_data(fwd) for key, fwd in spec.forwarding.items()}
    data["incoming"] = {key: _ring_list_data(ring) for key, ring in spec.incoming.items()}
    return {k: v for k, v in data.items() if v or k in ("name", "lines")}


def _line_data(line: LineSpec) -> dict[str, Any]:
    data = FlowMap(id=line.id, name=line.name, number=Quoted(line.number))
    if line.short is not None:
        data["short"] = Quoted(line.short)
    if line.kind != "mobile":
        data["kind"] = line.kind
    if line.options:
        data["options"] = Flow(_options_order(line.options))
    if line.sip_secret is not None:
        data["sip_secret"] = Quoted(line.sip_secret)
    return data


@functools.lru_cache(maxsize=64)  # a company has a few sets of options, on many lines
def _options_order(options: frozenset[str]) -> tuple[str, ...]:
    """The known options in the spec's order, then any others sorted."""
    known = [o for o in OPTIONS if o in options]
    return (*known, *sorted(options - set(known)))


def _group_data(group: GroupSpec) -> dict[str, Any]:
    return {
        "id": group.id,
        "number": Quoted(group.number),
        "name": group.name,
        "user_code": Quoted(group.user_code),
        "admin_code": Quoted(group.admin_code),
        "queue": group.queue,
        "switchover_delay": group.switchover_delay,
        "inter_call_delay": group.inter_call_delay,
        "distribution": group.distribution,
        "members": Flow(group.members),
        "connected": Flow(group.connected),
    }


def _forwarding_data(fwd: Forwarding) -> dict[str, Any]:
    data = FlowMap({c: Quoted(n) for c in FORWARDING_TYPES if (n := fwd.get(c)) is not None})
    if fwd.delay != DEFAULT_NO_ANSWER_DELAY:
        data["delay"] = fwd.delay
    return data


def _ring_list_data(ring: RingList) -> dict[str, Any]:
    data = FlowMap(mode=ring.mode, numbers=Flow(Quoted(n) for n in ring.numbers))
    if ring.step != DEFAULT_RING_STEP or ring.mode == "sequential":
        data["step"] = ring.step
    return data


def _plan_data(plan: NumberingPlan) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for f in dataclasses.fields(NumberingPlan):
        value = getattr(plan, f.name)
        if value == getattr(DEFAULT_PLAN, f.name):
            continue
        if isinstance(value, tuple):
            data[f.name] = Flow(Quoted(v) for v in value)
        else:
            data[f.name] = Quoted(value) if isinstance(value, str) else value
    return data
