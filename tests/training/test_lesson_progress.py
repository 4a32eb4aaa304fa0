"""Progress per trainee in the store's SQLite file, and the trainer's CSV report."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lesson_helpers import bundled_by_id

from phone_sim.cli import main
from phone_sim.store.paths import DB_NAME
from phone_sim.store.schema import LATEST
from phone_sim.store.store import Store
from phone_sim.training.engine import LessonEngine
from phone_sim.training.progress import CSV_COLUMNS, Progress, run_result

WHEN = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


class FakeWall:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def finished_transfer(wall: FakeWall) -> LessonEngine:
    engine = LessonEngine(bundled_by_id("1-transfert-d-appel"), wall=wall)
    wall.now += 3
    engine.press("call")
    engine.hint()
    engine.press("conf")  # refused: conference_needs_two_calls
    wall.now += 2
    engine.press("hold")
    for key in "303":
        engine.press(key)
    engine.press("call")
    engine.advance(2000)
    engine.show()
    engine.press("#")
    engine.press("1")
    assert engine.finished
    return engine


def test_run_result_counts_per_goal() -> None:
    result = run_result(finished_transfer(FakeWall()), "en")
    assert result.title == "Call transfer" and result.completed
    assert [(g.goal, g.done, g.hints, g.refusals, g.shown) for g in result.goals] == [
        ("answer", True, 0, 0, False),
        ("hold", True, 1, 1, False),
        ("call-colleague", True, 0, 0, False),
        ("transfer", True, 0, 0, True),
    ]
    assert [g.virtual_ms for g in result.goals] == [0, 0, 2000, 0]
    assert [g.wall_ms for g in result.goals] == [3000, 2000, 0, 0]
    assert (result.hints, result.refusals, result.virtual_ms, result.wall_ms) == (1, 1, 2000, 5000)


def test_unfinished_run_counts_the_goal_in_progress() -> None:
    wall = FakeWall()
    engine = LessonEngine(bundled_by_id("2-conference"), wall=wall)
    engine.advance(7000)
    wall.now = 4.5
    result = run_result(engine)
    assert not result.completed
    assert (result.goals[0].done, result.goals[0].virtual_ms, result.goals[0].wall_ms) == (False, 7000, 4500)
    assert result.goals[1].virtual_ms == 0


def test_csv_report_one_line_per_goal(tmp_path: Path) -> None:
    progress = Progress.open(tmp_path)
    progress.save("Zoé", run_result(finished_transfer(FakeWall())), WHEN)
    unfinished = LessonEngine(bundled_by_id("2-conference"), wall=lambda: 0.0)
    progress.save("Marc", run_result(unfinished), WHEN)
    out = io.StringIO()
    assert progress.write_csv(out) == 8
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[2] == ["Zoé", "1-transfert-d-appel", "Le transfert d'appel", "1", "2025-03-14T09:30:00+00:00",
                       "yes", "2", "hold", "yes", "0.0", "2.0", "1", "1", "no"]
    assert rows[5][0] == "Marc" and rows[5][5] == "no" and rows[5][8] == "no"
    only = io.StringIO()
    assert progress.write_csv(only, "Marc") == 4
    progress.close()


def test_report_command_prints_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    progress = Progress.open(tmp_path)
    progress.save("Zoé", run_result(finished_transfer(FakeWall())), WHEN)
    progress.close()
    assert main(["lessons", "report", "--csv", "--data", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(CSV_COLUMNS) and len(lines) == 5
    assert main(["--data", str(tmp_path), "lessons", "report"]) == 0
    table = capsys.readouterr().out
    assert "Zoé" in table and "terminée" in table and "4/4" in table


def test_report_without_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lessons", "report", "--data", str(tmp_path), "--lang", "en"]) == 0
    assert "No result saved yet." in capsys.readouterr().out


def test_progress_lives_beside_the_store_without_touching_its_schema(tmp_path: Path) -> None:
    progress = Progress.open(tmp_path)  # lessons first: the store still builds its schema
    progress.save("Zoé", run_result(finished_transfer(FakeWall())), WHEN)
    progress.close()
    store = Store.open(tmp_path)
    assert store.created  # seeded as on a first run
    store.close()
    progress = Progress.open(tmp_path)  # and again once the store is there
    assert len(progress.runs()) == 1
    progress.close()
    conn = sqlite3.connect(tmp_path / DB_NAME)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"lesson_runs", "lesson_goals", "company", "lines"} <= tables
    conn.close()
