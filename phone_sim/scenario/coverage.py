"""What a suite of scenarios exercised: machine states and transitions, SPEC.md's reason
codes, and the services (forwarding kinds, ring-list modes, group distributions, MMI
codes, call-related codes), with the never-reached ones listed.

``Coverage`` holds the universe, read from the core's own definitions (the machines of
``phone_sim.network.machines``, ``catalogue.SPEC_REASONS``, the company's kinds and modes,
the handset's MMI service codes), and what was reached. ``attach(net)`` watches one
scenario's network: an ``after`` callback on every declared transition of its machines,
a bus listener for events, and a wrapper on its call-related codes. A state counts as
reached when a fired transition leaves or enters it (pooled models are reset into their
first state without a transition). ``steps(result)`` adds the refusals the runner met.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from phone_sim.handset import mmi
from phone_sim.network import events as ev
from phone_sim.network.catalogue import REASONS, SPEC_REASONS, text
from phone_sim.network.company import DISTRIBUTIONS, FORWARDING_TYPES, RING_MODES
from phone_sim.network.machines import machines, states_of, transitions_of
from phone_sim.network.switch import Network

MMI_OPERATIONS = ("**", "*", "#", "##", "*#")  # register, activate, deactivate, erase, interrogate
CALL_RELATED_CODES = ("0", "1", "1X", "2", "2X", "3", "4")
SERVICES = ("forwarding", "ring_list", "distribution", "mmi", "call_related")


def mmi_universe() -> tuple[str, ...]:
    codes = [op + sc + "#" for sc in mmi.SERVICES for op in MMI_OPERATIONS]
    return tuple(codes + [op + "43#" for op in ("*", "#", "*#")])


def mmi_code(digits: str) -> str | None:
    """``**61*0601020309**20#`` -> ``**61#`` (the operation and the service code)."""
    match = mmi.PATTERN.match(digits)
    if match is None:
        return None
    op = match["op"]
    if op == "*" and match["number"]:
        op = "**"
    return f"{op}{match['sc']}#"


def call_related_code(digits: str) -> str:
    return digits if len(digits) == 1 else digits[0] + "X"


@dataclass
class Area:
    """One row of the report: the items that exist and those reached."""

    key: str
    label: tuple[str, str]  # catalogue key and its values, rendered per language
    universe: tuple[str, ...]
    reached: set[str] = field(default_factory=set)

    def never(self) -> list[str]:
        return [item for item in self.universe if item not in self.reached]

    def count(self) -> int:
        return sum(1 for item in self.universe if item in self.reached)


class Coverage:
    def __init__(self, net: Network) -> None:
        """``net``: any network, to read the machines' definitions from."""
        self.areas: dict[str, Area] = {}
        for name, machine in machines(net).items():
            self._area(f"{name}.states", ("coverage.machine.states", name), states_of(machine))
            self._area(f"{name}.transitions", ("coverage.machine.transitions", name),
                       [_transition(t) for t in transitions_of(machine)])
        self._area("reasons", ("coverage.reasons", ""), SPEC_REASONS)
        self._area("forwarding", ("coverage.forwarding", ""), FORWARDING_TYPES)
        self._area("ring_list", ("coverage.ring_list", ""), RING_MODES)
        self._area("distribution", ("coverage.distribution", ""), DISTRIBUTIONS)
        self._area("mmi", ("coverage.mmi", ""), mmi_universe())
        self._area("call_related", ("coverage.call_related", ""), CALL_RELATED_CODES)
        self.other_reasons: set[str] = set()
        self.scenarios = 0
        self._hooked: weakref.WeakSet[Any] = weakref.WeakSet()  # machines shared by networks: hook once

    def _area(self, key: str, label: tuple[str, str], universe: Iterable[str]) -> None:
        self.areas[key] = Area(key, label, tuple(dict.fromkeys(universe)))

    def add(self, key: str, item: str) -> None:
        area = self.areas[key]
        if item in area.universe:
            area.reached.add(item)
        elif key == "reasons" and item in REASONS:  # announcements also carry prompt keys
            self.other_reasons.add(item)

    # ------------------------------------------------------------------ watching a network
    def attach(self, net: Network) -> None:
        self.scenarios += 1
        for name, machine in machines(net).items():
            if machine in self._hooked:
                continue
            self._hooked.add(machine)
            for trigger, event in machine.events.items():
                for source, declared in event.transitions.items():
                    for transition in declared:
                        transition.after.append(self._fired(name, trigger, source, transition.dest or source))
        net.bus.subscribe(_Watcher(self, net))
        original = net.call_related

        def call_related(party: str, digits: str, *args: Any, **kwargs: Any) -> Any:
            self.add("call_related", call_related_code(digits))
            return original(party, digits, *args, **kwargs)

        net.call_related = call_related  # type: ignore[method-assign,assignment]

    def _fired(self, name: str, trigger: str, source: str, dest: str) -> Callable[..., None]:
        states, transitions = self.areas[f"{name}.states"], self.areas[f"{name}.transitions"]
        item = _transition((trigger, source, dest))

        def fired(*_: Any, **__: Any) -> None:
            states.reached.update((source, dest))
            transitions.reached.add(item)

        return fired

    def steps(self, result: Any) -> None:
        """The refusals a scenario's steps met (portal refusals publish no event)."""
        for step in getattr(result, "steps", ()):
            for reason in getattr(step, "reasons", ()):
                self.add("reasons", reason)

    # ------------------------------------------------------------------ reports
    def total(self) -> tuple[int, int]:
        return sum(a.count() for a in self.areas.values()), sum(len(a.universe) for a in self.areas.values())

    def to_json(self) -> dict[str, Any]:
        reached, of = self.total()
        return {
            "scenarios": self.scenarios,
            "areas": {key: {"reached": [i for i in a.universe if i in a.reached], "never": a.never(),
                            "count": a.count(), "of": len(a.universe)} for key, a in self.areas.items()},
            "other_reasons": sorted(self.other_reasons),
            "total": {"reached": reached, "of": of, "percent": round(100 * reached / of, 1) if of else 100.0},
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"

    def table(self, lang: str = "fr") -> str:
        rows = []
        for area in self.areas.values():
            key, name = area.label
            label = text(key, lang, name=name) if name else text(key, lang)
            never = area.never()
            rows.append((label, f"{area.count()}/{len(area.universe)}",
                         ", ".join(never) if never else "-"))
        reached, of = self.total()
        rows.append((text("coverage.total", lang), f"{reached}/{of} ({100 * reached / of if of else 100:.1f} %)", ""))
        if self.other_reasons:
            rows.append((text("coverage.other_reasons", lang), str(len(self.other_reasons)),
                         ", ".join(sorted(self.other_reasons))))
        head = (text("coverage.col.what", lang), text("coverage.col.reached", lang), text("coverage.col.never", lang))
        width = max(len(r[0]) for r in [head, *rows])
        lines = [text("coverage.title", lang, count=self.scenarios), ""]
        lines.append(f"{head[0]:<{width}}  {head[1]:>15}  {head[2]}")
        lines += [f"{label:<{width}}  {count:>15}  {never}".rstrip() for label, count, never in rows]
        return "\n".join(lines)


def _transition(t: tuple[str, str, str]) -> str:
    trigger, source, dest = t
    return f"{source} -{trigger}-> {dest}"


class _Watcher:
    """Bus listener: reasons, forwarding kinds, ring-list modes, distributions, MMI codes."""

    def __init__(self, coverage: Coverage, net: Network) -> None:
        self.coverage = coverage
        self.net = net
        self.typed: dict[str, str] = {}
        self.dialled: dict[str, str] = {}

    def __call__(self, event: ev.Event) -> None:
        add = self.coverage.add
        if isinstance(event, ev.KeyWasPressed):
            self._key(event)
        elif isinstance(event, ev.ActionWasRefused):
            add("reasons", event.reason)
            if event.action == "mmi":
                self._mmi(event.party)
        elif isinstance(event, ev.CallDidEnd):
            if event.reason not in ("normal", "abandoned", "transferred", "merged"):
                add("reasons", event.reason)
        elif isinstance(event, ev.Announcement):
            add("reasons", event.code)
        elif isinstance(event, ev.CallDidForward):
            add("forwarding", event.condition)
        elif isinstance(event, ev.LegDidRing):
            self._ring(event)
        elif isinstance(event, ev.ServiceAnswer):
            self._mmi(event.party)

    def _key(self, event: ev.KeyWasPressed) -> None:
        if event.key == "call":
            self.dialled[event.party] = self.typed.get(event.party, "")
        if event.key in ("call", "end", "hold", "conf"):
            self.typed[event.party] = ""
        else:
            self.typed[event.party] = self.typed.get(event.party, "") + event.key

    def _mmi(self, party: str | None) -> None:
        code = mmi_code(self.dialled.pop(party, "")) if party else None
        if code is not None:
            self.coverage.add("mmi", code)

    def _ring(self, event: ev.LegDidRing) -> None:
        call = self.net.calls.get(event.call_id)
        hunt = getattr(call, "hunt", None)
        if hunt is None:
            return
        distribution = getattr(hunt, "distribution", None)
        if event.group and isinstance(distribution, str):
            self.coverage.add("distribution", distribution)
        ring_list = getattr(hunt, "ring_list", None)
        if ring_list is not None:
            self.coverage.add("ring_list", ring_list.mode)

