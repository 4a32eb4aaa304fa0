"""Each bundled lesson completed with the keyboard alone on the lesson screen (Pilot): the
trainee's digits, Enter = CALL, Escape = END, h = HOLD, c = CONF, the portal's forms, and
the lesson's keys (i hint, s show me, r restart, a / A let time pass)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lesson_helpers import bundled_by_id

from phone_sim.training.progress import Progress
from phone_sim.tui.keypad import Keypad
from phone_sim.tui.lessons.app import LessonApp
from phone_sim.tui.lessons.panel import LessonPanel
from phone_sim.tui.lessons.screen import LessonScreen
from phone_sim.tui.lessons.summary import SummaryScreen

NAME = "Zoé"
SIZE = (160, 50)
PORTAL_AS_MYSELF = ["p", "enter", "down", "enter", "tab", "enter"]  # the first line with PABX after the manager

KEYS = {
    "1-transfert-d-appel": ["enter", "h", "3", "0", "3", "enter", "a", "number_sign", "1"],
    "2-conference": ["h", "3", "0", "3", "enter", "a", "c", "escape"],
    "3-renvoi-sur-non-reponse": ["asterisk", "asterisk", "6", "1", "asterisk", *"0601020309", "number_sign",
                                 "enter", "A", "a"],
    "4-appels-entrants-en-cascade": [
        *PORTAL_AS_MYSELF, "tab", "enter",  # « Gérer mes appels entrants »
        "tab", "space", "tab", "enter", "down", "enter",  # Activer, Séquentiellement
        "tab", *"0145020301", "tab", *"0601020301", "tab", *"0601020309", "enter",  # Valider
        "escape", "escape",  # back to Accueil, out of the portal
        "A", "enter"],  # 25 s later the mobile rings: answer
    "5-groupe-d-appel": ["asterisk", *"0609182236", "enter", *"1703", "1", "escape", "a", "enter"],
    "6-transfert-depuis-l-etranger": ["h", "3", "0", "3", "enter", "a", "number_sign", "1", "c"],
}


def app_for(ident: str, data: Path, trainee: str | None = NAME, lang: str = "fr") -> LessonApp:
    return LessonApp([bundled_by_id(ident)], lang=lang, trainee=trainee, data=data, realtime=False,
                     show_delay=0, wall=lambda: 0.0)


def lesson_screen(app: LessonApp) -> LessonScreen:
    screen = next(s for s in app.screen_stack if isinstance(s, LessonScreen))
    return screen


@pytest.mark.parametrize("ident", sorted(KEYS))
async def test_lesson_completed_with_the_keyboard(ident: str, tmp_path: Path) -> None:
    app = app_for(ident, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # the lesson list has the focus: open the lesson
        screen = lesson_screen(app)
        assert screen.engine.index == 0
        await pilot.press(*KEYS[ident])
        assert screen.engine.finished, screen.engine.why_not()
        assert isinstance(app.screen, SummaryScreen)
        marks = [line.mark for line in screen.query_one(LessonPanel).state.goals]
        assert marks == ["done"] * len(marks)
        await pilot.press("enter")  # back to the lessons
        assert not any(isinstance(s, LessonScreen) for s in app.screen_stack)
    progress = Progress.open(tmp_path)
    runs = progress.runs(NAME)
    progress.close()
    assert [(r["lesson"], r["completed"], r["goals_done"], r["hints"]) for r in runs] == \
        [(ident, 1, len(screen.lesson.goals), 0)]


async def test_new_user_types_a_name_then_picks_the_transfer_lesson(tmp_path: Path) -> None:
    app = LessonApp([bundled_by_id("1-transfert-d-appel"), bundled_by_id("2-conference")], data=tmp_path,
                    realtime=False, show_delay=0, wall=lambda: 0.0)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"Léa", "enter")  # the first Enter in the name starts the lesson
        screen = lesson_screen(app)
        assert screen.lesson.title.fr == "Le transfert d'appel"
        await pilot.press("i")  # stuck: ask for the hint
        assert "Entrée" in str(screen.query_one("#lesson-hint").render())
        await pilot.press(*KEYS["1-transfert-d-appel"])
        assert isinstance(app.screen, SummaryScreen)
    progress = Progress.open(tmp_path)
    assert [(r["trainee"], r["hints"]) for r in progress.runs()] == [("Léa", 1)]
    progress.close()


async def test_wrong_move_does_not_mark_the_goal(tmp_path: Path) -> None:
    app = app_for("1-transfert-d-appel", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "h")  # HOLD on a ringing call: refused, the call still rings
        screen = lesson_screen(app)
        panel = screen.query_one(LessonPanel)
        assert screen.engine.index == 0
        assert [line.mark for line in panel.state.goals][:2] == ["current", "todo"]
        assert panel.state.refusal is not None and panel.state.refusal.startswith("Le réseau a refusé")
        await pilot.press("enter", "h", "3", "0", "4", "enter", "A")  # Monsieur D, not Monsieur C
        assert screen.engine.index == 2
        assert [line.mark for line in panel.state.goals] == ["done", "done", "current", "todo"]
        assert screen.engine.records[0].refusals == 1


async def test_keys_on_another_handset_are_not_the_trainees(tmp_path: Path) -> None:
    app = app_for("1-transfert-d-appel", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        screen = lesson_screen(app)
        keypads = {p: app.screen.query_one(f"#handset-{p} Keypad", Keypad) for p in "AB"}
        await pilot.click(keypads["B"], offset=keypads["B"].offset_of("call"))
        assert screen.engine.index == 0
        assert [c.state for c in screen.engine.net.view("B").calls] == ["calling"]
        await pilot.click(keypads["A"], offset=keypads["A"].offset_of("call"))  # the mouse works on the trainee's own keypad
        assert screen.engine.index == 1


async def test_show_me_plays_the_goal_and_says_so(tmp_path: Path) -> None:
    app = app_for("1-transfert-d-appel", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "enter", "h", "s")  # show me how to call Monsieur C
        screen = lesson_screen(app)
        assert screen.engine.index == 3
        assert screen.engine.records[2].shown and not screen.engine.records[1].shown
        assert screen.demo is None
        await pilot.press("number_sign", "1")
        assert isinstance(app.screen, SummaryScreen)


async def test_restart_then_leave_saves_each_attempt(tmp_path: Path) -> None:
    app = app_for("2-conference", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "h")
        screen = lesson_screen(app)
        assert screen.engine.index == 1
        await pilot.press("r")
        assert screen.engine.index == 0 and screen.engine.attempt == 2
        await pilot.press("q")
        assert not any(isinstance(s, LessonScreen) for s in app.screen_stack)
    progress = Progress.open(tmp_path)
    runs = progress.runs(NAME)
    progress.close()
    assert [(r["completed"], r["goals_done"]) for r in runs] == [(0, 1)]  # the untouched retry is not saved


async def test_english_panel(tmp_path: Path) -> None:
    app = app_for("1-transfert-d-appel", tmp_path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        state = lesson_screen(app).query_one(LessonPanel).state
        assert state.title == "Call transfer"
        assert state.instruction == "Madame B is calling you. Answer the call."
        assert state.usage.startswith("Transfer a call")


async def test_lessons_open_from_the_phones_screen(tmp_path: Path) -> None:
    from phone_sim.tui.app import PhoneSimApp
    from phone_sim.tui.commands import load_company_or_demo
    from phone_sim.tui.lessons.picker import LessonPicker

    app = PhoneSimApp(load_company_or_demo(None), realtime=False, data=tmp_path, sound=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("e")
            assert isinstance(app.screen, LessonPicker)
            await pilot.press(*"Léa", "enter")
            screen = lesson_screen(app)
            assert screen.engine.net is not app.net  # the lesson has its own network
            await pilot.press("e")  # not a second picker on top of the lesson
            assert app.screen is screen
            await pilot.press("q", "escape")
            assert app.screen is app.phones
    finally:
        app.finish()
