"""The mixer: each earpiece is the sum of what it is routed, limited without wrapping or
hard clipping, each source at its own level, nothing delayed; streams are glued."""

from __future__ import annotations

import numpy as np
import pytest

from phone_sim.audio import tones
from phone_sim.audio.commands import Feed, PlayKey, SetHeard, SetTone, StartVoice, StopVoice
from phone_sim.audio.ident import IDENT_LEVEL, IdentDetector
from phone_sim.audio.mixer import KNEE, Mixer, limit

RATE = 8000


def heard(mixer: Mixer, party: str, n: int = 1600) -> set[str]:
    found = IdentDetector(mixer.rate).heard(mixer.render(party, n))
    return {q for q in mixer.parties if mixer.frequency(q) in found}


def test_an_earpiece_carries_exactly_the_voices_routed_to_it() -> None:
    mixer = Mixer(RATE, parties="ABCD")
    for party in "ABCD":
        mixer.talk(party)
    mixer.set_heard("A", ["B", "C", "A"])  # never itself
    mixer.set_heard("B", ["A"])
    assert heard(mixer, "A") == {"B", "C"}
    assert heard(mixer, "B") == {"A"}
    assert heard(mixer, "D") == set()
    mixer.apply(SetHeard(0, "A", ("D",)))
    assert heard(mixer, "A") == {"D"}


def test_each_source_keeps_its_level_and_nothing_is_delayed() -> None:
    mixer = Mixer(RATE, parties="AB")
    mixer.set_heard("A", ["B"])
    mixer.advance(800)
    mixer.talk("B", 50)  # 50 ms from sample 800
    sound = mixer.render("A", 1600)
    on = np.flatnonzero(np.abs(sound) > 1e-6)
    assert on[0] <= 1 and on[-1] < 400  # at once, and for 50 ms (400 samples) only
    assert np.abs(sound).max() == pytest.approx(IDENT_LEVEL, rel=0.01)
    mixer.apply(SetTone(0, "A", "dial"))  # the dial tone beside the voice: both at their level
    both = mixer.render("A", 1600)
    amplitudes = IdentDetector(RATE).amplitudes(both[:400])
    assert amplitudes.max() == pytest.approx(IDENT_LEVEL, rel=0.15)


def test_render_changes_nothing_and_advance_moves_on() -> None:
    mixer = Mixer(RATE, parties="AB")
    mixer.set_heard("A", ["B"])
    mixer.talk("B", 100)
    first = mixer.render("A", 400)
    assert np.array_equal(first, mixer.render("A", 400))
    mixer.advance(400)
    second = mixer.render("A", 800)
    assert np.abs(second[:400]).max() > 0.1 and not second[400:].any()  # 100 ms = 800 samples
    assert np.allclose(np.concatenate([first, second]), Mixer_rendered_at_once())


def Mixer_rendered_at_once() -> np.ndarray:
    mixer = Mixer(RATE, parties="AB")
    mixer.set_heard("A", ["B"])
    mixer.talk("B", 100)
    return mixer.render("A", 1200)


def test_the_limiter_never_wraps_never_clips_hard_and_leaves_quiet_sound_alone() -> None:
    signal = np.linspace(-2, 2, 4001, dtype=np.float32)  # up to six times the knee's headroom
    limited = limit(signal.copy())
    assert np.abs(limited).max() < 1.0
    assert np.all(np.diff(limited) > 0)  # strictly monotonic: no wrap, no flat top
    huge = limit(np.linspace(-100, 100, 2001, dtype=np.float32))
    assert np.all(np.diff(huge) >= 0) and np.abs(huge).max() <= 1.0
    quiet = np.abs(signal) <= KNEE
    assert np.array_equal(limited[quiet], signal[quiet])
    # twelve loud voices in one earpiece: soft, below full scale, int16 never wraps
    mixer = Mixer(RATE, parties=[f"P{i}" for i in range(13)])
    for i in range(1, 13):
        mixer.start_clip(f"P{i}", np.full(800, 0.5, dtype=np.float32))
    mixer.set_heard("P0", [f"P{i}" for i in range(1, 13)])
    loud = mixer.render("P0", 800)
    assert 0.99 < loud.max() <= 1.0
    assert tones.to_int16(loud).min() > 0


def test_a_new_scripted_voice_replaces_the_old_and_stop_cuts_it() -> None:
    mixer = Mixer(RATE, parties="AB")
    mixer.set_heard("A", ["B"])
    mixer.talk("B")
    mixer.start_clip("B", np.full(400, 0.2, dtype=np.float32))
    assert heard(mixer, "A") == set()  # the clip replaced the tone
    mixer.apply(StartVoice(0, "B", "talk", 1000))
    assert heard(mixer, "A") == {"B"}
    mixer.apply(StopVoice(0, "B", "mic"))  # the microphone's end leaves the script alone
    assert heard(mixer, "A") == {"B"}
    mixer.apply(StopVoice(0, "B", "talk"))
    assert not mixer.render("A", 800).any()


def test_a_stream_is_glued_across_jitter_and_resampled() -> None:
    mixer = Mixer(16000, parties="AB")
    mixer.set_heard("B", ["A"])
    tone = tones.sines((1000.0,), 8000, 8000, (0.4,))  # one second at 8 kHz
    chunks = [tone[i : i + 160] for i in range(0, 8000, 160)]
    played = []
    for i, chunk in enumerate(chunks):  # 20 ms chunks, announced with 0-15 ms of jitter
        mixer.feed("A", (chunk * 32767).astype(np.int16), 8000, at_ms=20 * i + (i * 7) % 16)
        played.append(mixer.render("B", 320))
        mixer.advance(320)
    sound = np.concatenate(played)
    body = sound[200:15800]
    assert np.abs(body).max() == pytest.approx(0.4, abs=0.01)
    # no gap and no overlap: a clean 1 kHz sine at 16 kHz (linear interpolation)
    expected = 0.4 * np.sin(2 * np.pi * 1000 * (np.arange(200, 15800) - 1) / 16000)
    assert np.abs(body - expected).max() < 0.05


def test_a_stream_far_ahead_is_dropped_rather_than_lagging() -> None:
    mixer = Mixer(RATE, parties="AB")
    for _ in range(100):  # two seconds fed at once, nothing played
        mixer.apply(Feed(0, "A", np.full(160, 1000, np.int16), RATE))
    assert mixer.clips_end() <= tones.samples_for(500 + 20, RATE)


def test_render_all_matches_each_earpiece_and_keys_sound_locally() -> None:
    mixer = Mixer(RATE, parties="ABC")
    for party in "ABC":
        mixer.set_heard(party, set("ABC") - {party})
        mixer.talk(party)
    mixer.apply(PlayKey(0, "B", "5"))
    together = mixer.render_all(800)
    for row, party in zip(together, "ABC", strict=True):
        assert np.allclose(row, mixer.render(party, 800), atol=1e-6)
    assert not np.array_equal(together[0], together[1])


def test_render_held_keeps_a_voice_of_this_instant_through_the_check() -> None:
    mixer = Mixer(RATE, parties="AB")
    mixer.set_heard("A", ["B"])
    mixer.talk("B", 20)  # ends 20 ms from now
    assert heard(mixer, "A") == set()  # too short in a 200 ms render
    found = IdentDetector(RATE).heard(mixer.render_held("A", 1600))
    assert found == {mixer.frequency("B")}
    assert np.abs(mixer.render("A", 1600)[400:]).max() == 0  # and it still ends as said
