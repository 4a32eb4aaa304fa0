"""The DTMF receiver against the limits of SPEC 11, on our tones, sox's and noise."""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest
from sound_helpers import padded

from phone_sim.audio import tones
from phone_sim.audio.dtmf import DtmfDetector, Goertzel, decode_wav, dtmf_keys_from_wav, dtmf_tones
from phone_sim.audio.wavio import WavError, write_wav

KEYS = tones.DTMF_KEYS
LEADS_MS = (7.5, 11.0, 13.25, 16.0, 20.5)  # where a tone falls against the 12.75 ms blocks


def heard(samples: np.ndarray, rate: int) -> str:
    return "".join(tone.key for tone in dtmf_tones(samples, rate))


def pair(
    key: str, ms: float = 100, rate: int = 8000, error: tuple[float, float] = (0, 0), twist_db: float = 0
) -> np.ndarray:
    """A key's tone, its frequencies off by ``error`` (fractions), with ``twist_db``:
    positive weakens the column tone (normal twist), negative the row tone (reverse)."""
    row, col = tones.dtmf_pair(key)
    row_level = tones.DTMF_LEVEL * 10 ** (min(twist_db, 0) / 20)
    col_level = tones.DTMF_LEVEL * 10 ** (-max(twist_db, 0) / 20)
    return tones.dual_tone(row * (1 + error[0]), col * (1 + error[1]), ms, rate, row_level, col_level)


def goertzel_step_by_step(block: np.ndarray, freq: float, rate: int) -> float:
    """The textbook recursion, one sample at a time."""
    coeff = 2 * np.cos(2 * np.pi * freq / rate)
    s1 = s2 = 0.0
    for x in block:
        s1, s2 = x + coeff * s1 - s2, s1
    return s1 * s1 + s2 * s2 - coeff * s1 * s2


@pytest.mark.parametrize(("rate", "length"), [(8000, 102), (16000, 204), (44100, 562)])
def test_goertzel_bank_matches_the_recursion(rate: int, length: int) -> None:
    freqs = np.array([*tones.DTMF_ROWS, *tones.DTMF_COLS, 1394.0])
    blocks = np.random.default_rng(5).uniform(-1, 1, (6, length))
    power = Goertzel(freqs, rate, length).power(blocks)
    for b, block in enumerate(blocks):
        for f, freq in enumerate(freqs):
            assert power[b, f] == pytest.approx(goertzel_step_by_step(block, freq, rate), rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("rate", [8000, 16000, 11025, 22050, 44100])
def test_all_sixteen_keys_of_our_tones(rate: int) -> None:
    assert heard(tones.dtmf_sequence(KEYS, 100, 100, rate), rate) == KEYS


@pytest.mark.parametrize("error", [0.015, -0.015])
@pytest.mark.parametrize("which", ["both", "row", "column"])
def test_frequency_error_of_one_and_a_half_percent_is_accepted(error: float, which: str) -> None:
    shift = {"both": (error, error), "row": (error, 0), "column": (0, error)}[which]
    for key in KEYS:
        assert heard(padded(pair(key, error=shift), 8000), 8000) == key, key


@pytest.mark.parametrize("error", [0.035, -0.035])
@pytest.mark.parametrize("which", ["both", "row", "column"])
def test_frequency_error_of_three_and_a_half_percent_is_rejected(error: float, which: str) -> None:
    shift = {"both": (error, error), "row": (error, 0), "column": (0, error)}[which]
    for key in KEYS:
        assert heard(padded(pair(key, error=shift), 8000), 8000) == "", key


@pytest.mark.parametrize("rate", [8000, 16000])
def test_tones_of_forty_ms_count_and_shorter_ones_do_not(rate: int) -> None:
    for lead in LEADS_MS:
        for key in "15#D":
            assert heard(padded(pair(key, 40, rate), rate, lead), rate) == key, (key, lead)
            assert heard(padded(pair(key, 35, rate), rate, lead), rate) == "", (key, lead)
            assert heard(padded(pair(key, 25, rate), rate, lead), rate) == "", (key, lead)


@pytest.mark.parametrize(
    ("twist_db", "accepted"),
    [(7, True), (9, False), (-3, True), (-5, False)],
    ids=["normal-7dB", "normal-9dB", "reverse-3dB", "reverse-5dB"],
)
def test_twist_limits(twist_db: float, accepted: bool) -> None:
    for key in KEYS:
        assert heard(padded(pair(key, twist_db=twist_db), 8000), 8000) == (key if accepted else ""), key


def test_pauses_of_fifty_ms_separate_presses_of_one_key() -> None:
    samples = tones.dtmf_sequence("1122##", on_ms=40, off_ms=50, rate=8000)
    assert heard(padded(samples, 8000), 8000) == "1122##"


def test_a_short_drop_out_inside_a_press_is_bridged() -> None:
    tone = pair("5", 120)
    tone[480:560] = 0  # 10 ms of silence in the middle
    found = dtmf_tones(padded(tone, 8000), 8000)
    assert [(t.key, t.duration_ms) for t in found] == [("5", pytest.approx(120, abs=2))]


def test_times_and_durations_are_measured() -> None:
    samples = tones.dtmf_sequence("906", on_ms=70, off_ms=130, rate=16000)
    found = dtmf_tones(samples, 16000)
    assert [t.key for t in found] == ["9", "0", "6"]
    assert [t.time_ms for t in found] == [pytest.approx(ms, abs=2) for ms in (0, 200, 400)]
    assert [t.duration_ms for t in found] == [pytest.approx(70, abs=2)] * 3


def test_decodes_through_noise_at_15_db() -> None:
    rng = np.random.default_rng(7)
    clean = tones.dtmf_sequence(KEYS, 60, 60, 8000).astype(np.float64)
    signal_power = 2 * (tones.DTMF_LEVEL * 32767) ** 2 / 2
    noise = rng.normal(0, np.sqrt(signal_power / 10**1.5), len(clean))
    assert heard((clean + noise).astype(np.int16), 8000) == KEYS


def test_streaming_in_any_chunks_gives_the_same_keys_and_times() -> None:
    samples = tones.dtmf_sequence("0601020304#*", on_ms=55, off_ms=65, rate=8000)
    whole = dtmf_tones(samples, 8000)
    detector = DtmfDetector(8000)
    rng = np.random.default_rng(3)
    streamed, position = [], 0
    while position < len(samples):
        size = int(rng.integers(1, 400))
        streamed += detector.feed_tones(samples[position : position + size])
        position += size
    streamed += detector.flush()
    assert streamed == whole and "".join(t.key for t in whole) == "0601020304#*"


@pytest.mark.parametrize("rate", tones.RATES)
@pytest.mark.parametrize("name", sorted(tones.TONE_NAMES))
def test_network_tones_ringer_and_music_are_not_keys(name: str, rate: int) -> None:
    assert heard(tones.tone_seconds(name, 20, rate), rate) == ""


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_speech_is_not_keys(tmp_path: Path) -> None:
    path = tmp_path / "speech.wav"
    text = "Tapez 1 pour vous connecter, 2 pour vous déconnecter, 3 pour votre statut"
    subprocess.run(["espeak-ng", "-v", "fr", "-w", str(path), text], check=True)
    assert decode_wav(path) == ""


@pytest.mark.skipif(
    shutil.which("sox") is None, reason="sox is not installed: cannot make DTMF with another tool"
)
def test_decodes_dtmf_made_by_sox(tmp_path: Path) -> None:
    keys = "0601#*9D"
    parts = []
    for i, key in enumerate(keys):
        row, col = tones.dtmf_pair(key)
        part = tmp_path / f"{i}.wav"
        subprocess.run(
            ["sox", "-n", "-r", "8000", "-b", "16", "-c", "1", str(part),
             "synth", "0.1", "sine", str(row), "sine", str(col), "remix", "-", "pad", "0", "0.08"],
            check=True,
        )  # fmt: skip
        parts.append(str(part))
    whole = tmp_path / "keys.wav"
    subprocess.run(["sox", *parts, str(whole)], check=True)
    assert decode_wav(whole) == keys
    assert [ms for ms, _ in dtmf_keys_from_wav(whole)] == [
        pytest.approx(180 * i, abs=2) for i in range(len(keys))
    ]


def test_reads_stereo_8_and_24_bit_wav(tmp_path: Path) -> None:
    mono = tones.dtmf_sequence("47", 80, 80, 8000)
    stereo = tmp_path / "stereo8.wav"
    with wave.open(str(stereo), "wb") as wav:
        wav.setnchannels(2), wav.setsampwidth(1), wav.setframerate(8000)
        bytes8 = ((mono >> 8) + 128).astype(np.uint8)
        wav.writeframes(np.repeat(bytes8, 2).tobytes())
    deep = tmp_path / "mono24.wav"
    with wave.open(str(deep), "wb") as wav:
        wav.setnchannels(1), wav.setsampwidth(3), wav.setframerate(8000)
        ints = mono.astype(np.int32) << 8
        wav.writeframes(
            np.stack([ints & 255, (ints >> 8) & 255, (ints >> 16) & 255], axis=1).astype(np.uint8).tobytes()
        )
    assert decode_wav(stereo) == "47"
    assert decode_wav(deep) == "47"


def test_unreadable_files_raise_wav_error(tmp_path: Path) -> None:
    text = tmp_path / "notes.wav"
    text.write_text("not audio")
    slow = tmp_path / "slow.wav"
    write_wav(slow, tones.dtmf("1", 100, 8000)[::2], 4000)
    for path, message in [
        (tmp_path / "missing.wav", "no such file"),
        (text, "not a PCM WAV"),
        (tmp_path, "directory"),
        (slow, "too few"),
    ]:
        with pytest.raises(WavError, match=message):
            decode_wav(path)
