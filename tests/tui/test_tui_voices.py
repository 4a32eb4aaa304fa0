"""The voice plane's acceptance walk-through, in the TUI with Pilot: a new user opens the transfer lesson from the
phones screen; Madame B calls and asks for information (her line in the subtitles of the
panel and of A's display, spoken when espeak-ng is there); the user holds her, switches
the microphone on for Monsieur A (a fake input: a hummed 523 Hz), calls Monsieur C, who
answers and greets; C's recording holds the user's voice; after #1, B and C hear each
other and A hears nothing (C's recording holds B's voice and no longer the user's)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from tuihelp import SIZE, run

from phone_sim.audio.ident import IdentDetector
from phone_sim.audio.wavio import read_wav
from phone_sim.handset.display import display_lines
from phone_sim.network.events import HandsetDidChange
from phone_sim.tui.lessons.screen import LessonScreen
from phone_sim.tui.lessons.summary import SummaryScreen

HUM = 523.0


class HummingMicrophone:
    """What PortAudio's input would give a user humming a C into the microphone."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.position = 0
        self.closed = False

    def read(self, frames: int) -> bytes:
        t = (self.position + np.arange(frames)) / self.rate
        self.position += frames
        return (0.3 * np.sin(2 * np.pi * HUM * t) * 32767).astype("<i2").tobytes()

    def close(self) -> None:
        self.closed = True


async def until(pilot, condition, rounds: int = 400) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()
    raise AssertionError("the condition never became true")


def hum_level(samples: np.ndarray, rate: int) -> float:
    t = np.arange(len(samples)) / rate
    window = np.hanning(len(samples))
    return float(2 * abs(np.sum(samples * window * np.exp(-2j * np.pi * HUM * t))) / window.sum())


def test_the_done_when_of_the_voice_issue(make_app, tmp_path: Path) -> None:
    pytest.importorskip("numpy")
    wavs = tmp_path / "wav"
    app = make_app(sound="null", record_audio=str(wavs))
    microphones: list[HummingMicrophone] = []
    app.sound.open_mic = lambda rate, frames: microphones.append(HummingMicrophone(rate)) or microphones[-1]
    state: dict[str, object] = {}

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.sound.system is not None)
            await pilot.press("e", *"Zoé", "enter", "enter")  # the lessons; the transfer is first
            screen = app.screen
            assert isinstance(screen, LessonScreen) and screen.lesson.id == "1-transfert-d-appel"
            net = screen.engine.net
            assert app.sound.session.net is net  # sound follows the lesson's network
            a_displays: list[str] = []
            net.bus.subscribe(lambda e: a_displays.append("\n".join(display_lines(net, "A")))
                              if isinstance(e, HandsetDidChange) and e.party == "A" else None)
            await pilot.press("enter")  # Madame B calls: answer
            await pilot.pause()
            heard = screen.query_one("#lesson-heard").render()
            assert "Madame B : « Bonjour Monsieur A" in str(heard)
            said = "Madame B : « Bonjour Monsieur A, c'est Madame B."
            # A's display while she speaks (the line may be over, in a loaded machine's real
            # time, before the test looks at the widget)
            assert any(said in lines for lines in a_displays), a_displays
            await pilot.press("h")  # hold her
            await pilot.press("v")  # the microphone on Monsieur A (the trainee's phone)
            await until(pilot, lambda: microphones and app.sound.mic is not None)
            assert net.voices.talking("A", "mic")
            await pilot.press("3", "0", "3", "enter", "a")  # call C; 5 s later he has answered
            assert net.hears("C").voices == ("A",) and net.hears("A").voices == ("C",)
            assert "Monsieur C, bonjour" in str(screen.query_one("#lesson-heard").render())
            await pilot.pause(1.0)  # the user talks to C for a second (real time: a microphone)
            await pilot.press("number_sign", "1")  # transfer
            await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
            assert net.hears("B").voices == ("C",) and net.hears("C").voices == ("B",)
            assert net.hears("A").voices == () and net.listeners_of("A") == frozenset()
            net.speak("B", "talk", 1500)  # Madame B now talks to Monsieur C
            screen.engine.advance(2000)
            await pilot.pause(0.5)  # the user goes on humming: nobody hears it now
            state["b_tone"] = app.sound.system.recorder.mixer.frequency("B")
            app.finish()

    run(scenario())
    assert microphones and microphones[0].closed

    c_heard, rate = read_wav(wavs / "C.wav")
    a_heard, _ = read_wav(wavs / "A.wav")
    detector = IdentDetector(rate)
    window = rate // 5
    hum, b_voice = [], []
    for start in range(0, len(c_heard) - window + 1, window):
        piece = c_heard[start : start + window]
        hum.append(hum_level(piece, rate) > 0.1)
        b_voice.append(state["b_tone"] in detector.heard(piece))
    assert sum(hum) >= 3, "the user's voice is not in C's recording"  # 0.6 s of it at least
    assert sum(b_voice) >= 5, "Madame B's voice is not in C's recording after #1"
    both = [i for i, (h, b) in enumerate(zip(hum, b_voice, strict=True)) if h and b]
    assert len(both) <= 1, "C heard the user and Madame B together"  # #1's window may hold both ends
    assert max(i for i, h in enumerate(hum) if h) <= min(i for i, b in enumerate(b_voice) if b)
    # the user never hears their own voice (the hum is heard at 0.1 and more in C's; the
    # lines spoken into A's earpiece may carry a little energy near 523 Hz)
    assert all(hum_level(a_heard[s : s + window], rate) < 0.05 for s in range(0, len(a_heard) - window, window))
    if shutil.which("espeak-ng"):  # Madame B's line was spoken into A's earpiece
        assert np.abs(a_heard).max() > 0.2
