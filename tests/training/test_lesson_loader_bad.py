"""Every broken lesson in bad/ fails to load with the file, the line and the rule.

Each fixture says what it expects on its first line: ``# error: LINE: phrase``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from phone_sim.scenario.model import ScenarioError
from phone_sim.training.loader import load_lesson

BAD = Path(__file__).parent / "bad"
FIXTURES = sorted(f for f in BAD.glob("*.yaml") if f.name != "company.yaml")
HEADER = re.compile(r"^# error: (?P<line>\d+): (?P<phrase>.+)$")


def test_there_are_enough_fixtures() -> None:
    assert len(FIXTURES) >= 30


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_bad_lesson_names_file_line_and_rule(fixture: Path) -> None:
    match = HEADER.match(fixture.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{fixture.name} does not start with '# error: LINE: phrase'"
    with pytest.raises(ScenarioError) as info:
        load_lesson(fixture)
    error = info.value
    assert (Path(error.file), error.line) == (fixture, int(match["line"])), str(error)
    assert match["phrase"] in error.message, str(error)
    assert str(error).startswith(f"{fixture}:{match['line']}: ")
