"""Turns a live session into a scenario file: actions as steps, ``wait`` between them.

The TUI tells the recorder about every action before carrying it out (a key, power, a
move) and once it is done; portal operations are caught by wrapping the network's portal
service, so the portal screens need not know about recording. Virtual time between two
actions becomes a ``wait`` step, so a replay fires the same timers at the same instants.

Keys are grouped into one ``keys`` step while nothing else happens: digits keyed while
idle only fill the handset's number, so a group is written at the instant of its last key
and replays exactly. A group ends after a function key, after any key pressed during a
call, when another handset acts, or when anything else happens on the network. A refused
action gets ``fails: REASON``, as the scenario runner demands.

``checkpoint()`` writes an ``expect`` of every handset's state; ``finish()`` adds a final
one and returns the scenario as YAML (``save()`` writes it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from phone_sim.files import private_folder, replace_private, write_private
from phone_sim.network import events as ev
from phone_sim.network.refusal import Refused
from phone_sim.network.snapshot import snapshot
from phone_sim.scenario.companyfile import dump_company
from phone_sim.scenario.model import PORTAL_ACTIONS, TONES
from phone_sim.scenario.runner import Session, observe

FUNCTION_KEYS = ("call", "end", "hold", "conf")


class CannotRecord(Exception):
    """Recording cannot start now (calls in progress, timers pending)."""


@dataclass
class _Step:
    """One step being written: ``{action: value}`` plus an optional ``fails``."""

    action: str
    value: Any
    time: int
    fails: str | None = None
    party: str | None = None  # for key groups
    keys: list[str] = field(default_factory=list)
    closed: bool = False

    def data(self) -> dict[str, Any]:
        value = {self.party: "".join(k if len(k) == 1 else f"<{k}>" for k in self.keys)} \
            if self.action == "keys" else self.value
        data: dict[str, Any] = {self.action: value}
        if self.fails is not None:
            data["fails"] = self.fails
        return data


class Recorder:
    """Records what happens to ``session`` from now on."""

    def __init__(self, session: Session, name: str = "Recorded session", description: str = "") -> None:
        net = session.net
        net.clock.settle()  # what is due now happens now, as after every scenario step
        busy = [p.id for p in net.parties.values() if p.legs]
        if busy or net.clock.pending():
            raise CannotRecord(", ".join(busy) or "timers")
        self.session = session
        self.net = net
        self.name = name
        self.description = description
        self.company = snapshot(net)
        self.steps: list[dict[str, Any]] = []
        self._last_time = net.now
        self._pending: _Step | None = None
        self._current: _Step | None = None
        self._disturbed = False
        self._in_key = False
        self._saved_to: Path | None = None  # the file the first save created
        self._unsubscribe: Callable[[], None] | None = net.bus.subscribe(self._on_event)
        self._portal_execute: Callable[..., Any] = net.portal.execute
        net.portal.execute = self._portal  # type: ignore[method-assign]
        self._initial_state()

    # ------------------------------------------------------------------ actions
    def key(self, party: str, key: str) -> None:
        """``party`` is about to press ``key``."""
        in_call = bool(self.net.parties[party].legs)
        pending = self._pending
        if pending is None or pending.party != party or pending.closed or self._disturbed:
            self._flush()
            pending = self._pending = _Step("keys", None, self.net.now, party=party)
            self._disturbed = False
        pending.keys.append(key)
        pending.time = self.net.now
        if key in FUNCTION_KEYS or in_call:
            pending.closed = True
        self._current = pending
        self._in_key = True

    def action(self, action: str, value: Any) -> None:
        """Any other action (``switch_off: X``, ``move: {X: abroad}``...) about to happen."""
        self._flush()
        self._current = self._pending = _Step(action, value, self.net.now)
        self._pending.closed = True

    def done(self) -> None:
        """The action announced last is over."""
        self._current = None
        self._in_key = False

    def checkpoint(self) -> None:
        """An ``expect`` of every handset's state, now."""
        self._flush()
        checks = {ident: exp for ident in self.session.handsets if (exp := self.expectation(ident)) is not None}
        if checks:
            self._emit(_Step("expect", checks, self.net.now))

    def finish(self) -> str:
        """Stop recording: a final checkpoint, then the scenario as YAML."""
        if self._unsubscribe is not None:
            self.checkpoint()
            self._unsubscribe()
            self._unsubscribe = None
            if self.net.portal.__dict__.get("execute") == self._portal:
                del self.net.portal.execute
        return self.to_yaml()

    def save(self, path: str | os.PathLike[str], *, force: bool = False) -> Path:
        """Write the scenario so far. The first save creates the file (0600, never through
        a symbolic link, never over an existing file unless ``force``); later ones replace
        it atomically. Raises OSError (``FileExistsError``...) when it cannot."""
        target = Path(path)
        text = self.to_yaml() if self._unsubscribe is None else self._snapshot_yaml()
        if self._saved_to == target:
            replace_private(target, text)
            return target
        if not target.parent.exists():
            private_folder(target.parent)
        write_private(target, text, force=force)
        self._saved_to = target
        return target

    # ------------------------------------------------------------------ state
    def expectation(self, ident: str) -> Any:
        """What ``expect`` says of one handset now; None when the format cannot say it."""
        obs = observe(self.session, ident)
        if obs["mode"] in ("idle", "off", "dialing"):
            return obs["mode"]
        known = set(self.net.parties) | set(self.net.groups.groups)
        data: dict[str, Any] = {}
        for state, parties in obs["calls"]:
            if state in data or not set(parties) <= known:
                return None  # two calls in one state, or a voice menu: not expressible
            data[state] = list(parties) if len(parties) > 1 else parties[0]
        if obs["tone"] in TONES:
            data["tone"] = obs["tone"]
        if obs["forwarded_from"]:
            data["forwarded_from"] = obs["forwarded_from"][0]
        return data

    def _initial_state(self) -> None:
        """Handsets switched off, away, or half-way through a number when recording starts."""
        for ident, party in self.net.parties.items():
            if party.location != "home":
                self.steps.append({"move": {ident: party.location}})
            if not party.power:
                self.steps.append({"switch_off": ident})
            buffer = self.session.handsets[ident].buffer
            if buffer:
                self.steps.append({"keys": {ident: buffer}})

    # ------------------------------------------------------------------ internals
    def _on_event(self, event: ev.Event) -> None:
        current = self._current
        if isinstance(event, ev.ActionWasRefused):
            if current is not None and current.fails is None:
                current.fails = event.reason
                current.closed = True
            return
        pending = self._pending
        if pending is None or pending.action != "keys":
            return
        if isinstance(event, (ev.KeyWasPressed, ev.HandsetDidChange)) and event.party == pending.party:
            return
        self._disturbed = True

    def _portal(self, actor: str, operation: str, params: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        """A portal operation (the portal does not publish its refusals: take the result).

        Extra arguments (``as_whom``, ``via``...) pass through untouched, whatever the
        portal service grows.
        """
        execute = self._portal_execute
        if self._in_key or operation not in PORTAL_ACTIONS:
            return execute(actor, operation, params, *args, **kwargs)
        as_whom = kwargs.get("as_whom", args[0] if args else None)
        value = {"as": as_whom or actor, "do": operation, **{k: _plain(v) for k, v in params.items()}}
        self.action("portal", value)
        step = self._current
        try:
            result = execute(actor, operation, params, *args, **kwargs)
        finally:
            self.done()
        if isinstance(result, Refused) and step is not None and step.fails is None:
            step.fails = result.reason
        return result

    def _flush(self) -> None:
        if self._pending is not None:
            self._emit(self._pending)
            self._pending = None

    def _emit(self, step: _Step) -> None:
        gap = step.time - self._last_time
        if gap > 0:
            self.steps.append({"wait": format_duration(gap)})
            self._last_time = step.time
        self.steps.append(step.data())

    def _snapshot_yaml(self) -> str:
        """The file so far (pending keys included) while still recording."""
        steps = list(self.steps)
        if self._pending is not None:
            gap = self._pending.time - self._last_time
            steps += ([{"wait": format_duration(gap)}] if gap > 0 else []) + [self._pending.data()]
        return self._yaml(steps)

    def to_yaml(self) -> str:
        return self._yaml(self.steps)

    def _yaml(self, steps: list[dict[str, Any]]) -> str:
        head = {"name": self.name}
        if self.description:
            head["description"] = self.description
        out = [_dump(head).rstrip("\n"), "company:"]
        out += ["  " + line for line in dump_company(self.company).rstrip("\n").splitlines()]
        out.append("steps:")
        if not steps:
            steps = [{"expect": {ident: self.expectation(ident) for ident in list(self.session.handsets)[:1]}}]
        for step in steps:
            out.extend(_step_lines(step))
        return "\n".join(out) + "\n"


def format_duration(ms: int) -> str:
    return f"{ms // 1000}s" if ms % 1000 == 0 else f"{ms}ms"


def _plain(value: Any) -> Any:
    if isinstance(value, (tuple, list, set, frozenset)):
        return [_plain(v) for v in value]
    return value


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=False, sort_keys=False, allow_unicode=True, width=10**6)


def _flow(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10**6)
    return text.removesuffix("\n...\n").strip()


def _step_lines(step: dict[str, Any]) -> list[str]:
    """``- action: {flow}`` then ``fails:`` under it, as people write steps."""
    (action, value), *rest = step.items()
    if action == "expect":
        lines = ["  - expect:"]
        lines += [f"      {_flow(ident)}: {_flow(exp)}" for ident, exp in value.items()]
    else:
        lines = [f"  - {action}: {_flow(value)}"]
    lines += [f"    {key}: {_flow(v)}" for key, v in rest]
    return lines
