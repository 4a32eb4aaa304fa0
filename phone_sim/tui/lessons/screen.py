"""The lesson screen: the lesson's handsets (the trainee's highlighted) beside the panel.

The keyboard plays the trainee's handset, with the phones screen's keys (digits, ``*``,
``#``, Enter = CALL, Escape = END, h = HOLD, c = CONF): a key goes through the handset
widget's keypad, as a click does, and comes back as ``HandsetWidget.KeyPressed``;
the other handsets are played by the lesson's cues. Lesson keys: i hint, s show me,
r restart, p the portal (``phone_sim.tui.portal``), a / A let 5 / 25 s pass, space pause, x speed,
v the microphone on the trainee's phone, q leave.

Sound (the app's ``sound``, a ``SoundLink``, when it has one) follows the lesson's network
while the screen is up: the other parties' lines are spoken and the trainee's phone is
heard; leaving gives sound back to the phones screen.

Virtual time runs in real time (``realtime``) and goes through ``LessonEngine.advance``
so the goal is checked at every instant. "Show me" plays the current goal's solution
visibly: key by key on the trainee's handset, a wait in 5 s slices, one move every
``show_delay`` seconds (0: all at once, for tests).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from phone_sim.handset.handset import keys_of_number
from phone_sim.network.catalogue import text
from phone_sim.scenario.model import Step
from phone_sim.training.engine import LessonEngine
from phone_sim.training.model import Lesson
from phone_sim.training.progress import Progress, run_result
from phone_sim.tui.face import face_of
from phone_sim.tui.handset_widget import HandsetWidget
from phone_sim.tui.keypad import Keypad
from phone_sim.tui.lessons.arrange import Arrangement, arrange
from phone_sim.tui.lessons.panel import LessonPanel
from phone_sim.tui.lessons.state import panel_state

TICK = 0.1  # seconds between two real-time clock ticks
SPEEDS = (1, 2, 10)
DEMO_SLICE_MS = 5000
KEY_STEPS = ("answer", "reject", "hangup", "hold", "swap", "conference", "transfer")
DemoItem = str | Step  # a key to press, or a step to play
# the results of a lesson opened without a name (the picker always asks for one), kept
# under one name whatever the language
ANONYMOUS = text("lesson.anonymous", "fr")


def _key(keys: str, key: str) -> Binding:
    return Binding(keys, f"key('{key}')", key, show=False)


class LessonScreen(Screen[None]):
    CSS_PATH = ["../handset.tcss", "lessons.tcss"]
    BINDINGS = [
        *(_key(d, d) for d in "0123456789"),
        _key("asterisk", "*"),
        _key("number_sign", "#"),
        _key("enter", "call"),
        _key("escape", "end"),
        _key("h", "hold"),
        _key("c", "conf"),
        Binding("i", "hint", "hint", show=False),
        Binding("s", "show_me", "show me", show=False),
        Binding("r", "restart", "restart", show=False),
        Binding("p", "portal", "portal", show=False),
        Binding("a", "advance(5000)", "+5 s", show=False),
        Binding("A,shift+a", "advance(25000)", "+25 s", show=False),
        Binding("space", "pause", "pause", show=False),
        Binding("x", "speed", "speed", show=False),
        Binding("v", "mic", "microphone", show=False),
        Binding("q", "leave", "leave", show=False),
    ]

    def __init__(self, lesson: Lesson, *, lang: str = "fr", trainee_name: str = "",
                 data: str | os.PathLike[str] | None = None, realtime: bool = True,
                 show_delay: float = 0.6, wall: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.lesson = lesson
        self.lang = lang
        self.trainee_name = trainee_name
        self.data = data
        self.realtime = realtime
        self.show_delay = show_delay
        self.wall = wall
        self.engine = LessonEngine(lesson, wall=wall)
        self.paused = not realtime
        self.speed = 1
        self.hint_shown = False
        self.demo: list[DemoItem] | None = None
        self._demo_run = 0
        self._shape: Arrangement | None = None
        self._portal_session: object = None
        self._reset_attempt()

    def _reset_attempt(self) -> None:
        self.started = datetime.now(UTC)
        self.active = False  # the trainee did something in this attempt
        self.saved = False
        self._last_tick = self.wall()
        self._carry = 0.0
        self._goal = self.engine.index

    # ---------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        trainee = self.lesson.trainee
        with Horizontal(id="lesson-body"):
            with Grid(id="lesson-phones"):
                for ident in self.lesson.cast:
                    mine = ident == trainee
                    with Vertical(classes="lesson-slot -trainee" if mine else "lesson-slot"):
                        label = text("lesson.you" if mine else "lesson.scripted", self.lang)
                        yield Static(label, classes="slot-label", markup=False)
                        yield HandsetWidget(self.lang, id=f"handset-{ident}",
                                            classes="-selected" if mine else "")
            yield LessonPanel(self.lang, id="lesson-panel")

    def on_mount(self) -> None:
        self._follow_sound()
        self.refresh_all()
        self.query_one(f"#handset-{self.lesson.trainee}", HandsetWidget).focus()
        if self.realtime:
            self._ticker = self.set_interval(TICK, self._tick)

    def refresh_all(self) -> None:
        engine = self.engine
        for ident in self.lesson.cast:
            widget = self.query_one(f"#handset-{ident}", HandsetWidget)
            widget.face = face_of(engine.net, engine.session.handsets[ident], self.lang)
        self.place_handsets()
        if engine.index != self._goal:
            self._goal, self.hint_shown = engine.index, False
        self.query_one(LessonPanel).state = panel_state(
            engine, self.lang, hint_shown=self.hint_shown, showing=self.demo is not None,
            paused=self.paused, speed=self.speed)
        if engine.finished and not self.saved:
            self._save()
            from phone_sim.tui.lessons.summary import SummaryScreen

            self.app.push_screen(SummaryScreen(self.lesson, run_result(engine, self.lang), self.lang,
                                               self._previous_runs()), self._after_summary)

    def on_resize(self, event: events.Resize) -> None:
        self.place_handsets()

    def place_handsets(self) -> None:
        """Handsets beside the panel, or above it on a narrow terminal (``arrange``)."""
        width, height = self.size
        if not width or not height:
            return
        widgets = [self.query_one(f"#handset-{ident}", HandsetWidget) for ident in self.lesson.cast]
        shape = arrange(width, height, [w.face.lines if w.face else () for w in widgets])
        if shape == self._shape:
            return
        self._shape = shape
        self.query_one("#lesson-body").set_class(shape.stacked, "-stacked")
        grid = self.query_one("#lesson-phones", Grid)
        grid.styles.grid_size_columns = shape.cols
        grid.styles.grid_rows = " ".join(str(h) for h in shape.rows)
        grid.styles.height = sum(shape.rows)
        grid.set_class(not shape.keypads, "-folded")
        panel = self.query_one(LessonPanel)
        panel.styles.width = shape.panel_width or "100%"
        for widget in widgets:
            widget.compact = not shape.keypads

    # ---------------------------------------------------------------- the trainee's handset
    def action_key(self, key: str) -> None:
        if self.demo is not None:
            self.notify(text("lesson.showing", self.lang))
            return
        self.query_one(f"#handset-{self.lesson.trainee}", HandsetWidget).press_key(key)

    def on_keypad_pressed(self, event: Keypad.Pressed) -> None:
        """A handset's key (clicked, or pressed by a key binding): keypads post their
        presses to the screen, in order (``phone_sim.tui.keypad.Keypad``)."""
        handset = next((node for node in event.keypad.ancestors if isinstance(node, HandsetWidget)), None)
        if handset is None:
            return
        event.stop()
        message = handset.message_for(event.button_id)
        if isinstance(message, HandsetWidget.KeyPressed):
            self.on_handset_widget_key_pressed(message)
        elif message is not None:
            self.post_message(message)

    def on_handset_widget_key_pressed(self, message: HandsetWidget.KeyPressed) -> None:
        message.stop()
        if message.party != self.lesson.trainee:
            self.notify(text("lesson.not_yours", self.lang))
            return
        self.active = True
        self.engine.press(message.key)
        self.refresh_all()

    def on_handset_widget_power_toggled(self, message: HandsetWidget.PowerToggled) -> None:
        message.stop()
        self.notify(text("lesson.not_in_lesson", self.lang))

    def on_handset_widget_move_requested(self, message: HandsetWidget.MoveRequested) -> None:
        message.stop()
        self.notify(text("lesson.not_in_lesson", self.lang))

    # ---------------------------------------------------------------- lesson keys
    def action_hint(self) -> None:
        if self.engine.hint(self.lang) is not None:
            self.hint_shown, self.active = True, True
            self.refresh_all()

    def action_restart(self) -> None:
        self._save()
        self.demo = None
        self._demo_run += 1
        self.engine.restart()
        self._follow_sound()
        self.hint_shown = False
        self._reset_attempt()
        self.refresh_all()

    def action_advance(self, ms: int) -> None:
        self.engine.advance(ms)
        self.refresh_all()

    def action_pause(self) -> None:
        self.paused = not self.paused
        self._last_tick, self._carry = self.wall(), 0.0
        self.refresh_all()

    def action_speed(self) -> None:
        self.speed = SPEEDS[(SPEEDS.index(self.speed) + 1) % len(SPEEDS)]
        self.refresh_all()

    def action_portal(self) -> None:
        """The portal screens on the lesson's network (no store: the lesson saves nothing of
        the company); the goal is checked when the trainee comes back."""
        from phone_sim.tui.portal import PortalScreen
        from phone_sim.tui.portal.session import PortalSession

        self.active = True
        session = self._portal_session
        if session is None or session.net is not self.engine.net:  # logged in for the lesson
            session = self._portal_session = PortalSession(self.engine.net, None, self.lang)
        self.app.push_screen(PortalScreen(self.engine.net, None, self.lang, session), lambda _: self._after_portal())

    def _after_portal(self) -> None:
        self.engine.update()
        self.refresh_all()

    def action_leave(self) -> None:
        self._save()
        self.dismiss(None)

    # ---------------------------------------------------------------- sound
    @property
    def sound(self) -> Any:
        return getattr(self.app, "sound", None)

    def _follow_sound(self) -> None:
        if self.sound is not None:
            self.sound.follow(self.engine.session, self.lesson.trainee)

    def on_unmount(self) -> None:
        ticker = getattr(self, "_ticker", None)
        if ticker is not None:
            ticker.stop()
        sound, app = self.sound, self.app
        if sound is None:
            return
        sound.stop_mic(app)
        if hasattr(app, "live"):  # the phones screen's network has sound again
            sound.attach(app)

    def action_mic(self) -> None:
        if self.sound is not None:
            self.sound.toggle_mic(self.app, self.lesson.trainee)

    def _after_summary(self, again: bool | None) -> None:
        if again:
            self.action_restart()
        elif again is False:
            self.dismiss(None)

    def _tick(self) -> None:
        now = self.wall()
        elapsed, self._last_tick = now - self._last_tick, now
        if self.paused or not self.is_attached or self.app.screen is not self:
            return  # paused, covered, or being torn down: touch nothing
        total = elapsed * 1000 * self.speed + self._carry
        ms = int(total)
        self._carry = total - ms
        if ms > 0:
            self.engine.advance(ms)
            self.refresh_all()

    # ---------------------------------------------------------------- show me
    def action_show_me(self) -> None:
        if self.engine.finished or self.demo is not None:
            return
        self.active = True
        self.demo = list(self.engine.show())
        self._goal_shown = self.engine.index
        self._demo_run += 1
        self.refresh_all()
        self._demo_next(self._demo_run)

    def _demo_next(self, run: int) -> None:
        """One move of demonstration ``run`` (a restart or a new demonstration ends it)."""
        while self.demo is not None and run == self._demo_run:
            if not self.demo or self.engine.index != self._goal_shown:
                self.demo = None
                self.refresh_all()
                return
            self._demo_play(self.demo.pop(0))
            self.refresh_all()
            if self.show_delay > 0:
                self.set_timer(self.show_delay, lambda: self._demo_next(run))
                return

    def _demo_play(self, item: DemoItem) -> None:
        engine = self.engine
        if isinstance(item, str):
            engine.press(item)
        elif item.action == "wait":
            ms = item.args["ms"]
            engine.advance(min(ms, DEMO_SLICE_MS))
            if ms > DEMO_SLICE_MS:
                self.demo = [replace(item, args={"ms": ms - DEMO_SLICE_MS}), *(self.demo or [])]
        elif item.action in ("dial", "keys") or item.action in KEY_STEPS:
            self.demo = [*self._keys_of(item), *(self.demo or [])]
        elif item.action != "expect":
            engine.play(item)

    def _keys_of(self, step: Step) -> list[str]:
        """The keys the trainee presses for a solution step, worked out when it comes up."""
        session, handset = self.engine.session, self.engine.trainee
        if step.action == "keys":
            return list(step.args["keys"])
        if step.action == "dial":
            handset.buffer = ""
            return keys_of_number(session.number_for(step.args["from"], step.args["to"])) + ["call"]
        return session.keys_for(step.action, step.args["party"])

    # ---------------------------------------------------------------- progress
    def _save(self) -> None:
        if self.saved or not (self.active or self.engine.finished):
            return
        self.saved = True
        name = self.trainee_name or ANONYMOUS
        try:
            progress = Progress.open(self.data)
            try:
                progress.save(name, run_result(self.engine, self.lang), self.started)
            finally:
                progress.close()
        except Exception as error:  # a face never dies on a disk problem: say it and carry on
            self.notify(text("lesson.cannot_save", self.lang, error=error), severity="error")

    def _previous_runs(self) -> int:
        try:
            progress = Progress.open(self.data)
            try:
                name = self.trainee_name or ANONYMOUS
                return sum(1 for r in progress.runs(name) if r["lesson"] == self.lesson.id)
            finally:
                progress.close()
        except Exception:
            return 0
