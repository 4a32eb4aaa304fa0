"""The portal service: the fleet manager's and users' operations (SPEC 10).

Every operation is checked (role, then the spec's rules in the spec's order), saved by
the ``persist`` hook when one is set (the durable store commits before the change is
acknowledged; the hook is given the rows the change touches, writes.py), applied at once to the live network (calls in progress keep going) and
written to the audit log: who, as whom, when, what, before, after. A refused operation
changes nothing.

Roles: the fleet manager may act on any line and may take a user's identity (then the
user's rules apply and the audit names both). A user is a line with ``pabx``; they may
act only on their own line (``forbidden`` otherwise). The handset's MMI codes come in as
the line itself ``via="mmi"``: they are ordinary network services, so they need no
``pabx`` option, but the same validation applies.

Forwarding follows TS 22.082's register/activate model: ``set_forwarding`` registers and
activates a destination, ``deactivate_forwarding`` keeps it registered but inactive,
``activate_forwarding`` brings a registered destination back, ``clear_forwarding`` erases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from phone_sim.network import groupadmin
from phone_sim.network.company import (
    FORWARDING_TYPES,
    OPTIONS,
    RING_MODES,
    Forwarding,
    RingList,
    check_forwarding,
    check_ring_list,
)
from phone_sim.network.events import SettingDidChange
from phone_sim.network.printable import ascii_digits
from phone_sim.network.refusal import Refused, RefusedError
from phone_sim.network.writes import LineRows, Rows

if TYPE_CHECKING:
    from phone_sim.network.parties import Party
    from phone_sim.network.switch import Network

MANAGER = "manager"
FORWARDING_OPERATIONS = ("set_forwarding", "clear_forwarding", "activate_forwarding", "deactivate_forwarding")
USER_OPERATIONS = FORWARDING_OPERATIONS + ("set_ring_list", "clear_ring_list", "connect", "disconnect",
                                           "set_call_waiting")
VIA = ("portal", "mmi")
Change = tuple[str, str, str, Callable[[], None], tuple[Rows, ...]]


@dataclass(frozen=True, slots=True)
class AuditEntry:
    time: int
    who: str  # manager or the line acting
    as_whom: str  # the identity used (a manager who took a user's identity acts as that user)
    operation: str
    target: str
    before: str
    after: str
    params: tuple[tuple[str, Any], ...] = ()
    via: str = "portal"  # portal | mmi (a code typed on the handset)


Persist = Callable[[AuditEntry, tuple[Rows, ...]], None]  # the entry, and the rows it will write


class ConfigurationMoved(Exception):
    """Raised by a ``persist`` hook: the stored configuration was changed by another
    simulator since this one loaded it. The portal refreshes and tries once more."""


class PortalService:
    def __init__(self, net: Network) -> None:
        self.net = net
        self.audit: list[AuditEntry] = []
        self.persist: Persist | None = None
        # catches up with changes saved by another simulator, before each operation
        self.refresh: Callable[[], object] | None = None
        self.listeners: list[Callable[[AuditEntry], None]] = []
        # destinations registered but deactivated (#21#): line -> condition -> number
        self.parked: dict[str, dict[str, str]] = {}

    # ------------------------------------------------------------------ entry point
    def execute(self, actor: str, operation: str, params: dict[str, Any],
                as_whom: str | None = None, via: str = "portal") -> Refused | None:
        """Run ``operation`` for ``actor`` (``manager`` or a line id).

        A manager who took a user's identity passes ``as_whom``: the rules of that user
        apply, and the audit names both. Only the manager may take an identity. Another
        simulator's saved changes are applied first (``refresh``); if one lands between
        that and the save, the operation is checked again on the new state, once.
        """
        for attempt in (1, 2):
            if self.refresh is not None:
                self.refresh()
            try:
                return self._execute(actor, operation, params, as_whom, via)
            except ConfigurationMoved as moved:
                if attempt == 2:
                    return Refused("not_saved", str(moved))
        return None  # not reached

    def _execute(self, actor: str, operation: str, params: dict[str, Any], as_whom: str | None,
                 via: str) -> Refused | None:
        params = dict(params)
        try:
            identity = self._identity(actor, as_whom)
            handler = getattr(self, f"_op_{operation}", None)
            if handler is None:
                raise RefusedError("invalid_value", f"unknown operation {operation!r}")
            if identity != MANAGER and operation in USER_OPERATIONS:
                params.setdefault("line", identity)
            self._authorise(identity, operation, params, via)
            target, before, after, apply, rows = handler(params)
        except RefusedError as refused:
            return refused.refusal
        entry = AuditEntry(self.net.now, actor, identity, operation, target, before, after,
                           tuple(sorted((k, _plain(v)) for k, v in params.items())),
                           via if via in VIA else "portal")
        if self.persist is not None:
            try:
                self.persist(entry, rows)
            except ConfigurationMoved:
                raise
            except Exception as exc:  # the store could not commit: nothing is applied
                return Refused("not_saved", str(exc))
        apply()
        self.audit.append(entry)
        self.net.publish(SettingDidChange(self.net.now, actor, operation, target, before, after))
        for listener in self.listeners:
            listener(entry)
        self.net.flush()
        return None

    def _identity(self, actor: str, as_whom: str | None) -> str:
        if as_whom is None or as_whom == actor:
            return actor
        if actor != MANAGER:
            raise RefusedError("forbidden", f"{actor} cannot act as {as_whom}")
        return as_whom

    def _authorise(self, identity: str, operation: str, params: dict[str, Any], via: str) -> None:
        """The spec's first codes: ``forbidden``, then the user's option ``no_pabx_option``."""
        if identity == MANAGER:
            return
        party = self.net.parties.get(identity)
        if party is None or not party.is_line:
            raise RefusedError("forbidden", f"unknown account {identity!r}")
        if operation not in USER_OPERATIONS:
            raise RefusedError("forbidden", operation)
        if str(params.get("line")) != identity:
            raise RefusedError("forbidden", f"{identity} on {params.get('line')}")
        if operation in ("connect", "disconnect"):
            group = self.net.groups.groups.get(str(params.get("group")))
            if group is not None and identity not in group.members:
                raise RefusedError("forbidden", f"{identity} is not a member of {group.id}")
        if via != "mmi" and not party.has("pabx"):
            raise RefusedError("no_pabx_option", "the user portal needs Option PABX mobile")

    def line_rows(self, line: Party, **changes: Any) -> tuple[Rows, ...]:
        """What the store keeps of ``line``, with ``changes`` (the values a change will set)."""
        parked = changes.pop("parked", self.parked.get(line.id, {}))
        rows = LineRows(line.id, frozenset(line.options), line.call_waiting, line.forwarding,
                        tuple(sorted(parked.items())), line.ring_list)
        return (replace(rows, **changes),)

    def _line(self, params: dict[str, Any]) -> Party:
        party = self.net.parties.get(str(params.get("line")))
        if party is None or not party.is_line:
            raise RefusedError("unknown_line", str(params.get("line")))
        return party

    # ------------------------------------------------------------------ forwarding
    def _op_set_forwarding(self, p: dict[str, Any]) -> Change:
        """Register and activate ``to`` for one condition (or several: ``type`` a list)."""
        line = self._line(p)
        kinds = _kinds(p.get("type"))
        delay = _delay(p.get("delay"))
        raw = p.get("to")
        to = "" if raw is None else str(raw)
        new = line.forwarding
        for kind in kinds:
            new = new.with_(kind, to)
        if delay is not None:
            new = replace(new, delay=delay)  # checked just below
        errors = check_forwarding(new, line.number, self.net.plan)
        relevant = [r for key, r in errors if key in kinds or key == "delay"]
        if relevant:
            raise RefusedError(relevant[0].reason, relevant[0].detail)
        normalised = self.net.plan.normalise(to) or to
        for kind in kinds:
            new = new.with_(kind, normalised)
        return self._set_forwarding(line, new, {kind: None for kind in kinds})

    def _op_clear_forwarding(self, p: dict[str, Any]) -> Change:
        """Erase: every condition ("Je ne souhaite pas personnaliser"), or ``type``."""
        line = self._line(p)
        if p.get("type") is None:
            return self._set_forwarding(line, Forwarding(delay=line.forwarding.delay),
                                        {kind: None for kind in FORWARDING_TYPES})
        kinds = _kinds(p.get("type"))
        new = line.forwarding
        for kind in kinds:
            new = new.with_(kind, None)
        return self._set_forwarding(line, new, {kind: None for kind in kinds})

    def _op_deactivate_forwarding(self, p: dict[str, Any]) -> Change:
        """Deactivate, keeping the destination registered for ``activate_forwarding``."""
        line = self._line(p)
        kinds = _kinds(p.get("type"))
        new = line.forwarding
        park: dict[str, str | None] = {}
        for kind in kinds:
            number = line.forwarding.get(kind)
            if number is not None:
                park[kind] = number
                new = new.with_(kind, None)
        return self._set_forwarding(line, new, park)

    def _op_activate_forwarding(self, p: dict[str, Any]) -> Change:
        """Activate again the destinations registered for ``type`` (``no_number`` if none)."""
        line = self._line(p)
        kinds = _kinds(p.get("type"))
        parked = self.parked.get(line.id, {})
        new = line.forwarding
        found = False
        for kind in kinds:
            number = new.get(kind) or parked.get(kind)
            if number is not None:
                found = True
                new = new.with_(kind, number)
        if not found:
            raise RefusedError("no_number", "no destination registered")
        return self._set_forwarding(line, new, {kind: None for kind in kinds})

    def _set_forwarding(self, line: Party, new: Forwarding, park: dict[str, str | None]) -> Change:
        """The change, and what becomes of registered destinations (None = forget)."""
        before = line.forwarding.describe()
        parked = dict(self.parked.get(line.id, {}))
        for kind, number in park.items():
            if number is None:
                parked.pop(kind, None)
            else:
                parked[kind] = number

        def apply() -> None:
            line.forwarding = new
            if parked:
                self.parked[line.id] = parked
            else:
                self.parked.pop(line.id, None)
            self.net.touch(line)

        return line.id, before, new.describe(), apply, self.line_rows(line, forwarding=new, parked=parked)

    def registered(self, line: str, condition: str) -> str | None:
        """The destination registered for ``condition``, active or not."""
        party = self.net.parties[line]
        return party.forwarding.get(condition) or self.parked.get(line, {}).get(condition)

    # ------------------------------------------------------------------ ring lists
    def _op_set_ring_list(self, p: dict[str, Any]) -> Change:
        line = self._line(p)
        numbers = p.get("numbers")
        if not isinstance(numbers, (list, tuple)):
            raise RefusedError("invalid_value", "numbers must be a list")
        mode = p.get("mode")
        if mode not in RING_MODES:
            raise RefusedError("invalid_value", f"mode {mode!r}")
        step = _delay(p.get("step", 15))
        ring = RingList(mode, tuple(str(n) for n in numbers), step)
        errors = check_ring_list(ring, _VpnNumbers(self.net), self.net.plan)
        if errors:
            raise RefusedError(errors[0][1].reason, errors[0][1].detail)
        if not numbers:
            raise RefusedError("invalid_value", "a ring list needs at least one number")
        ring = RingList(mode, tuple(self.net.plan.normalise(n) or n for n in ring.numbers), ring.step)
        return self._set_ring_list(line, ring)

    def _op_clear_ring_list(self, p: dict[str, Any]) -> Change:
        return self._set_ring_list(self._line(p), None)

    def _set_ring_list(self, line: Party, ring: RingList | None) -> Change:
        before = line.ring_list.describe() if line.ring_list else "none"

        def apply() -> None:
            line.ring_list = ring
            self.net.touch(line)

        return line.id, before, ring.describe() if ring else "none", apply, self.line_rows(line, ring_list=ring)

    # ------------------------------------------------------------------ options
    def _op_grant(self, p: dict[str, Any]) -> Change:
        return self._option(p, True)

    def _op_withdraw(self, p: dict[str, Any]) -> Change:
        return self._option(p, False)

    def _option(self, p: dict[str, Any], granted: bool) -> Change:
        line = self._line(p)
        option = p.get("option")
        if option not in OPTIONS:
            raise RefusedError("invalid_value", f"option {option!r}")
        before = ",".join(sorted(line.options)) or "none"
        after_set = set(line.options) | {option} if granted else set(line.options) - {option}

        def apply() -> None:
            line.options = after_set
            self.net.touch(line)

        return (line.id, before, ",".join(sorted(after_set)) or "none", apply,
                self.line_rows(line, options=frozenset(after_set)))

    def _op_set_call_waiting(self, p: dict[str, Any]) -> Change:
        line = self._line(p)
        on = bool(p.get("on"))
        if not line.has("double_appel"):
            raise RefusedError("double_appel_required")

        def apply() -> None:
            line.call_waiting = on
            self.net.touch(line)

        return (line.id, "on" if line.call_waiting else "off", "on" if on else "off", apply,
                self.line_rows(line, call_waiting=on))

    # ------------------------------------------------------------------ groups
    def __getattr__(self, name: str) -> Any:
        if name.startswith("_op_") and hasattr(groupadmin, name[1:]):
            fn = getattr(groupadmin, name[1:])
            return lambda p: fn(self.net, p)
        raise AttributeError(name)

    def audit_for(self, line: str | None = None) -> list[AuditEntry]:
        """The audit log, optionally only the entries about one line."""
        if line is None:
            return list(self.audit)
        return [e for e in self.audit if e.target == line or dict(e.params).get("line") == line]


class _VpnNumbers:
    """The numbers of the company's lines, read from the network's index (no copy)."""

    def __init__(self, net: Network) -> None:
        self.by_number = net.by_number

    def __contains__(self, number: object) -> bool:
        party = self.by_number.get(number) if isinstance(number, str) else None
        return party is not None and party.is_line


def _kinds(value: Any) -> tuple[str, ...]:
    """One forwarding condition, or several (MMI codes 002 and 004)."""
    kinds = tuple(value) if isinstance(value, (list, tuple)) else (value,)
    if not kinds or any(kind not in FORWARDING_TYPES for kind in kinds):
        raise RefusedError("invalid_value", f"type {value!r}")
    return tuple(str(kind) for kind in kinds)


def _delay(value: Any) -> Any:
    """A delay typed in a form may come as text: whole numbers are read, the rest is checked later."""
    if isinstance(value, str) and ascii_digits(value.strip()) and len(value.strip()) <= 9:
        return int(value.strip())
    return value


def _plain(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
