"""The portal service: the fleet manager's and users' operations (SPEC 10).

Every operation is checked (role, then the spec's rules in the spec's order), saved by
the ``persist`` hook when one is set (the durable store commits before the change is
acknowledged), applied at once to the live network (calls in progress keep going) and
written to the audit log: who, as whom, when, what, before, after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
from phone_sim.network.refusal import Refused, RefusedError

if TYPE_CHECKING:
    from phone_sim.network.switch import Network

MANAGER = "manager"
USER_OPERATIONS = ("set_forwarding", "clear_forwarding", "set_ring_list", "clear_ring_list",
                   "connect", "disconnect", "set_call_waiting")


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


Persist = Callable[[AuditEntry], None]


class PortalService:
    def __init__(self, net: Network) -> None:
        self.net = net
        self.audit: list[AuditEntry] = []
        self.persist: Persist | None = None
        self.listeners: list[Callable[[AuditEntry], None]] = []

    # ------------------------------------------------------------------ entry point
    def execute(self, actor: str, operation: str, params: dict[str, Any],
                as_whom: str | None = None) -> Refused | None:
        """Run ``operation`` for ``actor`` (``manager`` or a line id).

        A manager who took a user's identity passes ``as_whom``: the rules of that user
        apply, and the audit names both.
        """
        identity = as_whom or actor
        try:
            handler = getattr(self, f"_op_{operation}", None)
            if handler is None:
                raise RefusedError("invalid_value", f"unknown operation {operation!r}")
            self._authorise(identity, operation, params)
            target, before, after, apply = handler(dict(params))
        except RefusedError as refused:
            return refused.refusal
        entry = AuditEntry(self.net.now, actor, identity, operation, target, before, after,
                           tuple(sorted((k, _plain(v)) for k, v in params.items())))
        if self.persist is not None:
            try:
                self.persist(entry)
            except Exception as exc:  # the store could not commit: nothing is applied
                return Refused("invalid_value", f"storage: {exc}")
        apply()
        self.audit.append(entry)
        self.net.publish(SettingDidChange(self.net.now, actor, operation, target, before, after))
        for listener in self.listeners:
            listener(entry)
        self.net.flush()
        return None

    def _authorise(self, identity: str, operation: str, params: dict[str, Any]) -> None:
        if identity == MANAGER:
            return
        if identity not in self.net.parties or not self.net.parties[identity].is_line:
            raise RefusedError("forbidden", f"unknown account {identity!r}")
        if operation not in USER_OPERATIONS:
            raise RefusedError("forbidden", operation)
        if params.get("line", identity) != identity:
            raise RefusedError("forbidden", f"{identity} on {params.get('line')}")
        if operation in ("connect", "disconnect"):
            group = self.net.groups.groups.get(str(params.get("group")))
            if group is not None and identity not in group.members:
                raise RefusedError("forbidden", f"{identity} is not a member of {group.id}")

    def _line(self, params: dict[str, Any]) -> Any:
        party = self.net.parties.get(str(params.get("line")))
        if party is None or not party.is_line:
            raise RefusedError("unknown_line", str(params.get("line")))
        return party

    # ------------------------------------------------------------------ forwarding
    def _op_set_forwarding(self, p: dict[str, Any]) -> Any:
        line = self._line(p)
        kind = p.get("type")
        if kind not in FORWARDING_TYPES:
            raise RefusedError("invalid_value", f"type {kind!r}")
        delay = p.get("delay")
        new = line.forwarding.with_(kind, str(p.get("to", "")), delay)
        errors = check_forwarding(new, line.number, self.net.plan)
        relevant = [r for key, r in errors if key in (kind, "delay")]
        if relevant:
            raise RefusedError(relevant[0].reason, relevant[0].detail)
        normalised = new.with_(kind, self.net.plan.normalise(str(p["to"])))
        return self._set_forwarding(line, normalised)

    def _op_clear_forwarding(self, p: dict[str, Any]) -> Any:
        line = self._line(p)
        kind = p.get("type")
        if kind is None:
            new = Forwarding(delay=line.forwarding.delay)
        elif kind in FORWARDING_TYPES:
            new = line.forwarding.with_(kind, None)
        else:
            raise RefusedError("invalid_value", f"type {kind!r}")
        return self._set_forwarding(line, new)

    def _set_forwarding(self, line: Any, new: Forwarding) -> Any:
        before = line.forwarding.describe()

        def apply() -> None:
            line.forwarding = new
            self.net.touch(line)

        return line.id, before, new.describe(), apply

    # ------------------------------------------------------------------ ring lists
    def _op_set_ring_list(self, p: dict[str, Any]) -> Any:
        line = self._line(p)
        numbers = p.get("numbers")
        if not isinstance(numbers, (list, tuple)):
            raise RefusedError("invalid_value", "numbers must be a list")
        mode = p.get("mode")
        if mode not in RING_MODES:
            raise RefusedError("invalid_value", f"mode {mode!r}")
        ring = RingList(mode, tuple(str(n) for n in numbers), p.get("step", 15))
        vpn = {party.number for party in self.net.parties.values() if party.is_line}
        errors = check_ring_list(ring, vpn, self.net.plan)
        if errors:
            raise RefusedError(errors[0][1].reason, errors[0][1].detail)
        ring = RingList(mode, tuple(self.net.plan.normalise(n) or n for n in ring.numbers), ring.step)
        return self._set_ring_list(line, ring)

    def _op_clear_ring_list(self, p: dict[str, Any]) -> Any:
        return self._set_ring_list(self._line(p), None)

    def _set_ring_list(self, line: Any, ring: RingList | None) -> Any:
        before = line.ring_list.describe() if line.ring_list else "none"

        def apply() -> None:
            line.ring_list = ring
            self.net.touch(line)

        return line.id, before, ring.describe() if ring else "none", apply

    # ------------------------------------------------------------------ options
    def _op_grant(self, p: dict[str, Any]) -> Any:
        return self._option(p, True)

    def _op_withdraw(self, p: dict[str, Any]) -> Any:
        return self._option(p, False)

    def _option(self, p: dict[str, Any], granted: bool) -> Any:
        line = self._line(p)
        option = p.get("option")
        if option not in OPTIONS:
            raise RefusedError("invalid_value", f"option {option!r}")
        before = ",".join(sorted(line.options)) or "none"
        after_set = set(line.options) | {option} if granted else set(line.options) - {option}

        def apply() -> None:
            line.options = after_set
            self.net.touch(line)

        return line.id, before, ",".join(sorted(after_set)) or "none", apply

    def _op_set_call_waiting(self, p: dict[str, Any]) -> Any:
        line = self._line(p)
        on = bool(p.get("on"))
        if not line.has("double_appel"):
            raise RefusedError("double_appel_required")

        def apply() -> None:
            line.call_waiting = on

        return line.id, str(line.call_waiting), str(on), apply

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


def _plain(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
