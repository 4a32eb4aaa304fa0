"""The WAV recorder: one file per handset for a whole session, in virtual time.

Owns rendering handsets' earpieces to disk. Commands arrive through a queue and are
handled on the recorder's own thread: every earpiece is rendered (by one ``Mixer``) up to
the command's virtual time, then the command applies; so a session replayed in
milliseconds still gives files as long as the virtual session, and each file holds what
its handset really heard: its tones and announcements and the voices of the parties the
network let it hear, at the instant they were said.
"""

from __future__ import annotations

import re
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from queue import SimpleQueue
from typing import BinaryIO

import numpy as np

from phone_sim.audio import tones
from phone_sim.audio.clips import VoiceClips
from phone_sim.audio.commands import Feed, SoundCommand
from phone_sim.audio.device import AudioUnavailable
from phone_sim.audio.mixer import Mixer
from phone_sim.audio.speech import Speech
from phone_sim.files import create_private, private_folder

RENDER_SECONDS = 2  # long stretches are rendered in pieces of this size


@dataclass(frozen=True, slots=True)
class _Stop:
    end_ms: int | None = None


@dataclass(frozen=True, slots=True)
class _Epoch:
    """The commands that follow come from another network, whose clock reads ``time`` now."""

    time: int


def _file_name(party: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", party) + ".wav"


class _Tracks:
    """One WAV file per handset, written from the mixer's earpieces."""

    def __init__(self, directory: Path, rate: int, force: bool = False) -> None:
        self.directory = directory
        self.rate = rate
        self.force = force
        self.files: dict[str, wave.Wave_write] = {}
        self.raw: list[BinaryIO] = []
        self.order: list[str] = []

    def open(self, party: str) -> None:
        if party in self.files:
            return
        # 0600, never through a symbolic link, never over an existing file unless forced
        raw = create_private(self.directory / _file_name(party), force=self.force, binary=True)
        self.raw.append(raw)
        wav = wave.open(raw, "wb")
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(self.rate)
        self.files[party] = wav
        self.order.append(party)

    def write(self, earpieces: np.ndarray) -> None:
        for party, samples in zip(self.order, earpieces, strict=True):
            self.files[party].writeframes(tones.to_int16(samples).astype("<i2").tobytes())

    def close(self) -> None:
        for wav in self.files.values():
            wav.close()
        for raw in self.raw:  # wave leaves the files it was given open
            raw.close()


class WavRecorder:
    """One WAV per handset for the whole session, in virtual time, on its own thread.

    The files start at the first command's time (the moment sound was attached) and
    end at ``close(end_ms)``, or at the last command's time.
    """

    def __init__(
        self, directory: str | Path, rate: int = tones.DEFAULT_RATE, speech: Speech | None = None,
        force: bool = False,
    ) -> None:
        self.directory = Path(directory)
        self.rate = rate
        self.error: AudioUnavailable | None = None
        try:
            if not self.directory.is_dir():
                private_folder(self.directory)
        except OSError as error:
            raise AudioUnavailable("record_error", str(error)) from None
        self.mixer = Mixer(rate, clips=VoiceClips(speech or Speech(rate)))
        self._queue: SimpleQueue[SoundCommand | _Stop | _Epoch] = SimpleQueue()
        self._tracks = _Tracks(self.directory, rate, force)
        self._thread = threading.Thread(target=self._run, name="phone-sim-recorder", daemon=True)
        self._thread.start()

    def submit(self, command: SoundCommand) -> None:
        if self.error is None:
            self._queue.put(command)

    def follow(self, now_ms: int) -> None:
        """Commands now come from a clock reading ``now_ms`` (another network: a lesson, a
        scenario played): the files go on from where they are, never back in time."""
        if self.error is None:
            self._queue.put(_Epoch(now_ms))

    def close(self, end_ms: int | None = None, timeout_s: float = 30.0) -> None:
        """Finish every file at ``end_ms`` (virtual time) and wait for the writes."""
        self._queue.put(_Stop(end_ms))
        self._thread.join(timeout_s)

    def _run(self) -> None:
        origin: int | None = None  # the clock's reading at the files' start
        latest = 0  # ms into the files
        try:
            while not isinstance(item := self._queue.get(), _Stop):
                if isinstance(item, _Epoch):
                    if origin is not None:
                        origin = item.time - self.mixer.position * 1000 // self.rate
                    continue
                origin = item.time if origin is None else origin
                latest = max(latest, item.time - origin)
                self._record(item, item.time - origin)
            if origin is not None:
                end_ms = None if item.end_ms is None else item.end_ms - origin
                self._finish(end_ms, latest)
        except OSError as error:  # disk full, directory removed...
            self.error = AudioUnavailable("record_error", str(error))
        finally:
            self._tracks.close()

    def _finish(self, end_ms: int | None, latest_ms: int) -> None:
        """Bring every file to its end (ms from the origin): ``end_ms`` if given, else
        the last event, or the last key tone, announcement or voice still to play if later."""
        if end_ms is None:
            end = max(latest_ms, -(-self.mixer.clips_end() * 1000 // self.rate))
        else:
            end = max(latest_ms, end_ms)
        self._advance_to(end)

    def _advance_to(self, ms: int) -> None:
        mixer, target = self.mixer, tones.samples_for(ms, self.rate)
        while mixer.position < target:
            n = min(target - mixer.position, RENDER_SECONDS * self.rate)
            self._tracks.write(mixer.render_all(n, self._tracks.order))
            mixer.advance(n)

    def _record(self, command: SoundCommand, at_ms: int) -> None:
        self._tracks.open(command.party)
        self._advance_to(at_ms)
        if isinstance(command, Feed):  # a stream keeps its own pace: placed where it is due
            self.mixer.feed(command.party, command.samples, command.rate, at_ms)
        else:
            self.mixer.apply(command)
