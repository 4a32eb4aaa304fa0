"""Trainees' results, saved per trainee name in the simulator's SQLite database.

The database is the store's own file (``--data``, else ``PHONE_SIM_DATA``, else the
user's data directory; ``phone_sim.store.paths``), opened the store's way
(``phone_sim.store.db.connect``). Lessons keep to two tables of their own, created with
``CREATE TABLE IF NOT EXISTS``: the store's schema version (``PRAGMA user_version``) is
the store's business and is never read or written here.

One run is one attempt at a lesson (a restart ends a run); each run has one row per goal
with the time taken (virtual and wall), hints used, refusals met and whether the solution
was shown. ``write_csv`` is the trainer's report.
"""

from __future__ import annotations

import csv
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from phone_sim.store.db import connect, transaction
from phone_sim.store.paths import database_path
from phone_sim.training.engine import LessonEngine

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS lesson_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        trainee TEXT NOT NULL,
        lesson TEXT NOT NULL,
        title TEXT NOT NULL,
        started TEXT NOT NULL,
        completed INTEGER NOT NULL,
        virtual_ms INTEGER NOT NULL,
        wall_ms INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS lesson_goals (
        run_id INTEGER NOT NULL REFERENCES lesson_runs(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        goal TEXT NOT NULL,
        done INTEGER NOT NULL,
        virtual_ms INTEGER NOT NULL,
        wall_ms INTEGER NOT NULL,
        hints INTEGER NOT NULL,
        refusals INTEGER NOT NULL,
        shown INTEGER NOT NULL,
        PRIMARY KEY (run_id, position))""",
    "CREATE INDEX IF NOT EXISTS lesson_runs_trainee ON lesson_runs(trainee)",
)
CSV_COLUMNS = ("trainee", "lesson", "title", "run", "started", "completed", "goal_number", "goal",
               "done", "virtual_seconds", "wall_seconds", "hints", "refusals", "solution_shown")


@dataclass(frozen=True, slots=True)
class GoalResult:
    position: int  # 1-based
    goal: str
    done: bool
    virtual_ms: int
    wall_ms: int
    hints: int
    refusals: int
    shown: bool


@dataclass(frozen=True, slots=True)
class RunResult:
    lesson: str
    title: str
    completed: bool
    virtual_ms: int
    wall_ms: int
    goals: tuple[GoalResult, ...]

    @property
    def hints(self) -> int:
        return sum(g.hints for g in self.goals)

    @property
    def refusals(self) -> int:
        return sum(g.refusals for g in self.goals)


def run_result(engine: LessonEngine, lang: str = "fr") -> RunResult:
    """The engine's attempt so far; the goal in progress counts the time spent on it."""
    goals = []
    for index, (goal, record) in enumerate(zip(engine.lesson.goals, engine.records, strict=True)):
        current = index == engine.index
        virtual = engine.net.now - record.started_ms if current else record.virtual_ms
        wall = round((engine.wall() - record.started_wall) * 1000) if current else record.wall_ms
        goals.append(GoalResult(index + 1, goal.id, record.done, virtual, wall, record.hints,
                                record.refusals, record.shown))
    return RunResult(engine.lesson.id, engine.lesson.title.get(lang), engine.finished, engine.virtual_ms,
                     engine.wall_ms, tuple(goals))


class Progress:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.conn = connect(os.fspath(path))
        with transaction(self.conn):
            for statement in SCHEMA:
                self.conn.execute(statement)

    @classmethod
    def open(cls, data: str | os.PathLike[str] | None = None) -> Progress:
        path = database_path(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(path)

    def close(self) -> None:
        self.conn.close()

    def save(self, trainee: str, result: RunResult, started: datetime | None = None) -> int:
        """Record one run; returns its id."""
        when = (started or datetime.now(UTC)).isoformat(timespec="seconds")
        with transaction(self.conn):
            cursor = self.conn.execute(
                "INSERT INTO lesson_runs (trainee, lesson, title, started, completed, virtual_ms, wall_ms)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (trainee, result.lesson, result.title, when, int(result.completed), result.virtual_ms,
                 result.wall_ms))
            run_id = int(cursor.lastrowid or 0)
            self.conn.executemany(
                "INSERT INTO lesson_goals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(run_id, g.position, g.goal, int(g.done), g.virtual_ms, g.wall_ms, g.hints, g.refusals,
                  int(g.shown)) for g in result.goals])
        return run_id

    def rows(self, trainee: str | None = None) -> list[sqlite3.Row]:
        """One row per goal of every run, oldest run first (CSV_COLUMNS, in order)."""
        self.conn.row_factory = sqlite3.Row
        query = (
            "SELECT r.trainee, r.lesson, r.title, r.id AS run, r.started, r.completed,"
            " g.position AS goal_number, g.goal, g.done, g.virtual_ms, g.wall_ms, g.hints,"
            " g.refusals, g.shown FROM lesson_runs r JOIN lesson_goals g ON g.run_id = r.id"
            + (" WHERE r.trainee = ?" if trainee is not None else "")
            + " ORDER BY r.id, g.position")
        return list(self.conn.execute(query, (trainee,) if trainee is not None else ()))

    def runs(self, trainee: str | None = None) -> list[sqlite3.Row]:
        """One row per run with its totals, oldest first."""
        self.conn.row_factory = sqlite3.Row
        query = (
            "SELECT r.id, r.trainee, r.lesson, r.title, r.started, r.completed, r.virtual_ms, r.wall_ms,"
            " SUM(g.hints) AS hints, SUM(g.refusals) AS refusals, SUM(g.done) AS goals_done,"
            " COUNT(g.position) AS goals, MAX(g.shown) AS shown"
            " FROM lesson_runs r JOIN lesson_goals g ON g.run_id = r.id"
            + (" WHERE r.trainee = ?" if trainee is not None else "")
            + " GROUP BY r.id ORDER BY r.id")
        return list(self.conn.execute(query, (trainee,) if trainee is not None else ()))

    def write_csv(self, out: TextIO, trainee: str | None = None) -> int:
        """The trainer's report: a header, then one line per goal of every run; returns the count."""
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        rows = self.rows(trainee)
        for row in rows:
            writer.writerow([
                row["trainee"], row["lesson"], row["title"], row["run"], row["started"],
                "yes" if row["completed"] else "no", row["goal_number"], row["goal"],
                "yes" if row["done"] else "no", f"{row['virtual_ms'] / 1000:.1f}",
                f"{row['wall_ms'] / 1000:.1f}", row["hints"], row["refusals"],
                "yes" if row["shown"] else "no",
            ])
        return len(rows)
