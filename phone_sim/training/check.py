"""``lessons check``: prove a lesson can be completed by playing its solutions headless.

Each goal's solution is played on the lesson engine, in virtual time, with the cues
running as they would in the TUI. The lesson passes when every goal is reached by its own
solution: a goal already reached before its solution starts is a defect too (its checks
do not depend on what the trainee does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from phone_sim.network import events as ev
from phone_sim.network.eventtext import log_line
from phone_sim.training.engine import LessonEngine
from phone_sim.training.model import Lesson


@dataclass
class CheckResult:
    lesson: Lesson
    ok: bool = True
    where: str = ""  # file:line of the goal or step that failed
    message: str = ""
    timeline: list[str] = field(default_factory=list)

    def report(self) -> str:
        if self.ok:
            return ""
        lines = [f"  {self.where}: {self.message}", "    timeline:"]
        lines.extend(f"      {line}" for line in self.timeline[-40:])
        return "\n".join(lines)


def check_lesson(lesson: Lesson) -> CheckResult:
    """Play every goal's solution; the first problem stops the check."""
    result = CheckResult(lesson)
    engine = LessonEngine(lesson, wall=lambda: 0.0, listeners=(_timeline(result),))
    for index, goal in enumerate(lesson.goals):
        at = f"{lesson.path}:{goal.line}"
        if engine.index != index:
            return _fail(result, at, f"goal {index + 1} ({goal.id}) is reached before its solution runs: "
                                     "its checks do not depend on the trainee's moves")
        for step in goal.solution:
            outcome = engine.play(step)
            if not outcome.ok:
                detail = outcome.message
                if outcome.expected or outcome.observed:
                    detail += f" (expected {outcome.expected}, observed {outcome.observed})"
                return _fail(result, f"{step.file}:{step.line}", f"goal {index + 1} ({goal.id}): "
                                                                 f"{step.action} failed: {detail}")
            if engine.index > index:
                break
        if engine.index == index:
            return _fail(result, at, f"goal {index + 1} ({goal.id}) is not reached by its solution: "
                                     f"{engine.why_not()}")
    return result


def _fail(result: CheckResult, where: str, message: str) -> CheckResult:
    result.ok, result.where, result.message = False, where, message
    return result


def _timeline(result: CheckResult) -> ev.Listener:
    def listen(event: ev.Event) -> None:
        if isinstance(event, ev.HandsetDidChange):
            return
        line = log_line(event, "en")
        if line is not None:
            result.timeline.append(line)

    return listen
