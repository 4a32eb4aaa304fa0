"""Shared helpers of the report tests: run a scenario with a ladder, write scenario files."""

from __future__ import annotations

import shutil
from pathlib import Path

from phone_sim.scenario.ladder import Ladder
from phone_sim.scenario.loader import load_scenario
from phone_sim.scenario.reports import replay_ladder

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "scenarios" / "guide"
TRANSFER = GUIDE / "01-transfer-guide.yaml"


def ladder_of(path: Path) -> Ladder:
    return replay_ladder(load_scenario(path))


def arrows(ladder: Ladder, lang: str = "en") -> list[tuple[str, str | None, str]]:
    """(from, to, label) of every mark, in order (captions left out)."""
    return [(m.src, m.dst, ladder.label(m.label, lang)) for row in ladder.rows for m in row.marks]


def scenario_folder(tmp: Path, files: dict[str, str]) -> Path:
    """A folder with the guide's company and the given scenario files."""
    tmp.mkdir(parents=True, exist_ok=True)
    shutil.copy(GUIDE / "company.yaml", tmp / "company.yaml")
    for name, body in files.items():
        (tmp / name).write_text(body, encoding="utf-8")
    return tmp


FAILING = """\
name: A transfer that checks the wrong thing
company: company.yaml
steps:
  - dial: {from: B, to: "0601020301"}
  - answer: A
  - hold: A
  - dial: {from: A, to: "303"}
  - expect: {C: idle}
  - answer: C
"""

PASSING = """\
name: Madame B calls Monsieur A
company: company.yaml
steps:
  - dial: {from: B, to: A}
  - answer: A
  - expect: {A: {active: B}}
"""
