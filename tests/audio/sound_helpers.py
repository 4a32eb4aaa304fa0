"""Helpers for the sound tests: signals built around our tones, energy per window."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def padded(
    samples: npt.NDArray[np.int16], rate: int, lead_ms: float = 60, tail_ms: float = 100
) -> npt.NDArray[np.int16]:
    """Silence, the samples, silence."""
    lead = np.zeros(int(lead_ms * rate / 1000), dtype=np.int16)
    tail = np.zeros(int(tail_ms * rate / 1000), dtype=np.int16)
    return np.concatenate([lead, samples, tail])


def window_levels(samples: npt.NDArray[np.int16], rate: int, window_ms: int = 100) -> npt.NDArray[np.float64]:
    """RMS of each whole window, in full-scale units."""
    n = rate * window_ms // 1000
    count = len(samples) // n
    frames = samples[: count * n].astype(np.float64).reshape(count, n) / 32768.0
    return np.sqrt((frames**2).mean(axis=1))


def peak_frequencies(samples: npt.NDArray[np.int16], rate: int, count: int) -> list[float]:
    """The ``count`` strongest spectral peaks (Hz, to the FFT's resolution), ascending."""
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64) * np.hanning(len(samples))))
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    peaks: list[float] = []
    for _ in range(count):
        i = int(spectrum.argmax())
        peaks.append(float(freqs[i]))
        spectrum[max(0, i - 20) : i + 21] = 0  # hide this peak's lobe
    return sorted(peaks)
