"""Sound from the TUI (phone_sim.audio, optional): a WAV per handset with ``--sound wav``,
keys decoded from a WAV with ``--dtmf-in``; and the scenarios screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList
from tuihelp import SIZE, calls, run

from phone_sim.tui.scenarios_screen import ScenariosScreen

GUIDE = Path(__file__).parents[2] / "scenarios" / "guide"


async def until(pilot, condition, rounds: int = 400) -> None:
    """Let the app run until ``condition()`` (sound starts on a thread)."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()
    raise AssertionError("the condition never became true")


def test_sound_records_a_wav_per_handset(make_app, tmp_path):
    pytest.importorskip("numpy")
    wavs = tmp_path / "wav"
    app = make_app(sound="wav", record_audio=str(wavs))

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.sound.system is not None)
            await pilot.press("3", "0", "3", "enter", "alt+3", "enter", "a", "escape")
            assert calls(app, "A") == []
            app.finish()  # closes the WAV files at the network's time

    run(scenario())
    written = sorted(p.name for p in wavs.glob("*.wav"))
    assert any("A" in name for name in written) and any("C" in name for name in written)


def test_keys_heard_in_a_wav_go_to_the_chosen_handset(make_app, tmp_path):
    pytest.importorskip("numpy")
    from phone_sim.audio.tones import DEFAULT_RATE, dtmf_sequence
    from phone_sim.audio.wavio import write_wav

    wav = tmp_path / "keys.wav"
    write_wav(wav, dtmf_sequence("303"), DEFAULT_RATE)
    app = make_app(dtmf_in=str(wav))
    app.sound.pace = False

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.live.session.handsets["A"].buffer == "303")
            await pilot.press("enter")
            assert calls(app, "C") == [("ringing", ("A",))]

    run(scenario())


def test_the_scenarios_screen_plays_the_file_chosen(make_app):
    app = make_app(scenarios_dir=GUIDE)

    async def scenario():
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("s")
            assert isinstance(app.screen, ScenariosScreen)
            files = [str(f.relative_to(GUIDE)) for f in app.screen.files]
            assert "01-transfer-guide.yaml" in files and "company.yaml" not in files
            app.screen.query_one(OptionList).highlighted = files.index("02-conference-guide.yaml")
            await pilot.press("enter")
            player = app.player
            assert player is not None and "conference" in player.scenario.name
            assert "E" in app.live.net.parties  # the scenario's own company
            while not player.done:
                await pilot.press("n")
            assert player.passed, player.failed
            await pilot.click("#play-close")
            assert app.player is None and not app.phones.query_one("#player").display

    run(scenario())
