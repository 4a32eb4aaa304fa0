"""Spoken text: espeak-ng when installed; announcements fall back on the special
information tone, a party's ``say:`` on silence (its text is shown as subtitles).

Owns turning text into samples at the player's rate, and saying how long a spoken line
lasts (``duration_ms``: the clip's length, or ``MS_PER_CHARACTER`` a character without an
engine). Synthesis runs a process and takes tens of milliseconds, so only the players'
own threads call ``clip`` and ``spoken``; the event listener never does.
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
MS_PER_CHARACTER = 60  # how long a line lasts without a speech engine (scenario-format.md)


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
        self._cache: OrderedDict[str, Samples | None] = OrderedDict()
        self._lock = Lock()  # the live player and the recorder may share one Speech

    def clip(self, text_fr: str, text_en: str) -> Samples:
        """The announcement in this language; the special information tone on failure."""
        samples = self.spoken(text_fr, text_en)
        return tones.special_information_tone(self.rate) if samples is None else samples

    def text_of(self, text_fr: str, text_en: str) -> str:
        """The text in this language (the French one when there is no English)."""
        return (text_en or text_fr) if self.lang == "en" else (text_fr or text_en)

    def spoken(self, text_fr: str, text_en: str) -> Samples | None:
        """The text spoken in this language; None without an engine or when it fails."""
        text = self.text_of(text_fr, text_en)
        with self._lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        samples = self._spoken(text) if self.engine and text.strip() else None
        with self._lock:
            self._cache[text] = samples
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return samples

    def duration_ms(self, text_fr: str, text_en: str = "") -> int:
        """How long the line lasts: its spoken clip, or 60 ms a character without an engine."""
        samples = self.spoken(text_fr, text_en)
        if samples is None:
            return MS_PER_CHARACTER * len(self.text_of(text_fr, text_en))
        return max(1, -(-len(samples) * 1000 // self.rate))

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
