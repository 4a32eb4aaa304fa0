"""Identification tones: a frequency plan clear of everything else an earpiece carries,
a detector that finds each of them alone or in a crowd, and never anything else; and our
own DTMF receiver never takes any mix of them for a key."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from phone_sim.audio import tones
from phone_sim.audio.dtmf import DtmfDetector, dtmf_tones
from phone_sim.audio.ident import (
    DETECT_SHARE,
    IDENT_FREQUENCIES,
    IDENT_LEVEL,
    IdentDetector,
    ident_frequency,
    ident_tone,
)

RATES = (8000, 16000)
MUSIC_NOTES = [440.0 * 2 ** ((m - 69) / 12) for m, _ in tones.MUSIC_TUNE] + [
    440.0 * 2 ** ((m - 69) / 12) for m in tones.MUSIC_BASS
]
NETWORK = [440.0, 950.0, 1400.0, 1800.0]
DTMF = list(tones.DTMF_ROWS + tones.DTMF_COLS)


def ms(n: float, rate: int) -> int:
    return tones.samples_for(n, rate)


def test_the_plan_keeps_clear_of_dtmf_network_tones_ringer_and_music() -> None:
    assert len(set(IDENT_FREQUENCIES)) == len(IDENT_FREQUENCIES) == 28
    plan = sorted(IDENT_FREQUENCIES)
    assert min(b - a for a, b in itertools.pairwise(plan)) >= 35
    assert 300 <= plan[0] and plan[-1] <= 3400  # the telephone band: an 8 kHz line carries them
    for freq in plan:
        assert not 655 <= freq <= 1000, "the DTMF row band: two tones could make a key"
        for base in DTMF + NETWORK + MUSIC_NOTES:
            for harmonic in (1, 2, 3):
                assert abs(freq - base * harmonic) >= 30, (freq, base, harmonic)
        for base in tones.RINGER_NOTES:
            for harmonic in (1, 2, 3):
                assert abs(freq - base * harmonic) >= 60, (freq, base, harmonic)


def test_the_first_parties_of_a_company_get_far_apart_tones() -> None:
    first = sorted(ident_frequency(i) for i in range(6))
    assert min(b - a for a, b in itertools.pairwise(first)) >= 500
    assert ident_frequency(28) == ident_frequency(0)  # the plan wraps after 28 parties


@pytest.mark.parametrize("rate", RATES)
def test_each_tone_is_found_alone_at_its_level(rate: int) -> None:
    detector = IdentDetector(rate)
    for freq in IDENT_FREQUENCIES:
        sound = ident_tone(freq, 1234, ms(200, rate), rate)
        amplitudes = detector.amplitudes(sound)
        index = IDENT_FREQUENCIES.index(freq)
        assert amplitudes[index] == pytest.approx(IDENT_LEVEL, rel=0.02)
        others = np.delete(amplitudes, index)
        assert others.max() < IDENT_LEVEL * 0.02, freq
        assert detector.heard(sound) == {freq}


@pytest.mark.parametrize("rate", RATES)
def test_five_voices_of_a_conference_are_told_apart(rate: int) -> None:
    detector = IdentDetector(rate)
    talking = [ident_frequency(i) for i in (0, 1, 3, 4, 5)]
    sound = sum(ident_tone(f, 0, ms(200, rate), rate) for f in talking)
    assert detector.heard(sound) == set(talking)


def test_a_tone_too_faint_or_too_short_is_not_heard() -> None:
    rate, freq = 8000, ident_frequency(2)
    detector = IdentDetector(rate)
    faint = ident_tone(freq, 0, ms(200, rate), rate) * (DETECT_SHARE * 0.8)
    assert detector.heard(faint) == frozenset()
    short = np.zeros(ms(200, rate))
    short[: ms(40, rate)] = ident_tone(freq, 0, ms(40, rate), rate)
    assert detector.heard(short) == frozenset()


def network_sounds(rate: int) -> dict[str, np.ndarray]:
    n = ms(200, rate)
    sounds = {}
    for name in ("dial", "ringback", "busy", "congestion", "waiting", "ringer", "music"):
        period = tones.tone_period(name, rate).astype(np.float64) / 32768
        for start in range(0, len(period), ms(150, rate)):  # every part of each cadence
            sounds[f"{name}@{start}"] = np.resize(np.roll(period, -start), n)
    sit = tones.special_information_tone(rate).astype(np.float64) / 32768
    for start in range(0, len(sit) - n, ms(100, rate)):
        sounds[f"sit@{start}"] = sit[start : start + n]
    for key in tones.DTMF_KEYS:
        sounds[f"dtmf {key}"] = np.resize(tones.dtmf(key, 200, rate).astype(np.float64) / 32768, n)
    return sounds


@pytest.mark.parametrize("rate", RATES)
def test_no_identification_tone_is_heard_in_network_tones_dtmf_ringer_or_music(rate: int) -> None:
    detector = IdentDetector(rate)
    for name, sound in network_sounds(rate).items():
        loudest = detector.amplitudes(sound).max()
        assert loudest < IDENT_LEVEL * DETECT_SHARE / 4, (name, loudest)


@pytest.mark.parametrize("rate", RATES)
def test_our_dtmf_receiver_hears_no_key_in_any_pair_of_identification_tones(rate: int) -> None:
    n = ms(300, rate)
    gap = np.zeros(ms(100, rate))
    # every pair, one after another in one stream (a pair at a time, as two parties talk)
    pairs = [
        np.concatenate([ident_tone(a, 0, n, rate) + ident_tone(b, 0, n, rate), gap])
        for a, b in itertools.combinations(IDENT_FREQUENCIES, 2)
    ]
    assert dtmf_tones(np.concatenate(pairs), rate) == []


def test_our_dtmf_receiver_hears_no_key_in_a_crowd_of_voices_and_hears_keys_among_them() -> None:
    rate = 8000
    n = ms(400, rate)
    crowd = sum(ident_tone(ident_frequency(i), 0, n, rate) for i in range(6))
    assert dtmf_tones(crowd, rate) == []
    # a key sent in-band while two parties talk is still a key (the voices sit apart from it)
    talk = ident_tone(ident_frequency(0), 0, n, rate) + ident_tone(ident_frequency(2), 0, n, rate)
    key = np.zeros(n)
    key[ms(100, rate) : ms(200, rate)] = tones.dtmf("5", 100, rate).astype(np.float64) / 32768
    detector = DtmfDetector(rate)
    assert [tone.key for tone in detector.feed_tones(talk + key) + detector.flush()] == ["5"]
