"""Voices over the real network, into the WAV recordings: each file holds what its handset
heard (the voices the media plane routed to it, at the instant they were said), and the
displays of those who hear a line show it as a subtitle."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from phone_sim.audio.ident import IdentDetector
from phone_sim.audio.microphone import Microphone
from phone_sim.audio.mixer import Mixer
from phone_sim.audio.speech import Speech
from phone_sim.audio.system import SoundSystem
from phone_sim.audio.wavio import read_wav
from phone_sim.handset.display import display_lines
from phone_sim.handset.handset import Handset
from phone_sim.network.switch import Network
from phone_sim.scenario.companyfile import company_from_data

DEMO = Path(__file__).parents[2] / "phone_sim" / "data" / "demo_company.yaml"
RATE = 16000


def demo() -> tuple[Network, dict[str, Handset]]:
    net = Network(company_from_data(yaml.safe_load(DEMO.read_text(encoding="utf-8"))))
    return net, {party: Handset(net, party) for party in net.parties}


def record(net: Network, tmp_path: Path) -> SoundSystem:
    sound = SoundSystem("wav", record_dir=tmp_path, rate=RATE, speech=Speech(RATE, engine=None))
    sound.attach(net.bus, net.tone, net.ringing, list(net.parties), now_ms=net.now,
                 hears_of=lambda party: net.hears(party).voices, watch=net.media.watch)
    return sound


def heard_per_second(path: Path, freqs: dict[str, float]) -> list[set[str]]:
    """Whose identification tones each second of a recording holds (its middle 200 ms)."""
    samples, rate = read_wav(path)
    detector = IdentDetector(rate)
    seconds = []
    for start in range(0, len(samples) - rate + 1, rate):
        found = detector.heard(samples[start + 400 * rate // 1000 : start + 600 * rate // 1000])
        seconds.append({party for party, freq in freqs.items() if freq in found})
    return seconds


def test_a_call_carries_each_voice_to_the_other_and_hold_cuts_both_ways(tmp_path: Path) -> None:
    net, phones = demo()
    sound = record(net, tmp_path)
    freqs = {party: Mixer(RATE, parties=net.parties).frequency(party) for party in net.parties}
    for key in "303":  # A calls C
        phones["A"].press(key)
    phones["A"].press("call")
    net.speak("A", "talk", 10_000)  # A talks from 0 s to 10 s, C from 1 s to 9 s
    net.clock.advance(1000)
    phones["C"].press("call")  # answered at 1 s
    net.speak("C", "talk", 8000)
    net.clock.advance(3000)
    phones["A"].press("hold")  # at 4 s: C hears music, A hears nothing of C
    net.clock.advance(3000)
    phones["A"].press("hold")  # back at 7 s
    net.clock.advance(5000)
    sound.close(end_ms=net.now)

    at_c = heard_per_second(tmp_path / "C.wav", freqs)
    at_a = heard_per_second(tmp_path / "A.wav", freqs)
    assert len(at_a) == len(at_c) == 12
    # C rings until 1 s (hears nobody), then A until hold at 4 s, A again from 7 s to 10 s
    assert at_c == [set(), {"A"}, {"A"}, {"A"}, set(), set(), set(), {"A"}, {"A"}, {"A"}, set(), set()]
    assert at_a == [set(), {"C"}, {"C"}, {"C"}, set(), set(), set(), {"C"}, {"C"}, set(), set(), set()]
    assert not any(at_c[0] | at_a[0] for _ in range(1))  # nobody heard before the answer


def test_a_line_said_is_a_subtitle_for_those_who_hear_it(tmp_path: Path) -> None:
    net, phones = demo()
    phones["B"].press_all(list("0601020301") + ["call"])  # Madame B calls Monsieur A
    phones["A"].press("call")
    net.speak("B", "say", 3000, text="Bonjour, j'ai une question", text_en="Hello, I have a question")
    assert "Madame B : « Bonjour, j'ai une question »" in display_lines(net, "A", lang="fr")
    assert "Madame B: “Hello, I have a question”" in display_lines(net, "A", lang="en")
    assert not any("question" in line for line in display_lines(net, "B"))  # not to herself
    assert not any("question" in line for line in display_lines(net, "C"))
    phones["A"].press("hold")  # she is held: A no longer hears her
    assert not any("question" in line for line in display_lines(net, "A"))
    phones["A"].press("hold")
    net.clock.advance(3000)  # the line is over
    assert not any("question" in line for line in display_lines(net, "A"))


class FileMicrophone:
    """What PortAudio's input gives: 16-bit chunks of a sound, then nothing."""

    def __init__(self, sound: np.ndarray) -> None:
        self.sound = (sound * 32767).astype("<i2").tobytes()
        self.closed = False

    def read(self, frames: int) -> bytes:
        chunk, self.sound = self.sound[: 2 * frames], self.sound[2 * frames :]
        return chunk

    def close(self) -> None:
        self.closed = True


def test_the_microphone_on_a_is_heard_in_c_s_recording(tmp_path: Path) -> None:
    net, phones = demo()
    sound = record(net, tmp_path)
    phones["A"].press_all(list("303") + ["call"])
    phones["C"].press("call")
    net.clock.advance(1000)  # the key tones of A's dialling are over
    t = np.arange(RATE * 2) / RATE
    voice = 0.3 * np.sin(2 * np.pi * 523.0 * t)  # two seconds of a hummed C
    stream = FileMicrophone(voice)
    net.speak("A", "mic")

    def deliver(samples: np.ndarray, rate: int) -> None:  # as in the TUI, time runs meanwhile
        sound.feed("A", samples, rate, time_ms=net.now)
        net.clock.advance(20)  # (the main thread waits: only this thread moves the network)

    mic = Microphone(deliver, rate=RATE, open_stream=lambda rate, frames: stream, paced=False)
    mic.start()
    mic._thread.join(5)  # the file runs dry by itself
    assert mic.chunks == 100 and stream.closed and mic.error is None
    net.stop_speaking("A", "mic")
    net.clock.advance(1000)
    sound.close(end_ms=net.now)
    c, rate = read_wav(tmp_path / "C.wav")
    a, _ = read_wav(tmp_path / "A.wav")
    assert len(c) == 4 * rate
    loud = np.abs(c).reshape(-1, rate // 10).max(axis=1) > 0.25  # per 100 ms
    assert loud.tolist() == [False] * 10 + [True] * 20 + [False] * 10  # A's two seconds, at their level
    spectrum = np.abs(np.fft.rfft(c))
    assert abs(np.fft.rfftfreq(len(c), 1 / rate)[spectrum.argmax()] - 523.0) < 2
    assert np.abs(a[rate:]).max() < 0.01  # nobody hears themself
