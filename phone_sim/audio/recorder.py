"""The WAV recorder: one file per handset for a whole session, in virtual time.

Owns rendering handsets' timelines to disk. Commands arrive through a queue and are
handled on the recorder's own thread: each handset's voice is rendered up to the
command's virtual time, then the command applies; so a session replayed in
milliseconds still gives files as long as the virtual session.
"""

from __future__ import annotations

import re
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from queue import SimpleQueue

from phone_sim.audio import tones
from phone_sim.audio.commands import SoundCommand, Speak
from phone_sim.audio.device import AudioUnavailable
from phone_sim.audio.speech import Speech
from phone_sim.audio.voice import Voice

RENDER_SECONDS = 10  # long silences are rendered in pieces of this size


@dataclass(frozen=True, slots=True)
class _Stop:
    end_ms: int | None = None


def _file_name(party: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", party) + ".wav"


class _Track:
    """One handset's WAV file and its voice, rendered up to a virtual time."""

    def __init__(self, path: Path, rate: int) -> None:
        self.voice = Voice(rate)
        self.rate = rate
        self._wav = wave.open(str(path), "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(rate)

    def advance_to(self, ms: int) -> None:
        target = tones.samples_for(ms, self.rate)
        while self.voice.position < target:
            n = min(target - self.voice.position, RENDER_SECONDS * self.rate)
            self._wav.writeframes(tones.to_int16(self.voice.render(n)).astype("<i2").tobytes())

    def close(self) -> None:
        self._wav.close()


class WavRecorder:
    """One WAV per handset for the whole session, in virtual time, on its own thread.

    The files start at the first command's time (the moment sound was attached) and
    end at ``close(end_ms)``, or at the last command's time.
    """

    def __init__(
        self, directory: str | Path, rate: int = tones.DEFAULT_RATE, speech: Speech | None = None
    ) -> None:
        self.directory = Path(directory)
        self.rate = rate
        self.error: AudioUnavailable | None = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise AudioUnavailable("record_error", str(error)) from None
        self._speech = speech or Speech(rate)
        self._queue: SimpleQueue[SoundCommand | _Stop] = SimpleQueue()
        self._tracks: dict[str, _Track] = {}
        self._thread = threading.Thread(target=self._run, name="phone-sim-recorder", daemon=True)
        self._thread.start()

    def submit(self, command: SoundCommand) -> None:
        if self.error is None:
            self._queue.put(command)

    def close(self, end_ms: int | None = None, timeout_s: float = 30.0) -> None:
        """Finish every file at ``end_ms`` (virtual time) and wait for the writes."""
        self._queue.put(_Stop(end_ms))
        self._thread.join(timeout_s)

    def _run(self) -> None:
        origin: int | None = None
        latest = 0
        try:
            while not isinstance(item := self._queue.get(), _Stop):
                origin = item.time if origin is None else origin
                latest = max(latest, item.time)
                self._record(item, item.time - origin)
            if origin is not None:
                end_ms = None if item.end_ms is None else item.end_ms - origin
                self._finish(end_ms, latest - origin)
        except OSError as error:  # disk full, directory removed...
            self.error = AudioUnavailable("record_error", str(error))
        finally:
            for track in self._tracks.values():
                track.close()

    def _finish(self, end_ms: int | None, latest_ms: int) -> None:
        """Bring every file to its end (ms from the origin): ``end_ms`` if given, else
        the last event, or the last key tone or announcement still to play if later."""
        if end_ms is None:
            clips_end = max((t.voice.clips_end() for t in self._tracks.values()), default=0)
            end = max(latest_ms, -(-clips_end * 1000 // self.rate))
        else:
            end = max(latest_ms, end_ms)
        for track in self._tracks.values():
            track.advance_to(end)

    def _record(self, command: SoundCommand, at_ms: int) -> None:
        track = self._tracks.get(command.party)
        if track is None:
            path = self.directory / _file_name(command.party)
            track = self._tracks[command.party] = _Track(path, self.rate)
        track.advance_to(at_ms)
        if isinstance(command, Speak):
            track.voice.say(self._speech.clip(command.text_fr, command.text_en))
        else:
            track.voice.apply(command)
