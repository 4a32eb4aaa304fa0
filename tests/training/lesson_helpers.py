"""Helpers the lesson tests import by a name of their own (``conftest`` is shared by folders)."""

from __future__ import annotations

from phone_sim.training.loader import bundled_folder, load_lesson
from phone_sim.training.model import Lesson


def bundled_by_id(ident: str) -> Lesson:
    return load_lesson(bundled_folder() / f"{ident}.yaml")
