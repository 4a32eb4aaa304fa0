"""The summary of a finished lesson: each goal's time, hints and refusals, the totals.

Dismissed with True (start again, r), False (back to the lessons, Enter or q) or None
(Escape: look at the phones as the lesson left them).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from phone_sim.network.catalogue import text
from phone_sim.training.model import Lesson
from phone_sim.training.progress import RunResult


def seconds(ms: int) -> str:
    return f"{ms / 1000:.0f} s"


class SummaryScreen(ModalScreen[bool | None]):
    BINDINGS = [
        Binding("r", "again", "again", show=False),
        Binding("enter,q", "back", "back", show=False, priority=True),
        Binding("escape", "look", "look", show=False),
    ]

    def __init__(self, lesson: Lesson, result: RunResult, lang: str = "fr", runs: int = 0) -> None:
        super().__init__()
        self.lesson = lesson
        self.result = result
        self.lang = lang
        self.runs = runs

    def t(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    def compose(self) -> ComposeResult:
        result = self.result
        with Vertical(id="summary-box") as box:
            box.border_title = self.t("lesson.summary.title", title=result.title)
            if self.lesson.done is not None:
                yield Static(self.lesson.done.get(self.lang), id="summary-done", markup=False)
            yield DataTable(id="summary-table", cursor_type="none", zebra_stripes=True)
            yield Static(self.t("lesson.summary.totals", time=seconds(result.virtual_ms),
                                wall=seconds(result.wall_ms), hints=result.hints, refusals=result.refusals,
                                runs=self.runs), id="summary-totals", markup=False)
            yield Static(self.t("lesson.summary.keys"), id="summary-keys", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*(self.t("lesson.col." + c) for c in ("goal", "done", "time", "wall", "hints",
                                                                   "refusals", "shown")))
        yes, no = self.t("lesson.yes"), self.t("lesson.no")
        for goal, row in zip(self.lesson.goals, self.result.goals, strict=True):
            table.add_row(f"{row.position}. {goal.instruction.get(self.lang)[:48]}", yes if row.done else no,
                          seconds(row.virtual_ms), seconds(row.wall_ms), str(row.hints), str(row.refusals),
                          yes if row.shown else no)

    def action_again(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)

    def action_look(self) -> None:
        self.dismiss(None)
