"""The lesson engine: a lesson played on a live network, no UI (faces drive it).

It owns the network and the scenario ``Session`` the lesson runs on, the current goal,
the cues, and the record of each goal (virtual and wall time taken, hints used,
refusals met, solution shown). After every trainee key and every timer it runs the cues
whose condition became true and checks the current goal with the scenario ``check``
(reused, not rewritten) and the lesson's ``settings`` and ``refused``; a goal reached
starts the next one at once, so one move may reach several goals.

Time: the face advances virtual time through ``advance`` (a real-time driver, the
"let time pass" key, a solution's ``wait``); timers fire one instant at a time and the
goal is checked after each, so nothing that happens during a wait is missed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from phone_sim.handset.handset import Handset
from phone_sim.network import events as ev
from phone_sim.network.clock import Clock, Timer
from phone_sim.network.refusal import Refused
from phone_sim.network.switch import Network
from phone_sim.scenario.model import Step
from phone_sim.scenario.runner import (
    Session,
    StepResult,
    check,
    describe_expected,
    describe_observed,
    observe,
    run_step,
)
from phone_sim.training.model import Checks, Cue, Goal, Lesson
from phone_sim.training.settings import check_settings

MAX_CASCADE = 100  # goals reached and cues run by one update; a guard against a cue loop
HEARD_LINES = 3  # the last lines said to the trainee, kept for the panel


@dataclass
class GoalRecord:
    """How the trainee did on one goal."""

    started_ms: int = 0
    started_wall: float = 0.0
    done: bool = False
    virtual_ms: int = 0
    wall_ms: int = 0
    hints: int = 0
    refusals: int = 0
    reasons: list[str] = field(default_factory=list)
    shown: bool = False  # "show me" played (part of) the solution


@dataclass(frozen=True, slots=True)
class HeardLine:
    """A line the trainee heard (a cue's ``say``), for the panel's subtitles."""

    time: int
    speaker: str
    text_fr: str
    text_en: str

    def get(self, lang: str) -> str:
        return (self.text_en or self.text_fr) if lang == "en" else self.text_fr


@dataclass(frozen=True, slots=True)
class RefusalNote:
    """The last refusal the trainee met, for the panel (texts from the catalogue)."""

    goal: int
    reason: str
    message_fr: str
    message_en: str


class CueRun:
    """One run of a cue's steps; a ``wait`` step sets a timer to go on after it."""

    def __init__(self, engine: LessonEngine, steps: tuple[Step, ...]) -> None:
        self.engine = engine
        self.steps = steps
        self.position = 0
        self.timer: Timer | None = None

    @property
    def running(self) -> bool:
        return self.position < len(self.steps)

    def resume(self) -> None:
        self.timer = None
        while self.running:
            step = self.steps[self.position]
            self.position += 1
            if step.action == "wait":
                self.timer = self.engine.net.clock.call_later(step.args["ms"], self.resume)
                return
            self.engine.scripted(step)

    def cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.position = len(self.steps)


class LessonEngine:
    def __init__(self, lesson: Lesson, *, wall: Callable[[], float] = time.monotonic,
                 listeners: tuple[ev.Listener, ...] = ()) -> None:
        self.lesson = lesson
        self.wall = wall
        self.listeners = listeners  # subscribed to each new network before the setup runs
        self.attempt = 0
        self.start()

    # ---------------------------------------------------------------- life cycle
    def start(self) -> None:
        """(Re)start the lesson on a fresh network: setup, then the first goal."""
        self.attempt += 1
        self.net = Network(self.lesson.company, Clock())
        self.session = Session(self.net)
        self.index = 0
        self.records = [GoalRecord() for _ in self.lesson.goals]
        self.started_wall = self.wall()
        self.finished_wall: float | None = None
        self.last_refusal: RefusalNote | None = None
        self.heard: list[HeardLine] = []  # the last lines said to the trainee
        self.revision = 0  # bumps when the goal, a record or the last refusal changes
        self._runs: dict[int, CueRun] = {}
        self._conditions: dict[int, bool] = {}
        self._scripting = 0
        self._seen: list[ev.Event] | None = None
        self.net.bus.subscribe(self._on_event)
        for listener in self.listeners:
            self.net.bus.subscribe(listener)
        for step in self.lesson.setup:
            if step.action == "wait":
                self.net.clock.advance(step.args["ms"])
            else:
                self.scripted(step)
        self._begin_goal()
        self.update()

    restart = start

    @property
    def finished(self) -> bool:
        return self.index >= len(self.lesson.goals)

    @property
    def goal(self) -> Goal | None:
        return None if self.finished else self.lesson.goals[self.index]

    @property
    def trainee(self) -> Handset:
        return self.session.handsets[self.lesson.trainee]

    # ---------------------------------------------------------------- the trainee
    def press(self, key: str) -> Refused | None:
        """The trainee presses a key on their handset."""
        result = self.trainee.press(key)
        self.net.clock.settle()
        self.update()
        return result

    def portal(self, operation: str, params: dict[str, object], actor: str | None = None) -> Refused | None:
        """The trainee changes a setting in the portal (as themself unless told)."""
        result = self.net.portal.execute(actor or self.lesson.trainee, operation, dict(params))
        if isinstance(result, Refused):
            self.net.report_refusal(self.lesson.trainee, "portal", result)
        self.net.clock.settle()
        self.update()
        return result

    def hint(self, lang: str = "fr") -> str | None:
        """Reveal the current goal's hint (counted once per goal); None when finished."""
        goal = self.goal
        if goal is None:
            return None
        record = self.records[self.index]
        if record.hints == 0:
            record.hints = 1
            self.revision += 1
        return goal.hint.get(lang)

    def advance(self, ms: int) -> None:
        """Let ``ms`` of virtual time pass, checking the goal after each instant."""
        clock = self.net.clock
        target = clock.now + ms
        while True:
            due = clock.next_due()
            if due is None or due > target:
                break
            clock.advance_to(due)
            self.update()
        clock.advance_to(target)
        self.update()

    def play(self, step: Step) -> StepResult:
        """A solution step (the trainee's move), checked like a scenario step."""
        if step.action == "wait":
            self.advance(step.args["ms"])
            return StepResult(self.index, step, True)
        self._seen = []
        try:
            result = run_step(self.session, step, self._seen, self.index)
        finally:
            self._seen = None
        self.update()
        return result

    def show(self) -> tuple[Step, ...]:
        """The current goal's solution, for "show me" (the goal is marked as shown)."""
        goal = self.goal
        if goal is None:
            return ()
        self.records[self.index].shown = True
        self.revision += 1
        return goal.solution

    # ---------------------------------------------------------------- checking
    def update(self) -> None:
        """Run the cues whose condition became true; mark the goals reached."""
        for _ in range(MAX_CASCADE):
            goal = self.goal
            if goal is None:
                return
            fired = self._fire_conditions(goal)
            if self.why_not() is None:
                self._complete_goal()
            elif not fired:
                return

    def why_not(self) -> str | None:
        """Why the current goal is not reached yet (None: it is, or the lesson is over)."""
        goal = self.goal
        if goal is None:
            return None
        why = self._expect_why_not(goal.expect)
        if why is not None:
            return why
        if goal.settings:
            why = check_settings(self.net, goal.settings)
            if why is not None:
                return why
        if goal.refused is not None and goal.refused not in self.records[self.index].reasons:
            return f"the trainee has not met the refusal {goal.refused} yet"
        return None

    def _expect_why_not(self, checks: Checks) -> str | None:
        for ident, exp in checks:
            why = check(self.session, ident, exp)
            if why is not None:
                observed = describe_observed(observe(self.session, ident), exp)
                return f"{why} (expected {describe_expected(exp)}, observed {observed})"
        return None

    def _fire_conditions(self, goal: Goal) -> bool:
        fired = False
        for number, cue in enumerate(goal.cues):
            if not cue.when:
                continue
            holds = self._expect_why_not(cue.when) is None
            was = self._conditions.get(number, False)
            self._conditions[number] = holds
            run = self._runs.get(number)
            if holds and not was and (run is None or not run.running):
                self._start_cue(number, cue)
                fired = True
        return fired

    def _start_cue(self, number: int, cue: Cue) -> None:
        run = CueRun(self, cue.steps)
        self._runs[number] = run
        run.resume()

    def _begin_goal(self) -> None:
        for run in self._runs.values():
            run.cancel()
        self._runs, self._conditions = {}, {}
        self.revision += 1
        goal = self.goal
        if goal is None:
            self.finished_wall = self.wall()
            return
        record = self.records[self.index]
        record.started_ms, record.started_wall = self.net.now, self.wall()
        for number, cue in enumerate(goal.cues):
            if not cue.when:
                self._start_cue(number, cue)

    def _complete_goal(self) -> None:
        record = self.records[self.index]
        record.done = True
        record.virtual_ms = self.net.now - record.started_ms
        record.wall_ms = round((self.wall() - record.started_wall) * 1000)
        self.index += 1
        self._begin_goal()

    # ---------------------------------------------------------------- scripted moves
    def scripted(self, step: Step) -> None:
        """A move of the lesson's script (setup, cue): refusals are not the trainee's."""
        self._scripting += 1
        try:
            self.session.act(step)
            self.net.clock.settle()
        finally:
            self._scripting -= 1

    def _on_event(self, event: ev.Event) -> None:
        if self._seen is not None:
            self._seen.append(event)
        if isinstance(event, ev.VoiceDidStart) and event.kind == "say":
            if self.lesson.trainee in self.net.listeners_of(event.party):
                self.heard = [*self.heard, HeardLine(event.time, event.party, event.text, event.text_en)]
                del self.heard[:-HEARD_LINES]
                self.revision += 1
            return
        if not isinstance(event, ev.ActionWasRefused) or event.party != self.lesson.trainee:
            return
        if self._scripting or self.finished:
            return
        record = self.records[self.index]
        record.refusals += 1
        record.reasons.append(event.reason)
        self.last_refusal = RefusalNote(self.index, event.reason, event.message_fr, event.message_en)
        self.revision += 1

    # ---------------------------------------------------------------- results
    @property
    def virtual_ms(self) -> int:
        return self.net.now

    @property
    def wall_ms(self) -> int:
        end = self.finished_wall if self.finished_wall is not None else self.wall()
        return round((end - self.started_wall) * 1000)
