"""Players: the live PortAudio player, the WAV recorder, and the silent one.

Owns the sound threads. A backend takes commands through ``submit``, a queue put that
never waits; mixing, speech synthesis, device writes and file writes all happen on the
backend's own thread, so the caller (the network's event bus, the TUI's event loop)
never blocks on sound.

- ``LivePlayer`` plays the selected handset (or all of them mixed) in real time: each
  handset's tone keeps its cadence, looping until the next change.
- ``WavRecorder`` writes one WAV per handset in *virtual* time: a handset's timeline is
  rendered up to each command's time, so a session replayed in milliseconds still gives
  files as long as the virtual session.
- ``NullBackend`` drops everything.
"""

from __future__ import annotations

import re
import threading
import time
import wave
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from queue import Empty, SimpleQueue
from typing import Protocol

import numpy as np

from phone_sim.audio import tones
from phone_sim.audio.commands import SoundCommand, Speak
from phone_sim.audio.device import AudioUnavailable, Stream
from phone_sim.audio.speech import Speech
from phone_sim.audio.voice import Floats, Voice

CHUNK_MS = 20
LEAD_MS = 100  # how far ahead of the wall clock the live player may write
RENDER_SECONDS = 10  # the recorder renders long silences in pieces of this size


class Backend(Protocol):
    def submit(self, command: SoundCommand) -> None: ...

    def close(self, end_ms: int | None = None) -> None: ...


class OutputStream(Protocol):
    def write(self, pcm: bytes) -> None: ...

    def close(self) -> None: ...


class NullBackend:
    """Silence."""

    def submit(self, command: SoundCommand) -> None:
        pass

    def close(self, end_ms: int | None = None) -> None:
        pass


@dataclass(frozen=True, slots=True)
class _Select:
    party: str | None


@dataclass(frozen=True, slots=True)
class _HearAll:
    on: bool


@dataclass(frozen=True, slots=True)
class _Mute:
    on: bool


@dataclass(frozen=True, slots=True)
class _Clip:
    party: str
    samples: np.ndarray


@dataclass(frozen=True, slots=True)
class _Stop:
    end_ms: int | None = None


_Item = SoundCommand | _Select | _HearAll | _Mute | _Clip | _Stop


class _Pacer:
    """Keeps a writer at most ``lead`` seconds ahead of the wall clock.

    A sound card makes writes wait; some ALSA devices (null, file) take samples as fast
    as they come, and the player would then race ahead of real time.
    """

    def __init__(self, rate: int, lead_s: float) -> None:
        self.rate = rate
        self.lead = lead_s
        self._start = time.monotonic()
        self._written = 0

    def wrote(self, frames: int) -> None:
        self._written += frames
        ahead = self._written / self.rate - (time.monotonic() - self._start)
        if ahead > self.lead:
            time.sleep(ahead - self.lead)
        elif ahead < -self.lead:  # fell behind (a slow device): never rush to catch up
            self._start = time.monotonic() - self._written / self.rate


class _LiveMix:
    """Every handset's voice advancing together; the selected one (or all) heard."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.voices: dict[str, Voice] = {}
        self.selected: str | None = None
        self.hear_all = False
        self.muted = False

    def voice(self, party: str) -> Voice:
        found = self.voices.get(party)
        if found is None:
            found = self.voices[party] = Voice(self.rate)
            found.position = next(iter(self.voices.values())).position  # join in step
        return found

    def render(self, n: int) -> Floats:
        rendered = {party: voice.render(n) for party, voice in self.voices.items()}
        silence = np.zeros(n, dtype=np.float32)
        if self.muted or not rendered:
            return silence
        if self.hear_all:
            mix: Floats = np.sum(list(rendered.values()), axis=0, dtype=np.float32)
        else:
            mix = rendered.get(self.selected or "", silence)
        peak = float(np.abs(mix).max())
        return mix / np.float32(peak) if peak > 1 else mix

    def quiet(self) -> bool:
        return all(voice.quiet() for voice in self.voices.values())


class LivePlayer:
    """Real-time playback through PortAudio on a writer thread fed by a queue."""

    def __init__(
        self,
        rate: int = tones.DEFAULT_RATE,
        speech: Speech | None = None,
        open_stream: Callable[[int, int], OutputStream] = Stream,
        open_timeout_s: float = 3.0,
    ) -> None:
        self.rate = rate
        self.chunk = tones.samples_for(CHUNK_MS, rate)
        self.error: AudioUnavailable | None = None
        self._speech = speech or Speech(rate)
        self._open_stream = open_stream
        self._queue: SimpleQueue[_Item] = SimpleQueue()
        self._speaker = ThreadPoolExecutor(1, thread_name_prefix="phone-sim-speech")
        self._speaking = 0  # announcements being synthesised (writer thread only)
        self._opened = threading.Event()
        self._idle = threading.Event()
        self._stopping = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="phone-sim-sound", daemon=True)
        self._thread.start()
        self._opened.wait(open_timeout_s)  # a slow device goes on opening on its own

    @property
    def opened(self) -> bool:
        """The device answered (``error`` tells whether it opened)."""
        return self._opened.is_set()

    @property
    def pending(self) -> int:
        """Commands waiting for the writer thread."""
        return self._queue.qsize()

    def submit(self, command: SoundCommand) -> None:
        self._put(command)

    def select(self, party: str | None) -> None:
        self._put(_Select(party))

    def set_hear_all(self, on: bool) -> None:
        self._put(_HearAll(on))

    def set_muted(self, on: bool) -> None:
        self._put(_Mute(on))

    def wait_idle(self, timeout_s: float) -> bool:
        """Wait until every command so far has been played out (tests and scripts)."""
        return self._idle.wait(timeout_s)

    def close(self, end_ms: int | None = None, timeout_s: float = 1.0) -> None:
        """Stop at once (what is queued is dropped) and release the device."""
        self._stopping.set()
        self._put(_Stop())
        self._closed = True
        self._speaker.shutdown(wait=False, cancel_futures=True)
        self._thread.join(timeout_s)

    def _put(self, item: _Item) -> None:
        if not self._closed:
            self._idle.clear()
            self._queue.put(item)

    def _run(self) -> None:
        try:
            stream = self._open_stream(self.rate, self.chunk)
        except AudioUnavailable as error:
            self.error, self._closed = error, True
            self._opened.set()
            return
        self._opened.set()
        mix, pacer = _LiveMix(self.rate), _Pacer(self.rate, LEAD_MS / 1000)
        try:
            while self._take_commands(mix):
                stream.write(tones.to_int16(mix.render(self.chunk)).tobytes())
                pacer.wrote(self.chunk)
        except Exception as error:  # the device went away: go silent, say why
            self.error, self._closed = AudioUnavailable("device_lost", str(error)), True
        finally:
            stream.close()
            self._idle.set()

    def _take_commands(self, mix: _LiveMix) -> bool:
        """Apply what the queue holds; False once told to stop."""
        while True:
            if self._stopping.is_set():
                return False
            try:
                item = self._queue.get_nowait()
            except Empty:
                break
            if isinstance(item, _Stop):
                return False
            self._apply(mix, item)
        if self._queue.empty() and self._speaking == 0 and mix.quiet():
            self._idle.set()
        return True

    def _apply(self, mix: _LiveMix, item: _Item) -> None:
        if isinstance(item, _Select):
            mix.selected = item.party
        elif isinstance(item, _HearAll):
            mix.hear_all = item.on
        elif isinstance(item, _Mute):
            mix.muted = item.on
        elif isinstance(item, _Clip):
            self._speaking -= 1
            mix.voice(item.party).say(item.samples)
        elif isinstance(item, Speak):
            self._speaking += 1
            future = self._speaker.submit(self._speech.clip, item.text_fr, item.text_en)
            party = item.party
            future.add_done_callback(lambda done: self._spoken(party, done))
        elif not isinstance(item, _Stop):
            mix.voice(item.party).apply(item)

    def _spoken(self, party: str, done: Future[np.ndarray]) -> None:
        """On the speech thread: hand the clip to the writer thread."""
        if done.cancelled():
            return
        failed = done.exception() is not None
        samples = tones.special_information_tone(self.rate) if failed else done.result()
        self._queue.put(_Clip(party, samples))


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

    @property
    def pending(self) -> int:
        return self._queue.qsize()

    def paths(self) -> list[Path]:
        """The files written so far (complete once closed)."""
        return sorted(self.directory / _file_name(party) for party in self._tracks)

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
