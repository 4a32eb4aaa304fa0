"""Tone synthesis: DTMF pairs, French cadences, ringer and music, at 8 and 16 kHz."""

from __future__ import annotations

import numpy as np
import pytest
from sound_helpers import peak_frequencies, window_levels

from phone_sim.audio import tones

ON = 0.05  # RMS above this in a 100 ms window: the tone sounds (tones are about 0.21)


@pytest.mark.parametrize("rate", tones.RATES)
@pytest.mark.parametrize("key", list(tones.DTMF_KEYS))
def test_dtmf_key_sends_its_row_and_column(key: str, rate: int) -> None:
    samples = tones.dtmf(key, 200, rate)
    assert samples.dtype == np.int16 and samples.ndim == 1
    assert len(samples) == rate // 5
    row, col = tones.dtmf_pair(key)
    low, high = peak_frequencies(samples, rate, 2)
    assert low == pytest.approx(row, abs=6) and high == pytest.approx(col, abs=6)


def test_dtmf_layout_is_q23() -> None:
    assert tones.dtmf_pair("1") == (697.0, 1209.0)
    assert tones.dtmf_pair("0") == (941.0, 1336.0)
    assert tones.dtmf_pair("#") == (941.0, 1477.0)
    assert tones.dtmf_pair("d") == (941.0, 1633.0)
    with pytest.raises(ValueError, match="not a DTMF key"):
        tones.dtmf_pair("E")


CADENCES = {  # tone: (on ms, off ms) per SPEC 11
    "ringback": (1500, 3500),
    "busy": (500, 500),
    "congestion": (250, 250),
    "waiting": (300, 10000),
}


@pytest.mark.parametrize("rate", tones.RATES)
@pytest.mark.parametrize("name", sorted(CADENCES))
def test_network_tone_cadence(name: str, rate: int) -> None:
    on_ms, off_ms = CADENCES[name]
    window = 50
    samples = tones.tone_seconds(name, 2 * (on_ms + off_ms) / 1000, rate)
    sounding = window_levels(samples, rate, window) > ON
    period = (on_ms + off_ms) // window
    expected = np.array([(i % period) < on_ms // window for i in range(len(sounding))])
    assert (sounding == expected).all()


@pytest.mark.parametrize("rate", tones.RATES)
def test_dial_tone_is_continuous_440(rate: int) -> None:
    samples = tones.tone_seconds("dial", 3, rate)
    levels = window_levels(samples, rate, 10)
    assert levels.min() > 0.2  # no dip where the one-second loop joins
    assert peak_frequencies(samples, rate, 1) == [pytest.approx(440, abs=1)]


@pytest.mark.parametrize("rate", tones.RATES)
def test_special_information_tone_rises_950_1400_1800(rate: int) -> None:
    sit = tones.special_information_tone(rate)
    assert len(sit) == tones.samples_for(990, rate)
    third = len(sit) // 3
    found = [peak_frequencies(sit[i * third : (i + 1) * third], rate, 1)[0] for i in range(3)]
    assert found == [pytest.approx(f, abs=5) for f in (950, 1400, 1800)]


@pytest.mark.parametrize("rate", tones.RATES)
def test_ringer_rings_twice_then_pauses(rate: int) -> None:
    sounding = window_levels(tones.tone_seconds("ringer", 3, rate), rate, 100) > ON
    assert sounding.tolist() == [True] * 4 + [False] * 2 + [True] * 4 + [False] * 20
    low, high = peak_frequencies(tones.tone_seconds("ringer", 0.4, rate), rate, 2)
    assert (low, high) == (pytest.approx(784, abs=5), pytest.approx(988, abs=5))


@pytest.mark.parametrize("rate", tones.RATES)
def test_music_on_hold_is_a_loop_of_notes(rate: int) -> None:
    loop = tones.tone_period("music", rate)
    assert 3 <= len(loop) / rate <= 10
    levels = window_levels(loop, rate, 100)
    assert levels.min() > 0.01  # never silent
    assert np.abs(loop).max() < 32767  # never clipped
    notes = {
        round(peak_frequencies(loop[i : i + rate // 5], rate, 1)[0]) for i in range(0, len(loop), rate // 5)
    }
    assert len(notes) >= 5  # a melody, not a drone


def test_tone_slice_resumes_the_loop_anywhere() -> None:
    rate = 8000
    whole = tones.tone_seconds("ringback", 12, rate)
    assert np.array_equal(tones.tone_slice("ringback", 37_000, 20_000, rate), whole[37_000:57_000])
    chunks = tones.tone_chunks("busy", rate, chunk_ms=30)
    joined = np.concatenate([next(chunks) for _ in range(100)])
    assert np.array_equal(joined, tones.tone_seconds("busy", 3, rate))


def test_none_is_silence_and_unknown_tones_are_refused() -> None:
    assert not tones.tone_seconds("none", 1, 8000).any()
    with pytest.raises(ValueError, match="unknown tone"):
        tones.tone_period("jingle", 8000)


def test_dtmf_sequence_spaces_keys() -> None:
    samples = tones.dtmf_sequence("12", on_ms=100, off_ms=50, rate=8000)
    assert len(samples) == 8000 * 300 // 1000
    sounding = window_levels(samples, 8000, 50) > ON
    assert sounding.tolist() == [True, True, False, True, True, False]
