"""Plays a scenario on the live network step by step, visibly (no Textual here).

Time follows the scenario: the clock moves only during ``wait`` steps, which run in real
time scaled by the speed; other steps come one after the other, ``PACE`` seconds apart
(divided by the speed) so a viewer can follow them. ``step()`` runs the next step at
once. A failing step pauses the player; stepping on is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from phone_sim.network import events as ev
from phone_sim.network.clock import format_ms
from phone_sim.scenario.model import Expectation, Scenario, Step
from phone_sim.scenario.runner import Session, StepResult, run_step
from phone_sim.tui.clockdriver import SPEEDS

PACE = 0.8  # real seconds between two steps at speed 1


@dataclass
class _Wait:
    left: int
    seen: list[ev.Event]


class Player:
    def __init__(self, scenario: Scenario, session: Session) -> None:
        self.scenario = scenario
        self.session = session
        self.index = 0
        self.results: list[StepResult | None] = [None] * len(scenario.steps)
        self.paused = False
        self.speed = 1
        self._due = PACE  # real seconds until the next step starts
        self._wait: _Wait | None = None
        self._seen: list[ev.Event] = []
        self._unsubscribe = session.net.bus.subscribe(self._seen.append)

    @property
    def done(self) -> bool:
        return self.index >= len(self.scenario.steps)

    @property
    def failed(self) -> StepResult | None:
        return next((r for r in self.results if r is not None and not r.ok), None)

    @property
    def passed(self) -> bool:
        return self.done and self.failed is None

    def close(self) -> None:
        self._unsubscribe()

    def toggle_pause(self) -> bool:
        self.paused = not self.paused
        return self.paused

    def cycle_speed(self) -> int:
        self.speed = SPEEDS[(SPEEDS.index(self.speed) + 1) % len(SPEEDS)]
        return self.speed

    def step(self) -> StepResult | None:
        """Run the next step to its end (a ``wait`` all at once)."""
        if self.done:
            return None
        if self._wait is not None:
            return self._advance_wait(self._wait.left)
        return self._start(self.scenario.steps[self.index])

    def tick(self, seconds: float) -> bool:
        """``seconds`` of real time went by; True when something changed."""
        if self.paused or self.done:
            return False
        if self._wait is not None:
            self._advance_wait(min(self._wait.left, max(1, int(seconds * 1000 * self.speed))))
            return True
        self._due -= seconds * self.speed
        if self._due > 0:
            return False
        self._due = PACE
        self._start(self.scenario.steps[self.index])
        return True

    def _start(self, step: Step) -> StepResult | None:
        if step.action == "wait":
            self._seen.clear()
            self._wait = _Wait(step.args["ms"], [])
            return None if step.args["ms"] else self._advance_wait(0)
        self._seen.clear()
        result = run_step(self.session, step, self._seen, self.index)
        return self._record(result)

    def _advance_wait(self, ms: int) -> StepResult | None:
        wait = self._wait
        assert wait is not None
        self._seen.clear()
        self.session.net.clock.advance(ms)
        wait.left -= ms
        wait.seen.extend(self._seen)
        if wait.left > 0:
            return None
        self._wait = None
        refused = [e.reason for e in wait.seen if isinstance(e, ev.ActionWasRefused)]
        step = self.scenario.steps[self.index]
        if refused:
            return self._record(StepResult(self.index, step, False, f"refused: {refused[0]}"))
        return self._record(StepResult(self.index, step, True))

    def _record(self, result: StepResult) -> StepResult:
        self.results[self.index] = result
        self.index += 1
        if not result.ok:
            self.paused = True
        return result

    @property
    def wait_left(self) -> int | None:
        return None if self._wait is None else self._wait.left


def describe_step(step: Step) -> str:
    """One short line for the step list."""
    a = step.args
    action = step.action
    if action == "dial":
        text = f"dial {a['from']} → {a['to']}"
    elif action == "keys":
        text = f"keys {a['party']}: " + "".join(k if len(k) == 1 else f"<{k}>" for k in a["keys"])
    elif action == "wait":
        text = f"wait {format_ms(a['ms'])}"
    elif action == "move":
        text = f"move {a['party']} → {a['location']}"
    elif action == "portal":
        params = ", ".join(f"{k}={v}" for k, v in a.items() if k not in ("as", "do"))
        text = f"portal {a['as']}: {a['do']} {params}"
    elif action == "expect":
        text = "expect " + "; ".join(f"{ident} {_expectation(exp)}" for ident, exp in a["checks"])
    else:
        text = f"{action} {a.get('party', '')}"
    if step.fails:
        text += f"  (fails: {step.fails})"
    return text


def _expectation(exp: Expectation) -> str:
    if exp.plain:
        return exp.plain
    return ", ".join(f"{state} {'+'.join(parties)}" for state, parties in exp.calls) or "idle"
