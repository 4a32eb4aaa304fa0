"""What a registered line's device hears, 20 ms at a time, and where its voice goes.

The gateway asks an ``Earpieces`` object for the next 160 samples (8 kHz) of a line's
earpiece at each RTP slot, and hands it what the device sends. ``NetworkTones`` is the
earpiece built from the network's sound events, as the TUI's players hear them: the
earpiece tone (dial, ringback, busy, waiting, music), DTMF key tones pressed on the line
or sent to it, announcements and voice-menu prompts (spoken by espeak-ng in a worker
thread, or the special information tone). Other parties' voices need the media plane's
mixer; until it is there, what a device sends is received and counted but heard by no one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

import numpy as np
import numpy.typing as npt

from phone_sim.audio import tones
from phone_sim.audio.commands import SetRinger, SoundCommand, Speak
from phone_sim.audio.listener import SoundListener
from phone_sim.audio.speech import Speech
from phone_sim.audio.voice import Voice
from phone_sim.network.switch import Network

RATE = 8000
FRAME = 160  # 20 ms at 8 kHz
Pcm = npt.NDArray[np.int16]


class Earpieces(Protocol):
    def follow(self, line: str) -> None: ...
    def forget(self, line: str) -> None: ...
    def render(self, line: str, n: int) -> Pcm: ...
    def feed(self, line: str, samples: Pcm) -> None: ...
    def close(self) -> None: ...


class NetworkTones:
    """Each followed line's earpiece from the network's sound events (``phone_sim.audio``)."""

    def __init__(self, net: Network, lang: str = "fr", speech: Speech | None = None) -> None:
        self.net = net
        self._voices: dict[str, Voice] = {}
        self._speech = speech or Speech(RATE, lang)
        self._listener = SoundListener(self._command, net.tone, lambda _: False)
        self._unsubscribe: Callable[[], None] | None = net.bus.subscribe(self._listener)
        self.received = 0  # samples a device sent (heard by nobody without the mixer)

    def follow(self, line: str) -> None:
        if line not in self._voices:
            voice = self._voices[line] = Voice(RATE)
            voice.set_tone(self.net.tone(line))

    def forget(self, line: str) -> None:
        self._voices.pop(line, None)

    def render(self, line: str, n: int) -> Pcm:
        voice = self._voices.get(line)
        if voice is None:
            return np.zeros(n, dtype=np.int16)
        return tones.to_int16(np.clip(voice.render(n), -1.0, 1.0))

    def feed(self, line: str, samples: Pcm) -> None:
        self.received += len(samples)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _command(self, command: SoundCommand) -> None:
        voice = self._voices.get(command.party)
        if voice is None or isinstance(command, SetRinger):  # the device rings by itself
            return
        if isinstance(command, Speak):
            self._speak(command.party, command)
        else:
            voice.apply(command)

    def _speak(self, line: str, command: Speak) -> None:
        """Synthesis runs a process: in a worker thread, the clip added when it is ready."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        future = loop.run_in_executor(None, self._speech.clip, command.text_fr, command.text_en)

        def done(task: asyncio.Future[Pcm]) -> None:
            voice = self._voices.get(line)
            if voice is not None and not task.cancelled() and task.exception() is None:
                voice.say(task.result())

        future.add_done_callback(done)
