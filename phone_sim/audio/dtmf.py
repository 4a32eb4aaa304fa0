"""DTMF detection: a Goertzel receiver held to the limits of SPEC 11.

Owns turning sound back into key presses, from a sample stream (``DtmfDetector``), a WAV
file (``decode_wav``, ``dtmf_keys_from_wav``) or any array of samples (``dtmf_tones``).

As in Asterisk's ``dsp.c`` and spandsp's ``dtmf.c``, Goertzel filters run on blocks of
102 samples at 8 kHz (12.75 ms; the block keeps that length at other rates). A block is
a *candidate* for a key when both tones clear a floor, each stands 8 dB above the other
tones of its group, the pair holds at least half the block's energy, the second
harmonics are weak, and the twist is roughly right. Blocks overlap (a new one every
sixth of a block, about 2 ms), so lengths are measured to a couple of milliseconds.

A run of candidate blocks for one key becomes a key press if, over the whole run:

- its tone lasted 40 ms or more (edges found where a block's energy crosses half the
  run's typical energy, i.e. where the tone covers half a block);
- twist at most 8 dB *normal* (the row tone stronger, as those receivers name it) and
  4 dB *reverse* (the column tone stronger);
- each tone is nearer its nominal frequency than guard filters at ±5 %, so an error up
  to 2.5 % passes (±1.5 % accepted) and beyond fails (±3.5 % rejected).

Measuring over the run rather than per block averages out the leakage between the two
tones that a 12.75 ms block cannot avoid. A gap of 30 ms without candidates ends a
press: 50 ms pauses always separate presses of the same key, a 10 ms drop-out is bridged.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from phone_sim.audio.tones import DTMF_COLS, DTMF_KEYS, DTMF_ROWS
from phone_sim.audio.wavio import WavError, as_floats, read_wav

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

__all__ = ["DtmfDetector", "KeyTone", "WavError", "decode_wav", "dtmf_keys_from_wav", "dtmf_tones"]

BLOCK_AT_8K: Final = 102
HOPS_PER_BLOCK: Final = 6
GUARD: Final = 0.05
NORMAL_TWIST: Final = 10 ** (8.0 / 10)  # energies are powers: 8 dB
REVERSE_TWIST: Final = 10 ** (4.0 / 10)
BLOCK_TWIST_SLACK: Final = 10 ** (2.0 / 10)  # a block may be 2 dB out; the run may not
RELATIVE_PEAK: Final = 10 ** (8.0 / 10)
MIN_TONE_LEVEL: Final = 10 ** (-45 / 20)  # amplitude of each tone, full scale = 1
MIN_ENERGY_SHARE: Final = 0.5  # of the block's energy; a pure pair holds 1.0
MAX_HARMONIC_SHARE: Final = 0.2
MIN_TONE_MS: Final = 40.0
TONE_TOLERANCE_MS: Final = 1.5  # the measure's own error: 38.5 ms still counts as 40
BREAK_MS: Final = 30.0
BATCH_MS: Final = 100.0  # small feeds wait for this much sound: numpy works best in bulk

_NOMINAL: Final = np.array(DTMF_ROWS + DTMF_COLS)
# guards below, guards above, then the columns' second harmonics: a row's harmonic is
# too close to a column (2 x 697 = 1394 Hz) for a 12.75 ms block to tell them apart
_EXTRA: Final = np.concatenate([_NOMINAL * (1 - GUARD), _NOMINAL * (1 + GUARD), _NOMINAL[4:] * 2])
# per candidate block: row, column, row -5 %, row +5 %, column -5 %, column +5 %
_MEASURES: Final = 6


@dataclass(frozen=True, slots=True)
class KeyTone:
    """A key heard: when its tone started (ms from the stream start), and for how long."""

    time_ms: int
    key: str
    duration_ms: int


@dataclass(slots=True)
class _Run:
    """Consecutive candidate blocks for one key (positions are block starts)."""

    digit: int
    first: int
    last: int
    energies: list[float]  # of its candidate blocks
    sums: Floats
    head: list[tuple[int, float]]  # blocks just before the first candidate
    tail: list[tuple[int, float]] = field(default_factory=list)  # blocks after the last


class Goertzel:
    """A bank of Goertzel filters for one block length and rate.

    The recursion ``s[n] = x[n] + 2 cos(w) s[n-1] - s[n-2]`` is linear, so its two final
    states are fixed weightings of the block's samples (Chebyshev polynomials of the
    second kind: ``U_k(cos w) = sin((k + 1) w) / sin w``). Weighting every block at once
    is one matrix product, which numpy does far faster than N steps in Python; the
    output is the Goertzel power ``s1² + s2² - 2 cos(w) s1 s2``, about (A N / 2)² for a
    sine of amplitude A on the filter's frequency.
    """

    def __init__(self, freqs: Floats, rate: int, length: int) -> None:
        omega = 2.0 * np.pi * np.asarray(freqs, dtype=np.float64) / rate
        self.coeff = 2.0 * np.cos(omega)
        steps_left = (length - np.arange(length, dtype=np.float64))[:, None]
        last = np.sin(steps_left * omega) / np.sin(omega)  # weights giving s[N-1]
        before_last = np.sin((steps_left - 1) * omega) / np.sin(omega)  # s[N-2]
        self._weights = np.concatenate([last, before_last], axis=1)
        self._count = len(omega)

    def power(self, blocks: Floats) -> Floats:
        """Filter output power for every block (rows) and frequency (columns)."""
        states = np.ascontiguousarray(blocks) @ self._weights  # strided views miss BLAS
        s1, s2 = states[:, : self._count], states[:, self._count :]
        power: Floats = s1 * s1 + s2 * s2 - self.coeff * s1 * s2
        return power


def _edge(inner: tuple[int, float], outward: list[tuple[int, float]], level: float) -> float:
    """Where the energy falls below ``level`` going outward from ``inner`` (interpolated)."""
    position, energy = inner
    if energy < level:
        return float(position)
    for next_position, next_energy in outward:
        if next_energy < level:
            fraction = (energy - level) / (energy - next_energy)
            return position + fraction * (next_position - position)
        position, energy = next_position, next_energy
    return float(position)


class DtmfDetector:
    """Streaming receiver: ``feed`` samples in chunks of any size, get the keys heard.

    A key is reported once its tone has ended and the samples after it have been
    analysed: feeds shorter than ``batch_ms`` are held until that much sound has
    arrived, so a key comes out at most about 0.15 s after its tone ends (or at
    ``flush``). Its time is when its tone started, counted from the first sample fed.
    """

    def __init__(self, rate: int = 8000, batch_ms: float = BATCH_MS) -> None:
        if rate < 8000:
            raise ValueError(f"DTMF needs at least 8000 samples a second, not {rate}")
        self.rate = rate
        self.block = int(round(BLOCK_AT_8K * rate / 8000))
        self.hop = max(1, self.block // HOPS_PER_BLOCK)
        self._floor = (MIN_TONE_LEVEL * self.block / 2) ** 2
        self._break = BREAK_MS * rate / 1000
        self._nominal = Goertzel(_NOMINAL, rate, self.block)
        self._extra = Goertzel(_EXTRA, rate, self.block)
        self._flat = self._flat_gains()
        self._batch = int(batch_ms * rate / 1000)
        self._recent: deque[tuple[int, float]] = deque(maxlen=HOPS_PER_BLOCK + 2)
        self._start_stream()

    def _start_stream(self) -> None:
        # the stream is taken to follow a block of silence, so a tone at its very start
        # still has a rising edge to measure
        self._buffer: Floats = np.zeros(self.block)
        self._buffer_start = -self.block  # stream position of _buffer[0]
        self._next = -self.block  # stream position of the next block
        self._recent.clear()
        self._run: _Run | None = None
        self._waiting: list[Floats] = []  # samples fed but not yet analysed
        self._waiting_count = 0

    def feed(self, samples: npt.ArrayLike) -> list[str]:
        """The keys whose tones ended within these samples."""
        return [tone.key for tone in self.feed_tones(samples)]

    def feed_tones(self, samples: npt.ArrayLike) -> list[KeyTone]:
        """Like ``feed``, with each key's start time and duration."""
        chunk = as_floats(samples)
        self._waiting.append(chunk)
        self._waiting_count += len(chunk)
        if self._waiting_count < self._batch:
            return []
        return self._analyse_waiting()

    def _analyse_waiting(self) -> list[KeyTone]:
        """Analyse the held samples a batch at a time (small matrices: fast, little memory)."""
        fresh = np.concatenate(self._waiting) if self._waiting else np.zeros(0)
        self._waiting, self._waiting_count = [], 0
        heard: list[KeyTone] = []
        for piece in range(0, len(fresh), self._batch):
            self._follow_runs(*self._analyse(fresh[piece : piece + self._batch]), heard)
        return heard

    def _follow_runs(
        self, starts: Ints, digits: Ints, energies: Floats, measures: Floats, heard: list[KeyTone]
    ) -> None:
        """Grow, bridge or end runs of candidate blocks, block by block."""
        rows = zip(starts.tolist(), digits.tolist(), energies.tolist(), strict=True)
        for i, (start, digit, energy) in enumerate(rows):
            if digit >= 0:
                self._candidate(start, digit, energy, measures[i], heard)
            elif self._run is not None:
                self._run.tail.append((start, energy))
                if start - self._run.last >= self._break:
                    self._finish(heard)
            self._recent.append((start, energy))

    def flush(self) -> list[KeyTone]:
        """End of stream: report a key whose tone was still sounding, then start afresh."""
        self._waiting.append(np.zeros(self.block + self.hop))
        heard = self._analyse_waiting()
        self._finish(heard)
        self._start_stream()
        return heard

    def _analyse(self, samples: Floats) -> tuple[Ints, Ints, Floats, Floats]:
        """Classify every complete block not yet seen; keep the samples still needed."""
        self._buffer = np.concatenate([self._buffer, samples])
        end = self._buffer_start + len(self._buffer)
        count = max(0, (end - self.block - self._next) // self.hop + 1)
        if count == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros((0, 6))
        offset = self._next - self._buffer_start
        windows = sliding_window_view(self._buffer, self.block)
        blocks = windows[offset : offset + count * self.hop : self.hop]
        starts = self._next + self.hop * np.arange(count, dtype=np.int64)
        digits, energies, measures = self.classify(blocks)
        self._next += count * self.hop
        self._buffer = self._buffer[self._next - self._buffer_start :]
        self._buffer_start = self._next
        return starts, digits, energies, measures

    def classify(self, blocks: Floats) -> tuple[Ints, Floats, Floats]:
        """Per block: key index in DTMF_KEYS (-1: none), the block's energy, and
        for candidates the powers the run-level checks add up (see ``_MEASURES``)."""
        power = self._nominal.power(blocks)
        rows, cols = power[:, :4], power[:, 4:]
        best_row, best_col = rows.argmax(axis=1), cols.argmax(axis=1)
        index = np.arange(len(blocks))
        row, col = rows[index, best_row], cols[index, best_col]
        energy = np.einsum("ij,ij->i", blocks, blocks)
        share = (row + col) / np.maximum(energy * (self.block / 2), 1e-30)
        ok = (row >= self._floor) & (col >= self._floor) & (share >= MIN_ENERGY_SHARE)
        ok &= col < row * REVERSE_TWIST * BLOCK_TWIST_SLACK
        ok &= row < col * NORMAL_TWIST * BLOCK_TWIST_SLACK
        ok &= np.sort(rows, axis=1)[:, -2] * RELATIVE_PEAK < row
        ok &= np.sort(cols, axis=1)[:, -2] * RELATIVE_PEAK < col
        measures = np.zeros((len(blocks), _MEASURES))
        chosen = np.flatnonzero(ok)
        if chosen.size:
            ok[chosen], measures[chosen] = self._measure(
                blocks[chosen], power[chosen], best_row[chosen], best_col[chosen] + 4
            )
        return np.where(ok, best_row * 4 + best_col, -1), energy, measures

    def _measure(
        self, blocks: Floats, nominal: Floats, row: Ints, col: Ints
    ) -> tuple[npt.NDArray[np.bool_], Floats]:
        """Guard and harmonic powers of candidate blocks; drop those full of harmonics."""
        extra = self._extra.power(blocks)
        index = np.arange(len(blocks))
        harmonic = extra[index, col + 12]  # col counts from 4: the harmonics start at 16
        measures = np.stack(
            [
                nominal[index, row],
                nominal[index, col],
                extra[index, row],
                extra[index, row + 8],
                extra[index, col],
                extra[index, col + 8],
            ],
            axis=1,
        )
        return harmonic < MAX_HARMONIC_SHARE * nominal[index, col], measures

    def _candidate(
        self, start: int, digit: int, energy: float, measures: Floats, heard: list[KeyTone]
    ) -> None:
        run = self._run
        if run is not None and (digit != run.digit or start - run.last >= self._break):
            self._finish(heard)
            run = None
        if run is None:
            head = list(self._recent)
            self._run = _Run(digit, start, start, [energy], measures.copy(), head)
            return
        run.last = start
        run.energies.append(energy)
        run.sums += measures
        run.tail.clear()

    def _finish(self, heard: list[KeyTone]) -> None:
        """Close the current run; report its key if the whole run passes."""
        run, self._run = self._run, None
        if run is None or not self._within_limits(run):
            return
        # a block holding half the typical energy has the tone over half its length
        half = float(np.median(run.energies)) / 2
        rise = _edge((run.first, run.energies[0]), run.head[::-1], half)
        fall = _edge((run.last, run.energies[-1]), run.tail, half)
        duration_ms = (fall - rise) * 1000 / self.rate
        if duration_ms >= MIN_TONE_MS - TONE_TOLERANCE_MS:
            start_ms = (rise + self.block / 2) * 1000 / self.rate
            heard.append(KeyTone(int(round(start_ms)), DTMF_KEYS[run.digit], int(round(duration_ms))))

    def _within_limits(self, run: _Run) -> bool:
        """Frequency error and twist over the whole run (powers summed over its blocks).

        Twist compares each tone's nominal and guard powers together, scaled by what a
        tone exactly on frequency gives: a flatter measure than the nominal filter
        alone, which would read a tone 1.5 % off as up to 1.4 dB weaker.
        """
        row, col, row_low, row_high, col_low, col_high = run.sums.tolist()
        if row <= max(row_low, row_high) or col <= max(col_low, col_high):
            return False
        row_flat = (row + row_low + row_high) / self._flat[run.digit // 4]
        col_flat = (col + col_low + col_high) / self._flat[4 + run.digit % 4]
        return bool(col_flat < row_flat * REVERSE_TWIST and row_flat < col_flat * NORMAL_TWIST)

    def _flat_gains(self) -> Floats:
        """For a unit tone on each nominal frequency: its nominal plus guard powers."""
        t = np.arange(self.block) / self.rate
        tones = np.sin(2 * np.pi * _NOMINAL[:, None] * t)
        nominal = self._nominal.power(tones).diagonal()
        extra = self._extra.power(tones)
        index = np.arange(8)
        return nominal + extra[index, index] + extra[index, index + 8]


def dtmf_tones(samples: npt.ArrayLike, rate: int) -> list[KeyTone]:
    """Every key heard in a whole recording."""
    detector = DtmfDetector(rate)
    return detector.feed_tones(samples) + detector.flush()


def dtmf_keys_from_wav(path: str | Path) -> Iterator[tuple[int, str]]:
    """(time in ms, key) for each key heard in a WAV file, in order; WavError first."""
    samples, rate = read_wav(path)
    if rate < 8000:
        raise WavError(f"{rate} samples a second is too few for DTMF (8000 at least)")
    for tone in dtmf_tones(samples, rate):
        yield tone.time_ms, tone.key


def decode_wav(path: str | Path) -> str:
    """The keys heard in a WAV file, as a string (e.g. ``"0601#"``)."""
    return "".join(key for _, key in dtmf_keys_from_wav(path))
