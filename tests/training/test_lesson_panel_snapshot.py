"""A snapshot of the lesson panel at 160x50: the transfer lesson after the trainee answered
(Madame B's line is in the subtitles), pressed CONF by mistake (a refusal) and asked for the hint. Deterministic: the panel is
drawn from a state computed on a paused engine, away from any clock or handset widget."""

from __future__ import annotations

from pathlib import Path

import pytest
from lesson_helpers import bundled_by_id
from textual.app import App, ComposeResult

import phone_sim.tui.lessons as lessons_ui
from phone_sim.training.engine import LessonEngine
from phone_sim.tui.lessons.app import LessonApp
from phone_sim.tui.lessons.panel import LessonPanel
from phone_sim.tui.lessons.state import PanelState, panel_state

LESSONS_TCSS = Path(lessons_ui.__file__).parent / "lessons.tcss"


class PanelApp(App[None]):
    CSS_PATH = LESSONS_TCSS

    def __init__(self, state: PanelState) -> None:
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        yield LessonPanel("fr", id="lesson-panel")

    def on_mount(self) -> None:
        self.query_one(LessonPanel).state = self.state


def transfer_state() -> PanelState:
    engine = LessonEngine(bundled_by_id("1-transfert-d-appel"), wall=lambda: 0.0)
    engine.press("call")
    engine.advance(4000)
    engine.press("conf")  # a wrong key: the network refuses
    engine.hint("fr")
    return panel_state(engine, "fr", hint_shown=True, showing=False, paused=True)


def test_state_of_the_snapshot() -> None:
    state = transfer_state()
    assert [line.mark for line in state.goals] == ["done", "current", "todo", "todo"]
    assert state.hint is not None and state.refusal is not None
    assert state.status.startswith("⏱ 00:04")
    # Madame B's line, said when the trainee answered: the panel's subtitle
    assert state.heard == ("Madame B : « Bonjour Monsieur A, c'est Madame B. J'aurais besoin d'un "
                           "renseignement sur ma commande. »",)


def test_lesson_panel_snapshot(snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(PanelApp(transfer_state()), terminal_size=(160, 50))


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 50)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_lesson_screen_at_every_size(snap_compare, tmp_path: Path, size) -> None:  # type: ignore[no-untyped-def]
    """The transfer lesson after the trainee answered and put Madame B on hold."""
    app = LessonApp([bundled_by_id("1-transfert-d-appel")], trainee="Zoé", data=tmp_path, realtime=False,
                    show_delay=0, wall=lambda: 0.0)
    assert snap_compare(app, press=["enter", "enter", "h"], terminal_size=size)
