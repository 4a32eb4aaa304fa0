"""The company's configuration as frozen values (SPEC 1, 6, 7, 9).

Scenario files, the SQLite store and the portal all produce and consume these values;
``validate_company`` applies every spec rule and reports each error with the path of the
offending value, so a loader can name the file and line.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field, replace
from typing import Literal

from phone_sim.network.frozen import quick_init
from phone_sim.network.numbering import DEFAULT_PLAN, NumberingPlan
from phone_sim.network.printable import ascii_digits
from phone_sim.network.refusal import Refused

OPTIONS = ("pabx", "double_appel")
LINE_KINDS = ("mobile", "fixed")
FORWARDING_TYPES = ("unconditional", "busy", "no_answer", "unreachable")
RING_MODES = ("simultaneous", "sequential")
DISTRIBUTIONS = ("linear", "circular", "uniform", "simultaneous")
LOCATIONS = ("home", "abroad", "white_zone", "no_coverage")
MAX_GROUP_MEMBERS = 10
MAX_RING_LIST = 5
# Bounds the spec leaves open (docs/behaviour.md, "Bounds"): every integer of a company is
# bounded, so that a file is accepted or refused the same way in memory and in SQLite.
MAX_ID_LENGTH = 64
MAX_NAME_LENGTH = 100
MAX_QUEUE = 1000
MAX_SWITCHOVER_DELAY = 3600  # seconds a member rings before the next one: an hour
MAX_INTER_CALL_DELAY = 86_400  # seconds a member rests after a group call: a day
DEFAULT_NO_ANSWER_DELAY = 25
DEFAULT_RING_STEP = 15

Path = tuple[str | int, ...]


@quick_init
@dataclass(frozen=True, slots=True)
class LineSpec:
    id: str
    name: str
    number: str
    short: str | None = None
    kind: Literal["mobile", "fixed"] = "mobile"
    options: frozenset[str] = frozenset()
    # lets a SIP device register as this line (SPEC 13); never shown in a repr or a log
    sip_secret: str | None = field(default=None, repr=False, compare=False)


@quick_init
@dataclass(frozen=True, slots=True)
class ExternalSpec:
    id: str
    name: str
    number: str


@quick_init
@dataclass(frozen=True, slots=True)
class Forwarding:
    """A line's four forwarding settings; None = not active."""

    unconditional: str | None = None
    busy: str | None = None
    no_answer: str | None = None
    unreachable: str | None = None
    delay: int = DEFAULT_NO_ANSWER_DELAY

    def get(self, condition: str) -> str | None:
        value: str | None = getattr(self, condition)
        return value

    def with_(self, condition: str, number: str | None, delay: int | None = None) -> Forwarding:
        changed: Forwarding = replace(self, **{condition: number})  # type: ignore[arg-type]
        return replace(changed, delay=delay) if delay is not None else changed

    def is_empty(self) -> bool:
        return not any(self.get(c) for c in FORWARDING_TYPES)

    def describe(self) -> str:
        parts = [f"{c}={self.get(c)}" for c in FORWARDING_TYPES if self.get(c)]
        if self.no_answer:
            parts.append(f"delay={self.delay}")
        return ", ".join(parts) or "none"


@quick_init
@dataclass(frozen=True, slots=True)
class RingList:
    mode: Literal["simultaneous", "sequential"] = "simultaneous"
    numbers: tuple[str, ...] = ()
    step: int = DEFAULT_RING_STEP

    def describe(self) -> str:
        extra = f", step={self.step}" if self.mode == "sequential" else ""
        return f"{self.mode}: {', '.join(self.numbers)}{extra}"


@quick_init
@dataclass(frozen=True, slots=True)
class GroupSpec:
    id: str
    number: str
    name: str
    user_code: str = "0000"
    admin_code: str = "0000"
    queue: int = 0
    switchover_delay: int = 15
    inter_call_delay: int = 0
    distribution: Literal["linear", "circular", "uniform", "simultaneous"] = "linear"
    members: tuple[str, ...] = ()
    connected: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CompanySpec:
    name: str = "Company"
    lines: tuple[LineSpec, ...] = ()
    externals: tuple[ExternalSpec, ...] = ()
    groups: tuple[GroupSpec, ...] = ()
    forwarding: dict[str, Forwarding] = field(default_factory=dict)
    incoming: dict[str, RingList] = field(default_factory=dict)
    plan: NumberingPlan = DEFAULT_PLAN


@dataclass(frozen=True, slots=True)
class ConfigError:
    """One broken rule: where (path of keys), which reason code, and a readable rule."""

    path: Path
    reason: str
    rule: str


def check_delay(value: object, low: int, high: int, step: int) -> Refused | int:
    if isinstance(value, bool) or not isinstance(value, int):
        return Refused("invalid_delay", f"{value!r}")
    if value < low or value > high or (value - low) % step:
        return Refused("invalid_delay", f"{value}: {low}..{high} by {step}")
    return value


SIP_SECRET_MIN = 4
SIP_SECRET_MAX = 128


def check_sip_secret(value: object) -> Refused | str:
    """A line's SIP secret: 4 to 128 printable characters, no space at either end."""
    if not isinstance(value, str):
        return Refused("invalid_sip_secret", type(value).__name__)
    if not SIP_SECRET_MIN <= len(value) <= SIP_SECRET_MAX:
        return Refused("invalid_sip_secret", f"{len(value)} characters: {SIP_SECRET_MIN} to {SIP_SECRET_MAX}")
    if not value.isprintable() or value != value.strip():
        return Refused("invalid_sip_secret", "control characters or spaces at an end")
    return value


def check_code(value: object) -> Refused | str:
    if not isinstance(value, str) or len(value) != 4 or not ascii_digits(value):
        return Refused("invalid_code", f"{value!r}")
    return value


def check_forwarding(
    fwd: Forwarding, own_number: str, plan: NumberingPlan
) -> list[tuple[str, Refused]]:
    """Every broken rule in a line's forwarding, as (condition or 'delay', refusal)."""
    errors: list[tuple[str, Refused]] = []
    for condition in FORWARDING_TYPES:
        target = fwd.get(condition)
        if target is None:
            continue
        checked = plan.check_destination(target, own_number=own_number)
        if isinstance(checked, Refused):
            errors.append((condition, checked))
    delay = check_delay(fwd.delay, 5, 30, 5)
    if isinstance(delay, Refused):
        errors.append(("delay", delay))
    return errors


def check_ring_list(
    ring: RingList, vpn_numbers: Container[str], plan: NumberingPlan
) -> list[tuple[str | int, Refused]]:
    """Every broken rule in a ring list, in the spec's order (list, numbers, delay)."""
    errors: list[tuple[str | int, Refused]] = []
    if ring.mode not in RING_MODES:
        errors.append(("mode", Refused("invalid_value", f"mode {ring.mode!r}")))
    if len(ring.numbers) > MAX_RING_LIST:
        errors.append(("numbers", Refused("list_too_long", f"{len(ring.numbers)} > {MAX_RING_LIST}")))
    for i, number in enumerate(ring.numbers):
        checked = plan.check_destination(number, vpn_numbers=vpn_numbers)
        if isinstance(checked, Refused):
            errors.append((i, checked))
    delay = check_delay(ring.step, 5, 60, 1)
    if isinstance(delay, Refused):
        errors.append(("step", delay))
    return errors
