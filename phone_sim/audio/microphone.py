"""The microphone as a voice: PortAudio input, 20 ms chunks handed to a callback.

Owns capturing the user's voice for the chosen handset (the TUI's microphone key). A
``Microphone`` reads 16-bit mono chunks on its own thread and calls ``deliver(samples,
rate)`` with each (int16 numpy array), until ``stop``; the caller forwards them to
``SoundSystem.feed`` (which queues them for the recorder and the live player, so the
capture thread never waits for the network or the screen). Opening happens on the
thread: ``opened`` is set once it answered, ``error`` (an ``AudioUnavailable``) says why
there is no microphone. A source faster than real time (ALSA's ``file`` plugin with
``infile`` reads a file as fast as asked) is read at real time, as a microphone speaks;
one that runs dry ends the thread, as when stopped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from phone_sim.audio import tones
from phone_sim.audio.backends import Pacer
from phone_sim.audio.device import AudioUnavailable
from phone_sim.audio.keysource import InputStream, _open_input

MIC_RATE = 16000  # PortAudio input; 8000 works too
CHUNK_MS = 20
LEAD_S = 0.05  # a source may run this far ahead of the wall clock

Deliver = Callable[[npt.NDArray[np.int16], int], None]


class Microphone:
    def __init__(self, deliver: Deliver, rate: int = MIC_RATE,
                 open_stream: Callable[[int, int], InputStream] = _open_input,
                 on_end: Callable[[AudioUnavailable | None], None] | None = None,
                 paced: bool = True) -> None:
        self.rate = rate
        self.error: AudioUnavailable | None = None
        self.opened = threading.Event()
        self.chunks = 0  # delivered so far
        self._deliver = deliver
        self._open_stream = open_stream
        self._on_end = on_end
        self._paced = paced  # False: as fast as the source gives (tests driving virtual time)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="phone-sim-microphone", daemon=True)

    def start(self) -> Microphone:
        self._thread.start()
        return self

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and not self._stop.is_set()

    def stop(self, timeout_s: float = 1.0) -> None:
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout_s)

    def _run(self) -> None:
        frames = tones.samples_for(CHUNK_MS, self.rate)
        try:
            stream = self._open_stream(self.rate, frames)
        except AudioUnavailable as error:
            self.error = error
        except Exception as error:  # PortAudio's own errors: no microphone, say why
            self.error = AudioUnavailable("no_microphone", str(error))
        self.opened.set()
        if self.error is not None:
            self._ended()
            return
        pacer = Pacer(self.rate, LEAD_S)
        try:
            while not self._stop.is_set():
                samples = np.frombuffer(stream.read(frames), dtype="<i2").astype(np.int16)
                if len(samples) == 0:  # a file used as a microphone ran dry
                    break
                self._deliver(samples, self.rate)
                self.chunks += 1
                if self._paced:
                    pacer.wrote(len(samples))
        except Exception as error:  # the device went away
            self.error = AudioUnavailable("device_lost", str(error))
        finally:
            stream.close()
            self._ended()

    def _ended(self) -> None:
        if self._on_end is not None:
            self._on_end(self.error)
