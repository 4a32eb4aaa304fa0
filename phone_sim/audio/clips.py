"""Voice clips: the samples a scripted voice plays (``say:`` spoken, ``play:`` a WAV).

Owns turning a ``StartVoice`` command into samples at a mixer's rate: the speech engine
for ``say`` (``speech``; None without an engine: the text is shown, not heard), the WAV
file for ``play`` (read once per path and rate, mixed down to mono, resampled).
``talk``, ``mic`` and ``sip`` voices have no clip (a tone, or a stream). Reading and
synthesis take time: players call this on their own threads.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

import numpy as np
import numpy.typing as npt

from phone_sim.audio.commands import StartVoice
from phone_sim.audio.speech import Speech, resample
from phone_sim.audio.wavio import WavError, read_wav

Floats = npt.NDArray[np.float32]

CACHE_SIZE = 32
MAX_CLIP_S = 600  # a WAV longer than ten minutes is cut there


class VoiceClips:
    """Clips for one rate, cached (a lesson says the same lines at every restart)."""

    def __init__(self, speech: Speech) -> None:
        self.speech = speech
        self.rate = speech.rate
        self._wavs: OrderedDict[str, Floats | None] = OrderedDict()
        self._lock = Lock()

    def clip(self, command: StartVoice) -> Floats | None:
        """The samples of this voice, or None (nothing to play: a tone, a stream, silence)."""
        if command.kind == "say":
            spoken = self.speech.spoken(command.text_fr, command.text_en)
            return None if spoken is None else spoken.astype(np.float32) / np.float32(32768)
        if command.kind == "play" and command.file:
            return self.wav(command.file)
        return None

    def wav(self, path: str) -> Floats | None:
        """A WAV file as float samples at this rate; None when it cannot be read."""
        with self._lock:
            if path in self._wavs:
                self._wavs.move_to_end(path)
                return self._wavs[path]
        try:
            samples, rate = read_wav(path)
        except WavError:
            samples, rate = None, self.rate
        clip = None
        if samples is not None and rate > 0:
            samples = samples[: MAX_CLIP_S * rate]
            clip = resample(samples, rate, self.rate).astype(np.float32)
        with self._lock:
            self._wavs[path] = clip
            if len(self._wavs) > CACHE_SIZE:
                self._wavs.popitem(last=False)
        return clip
