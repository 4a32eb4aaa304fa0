"""The real-time clock driver (no Textual), and the app's last resort for errors."""

from __future__ import annotations

from tuihelp import SIZE, run

from phone_sim.network.clock import Clock
from phone_sim.tui.clockdriver import ClockDriver


def test_real_time_scaled_by_speed_and_paused():
    clock = Clock()
    fired: list[int] = []
    clock.call_at(1500, lambda: fired.append(clock.now))
    driver = ClockDriver(clock)
    assert not driver.tick(100.0)  # the first tick only takes the time
    driver.tick(100.4)
    assert clock.now == 400
    driver.cycle_speed()  # x2
    driver.tick(100.9)
    assert clock.now == 1400 and fired == []
    driver.cycle_speed()  # x10
    driver.tick(101.0)
    assert clock.now == 2400 and fired == [1500]
    driver.cycle_speed()
    assert driver.speed == 1
    driver.toggle_pause()
    driver.tick(200.0)
    assert clock.now == 2400  # real time went by, paused
    driver.toggle_pause()
    driver.tick(200.5)
    driver.tick(200.75)
    assert clock.now == 2650  # counted from the first tick after resuming


def test_fractions_of_a_millisecond_are_carried():
    clock = Clock()
    driver = ClockDriver(clock)
    driver.tick(0.0)
    for i in range(1, 11):
        driver.tick(i * 0.0004)  # 0.4 ms each
    assert clock.now == 4


def test_step_and_advance_while_paused():
    clock = Clock()
    clock.call_at(25_000, lambda: None)
    driver = ClockDriver(clock, paused=True)
    assert driver.step() == 25_000
    assert driver.step() is None
    driver.advance(5000)
    assert clock.now == 30_000


def test_paused_still_settles_what_is_due_now():
    clock = Clock()
    fired: list[int] = []
    clock.call_at(0, lambda: fired.append(1))
    driver = ClockDriver(clock, paused=True)
    assert driver.tick(1.0) and fired == [1] and clock.now == 0


def test_an_error_outside_the_handlers_ends_the_app_without_a_traceback(make_app, monkeypatch, tmp_path):
    app = make_app(data=tmp_path)
    monkeypatch.setattr(type(app), "is_headless", property(lambda self: False))

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            app._handle_exception(RuntimeError("outside every handler"))
            await pilot.pause()

    run(scenario())
    assert app.return_code == 1
    assert "outside every handler" in (tmp_path / "logs" / "tui-errors.log").read_text()
    assert not app._exit_renderables or all("Traceback" not in str(r) for r in app._exit_renderables)
