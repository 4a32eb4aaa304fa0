"""Key presses from outside the simulator, for ``--dtmf-in WAV|mic``.

Owns the sources of (time in ms, key) pairs decoded from sound: a WAV file, or the
microphone through PortAudio. Both are plain generators; the microphone one blocks on
the device between keys, so a face runs it on a worker thread and posts each key to
its event loop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import numpy as np

from phone_sim.audio import tones
from phone_sim.audio.device import Stream
from phone_sim.audio.dtmf import DtmfDetector, dtmf_keys_from_wav

MIC_RATE = 8000
MIC_CHUNK_MS = 20


class InputStream(Protocol):
    def read(self, frames: int) -> bytes: ...

    def close(self) -> None: ...


def _open_input(rate: int, frames: int) -> InputStream:
    return Stream(rate, frames, output=False)


def dtmf_keys_from_microphone(
    stop: threading.Event | None = None,
    rate: int = MIC_RATE,
    open_stream: Callable[[int, int], InputStream] = _open_input,
) -> Iterator[tuple[int, str]]:
    """(ms since listening began, key) for each key heard, until ``stop`` is set.

    Raises ``AudioUnavailable`` (code ``no_portaudio``, ``no_microphone``...) when no
    input device opens; the first ``next()`` does the opening.
    """
    frames = tones.samples_for(MIC_CHUNK_MS, rate)
    stream = open_stream(rate, frames)
    detector = DtmfDetector(rate)
    try:
        while stop is None or not stop.is_set():
            samples = np.frombuffer(stream.read(frames), dtype="<i2")
            if len(samples) == 0:  # the device ran dry (a file used as a microphone)
                break
            for tone in detector.feed_tones(samples):
                yield tone.time_ms, tone.key
        for tone in detector.flush():
            yield tone.time_ms, tone.key
    finally:
        stream.close()


def dtmf_key_source(spec: str, stop: threading.Event | None = None) -> Iterator[tuple[int, str]]:
    """``mic`` for the microphone, anything else is a WAV file's path."""
    if spec == "mic":
        return dtmf_keys_from_microphone(stop)
    return dtmf_keys_from_wav(Path(spec))
