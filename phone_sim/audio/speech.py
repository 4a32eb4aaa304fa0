"""Spoken announcements: espeak-ng when installed, the special information tone otherwise.

Owns turning an announcement's text into samples at the player's rate. Synthesis runs a
process and takes tens of milliseconds, so only the players' own threads call ``clip``;
the event listener never does.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections import OrderedDict
from threading import Lock

import numpy as np
import numpy.typing as npt

from phone_sim.audio import tones
from phone_sim.audio.wavio import WavError, read_wav

Samples = npt.NDArray[np.int16]

SPEECH_PEAK = 0.5  # of full scale: speech as loud as the network tones
SPEAK_TIMEOUT_S = 10.0
CACHE_SIZE = 64  # voice menus repeat the same prompts


def resample(samples: npt.NDArray[np.float64], source: int, target: int) -> npt.NDArray[np.float64]:
    """Change the rate of a short clip through its spectrum (band-limited by truncation)."""
    if source == target or len(samples) == 0:
        return samples
    n = int(round(len(samples) * target / source))
    spectrum = np.fft.rfft(samples)
    kept = np.zeros(n // 2 + 1, dtype=complex)
    count = min(len(spectrum), len(kept))
    kept[:count] = spectrum[:count]
    return np.fft.irfft(kept, n) * (n / len(samples))


class Speech:
    """Announcement clips for one rate and language (``fr`` or ``en``), cached."""

    def __init__(self, rate: int, lang: str = "fr", engine: str | None = "espeak-ng") -> None:
        self.rate = rate
        self.lang = lang
        self.engine = shutil.which(engine) if engine else None
        self._cache: OrderedDict[str, Samples] = OrderedDict()
        self._lock = Lock()  # the live player and the recorder may share one Speech

    def clip(self, text_fr: str, text_en: str) -> Samples:
        """The announcement in this language; the special information tone on failure."""
        text = text_fr if self.lang == "fr" else text_en
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        samples = self._spoken(text) if self.engine and text.strip() else None
        if samples is None:
            samples = tones.special_information_tone(self.rate)
        with self._lock:
            self._cache[text] = samples
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return samples

    def _spoken(self, text: str) -> Samples | None:
        assert self.engine is not None
        try:
            done = subprocess.run(
                [self.engine, "-v", self.lang, "--stdout", text],
                capture_output=True,
                timeout=SPEAK_TIMEOUT_S,
                check=True,
            )
            speech, rate = read_wav(io.BytesIO(done.stdout))
        except (OSError, subprocess.SubprocessError, WavError):
            return None
        speech = resample(speech, rate, self.rate)
        peak = float(np.abs(speech).max()) if len(speech) else 0.0
        if peak <= 0:
            return None
        return tones.to_int16(speech * (SPEECH_PEAK / peak))
