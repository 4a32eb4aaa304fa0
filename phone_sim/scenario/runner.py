"""Replays a scenario in virtual time and checks its expectations.

After each action the network settles at the current instant; only ``wait`` moves the
clock. A step with ``fails: R`` passes only if the network refuses it with R; for
``dial``, a call released before anyone answered, at that same instant, counts as refused
with the release reason.

A long run stays cheap: the runner keeps the last ``TIMELINE_KEPT`` events it would print
(formatted only when a report asks) and, per step, only the events that decide the step
(refusals, calls started and ended), never every event of a ``wait: 1000h``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from phone_sim.handset.display import display_text
from phone_sim.handset.handset import Handset, keys_of_number
from phone_sim.network import events as ev
from phone_sim.network.eventtext import LOGGED, log_line
from phone_sim.network.refusal import Refused
from phone_sim.network.switch import Network
from phone_sim.scenario.model import Expectation, Scenario, Step

TIMELINE_KEPT = 40  # events of the failure timeline: the report prints the last ones
_DECIDING = (ev.ActionWasRefused, ev.CallDidStart, ev.CallDidEnd)


@dataclass(slots=True)
class StepResult:
    index: int
    step: Step
    ok: bool
    message: str = ""
    expected: str = ""
    observed: str = ""
    reasons: tuple[str, ...] = ()  # the refusals the step met (reports and coverage read them)


@dataclass
class ScenarioResult:
    scenario: Scenario
    ok: bool
    steps: list[StepResult] = field(default_factory=list)
    timeline: list[str] = field(default_factory=list)
    failed: StepResult | None = None

    @property
    def status(self) -> str:
        if self.scenario.xfail:
            return "xpass" if self.ok else "xfail"
        return "pass" if self.ok else "fail"

    def report(self) -> str:
        """What failed: the step, expected vs observed, and the event timeline up to it."""
        if self.failed is None:
            return ""
        f = self.failed
        where = f"{f.step.file}:{f.step.line}" if f.step.file else f"line {f.step.line}"
        lines = [f"  step {f.index + 1} ({f.step.action}) at {where}: {f.message}"]
        if f.expected:
            lines.append(f"    expected: {f.expected}")
        if f.observed:
            lines.append(f"    observed: {f.observed}")
        lines.append("    timeline:")
        lines.extend(f"      {line}" for line in self.timeline[-TIMELINE_KEPT:])
        return "\n".join(lines)


MS_PER_CHARACTER = 60  # a spoken line's length without a speech engine (scenario-format.md)


SoundCheck = Callable[[str, Expectation], "str | None"]
"""Checks a ``hears`` expectation of one handset against the sound itself (None: it holds;
else why not). Given by a face (``--verify-audio``): the scenario layer renders no sound."""


def unspoken_ms(text: str, text_en: str = "") -> int:
    """How long a line lasts with no speech engine: 60 ms a character."""
    return MS_PER_CHARACTER * len(text)


class Session:
    """A network, its handsets, and the actions a scenario step can take on them.

    ``say_ms(text, text_en)`` says how long a spoken line lasts: a face that has a speech
    engine sets it to the clip's length (the scenario layer knows no sound).
    ``sound_check``, when set, is called for every ``hears`` expectation that holds in the
    media plane, to check the rendered earpiece too.
    """

    def __init__(self, net: Network, say_ms: Callable[[str, str], int] = unspoken_ms) -> None:
        self.net = net
        self.handsets = {ident: Handset(net, ident) for ident in net.parties}
        self.say_ms = say_ms
        self.sound_check: SoundCheck | None = None

    def number_for(self, caller: str, target: str) -> str:
        """What a person keys to reach ``target`` (an id or a number as written)."""
        net = self.net
        if target in net.parties:
            return net.parties[target].number
        if target in net.groups.groups:
            return net.groups.groups[target].number
        return target

    def act(self, step: Step) -> list[Refused]:
        """Carry out one action step; the refusals it met."""
        a = step.args
        action = step.action
        net = self.net
        if action == "dial":
            handset = self.handsets[a["from"]]
            handset.buffer = ""
            return handset.press_all(keys_of_number(self.number_for(a["from"], a["to"])) + ["call"])
        if action == "keys":
            return self.handsets[a["party"]].press_all(a["keys"])
        if action == "wait":
            net.clock.advance(a["ms"])
            return []
        if action == "portal":
            params = {k: v for k, v in a.items() if k not in ("as", "do")}
            # a destination may be written as a party id, like dial's `to`
            if isinstance(params.get("to"), str) and params["to"] in net.parties:
                params["to"] = net.parties[params["to"]].number
            if isinstance(params.get("numbers"), (list, tuple)):
                params["numbers"] = [net.parties[n].number if n in net.parties else n for n in params["numbers"]]
            result = net.portal.execute(a["as"], a["do"], params)
            return [result] if isinstance(result, Refused) else []
        if action in ("say", "talk", "play"):
            self.speak(step)
            return []
        party = a.get("party")
        simple: dict[str, Callable[[], Any]] = {
            "switch_off": lambda: net.switch_off(party),
            "switch_on": lambda: net.switch_on(party),
            "move": lambda: net.move(party, a["location"]),
        }
        if action in simple:
            result = simple[action]()
            return [result] if isinstance(result, Refused) else []
        return self.handsets[party].press_all(self.keys_for(action, party))

    def speak(self, step: Step) -> None:
        """A voice step: the party talks (the network publishes VoiceDidStart)."""
        a, net = step.args, self.net
        if step.action == "say":
            ms = max(1, self.say_ms(a["text"], a["text_en"]))
            net.speak(a["from"], "say", ms, text=a["text"], text_en=a["text_en"])
        elif step.action == "talk":
            net.speak(a["from"], "talk", a["ms"])
        else:
            net.speak(a["from"], "play", a["ms"], file=a["file"])

    def keys_for(self, action: str, party: str) -> list[str]:
        handset = self.handsets[party]
        handset.buffer = ""
        if action == "answer":
            return ["call"]
        if action == "reject":
            legs = self.net.parties[party].legs
            waiting = len(legs) > 1 and any(leg.state == "alerting" for leg in legs)
            return ["0", "call"] if waiting else ["end"]
        if action == "hangup":
            return ["end"]
        if action in ("hold", "swap"):
            return ["hold"]
        if action == "conference":
            return ["conf"]
        if action == "transfer":
            return ["#", "1"]
        raise ValueError(f"unknown action {action}")


def observe(session: Session, ident: str) -> dict[str, Any]:
    handset = session.handsets[ident]
    view = handset.view()
    calls = sorted((c.state, tuple(sorted(c.parties))) for c in view.calls)
    ear = session.net.hears(ident, dialing=view.mode == "dialing")
    return {"mode": view.mode, "calls": calls, "tone": view.tone,
            "forwarded_from": sorted({p for c in view.calls for p in c.forwarded_from}),
            "hears": list(ear.voices) + list(ear.sources), "voices": ear.voices, "sources": ear.sources}


def describe_observed(obs: dict[str, Any], exp: Expectation | None = None) -> str:
    """What the handset is; what it hears too when the expectation asked (``hears``)."""
    if obs["mode"] in ("idle", "off", "dialing"):
        base = obs["mode"]
    else:
        base = ", ".join(f"{s}: {list(p) if len(p) > 1 else p[0]}" for s, p in obs["calls"])
    heard = f"; hears: {_names(obs['hears'])}" if exp is not None and exp.hears is not None else ""
    return f"{{{base}; tone: {obs['tone']}{heard}}}"


def _names(names: Any) -> str:
    return "[" + ", ".join(names) + "]"


def describe_expected(exp: Expectation) -> str:
    parts = [] if exp.any_calls else [exp.plain] if exp.plain else [
        f"{s}: {list(p) if len(p) > 1 else p[0]}" for s, p in exp.calls] or ["idle"]
    for key in ("tone", "display", "forwarded_from"):
        value = getattr(exp, key)
        if value is not None:
            parts.append(f"{key}: {value}")
    if exp.hears is not None:
        parts.append(f"hears: {_names(exp.hears)}")
    return "{" + ", ".join(parts) + "}"


def check_hears(obs: dict[str, Any], ident: str, exp: Expectation) -> str | None:
    """Voices as a set; network sources exactly, only when the list names one."""
    voices, sources = frozenset(obs["voices"]), frozenset(obs["sources"])
    named = exp.heard_sources
    if exp.heard_voices == voices and (named is None or named == sources):
        return None
    heard = sorted(voices) + sorted(sources)
    missing = sorted(exp.heard_voices - voices) + sorted((named or frozenset()) - sources)
    extra = sorted(voices - exp.heard_voices) + (sorted(sources - named) if named is not None else [])
    detail = "; ".join(part for part in (
        f"not {_names(missing)}" if missing else "", f"also {_names(extra)}" if extra else "") if part)
    return f"{ident} hears {_names(heard)}, expected {_names(exp.hears)} ({detail})"


def check(session: Session, ident: str, exp: Expectation) -> str | None:
    """None if the handset matches, else why not."""
    obs = observe(session, ident)
    if exp.plain is not None:
        if obs["mode"] != exp.plain:
            return f"{ident} is {obs['mode']}, expected {exp.plain}"
    elif not exp.any_calls:
        expected = sorted((s, tuple(sorted(p))) for s, p in exp.calls)
        if expected != obs["calls"]:
            return f"{ident}'s calls differ"
    if exp.tone is not None and obs["tone"] != exp.tone:
        return f"{ident} hears {obs['tone']}, expected {exp.tone}"
    if exp.hears is not None:
        why = check_hears(obs, ident, exp)
        if why is not None:
            return why
        if session.sound_check is not None:
            return session.sound_check(ident, exp)
    if exp.display is not None:
        shown = display_text(session.net, ident, session.handsets[ident].buffer)
        number = session.net.plan.normalise(exp.display)  # "01 45 67 89 00" as written
        if exp.display.lower() not in shown.lower() and not (number and number in shown):
            return f"{ident}'s display does not show {exp.display!r}: {shown!r}"
    if exp.forwarded_from is not None and exp.forwarded_from not in obs["forwarded_from"]:
        return f"{ident} has no call forwarded from {exp.forwarded_from}"
    return None


def run_scenario(scenario: Scenario, on_step: Callable[[int, StepResult], None] | None = None,
                 on_network: Callable[[Network], Any] | None = None,
                 sound_check: Callable[[Network], SoundCheck] | None = None) -> ScenarioResult:
    """Replay ``scenario``; stops at the first failing step. ``on_network`` sees the network
    before the first step (to attach listeners such as call detail records);
    ``sound_check`` makes, from the network, the check of ``hears`` against the sound."""
    from phone_sim.network.clock import Clock

    net = Network(scenario.company, Clock())
    if on_network is not None:
        on_network(net)
    session = Session(net)
    if sound_check is not None:
        session.sound_check = sound_check(net)
    result = ScenarioResult(scenario, True)
    seen: list[ev.Event] = []  # the events that decide the current step
    kept: deque[ev.Event] = deque(maxlen=TIMELINE_KEPT)

    def listen(event: ev.Event) -> None:
        if isinstance(event, _DECIDING):
            seen.append(event)
        if type(event).__name__ in LOGGED:
            kept.append(event)

    net.bus.subscribe(listen)
    for index, step in enumerate(scenario.steps):
        seen.clear()
        outcome = run_step(session, step, seen, index)
        result.steps.append(outcome)
        if on_step is not None:
            on_step(index, outcome)
        if not outcome.ok:
            result.ok = False
            result.failed = outcome
            break
    result.timeline = [line for event in kept if (line := log_line(event, "en")) is not None]
    return result


def run_step(session: Session, step: Step, seen: list[ev.Event], index: int) -> StepResult:
    net = session.net
    if step.action == "expect":
        for ident, exp in step.args["checks"]:
            why = check(session, ident, exp)
            if why is not None:
                return StepResult(index, step, False, why, describe_expected(exp),
                                  describe_observed(observe(session, ident), exp))
        return StepResult(index, step, True)
    try:
        refusals = session.act(step)
        net.clock.settle()
    except Exception as exc:  # a bug in the simulator must not hide behind the scenario
        return StepResult(index, step, False, f"internal error: {type(exc).__name__}: {exc}")
    reasons = [r.reason for r in refusals]
    reasons += [e.reason for e in seen if isinstance(e, ev.ActionWasRefused) and e.reason not in reasons]
    if step.action == "dial":
        started = {e.call_id for e in seen if isinstance(e, ev.CallDidStart)}
        reasons += [e.reason for e in seen if isinstance(e, ev.CallDidEnd) and e.call_id in started
                    and not e.answered and e.reason not in ("abandoned", "normal")]
    met = tuple(reasons)
    if step.fails is not None:
        if step.fails in reasons:
            return StepResult(index, step, True, reasons=met)
        return StepResult(index, step, False, f"expected refusal {step.fails}",
                          step.fails, ", ".join(reasons) or "accepted", reasons=met)
    if reasons:
        return StepResult(index, step, False, f"refused: {reasons[0]}", "accepted", ", ".join(reasons), reasons=met)
    return StepResult(index, step, True)
