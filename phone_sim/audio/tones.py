"""Tone synthesis: DTMF (ITU-T Q.23), French network tones, the ringer and music on hold.

Owns every sound the simulator makes from numbers. Everything is 16-bit mono
(``int16`` numpy arrays) at any rate; the simulator uses 8 kHz and 16 kHz.

A *cadenced* tone is a loop of segments (``(duration_ms, frequencies)``; no frequency
means silence). ``tone_period`` renders one loop, ``tone_slice`` any stretch of the
endless loop (so a player can resume a cadence anywhere), ``tone_seconds`` the first N
seconds and ``tone_chunks`` an endless generator of fixed-size chunks.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Final

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.int16]
Floats = npt.NDArray[np.float64]

RATES: Final = (8000, 16000)
DEFAULT_RATE: Final = 16000

# ITU-T Q.23: the key at (row, column) sends the row and the column frequency together.
DTMF_ROWS: Final = (697.0, 770.0, 852.0, 941.0)
DTMF_COLS: Final = (1209.0, 1336.0, 1477.0, 1633.0)
DTMF_LAYOUT: Final = ("123A", "456B", "789C", "*0#D")
DTMF_KEYS: Final = "".join(DTMF_LAYOUT)

DTMF_LEVEL: Final = 0.25  # per component (-12 dBFS): the pair peaks at -6 dBFS
TONE_LEVEL: Final = 0.3  # network tones (about -10 dBFS)
RAMP_MS: Final = 4.0  # raised-cosine edges, so tones start and stop without a click
DTMF_RAMP_MS: Final = 0.0  # none, as spandsp and sox: a key lasts exactly its length

Segment = tuple[int, tuple[float, ...]]

# French network tones (SPEC 11): 440 Hz; the special information tone is 950/1400/1800 Hz.
# A one-second dial period holds exactly 440 cycles, so the loop joins without a seam.
NETWORK_TONES: Final[dict[str, tuple[Segment, ...]]] = {
    "dial": ((1000, (440.0,)),),
    "ringback": ((1500, (440.0,)), (3500, ())),
    "busy": ((500, (440.0,)), (500, ())),
    "congestion": ((250, (440.0,)), (250, ())),
    "waiting": ((300, (440.0,)), (10000, ())),
    "sit": ((330, (950.0,)), (330, (1400.0,)), (330, (1800.0,)), (1000, ())),
}

RINGER_NOTES: Final = (784.0, 988.0)  # G5 and B5 alternating: a soft "ring-ring" trill
RINGER_NOTE_MS: Final = 50
RINGER_PATTERN: Final = ((400, True), (200, False), (400, True), (2000, False))

# Music on hold: an original four-bar tune (MIDI note, beats), 150 beats a minute.
MUSIC_BEAT_MS: Final = 400
MUSIC_TUNE: Final = (
    (72, 1),
    (76, 1),
    (79, 1),
    (76, 1),
    (77, 1),
    (74, 1),
    (71, 2),
    (69, 1),
    (72, 1),
    (76, 1),
    (74, 1),
    (72, 2),
    (67, 2),
)
MUSIC_BASS: Final = (48, 43, 45, 43)  # one bass note every four beats

TONE_NAMES: Final = frozenset({*NETWORK_TONES, "ringer", "music", "none"})


def samples_for(ms: float, rate: int) -> int:
    """How many samples ``ms`` milliseconds last at ``rate`` (rounded)."""
    return int(round(ms * rate / 1000))


def to_int16(signal: npt.NDArray[np.floating[Any]]) -> Samples:
    """A float signal in [-1, 1] as 16-bit samples (clipped, never wrapped)."""
    return np.clip(np.round(signal * 32767.0), -32768, 32767).astype(np.int16)


def sines(freqs: tuple[float, ...], n: int, rate: int, levels: tuple[float, ...]) -> Floats:
    """The sum of sines ``freqs`` at ``levels`` (amplitudes), n samples from phase 0."""
    t = np.arange(n, dtype=np.float64) / rate
    out = np.zeros(n)
    for freq, level in zip(freqs, levels, strict=True):
        out += level * np.sin(2.0 * np.pi * freq * t)
    return out


def ramp(signal: Floats, rate: int, start: bool = True, end: bool = True, ms: float = RAMP_MS) -> Floats:
    """Raised-cosine fade-in and fade-out of ``ms`` (in place; returned for chaining)."""
    n = min(samples_for(ms, rate), len(signal) // 2)
    if n:
        edge = 0.5 - 0.5 * np.cos(np.pi * np.arange(n) / n)
        if start:
            signal[:n] *= edge
        if end:
            signal[-n:] *= edge[::-1]
    return signal


def dual_tone(
    low: float,
    high: float,
    duration_ms: float,
    rate: int = DEFAULT_RATE,
    low_level: float = DTMF_LEVEL,
    high_level: float = DTMF_LEVEL,
    ramp_ms: float = DTMF_RAMP_MS,
) -> Samples:
    """Two sines together (a DTMF pair, or one off-frequency or twisted for tests)."""
    n = samples_for(duration_ms, rate)
    pair = sines((low, high), n, rate, (low_level, high_level))
    return to_int16(ramp(pair, rate, ms=ramp_ms))


def dtmf_pair(key: str) -> tuple[float, float]:
    """The (row, column) frequencies of a DTMF key: 0-9, *, #, A-D."""
    index = DTMF_KEYS.find(key.upper()) if len(key) == 1 else -1
    if index < 0:
        raise ValueError(f"not a DTMF key: {key!r}")
    return DTMF_ROWS[index // 4], DTMF_COLS[index % 4]


def dtmf(key: str, duration_ms: float = 100, rate: int = DEFAULT_RATE) -> Samples:
    """One DTMF key press."""
    low, high = dtmf_pair(key)
    return dual_tone(low, high, duration_ms, rate)


def dtmf_sequence(keys: str, on_ms: float = 100, off_ms: float = 100, rate: int = DEFAULT_RATE) -> Samples:
    """Keys one after another, each followed by ``off_ms`` of silence."""
    gap = np.zeros(samples_for(off_ms, rate), dtype=np.int16)
    parts = [part for key in keys for part in (dtmf(key, on_ms, rate), gap)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)


def cadence(segments: tuple[Segment, ...], rate: int, level: float = TONE_LEVEL) -> Floats:
    """One loop of a cadence; edges ramp only where the sound changes (dial stays seamless)."""
    parts = []
    count = len(segments)
    for i, (ms, freqs) in enumerate(segments):
        n = samples_for(ms, rate)
        if not freqs:
            parts.append(np.zeros(n))
            continue
        part = sines(freqs, n, rate, (level,) * len(freqs))
        before, after = segments[i - 1][1], segments[(i + 1) % count][1]
        parts.append(ramp(part, rate, start=before != freqs, end=after != freqs))
    return np.concatenate(parts)


def ringer(rate: int) -> Floats:
    """One loop of the ringer: two bursts of a two-note trill, then a pause (3 s)."""
    note_n = samples_for(RINGER_NOTE_MS, rate)
    notes = [ramp(sines((f, 2 * f), note_n, rate, (0.3, 0.06)), rate) for f in RINGER_NOTES]
    parts = []
    for ms, on in RINGER_PATTERN:
        n = samples_for(ms, rate)
        if not on:
            parts.append(np.zeros(n))
            continue
        burst = np.concatenate([notes[i % 2] for i in range(-(-n // note_n))])[:n]
        parts.append(ramp(burst, rate))
    return np.concatenate(parts)


def _note(midi: int, n: int, rate: int, level: float) -> Floats:
    """A soft plucked note: three harmonics, a short attack, an exponential decay."""
    freq = 440.0 * 2.0 ** ((midi - 69) / 12)
    partials = tuple(k * freq for k in (1, 2, 3) if k * freq < rate / 2)
    body = sines(partials, n, rate, (1.0, 0.3, 0.12)[: len(partials)])
    decay = np.exp(-np.arange(n) / (0.35 * rate))
    return ramp(level * body * decay, rate)


def music(rate: int) -> Floats:
    """One loop of music on hold (MUSIC_TUNE over a bass line, about 6.4 s)."""
    beat = samples_for(MUSIC_BEAT_MS, rate)
    melody = np.concatenate([_note(m, beats * beat, rate, 0.22) for m, beats in MUSIC_TUNE])
    bass = np.concatenate([_note(m, 4 * beat, rate, 0.12) for m in MUSIC_BASS])
    bass = np.resize(bass, len(melody))
    tune: Floats = melody + bass
    return tune


@lru_cache(maxsize=32)
def _period(name: str, rate: int) -> Samples:
    if name in NETWORK_TONES:
        signal = cadence(NETWORK_TONES[name], rate)
    elif name == "ringer":
        signal = ringer(rate)
    elif name == "music":
        signal = music(rate)
    elif name == "none":
        signal = np.zeros(rate)
    else:
        raise ValueError(f"unknown tone: {name!r} (known: {', '.join(sorted(TONE_NAMES))})")
    period = to_int16(signal)
    period.flags.writeable = False  # shared by every caller through the cache
    return period


def tone_period(name: str, rate: int = DEFAULT_RATE) -> Samples:
    """One loop of a tone (read-only, cached): any of TONE_NAMES."""
    return _period(name, rate)


def tone_slice(name: str, start: int, n: int, rate: int = DEFAULT_RATE) -> Samples:
    """Samples ``start`` to ``start + n`` of the tone looping for ever."""
    period = _period(name, rate)
    index = (np.arange(start, start + n) % len(period)).astype(np.intp)
    return period[index]


def tone_seconds(name: str, seconds: float, rate: int = DEFAULT_RATE) -> Samples:
    """The first ``seconds`` of a tone, cadence included."""
    return tone_slice(name, 0, samples_for(seconds * 1000, rate), rate)


def tone_chunks(name: str, rate: int = DEFAULT_RATE, chunk_ms: float = 20) -> Iterator[Samples]:
    """The tone as an endless stream of ``chunk_ms`` chunks."""
    n = samples_for(chunk_ms, rate)
    start = 0
    while True:
        yield tone_slice(name, start, n, rate)
        start += n


def special_information_tone(rate: int = DEFAULT_RATE) -> Samples:
    """The three rising SIT notes once (990 ms), without the loop's trailing silence."""
    return tone_period("sit", rate)[: samples_for(990, rate)].copy()
