"""Identification tones: each party's ``talk:`` voice, and the detector that proves it.

Owns the frequency plan of the tones tests talk with, and finding them in a rendered
earpiece. A party's tone is one pure sine of its own (``ident_frequency``: by the party's
position in the company, so it is the same in every face), at ``IDENT_LEVEL``.

The frequencies lie in the telephone band (they cross an 8 kHz SIP line) and keep clear
of everything else an earpiece carries: none lies in the DTMF row band (655-1000 Hz:
the rows 697-941 Hz with a 6 % guard, the ringer's 784/988 Hz and the SIT's 950 Hz
inside it), so no two tones can ever make a DTMF pair; each is at least 30 Hz from every
DTMF tone and from the network tones (440 Hz, SIT 950/1400/1800 Hz), the music on hold's
notes, each with their second and third harmonics, and 60 Hz from the ringer's; two
identification tones are at least 35 Hz apart. A 200 ms Hann window resolves 10 Hz, so
each tone is measured alone (``tests/audio/test_ident.py`` proves all of this, and that
our own DTMF receiver hears no key in any mix of them).

Detection (``IdentDetector``): Goertzel filters (the DTMF receiver's filter bank) on the
Hann-windowed block, one per frequency asked; a tone counts as heard when its measured
amplitude reaches ``DETECT_SHARE`` of ``IDENT_LEVEL``.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Final

import numpy as np
import numpy.typing as npt

from phone_sim.audio.dtmf import Goertzel

Floats = npt.NDArray[np.float64]

# 28 frequencies (Hz), each the farthest from those before it, so that the first parties
# of a company (those a scenario names most) are far apart.
IDENT_FREQUENCIES: Final = (
    1080.0, 3300.0, 2165.0, 360.0, 2740.0, 1665.0, 2450.0, 3025.0, 620.0, 1430.0, 1830.0, 1240.0,
    2590.0, 2880.0, 2040.0, 3145.0, 2265.0, 2520.0, 3215.0, 555.0, 1115.0, 1275.0, 2130.0, 2230.0,
    2485.0, 2705.0, 3110.0, 3180.0,
)  # fmt: skip
IDENT_LEVEL: Final = 0.15  # amplitude (about -16 dBFS): several voices sum below the limiter's knee
DETECT_SHARE: Final = 0.4  # of IDENT_LEVEL (-8 dB): heard at or above, absent below
CHECK_MS: Final = 200  # the length of sound a check renders (scenario-format.md, hears)


def ident_frequency(index: int) -> float:
    """The identification tone of the party at ``index`` in the company (wraps after 28)."""
    return IDENT_FREQUENCIES[index % len(IDENT_FREQUENCIES)]


_TABLE_MIN: Final = 4096


@lru_cache(maxsize=64)
def _period(freq: float, rate: int) -> npt.NDArray[np.float32]:
    """Whole cycles of the tone, twice over (any stretch up to one period is one slice)."""
    cycle = rate // math.gcd(rate, int(freq)) if float(freq).is_integer() else rate
    length = cycle * -(-_TABLE_MIN // cycle)  # whole cycles, at least _TABLE_MIN samples
    t = np.arange(2 * length, dtype=np.float64)
    table = (IDENT_LEVEL * np.sin((2.0 * np.pi * freq / rate) * t)).astype(np.float32)
    table.flags.writeable = False
    return table


def ident_tone(freq: float, start: int, n: int, rate: int) -> npt.NDArray[np.float32]:
    """Samples ``start`` to ``start + n`` of the tone begun at sample 0 (phase-continuous)."""
    table = _period(freq, rate)
    length = len(table) // 2
    offset = start % length
    if n <= length:
        return table[offset : offset + n]
    return np.resize(table[offset : offset + length], n)


@lru_cache(maxsize=8)
def _bank(rate: int, n: int) -> tuple[Goertzel, Floats, float]:
    window = np.hanning(n)
    return Goertzel(np.array(IDENT_FREQUENCIES), rate, n), window, float(window.sum())


class IdentDetector:
    """Which identification tones a block of samples holds (all 28 measured at once)."""

    def __init__(self, rate: int) -> None:
        self.rate = rate

    def amplitudes(self, samples: npt.ArrayLike) -> Floats:
        """The amplitude of a sine at each of IDENT_FREQUENCIES (full scale = 1)."""
        block = np.asarray(samples, dtype=np.float64)
        if len(block) < 2:
            return np.zeros(len(IDENT_FREQUENCIES))
        bank, window, gain = _bank(self.rate, len(block))
        power = bank.power((block * window)[None, :])[0]
        amplitudes: Floats = 2.0 * np.sqrt(np.maximum(power, 0.0)) / gain
        return amplitudes

    def heard(self, samples: npt.ArrayLike) -> frozenset[float]:
        """The identification frequencies whose tone ``samples`` holds."""
        floor = IDENT_LEVEL * DETECT_SHARE
        found = self.amplitudes(samples) >= floor
        return frozenset(f for f, yes in zip(IDENT_FREQUENCIES, found.tolist(), strict=True) if yes)
