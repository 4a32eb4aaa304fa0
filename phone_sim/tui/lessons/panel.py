"""The lesson's side panel: the current instruction, the hint when asked for, the last
refusal met, the goals (done, current, to do), what the lesson is for, and the keys.

Attributes down: the lesson screen sets ``state``; the panel only draws it.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from phone_sim.network.catalogue import text
from phone_sim.tui.lessons.state import PanelState

MARKS = {"done": "✔", "current": "▶", "todo": "·"}


class LessonPanel(VerticalScroll, can_focus=False):
    state: reactive[PanelState | None] = reactive(None, layout=True, init=False)
    """What to show; None before the lesson starts."""

    def __init__(self, lang: str = "fr", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lang = lang

    def compose(self) -> ComposeResult:
        # what to do now first: on a short terminal the rest scrolls
        yield Static(id="lesson-status", markup=False)
        yield Static(id="lesson-instruction", markup=False)
        yield Static(id="lesson-heard", markup=False)  # what the others just said, under what to do
        yield Static(id="lesson-hint", markup=False)
        yield Static(id="lesson-refusal", markup=False)
        yield Static(id="lesson-goals-title", markup=False, classes="heading")
        yield Static(id="lesson-goals", markup=False)
        yield Static(id="lesson-usage-title", markup=False, classes="heading")
        yield Static(id="lesson-usage", markup=False)
        yield Static(id="lesson-legend", markup=False)

    def watch_state(self, state: PanelState | None) -> None:
        if state is None:
            return
        lang = self.lang
        self.border_title = state.title
        self.query_one("#lesson-status", Static).update(state.status)
        self.query_one("#lesson-usage-title", Static).update(text("lesson.usage", lang))
        self.query_one("#lesson-usage", Static).update(state.usage)
        self.query_one("#lesson-goals-title", Static).update(text("lesson.goals", lang))
        goals = Table.grid(padding=(0, 1))
        goals.add_column(no_wrap=True)
        goals.add_column(ratio=1)
        for line in state.goals:
            style = {"done": "green", "current": "bold", "todo": "dim"}[line.mark]
            goals.add_row(Text(f"{MARKS[line.mark]} {line.number}.", style=style), Text(line.instruction, style=style))
        self.query_one("#lesson-goals", Static).update(goals)
        heard = self.query_one("#lesson-heard", Static)
        heard.display = bool(state.heard)
        if state.heard:  # the latest line bright, the ones before dimmed
            lines = [(line + "\n", "dim") for line in state.heard[:-1]] + [(state.heard[-1], "italic")]
            heard.update(Text.assemble((text("lesson.heard", lang) + "\n", "bold"), *lines))
        heading = text("lesson.done_title" if state.finished else "lesson.goal", lang)
        instruction = self.query_one("#lesson-instruction", Static)
        instruction.update(Text.assemble((heading + "\n", "bold"), state.instruction))
        instruction.set_class(state.finished, "-finished")
        hint = self.query_one("#lesson-hint", Static)
        hint.display = not state.finished
        hint.update(Text.assemble((text("lesson.hint", lang) + " ", "bold"), state.hint)
                    if state.hint else text("lesson.hint_prompt", lang))
        hint.set_class(state.hint is not None, "-shown")
        refusal = self.query_one("#lesson-refusal", Static)
        refusal.display = state.refusal is not None
        refusal.update(state.refusal or "")
        self.query_one("#lesson-legend", Static).update(state.legend)
