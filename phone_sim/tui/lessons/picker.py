"""Pick a lesson: the trainee's name, the lessons found, what the highlighted one is for.

Enter on the name opens the highlighted lesson (the first one unless another was chosen
with the arrows), Enter on a lesson opens that one (``LessonScreen``); without a name
neither opens: the field asks for one (results are kept by name). The name is
remembered in the data directory for next time. Escape leaves (back to the phones, or
out of ``phone-sim lessons``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from phone_sim.network.catalogue import text
from phone_sim.network.printable import printable
from phone_sim.training.model import Lesson
from phone_sim.tui.errors import data_dir
from phone_sim.tui.lessons.screen import LessonScreen
from phone_sim.tui.prefs import Prefs


class LessonPicker(Screen[None]):
    CSS_PATH = "lessons.tcss"
    BINDINGS = [Binding("escape", "leave", "leave", show=False)]

    def __init__(self, lessons: Sequence[Lesson], *, lang: str = "fr", trainee: str | None = None,
                 data: str | os.PathLike[str] | None = None, realtime: bool = True,
                 show_delay: float = 0.6, wall: Callable[[], float] = time.monotonic,
                 exit_on_leave: bool = False) -> None:
        super().__init__()
        self.lessons = list(lessons)
        self.lang = lang
        self.data = data
        self.prefs = Prefs(data_dir(data))
        self.trainee = printable(trainee or self.prefs.get("trainee") or "")
        self.options = {"realtime": realtime, "show_delay": show_delay, "wall": wall}
        self.exit_on_leave = exit_on_leave

    def t(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box") as box:
            box.border_title = self.t("lesson.pick.title")
            yield Static(self.t("lesson.pick.name"), classes="heading", markup=False)
            yield Input(self.trainee, placeholder=self.t("lesson.pick.name_placeholder"), id="trainee-name",
                        max_length=60)
            yield Static("", id="name-needed", markup=False)
            yield Static(self.t("lesson.pick.lessons"), classes="heading", markup=False)
            yield OptionList(*(Option(f"{lesson.title.get(self.lang)}  ({len(lesson.goals)})", id=lesson.id)
                               for lesson in self.lessons), id="lesson-list")
            yield Static(id="lesson-preview", markup=False)
            yield Static(self.t("lesson.pick.keys"), id="picker-keys", markup=False)

    def on_mount(self) -> None:
        self.query_one("#name-needed").display = False
        target = "#lesson-list" if self.trainee else "#trainee-name"
        self.query_one(target).focus()
        self._preview(0)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        highlighted = self.query_one("#lesson-list", OptionList).highlighted
        self.open_lesson(self.lessons[highlighted or 0])

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._preview(event.option_index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_lesson(self.lessons[event.option_index])

    def open_lesson(self, lesson: Lesson) -> None:
        field = self.query_one("#trainee-name", Input)
        self.trainee = printable(field.value.strip())  # a pasted escape is kept as text, not obeyed
        needed = self.query_one("#name-needed", Static)
        needed.display = not self.trainee
        if not self.trainee:  # results are kept by name: ask for one rather than guess
            needed.update(self.t("lesson.pick.name_needed"))
            field.focus()
            return
        self.prefs.set("trainee", self.trainee)
        self.app.push_screen(LessonScreen(lesson, lang=self.lang, trainee_name=self.trainee, data=self.data,
                                          **self.options))  # type: ignore[arg-type]

    def _preview(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.lessons):
            return
        lesson = self.lessons[index]
        self.query_one("#lesson-preview", Static).update(f"{self.t('lesson.usage')}\n{lesson.usage.get(self.lang)}")

    def action_leave(self) -> None:
        if self.exit_on_leave:
            self.app.exit()
        else:
            self.dismiss(None)
