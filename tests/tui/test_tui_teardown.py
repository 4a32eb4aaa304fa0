"""Leaving the TUI: the clock tick never touches a screen being torn down, and a recording
that could not start leaves no error for the exit."""

from __future__ import annotations

from pathlib import Path

from tuihelp import SIZE, run

from phone_sim.tui.app import PhoneSimApp


def test_the_clock_tick_never_touches_a_screen_being_torn_down(make_app) -> None:  # type: ignore[no-untyped-def]
    async def session() -> list[str]:
        app: PhoneSimApp = make_app(realtime=True)
        touched: list[str] = []
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.phones.update_clock = lambda: touched.append("clock")  # type: ignore[method-assign]
            app._shown_tenth = -1
            app._tick()
            assert touched == ["clock"]  # alive, the tick draws
            touched.clear()
            app.exit()
            app._shown_tenth = -1
            app._tick()  # exiting: nothing is drawn
        app.finish()
        assert app.errors.count == 0
        return touched

    assert run(session()) == []


def test_quitting_with_calls_ringing_logs_nothing(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def session() -> PhoneSimApp:
        app: PhoneSimApp = make_app(realtime=True, data=tmp_path / "data")
        async with app.run_test(size=SIZE) as pilot:
            app.live.net.dial("B", app.live.net.parties["A"].number)
            for _ in range(3):
                await pilot.pause(0.1)  # ticks redraw the ringing call's duration
            await pilot.press("ctrl+q")
            await pilot.pause()
        app.finish()
        return app

    app = run(session())
    assert app.errors.count == 0
    assert not (tmp_path / "data" / "logs" / "tui-errors.log").exists()


def test_an_unwritable_record_target_turns_recording_off(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a-file").write_text("not a folder")
    target = tmp_path / "a-file" / "session.yaml"

    async def session() -> PhoneSimApp:
        app: PhoneSimApp = make_app(record=target)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.live.recorder is None  # recording is off
            notices = [n.message for n in app._notifications]
            assert any("session.yaml" in n for n in notices), notices
            await pilot.press("ctrl+q")
        app.finish()
        return app

    app = run(session())
    assert app.errors.count == 0 and not target.exists()


def test_an_existing_record_target_is_kept_unless_forced(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "session.yaml"
    target.write_text("mine")

    async def session(force: bool) -> PhoneSimApp:
        app: PhoneSimApp = make_app(record=target, force=force)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+q")
        app.finish()
        return app

    app = run(session(False))
    assert target.read_text() == "mine" and app.errors.count == 0
    app = run(session(True))
    assert target.read_text().startswith("name:") and app.errors.count == 0
