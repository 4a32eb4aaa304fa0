"""``phone-sim lessons``: a small Textual app hosting the lesson picker and screens.

The same screens open from the main TUI; this app lets lessons run on their own.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence

from textual.app import App

from phone_sim.training.model import Lesson
from phone_sim.tui.keyorder import OrderedKeys
from phone_sim.tui.lessons.picker import LessonPicker
from phone_sim.tui.sound import SoundLink
from phone_sim.tui.too_small import SizeGuard


class LessonApp(OrderedKeys, SizeGuard, App[None]):
    TITLE = "phone-sim — lessons"
    # every screen's styles read at the start (see PhoneSimApp.CSS_PATH)
    CSS_PATH = ["../handset.tcss", "lessons.tcss", "../portal/portal.tcss"]

    def __init__(self, lessons: Sequence[Lesson], *, lang: str = "fr", trainee: str | None = None,
                 data: str | os.PathLike[str] | None = None, realtime: bool = True,
                 show_delay: float = 0.6, wall: Callable[[], float] = time.monotonic,
                 sound: str | None = None, record_audio: str | None = None) -> None:
        super().__init__()
        self.lang = lang
        self.sound = SoundLink(sound, record_audio, lang)  # the lesson screen's voices
        self.picker = LessonPicker(lessons, lang=lang, trainee=trainee, data=data, realtime=realtime,
                                   show_delay=show_delay, wall=wall, exit_on_leave=True)

    def on_mount(self) -> None:
        self.push_screen(self.picker)
        self.call_after_refresh(self.check_size)
        self.sound.start(self)

    def on_unmount(self) -> None:
        self.sound.close()
