"""The lesson engine, loader, checker and progress run without Textual (only the screens in
``phone_sim.tui.lessons`` need it), so ``lessons check`` and the report stay headless."""

from __future__ import annotations

import subprocess
import sys

HEADLESS = ("phone_sim.training.engine", "phone_sim.training.loader", "phone_sim.training.check",
            "phone_sim.training.progress", "phone_sim.training.cli")
PROBE = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
from phone_sim.training.check import check_lesson
from phone_sim.training.loader import load_lessons
assert all(check_lesson(lesson).ok for lesson in load_lessons())
print("textual" in sys.modules)
"""


def test_training_never_loads_textual() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, *HEADLESS], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
