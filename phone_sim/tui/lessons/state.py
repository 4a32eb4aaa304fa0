"""What the lesson panel shows, computed from the engine (no Textual here).

The lesson screen computes a ``PanelState`` after every key and every clock tick and
hands it down to the panel, which only draws it; equal states are not redrawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from phone_sim.network.catalogue import text
from phone_sim.network.clock import format_ms
from phone_sim.training.engine import LessonEngine


@dataclass(frozen=True, slots=True)
class GoalLine:
    number: int
    instruction: str
    mark: str  # done / current / todo


@dataclass(frozen=True, slots=True)
class PanelState:
    title: str
    usage: str
    goals: tuple[GoalLine, ...]
    instruction: str  # the current goal's, or the lesson's closing words
    hint: str | None
    refusal: str | None
    status: str  # clock, goal n/m, paused, demonstration
    finished: bool
    legend: str
    heard: tuple[str, ...] = ()  # subtitles: the last lines said to the trainee, the latest last


def panel_state(engine: LessonEngine, lang: str, *, hint_shown: bool, showing: bool, paused: bool,
                speed: int = 1) -> PanelState:
    lesson = engine.lesson
    goals = tuple(
        GoalLine(i + 1, goal.instruction.get(lang),
                 "done" if engine.records[i].done else "current" if i == engine.index else "todo")
        for i, goal in enumerate(lesson.goals))
    goal = engine.goal
    if goal is None:
        closing = lesson.done.get(lang) if lesson.done is not None else text("lesson.finished", lang)
        instruction, hint = closing, None
    else:
        instruction = goal.instruction.get(lang)
        hint = goal.hint.get(lang) if hint_shown else None
    refusal = None
    note = engine.last_refusal
    if note is not None and note.goal == engine.index:
        message = note.message_fr if lang == "fr" else note.message_en
        refusal = f"{text('lesson.refused', lang)} {message}"
    return PanelState(
        title=lesson.title.get(lang),
        usage=lesson.usage.get(lang),
        goals=goals,
        instruction=instruction,
        hint=hint,
        refusal=refusal,
        status=_status(engine, lang, showing, paused, speed),
        finished=engine.finished,
        legend=text("lesson.legend", lang),
        heard=tuple(text("voice.subtitle", lang, name=engine.net.parties[line.speaker].name, text=line.get(lang))
                    for line in engine.heard),
    )


def _status(engine: LessonEngine, lang: str, showing: bool, paused: bool, speed: int) -> str:
    total = len(engine.lesson.goals)
    parts = [f"⏱ {format_ms(engine.net.now)[:-4]}"]
    if paused:
        parts.append(text("lesson.paused", lang))
    elif speed != 1:
        parts.append(f"×{speed}")
    if engine.finished:
        parts.append(text("lesson.status.finished", lang))
    else:
        parts.append(text("lesson.status.goal", lang, number=engine.index + 1, total=total))
    if showing:
        parts.append(text("lesson.showing", lang))
    return "  ·  ".join(parts)
