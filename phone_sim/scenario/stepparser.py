"""Scenario steps: YAML data -> ``Step`` values (scenario-format.md, "Actions").

Checks the shape of each step (one action, known keys, types), that every id names a
party or group of the company (or a group created by an earlier portal step), and turns
durations and key strings into values. Spec rules are not checked here: the network or the
portal refuses, and the step may say so with ``fails:``.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from phone_sim.network.catalogue import REASONS
from phone_sim.network.company import LOCATIONS, CompanySpec
from phone_sim.scenario import voicesteps
from phone_sim.scenario.model import (
    ACTIONS,
    CALL_STATES,
    HEARD_SOURCES,
    PLAIN_STATES,
    PORTAL_ACTIONS,
    TONES,
    Expectation,
    Step,
)
from phone_sim.scenario.yamlnodes import (
    Path,
    Where,
    check_keys,
    did_you_mean,
    mapping,
    sequence,
    shown,
    text,
    type_name,
    whole,
    word,
)

STEP_EXTRAS = ("fails", "note", "comment")
PARTY_ACTIONS = (
    "answer",
    "reject",
    "hangup",
    "hold",
    "swap",
    "conference",
    "transfer",
    "switch_off",
    "switch_on",
)
FUNCTION_KEYS = ("call", "end", "hold", "conf")
EXPECT_EXTRAS = ("tone", "display", "forwarded_from", "hears")
_NO_FAILS = ("expect", "wait", "say", "talk", "play")
_PORTAL_INTS = ("delay", "step", "queue", "switchover_delay", "inter_call_delay")
_NUMBER_CHARS = re.compile(r"[0-9+*#\s.\-()/]+")
_KEY = re.compile(r"<([a-z]+)>|([0-9*#])|\s+", re.IGNORECASE)
_DURATION_PART = re.compile(r"([0-9]{1,12}(?:\.[0-9]{1,9})?)(ms|h|m|s)")
_SECONDS = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,9})?")
_SPACES = re.compile(r"\s+")
MAX_WAIT_MS = 366 * 24 * 3_600_000  # a wait of at most a (leap) year of virtual time
_UNIT_MS = {"h": 3_600_000, "m": 60_000, "s": 1000, "ms": 1}


@dataclass
class _Context:
    """What ids a step may name; ``groups`` grows as portal steps create groups."""

    where: Where
    company: CompanySpec
    lines: set[str] = field(default_factory=set)
    externals: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)

    @property
    def parties(self) -> set[str]:
        return self.lines | self.externals


def parse_steps(where: Where, value: Any, company: CompanySpec) -> tuple[Step, ...]:
    """Every step of ``steps`` (``where`` locates paths from the scenario's root)."""
    ctx = _Context(
        where,
        company,
        lines={line.id for line in company.lines},
        externals={ext.id for ext in company.externals},
        groups={group.id for group in company.groups},
    )
    items = sequence(where, value, ("steps",), "steps")
    if not items:
        raise where.error(("steps",), "steps is empty: a scenario needs at least one step")
    return tuple(_step(ctx, item, ("steps", i)) for i, item in enumerate(items))


def _step(ctx: _Context, item: Any, path: Path) -> Step:
    where = ctx.where
    if not isinstance(item, dict):
        raise where.error(
            path, f"a step is a mapping with one action, like 'answer: A'; got {type_name(item)}"
        )
    for key in item:
        if key not in ACTIONS and key not in STEP_EXTRAS:
            suggestion = did_you_mean(key, ACTIONS + STEP_EXTRAS)
            raise where.error(path + (key,), f"unknown key {key!r} in step{suggestion}", key=True)
    actions = [key for key in item if key in ACTIONS]
    if not actions:
        raise where.error(path, f"step has no action (one of {', '.join(ACTIONS)})")
    if len(actions) > 1:
        count = "two" if len(actions) == 2 else str(len(actions))
        raise where.error(path + (actions[1],), f"step has {count} actions: {', '.join(actions)}", key=True)
    action = actions[0]
    fails = _fails(ctx, item, path, action)
    args = _PARSERS[action](ctx, item[action], path + (action,), fails)
    if action == "portal" and args["do"] == "create_group" and fails is None:
        ctx.groups.add(args["id"])
    return Step(action, args, line=where.lines.key(path + (action,)), fails=fails, file=where.file)


def _fails(ctx: _Context, item: dict[str, Any], path: Path, action: str) -> str | None:
    if "fails" not in item:
        return None
    where, at = ctx.where, path + ("fails",)
    if action in _NO_FAILS:
        raise where.error(at, f"a {action} step cannot fail: remove 'fails'", key=True)
    reason = word(where, item["fails"], at, "fails")
    if reason not in REASONS:
        raise where.error(at, f"unknown reason code {reason!r} in fails{did_you_mean(reason, REASONS)}")
    return reason


# -- ids -----------------------------------------------------------------------------


def _party(ctx: _Context, value: Any, path: Path, what: str = "party") -> str:
    """A handset: a line or an external of the company."""
    ident = word(ctx.where, value, path, what)
    if ident in ctx.parties:
        return ident
    if ident in ctx.groups:
        raise ctx.where.error(
            path, f"{ident!r} is a group, not a handset ({what} must be a line or an external)"
        )
    raise ctx.where.error(path, f"unknown {what} {ident!r}{did_you_mean(ident, ctx.parties)}")


def _target(ctx: _Context, value: Any, path: Path) -> str:
    """What a handset's call is with: a line, an external or a group."""
    ident = word(ctx.where, value, path, "party")
    known = ctx.parties | ctx.groups
    if ident not in known:
        raise ctx.where.error(path, f"unknown party {ident!r}{did_you_mean(ident, known)}")
    return ident


def _line_id(ctx: _Context, value: Any, path: Path, fails: str | None) -> str:
    ident = word(ctx.where, value, path, "line")
    if ident in ctx.lines or fails == "unknown_line":
        return ident
    kind = " (an external, not a line of the company)" if ident in ctx.externals else ""
    raise ctx.where.error(path, f"unknown line {ident!r}{kind or did_you_mean(ident, ctx.lines)}")


def _group_id(ctx: _Context, value: Any, path: Path, fails: str | None) -> str:
    ident = word(ctx.where, value, path, "group")
    if ident in ctx.groups or fails == "unknown_group":
        return ident
    raise ctx.where.error(path, f"unknown group {ident!r}{did_you_mean(ident, ctx.groups)}")


def _destination(ctx: _Context, value: Any, path: Path, fails: str | None) -> str:
    """``to`` of a dial: an id as given, a number, or a service code (``*#43#``)."""
    dest = word(ctx.where, value, path, "to")
    known = ctx.parties | ctx.groups
    if dest in known:
        return dest
    if not _NUMBER_CHARS.fullmatch(dest):
        raise ctx.where.error(path, f"unknown party {dest!r}{did_you_mean(dest, known)}")
    if "*" in dest or "#" in dest or fails == "invalid_number":
        return dest
    if ctx.company.plan.parse(dest).kind == "invalid":
        plan = ctx.company.plan
        raise ctx.where.error(
            path,
            f"{dest!r} is not a valid number: {plan.national_length} digits starting with 0, "
            f"+ and a country code, or a short number of {plan.short_min} to {plan.short_max} digits "
            "(add 'fails: invalid_number' to dial it on purpose)",
        )
    return dest


def _single(ctx: _Context, value: Any, path: Path, what: str) -> tuple[str, Any]:
    """The one ``X: value`` pair of ``keys: {X: ...}`` or ``move: {X: ...}``."""
    data = mapping(ctx.where, value, path, what)
    if len(data) != 1:
        raise ctx.where.error(path, f"{what} names exactly one handset, like {{A: ...}}; got {len(data)}")
    ((party, inner),) = data.items()
    return _party(ctx, party, path + (party,)), inner


# -- actions -------------------------------------------------------------------------


def _dial(ctx: _Context, value: Any, path: Path, fails: str | None) -> dict[str, Any]:
    data = mapping(ctx.where, value, path, "dial")
    check_keys(ctx.where, data, path, "dial", ("from", "to"))
    return {
        "from": _party(ctx, data["from"], path + ("from",), "caller"),
        "to": _destination(ctx, data["to"], path + ("to",), fails),
    }


def _keys(ctx: _Context, value: Any, path: Path, fails: str | None) -> dict[str, Any]:
    party, raw = _single(ctx, value, path, "keys")
    at = path + (party,)
    if raw is None:
        raise ctx.where.error(at, "keys must be a string: quote them, as '#' starts a YAML comment")
    keys = text(ctx.where, raw, at, "keys")
    try:
        parsed = parse_keys(keys)
    except ValueError as exc:
        raise ctx.where.error(at, str(exc)) from None
    return {"party": party, "keys": parsed}


def parse_keys(keys: str) -> tuple[str, ...]:
    """``"#1 <call>"`` -> ``("#", "1", "call")``; ValueError names a bad character."""
    result: list[str] = []
    pos = 0
    while pos < len(keys):
        match = _KEY.match(keys, pos)
        function = match.group(1).lower() if match and match.group(1) else None
        if match is None or (match.group(1) and function not in FUNCTION_KEYS):
            bad = match.group(0) if match else keys[pos]
            raise ValueError(f"bad key {bad!r} in {keys!r}: use 0-9 * # and <call> <end> <hold> <conf>")
        if function or match.group(2):
            result.append(function or match.group(2))
        pos = match.end()
    if not result:
        raise ValueError("keys is empty: give at least one key")
    return tuple(result)


def _party_action(ctx: _Context, value: Any, path: Path, fails: str | None) -> dict[str, Any]:
    return {"party": _party(ctx, value, path)}


def _move(ctx: _Context, value: Any, path: Path, fails: str | None) -> dict[str, Any]:
    party, raw = _single(ctx, value, path, "move")
    location = word(ctx.where, raw, path + (party,), "location")
    if location not in LOCATIONS:
        raise ctx.where.error(
            path + (party,), f"unknown location {location!r}{did_you_mean(location, LOCATIONS)}"
        )
    return {"party": party, "location": location}


def _wait(ctx: _Context, value: Any, path: Path, fails: str | None) -> dict[str, Any]:
    ms = parse_duration(value)
    if ms is None:
        raise ctx.where.error(
            path, f"{shown(value)} is not a duration: write 500ms, 25s, 2m, 1m30s or a number of seconds "
            f"(at most {MAX_WAIT_MS // 3_600_000}h)"
        )
    return {"ms": ms}


def parse_duration(value: object) -> int | None:
    """Milliseconds of ``500ms``, ``25s``, ``2m``, ``1m30s``, ``1h`` or a number of
    seconds; None when the value is not a duration (negative, unknown unit, not finite,
    digits other than 0-9, longer than ``MAX_WAIT_MS``...)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value < 0 or value > MAX_WAIT_MS / 1000:
            return None
        return round(value * 1000)
    if not isinstance(value, str) or len(value) > 64:
        return None
    return _duration_text(value)


@functools.lru_cache(maxsize=256)  # a file of 200,000 steps says "1s" 200,000 times
def _duration_text(value: str) -> int | None:
    compact = _SPACES.sub("", value).lower()
    if _SECONDS.fullmatch(compact):
        ms = round(float(compact) * 1000)
    else:
        parts = _DURATION_PART.findall(compact)
        units = [unit for _, unit in parts]
        in_order = units == sorted(units, key=list(_UNIT_MS).index) and len(set(units)) == len(units)
        if not parts or "".join(n + u for n, u in parts) != compact or not in_order:
            return None
        ms = round(sum(float(n) * _UNIT_MS[u] for n, u in parts))
    return ms if ms <= MAX_WAIT_MS else None


def _portal(ctx: _Context, value: Any, path: Path, fails: str | None) -> dict[str, Any]:
    where = ctx.where
    data = mapping(where, value, path, "portal")
    for key in ("as", "do"):
        if key not in data:
            raise where.error(path, f"missing key {key!r} in portal")
    do = word(where, data["do"], path + ("do",), "do")
    if do not in PORTAL_ACTIONS:
        raise where.error(path + ("do",), f"unknown portal action {do!r}{did_you_mean(do, PORTAL_ACTIONS)}")
    required, optional = PORTAL_ACTIONS[do]
    check_keys(where, data, path, f"portal {do}", ("as", "do") + required, optional)
    actor = word(where, data["as"], path + ("as",), "as")
    if actor != "manager" and actor not in ctx.lines:
        choices = ctx.lines | {"manager"}
        raise where.error(path + ("as",), f"unknown portal user {actor!r}{did_you_mean(actor, choices)}")
    args: dict[str, Any] = {"as": actor, "do": do}
    for key in required + optional:
        if key in data:
            args[key] = _portal_param(ctx, key, data[key], path + (key,), fails)
    return args


def _portal_param(ctx: _Context, key: str, value: Any, path: Path, fails: str | None) -> Any:
    where = ctx.where
    if key == "line":
        return _line_id(ctx, value, path, fails)
    if key == "group":
        return _group_id(ctx, value, path, fails)
    if key in ("members", "connected"):
        items = sequence(where, value, path, key)
        return tuple(_line_id(ctx, item, path + (i,), fails) for i, item in enumerate(items))
    if key == "numbers":
        items = sequence(where, value, path, key)
        return tuple(text(where, item, path + (i,), "number") for i, item in enumerate(items))
    if key in _PORTAL_INTS:
        return whole(where, value, path, key)
    return text(where, value, path, key)


def _expect(ctx: _Context, value: Any, path: Path, fails: str | None) -> dict[str, Any]:
    data = mapping(ctx.where, value, path, "expect")
    if not data:
        raise ctx.where.error(path, "expect names no handset")
    checks = []
    for key, inner in data.items():
        party = _party(ctx, key, path + (key,), "handset")
        checks.append((party, _expectation(ctx, inner, path + (key,))))
    return {"checks": tuple(checks)}


def _expectation(ctx: _Context, value: Any, path: Path) -> Expectation:
    where = ctx.where
    if isinstance(value, str):
        if value in PLAIN_STATES:
            return Expectation(plain=value)
        if value in CALL_STATES:
            raise where.error(path, f"{value!r} needs the other party: write {{{value}: ID}}")
        raise where.error(path, f"unknown state {value!r}{did_you_mean(value, PLAIN_STATES)}")
    if not isinstance(value, dict):
        raise where.error(
            path, f"expected idle, off, dialing or a mapping of call states, got {type_name(value)}"
        )
    check_keys(where, value, path, "expectation", optional=CALL_STATES + EXPECT_EXTRAS)
    calls = tuple(
        sorted(
            (state, _targets(ctx, value[state], path + (state,))) for state in CALL_STATES if state in value
        )
    )
    tone = value.get("tone")
    if tone is not None:
        tone = word(where, tone, path + ("tone",), "tone")
        if tone not in TONES:
            raise where.error(path + ("tone",), f"unknown tone {tone!r}{did_you_mean(tone, TONES)}")
    display = value.get("display")
    forwarded = value.get("forwarded_from")
    hears = _hears(ctx, value["hears"], path + ("hears",)) if "hears" in value else None
    return Expectation(
        plain=None,
        calls=calls,
        tone=tone,
        display=None if display is None else text(where, display, path + ("display",), "display"),
        forwarded_from=None if forwarded is None else _party(ctx, forwarded, path + ("forwarded_from",)),
        hears=hears,
        any_calls=hears is not None and not calls,
    )


def _hears(ctx: _Context, value: Any, path: Path) -> tuple[str, ...]:
    """``hears: [C, D, music]``: handsets whose voice is heard, and network sources."""
    where = ctx.where
    if value is None:
        raise where.error(path, "hears needs a list, like [C, D] (or [] for nothing)")
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for i, item in enumerate(items):
        at = path + (i,) if isinstance(value, list) else path
        name = word(where, item, at, "hears")
        if name in HEARD_SOURCES or name in ctx.parties:
            names.append(name)
        elif name in ctx.groups:
            raise where.error(at, f"{name!r} is a group: hears names the handsets whose voice is heard")
        else:
            hint = did_you_mean(name, sorted(ctx.parties) + list(HEARD_SOURCES))
            raise where.error(at, f"unknown party or sound {name!r} in hears"
                                  f"{hint or ' (sounds: ' + ', '.join(HEARD_SOURCES) + ')'}")
    return tuple(names)


def _targets(ctx: _Context, value: Any, path: Path) -> tuple[str, ...]:
    if not isinstance(value, list):
        return (_target(ctx, value, path),)
    if not value:
        raise ctx.where.error(path, f"{path[-1]} lists no party")
    return tuple(_target(ctx, item, path + (i,)) for i, item in enumerate(value))


_Parser = Callable[[_Context, Any, Path, "str | None"], dict[str, Any]]
_PARSERS: dict[str, _Parser] = {
    "say": voicesteps.say,
    "talk": voicesteps.talk,
    "play": voicesteps.play,
    "dial": _dial,
    "keys": _keys,
    "move": _move,
    "wait": _wait,
    "portal": _portal,
    "expect": _expect,
    **{action: _party_action for action in PARTY_ACTIONS},
}
