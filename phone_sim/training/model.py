"""Lesson values: what a loaded lesson file is (frozen dataclasses).

A lesson is a company, the handset the trainee plays, optional ``setup`` steps, and goals
the trainee reaches in order. A goal is checked against the live network with the
scenario ``expect`` vocabulary (``Expectation``), plus two things a scenario cannot say:
``settings`` (a forwarding, a ring list, a group connection, whatever face set it) and
``refused`` (the trainee met that refusal while the goal was current). Cues are the
scripted moves of the other parties: run when the goal starts, or each time a condition
becomes true while the goal is current.
"""

from __future__ import annotations

from dataclasses import dataclass

from phone_sim.network.company import CompanySpec
from phone_sim.scenario.model import Expectation, Step

Checks = tuple[tuple[str, Expectation], ...]  # handset id -> what must be true now


@dataclass(frozen=True, slots=True)
class Text:
    """A text in French and English; ``get`` picks the UI language."""

    fr: str
    en: str

    def get(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True, slots=True)
class Cue:
    """Scripted moves of other parties. ``when`` empty: run once when the goal starts;
    else run each time ``when`` becomes true while the goal is current. ``wait`` steps
    inside a cue let virtual time pass before the next move."""

    steps: tuple[Step, ...]
    when: Checks = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class RingListCheck:
    mode: str | None = None
    numbers: tuple[str, ...] | None = None
    step: int | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """Live configuration a goal needs: forwarding destinations (None = not active),
    ring lists (None = no list), and the lines connected to each group."""

    forwarding: tuple[tuple[str, str, str | None], ...] = ()  # (line, condition, number)
    ring_lists: tuple[tuple[str, RingListCheck | None], ...] = ()
    connected: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (group, lines)

    def __bool__(self) -> bool:
        return bool(self.forwarding or self.ring_lists or self.connected)


@dataclass(frozen=True, slots=True)
class Goal:
    id: str
    instruction: Text
    hint: Text
    solution: tuple[Step, ...]
    expect: Checks = ()
    settings: Settings = Settings()
    refused: str | None = None
    cues: tuple[Cue, ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str  # the file name without its suffix
    title: Text
    usage: Text  # the guide's "Pour quel usage ?"
    company: CompanySpec
    trainee: str
    goals: tuple[Goal, ...]
    setup: tuple[Step, ...] = ()
    done: Text | None = None  # said when the last goal is reached
    cast: tuple[str, ...] = ()  # the handsets a face shows, the trainee first
    path: str = ""
