"""Every broken file in bad/ fails to load with the file, the line and the rule.

Each fixture says what it expects on its first line: ``# error: LINE: phrase``, or
``# error: OTHER_FILE:LINE: phrase`` when the error is in a file it refers to.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from phone_sim.scenario.loader import load_scenario
from phone_sim.scenario.model import ScenarioError

BAD = Path(__file__).parent / "bad"
FIXTURES = sorted(BAD.glob("*.yaml"))
HEADER = re.compile(r"^# error: (?:(?P<file>\S+):)?(?P<line>\d+): (?P<phrase>.+)$")


def expected(fixture: Path) -> tuple[Path, int, str]:
    match = HEADER.match(fixture.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{fixture.name} does not start with '# error: LINE: phrase'"
    file = BAD / match["file"] if match["file"] else fixture
    return file, int(match["line"]), match["phrase"]


def test_there_are_enough_fixtures() -> None:
    assert len(FIXTURES) >= 25


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_bad_file_names_file_line_and_rule(fixture: Path) -> None:
    file, line, phrase = expected(fixture)
    with pytest.raises(ScenarioError) as info:
        load_scenario(fixture)
    error = info.value
    assert (Path(error.file), error.line) == (file, line), str(error)
    assert phrase in error.message, str(error)
    assert str(error).startswith(f"{file}:{line}: ")
