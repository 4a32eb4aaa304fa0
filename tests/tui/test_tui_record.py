"""Recording: a session becomes a scenario file that ``phone-sim run`` replays and passes;
the recorder alone (no UI) too. Playing: steps marked pass or fail, pause, step, speed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tuihelp import SIZE, calls, run

from phone_sim.cli import main
from phone_sim.network.clock import Clock
from phone_sim.network.switch import Network
from phone_sim.scenario.loader import load_scenario
from phone_sim.scenario.recorder import CannotRecord, Recorder
from phone_sim.scenario.runner import Session, run_scenario

GUIDE = Path(__file__).parents[2] / "scenarios" / "guide"


def replay(path: Path) -> None:
    scenario = load_scenario(path)
    result = run_scenario(scenario)
    assert result.ok, result.report()


# ---------------------------------------------------------------------- the recorder alone


def test_keys_grouped_waits_between_and_refusals_as_fails(demo, tmp_path):
    net = Network(demo, Clock())
    session = Session(net)
    recorder = Recorder(session, name="unit")

    def press(party, keys):
        for key in keys:
            recorder.key(party, key)
            session.handsets[party].press(key)
            recorder.done()

    press("A", ["3", "0"])
    net.clock.advance(700)
    press("A", ["6", "call"])  # MME_C rings
    net.clock.advance(25_000)  # no answer: forwarded to the assistant
    press("ASSIST", ["call"])
    press("B", ["hold"])  # refused: no call
    recorder.checkpoint()
    recorder.action("switch_off", "D")
    net.switch_off("D")
    recorder.done()
    net.portal.execute("manager", "set_forwarding", {"line": "C", "type": "busy", "to": "309"})
    text = recorder.finish()
    assert "  - keys: {A: 306<call>}" in text
    assert "  - wait: 700ms" in text and "  - wait: 25s" in text
    assert "  - keys: {B: <hold>}\n    fails: no_call" in text
    assert "fails: short_number_not_allowed" in text
    assert "ASSIST: {active: A, tone: none, forwarded_from: MME_C}" in text
    path = tmp_path / "unit.yaml"
    recorder.save(path)
    replay(path)


def test_mmi_codes_are_recorded_as_keys_not_portal_steps(demo, tmp_path):
    net = Network(demo, Clock())
    session = Session(net)
    recorder = Recorder(session)
    for key in [*"**21*0601020309#", "call", *"306", "call"]:
        recorder.key("C", key)
        session.handsets["C"].press(key)
        recorder.done()
    net.portal.execute("manager", "set_forwarding", {"line": "D", "type": "busy", "to": "0601020309"},
                       None, via="portal")
    text = recorder.finish()
    assert "keys: {C: '**21*0601020309#<call>'}" in text
    assert text.count("  - portal:") == 1 and "as: manager, do: set_forwarding, line: D" in text
    path = tmp_path / "mmi.yaml"
    recorder.save(path)
    replay(path)


def test_recording_cannot_start_during_a_call(demo):
    net = Network(demo, Clock())
    session = Session(net)
    session.handsets["A"].press_all(["3", "0", "3", "call"])
    with pytest.raises(CannotRecord):
        Recorder(session)


def test_recording_starts_from_what_the_handsets_are(demo, tmp_path):
    net = Network(demo, Clock())
    session = Session(net)
    net.switch_off("C")
    net.move("D", "abroad")
    session.handsets["A"].press_all(["3", "0"])
    recorder = Recorder(session)
    for key in ["4", "call"]:
        recorder.key("A", key)
        session.handsets["A"].press(key)
        recorder.done()
    text = recorder.finish()
    assert "  - move: {D: abroad}" in text and "  - switch_off: C" in text and "  - keys: {A: '30'}" in text
    path = tmp_path / "state.yaml"
    recorder.save(path)
    replay(path)


# ---------------------------------------------------------------------- recording in the TUI


def test_a_recorded_tui_session_replays_with_phone_sim_run(make_app, tmp_path, capsys):
    path = tmp_path / "session.yaml"
    app = make_app(record=path)

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            assert app.live.recorder is not None
            await pilot.press("alt+8", *"0601020301", "enter")  # B calls A
            await pilot.press("a")  # 5 s of ringing
            await pilot.press("alt+1", "enter", "h", "3", "0", "3", "enter", "alt+3", "enter")
            await pilot.press("k")  # checkpoint: A has C active and B held
            await pilot.press("alt+1", "number_sign", "1")  # transfer
            await pilot.press("alt+4", "h")  # a refused key is recorded with fails
            await pilot.press("alt+2", "o")
            await pilot.press("q")

    run(scenario())
    text = path.read_text()
    assert "A: {active: C, held: B" in text  # the checkpoint
    assert "fails: no_call" in text
    assert "switch_off: A_FIXE" in text
    assert text.count("  - expect:") == 2  # the checkpoint and the final one
    capsys.readouterr()
    assert main(["run", str(path)]) == 0
    assert "1 passed" in capsys.readouterr().out


def test_record_key_starts_and_stops_a_recording(make_app, tmp_path):
    app = make_app(data=tmp_path / "data")

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("3", "0", "3", "enter")
            await pilot.press("r")
            assert app.live.recorder is None  # a call is in progress
            await pilot.press("escape", "alt+3", "escape", "r")
            assert app.live.recorder is not None
            await pilot.press("alt+1", "3", "0", "6", "enter", "n")  # step to the forwarding
            await pilot.press("r")
            assert app.live.recorder is None

    run(scenario())
    (path,) = (tmp_path / "data" / "recordings").glob("session-*.yaml")
    replay(path)
    assert "wait: 25s" in path.read_text()


# ---------------------------------------------------------------------- playing


def test_play_a_scenario_step_by_step(make_app):
    scenario = load_scenario(GUIDE / "01-transfer-guide.yaml")
    app = make_app(company=scenario.company, scenario=scenario)

    async def play():
        async with app.run_test(size=SIZE) as pilot:
            player = app.player
            assert player is not None and player.paused
            await pilot.press("n", "n", "n")
            assert player.index == 3
            assert [r.ok for r in player.results[:3]] == [True, True, True]
            assert calls(app, "A") == [("active", ("B",))]
            steps = app.phones.query_one("#play-steps")
            assert steps.highlighted == 3
            await pilot.press("x")
            assert player.speed == 2
            while not player.done:
                await pilot.press("n")
            assert player.passed
            status = str(app.phones.query_one("#play-status").render())
            assert "Scénario réussi" in status

    run(play())


def test_a_failing_expectation_is_marked_and_pauses(make_app, tmp_path):
    source = (GUIDE / "01-transfer-guide.yaml").read_text()
    broken = source.replace("expect: {A: {ringing: B}, B: {calling: A, tone: ringback}}",
                            "expect: {A: {ringing: C}, B: {calling: A, tone: ringback}}")
    assert broken != source
    path = tmp_path / "broken.yaml"
    path.write_text(broken)
    shutil.copy(GUIDE / "company.yaml", tmp_path / "company.yaml")
    scenario = load_scenario(path)
    app = make_app(company=scenario.company, scenario=scenario, realtime=True)
    player = app.player
    # checked before the app runs: once it runs, its real-time clock may reach the failing
    # step on its own before the test's next line (a loaded machine), and pause
    assert player is not None and not player.paused

    async def play():
        async with app.run_test(size=SIZE) as pilot:
            player.tick(10.0)  # the first step is due
            player.tick(10.0)  # the expectation fails
            assert player.failed is not None and player.failed.index == 1
            assert player.paused
            await pilot.press("space")
            assert not player.paused
            app.phones.show_player()
            await pilot.pause()
            status = str(app.phones.query_one("#play-status").render())
            assert "Échec à l'étape 2" in status

    run(play())


def test_wait_steps_take_real_time_scaled_by_speed(demo):
    from phone_sim.scenario.loader import scenario_from_data
    from phone_sim.tui.live import LiveSession
    from phone_sim.tui.player import Player

    scenario = scenario_from_data({"name": "w", "company": {"lines": [
        {"id": "A", "name": "A", "number": "0601020301"}]}, "steps": [{"wait": "10s"}, {"expect": {"A": "idle"}}]})
    live = LiveSession(scenario.company)
    player = Player(scenario, live.session)
    player.tick(1.0)  # pace before the first step
    player.tick(2.0)
    assert live.net.now == 2000 and player.wait_left == 8000
    player.speed = 10
    player.tick(0.5)
    assert live.net.now == 7000
    player.tick(1.0)
    assert live.net.now == 10_000 and player.results[0].ok
