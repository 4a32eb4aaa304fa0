"""``lessons check``: every bundled lesson validates and its solution completes it
headless; broken solutions and self-completing goals are reported with file:line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from phone_sim.cli import main
from phone_sim.training.check import check_lesson
from phone_sim.training.loader import bundled_folder, load_lesson, load_lessons

BUNDLED = sorted(p for p in bundled_folder().glob("*.yaml") if p.name != "company.yaml")
ANSWER = """goals:
  - instruction: {fr: Décrochez, en: Answer}
    hint: {fr: Entrée, en: Enter}
    cue:
      - dial: {from: B, to: A}
    expect: {A: {active: B}}
    solution:
      - answer: A
"""


def test_six_lessons_are_bundled() -> None:
    lessons = load_lessons()
    assert len(lessons) == 6
    assert [lesson.title.fr for lesson in lessons][0] == "Le transfert d'appel"
    assert all(lesson.title.en and lesson.usage.en and lesson.usage.fr for lesson in lessons)
    assert all(goal.hint.fr and goal.hint.en for lesson in lessons for goal in lesson.goals)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_lesson_can_be_completed(path: Path) -> None:
    result = check_lesson(load_lesson(path))
    assert result.ok, result.report()


def test_check_command_passes_the_bundled_lessons(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lessons", "check", str(bundled_folder())]) == 0
    out = capsys.readouterr().out
    assert out.count("PASS ") == 6
    assert "6 passed, 0 failed" in out


def test_solution_that_does_not_reach_its_goal_fails(write_lesson: Callable[[str], Path],
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = write_lesson(ANSWER + """  - instruction: {fr: Mettez en attente, en: Hold}
    hint: {fr: h, en: h}
    expect: {A: {held: B}}
    solution:
      - keys: {A: "5"}
""")
    assert main(["lessons", "check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL {path}" in out
    assert f"{path}:13: goal 2 (goal-2) is not reached by its solution: A's calls differ" in out
    assert "timeline:" in out


def test_goal_reached_before_its_solution_is_a_defect(write_lesson: Callable[[str], Path]) -> None:
    path = write_lesson(ANSWER + """  - id: again
    instruction: {fr: Encore, en: Again}
    hint: {fr: rien, en: nothing}
    expect: {A: {active: B}}
    solution:
      - keys: {A: "5"}
""")
    result = check_lesson(load_lesson(path))
    assert not result.ok
    assert result.where == f"{path}:13"
    assert "goal 2 (again) is reached before its solution runs" in result.message


def test_solution_step_refused_names_its_line(write_lesson: Callable[[str], Path]) -> None:
    path = write_lesson(ANSWER.replace("      - answer: A", "      - transfer: A\n"
                                                              "        fails: unavailable_abroad\n"
                                                              "      - answer: A"))
    result = check_lesson(load_lesson(path))
    assert not result.ok
    assert result.where == f"{path}:12"
    assert "transfer failed: expected refusal unavailable_abroad" in result.message
    assert "observed transfer_needs_two_calls" in result.message


def test_invalid_file_exits_2_with_file_and_line(write_lesson: Callable[[str], Path],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    good = write_lesson(ANSWER)
    bad = write_lesson(ANSWER.replace("answer: A", "answer: Z"))
    assert main(["lessons", "check", str(good), str(bad)]) == 2
    captured = capsys.readouterr()
    assert f"error: {bad}:12: unknown party 'Z'" in captured.err
    assert "PASS" not in captured.out  # nothing is played when a file is invalid


def test_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lessons", "check", str(tmp_path / "nope.yaml")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_list_names_the_lessons(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lessons", "list", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Call transfer" in out and "1-transfert-d-appel" in out


def test_lessons_command_refuses_an_invalid_lesson_before_opening(write_lesson: Callable[[str], Path],
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    bad = write_lesson(ANSWER.replace("answer: A", "answer: Z"))
    assert main(["lessons", "--from", str(bad)]) == 2
    assert f"error: {bad}:12: unknown party 'Z'" in capsys.readouterr().err
