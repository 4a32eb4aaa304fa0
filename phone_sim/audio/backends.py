"""Backends: the live PortAudio player and the silent one; the WAV recorder is in ``recorder``.

Owns the live sound threads. A backend takes commands through ``submit``, a queue put
that never waits; mixing, speech synthesis and device writes happen on the backend's
own threads, so the caller (the network's event bus, the TUI's event loop) never
blocks on sound.

- ``LivePlayer`` plays the selected handset's earpiece (or every earpiece mixed) in
  real time, through a ``Mixer``: each handset's tone keeps its cadence, looping until
  the next change, and the voices it hears come in as they are said.
- ``WavRecorder`` (in ``recorder``) writes one WAV per handset in *virtual* time.
- ``NullBackend`` drops everything.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from queue import Empty, SimpleQueue
from typing import Protocol

import numpy as np

from phone_sim.audio import tones
from phone_sim.audio.clips import VoiceClips
from phone_sim.audio.commands import SoundCommand, Speak, StartVoice, StopVoice
from phone_sim.audio.device import AudioUnavailable, Stream
from phone_sim.audio.mixer import SCRIPTED, Mixer, limit
from phone_sim.audio.recorder import WavRecorder
from phone_sim.audio.speech import Speech
from phone_sim.audio.voice import Floats

__all__ = ["LivePlayer", "NullBackend", "OutputStream", "Player", "WavRecorder"]

CHUNK_MS = 20
LEAD_MS = 100  # how far ahead of the wall clock the live player may write


class OutputStream(Protocol):
    def write(self, pcm: bytes) -> None: ...

    def close(self) -> None: ...


class Player(Protocol):
    """What the sound system steers: ``LivePlayer`` or ``NullBackend``."""

    error: AudioUnavailable | None

    @property
    def opened(self) -> bool: ...

    def submit(self, command: SoundCommand) -> None: ...

    def select(self, party: str | None) -> None: ...

    def set_hear_all(self, on: bool) -> None: ...

    def set_muted(self, on: bool) -> None: ...

    def wait_idle(self, timeout_s: float) -> bool: ...

    def close(self) -> None: ...


class NullBackend:
    """Silence: takes everything, plays nothing."""

    error: AudioUnavailable | None = None
    opened = True

    def submit(self, command: SoundCommand) -> None:
        pass

    def select(self, party: str | None) -> None:
        pass

    def set_hear_all(self, on: bool) -> None:
        pass

    def set_muted(self, on: bool) -> None:
        pass

    def wait_idle(self, timeout_s: float) -> bool:
        return True

    def close(self) -> None:
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
    """Samples synthesised on the speech thread: an announcement, or a voice's clip."""

    party: str
    samples: np.ndarray
    voice: StartVoice | None = None  # None: an announcement
    serial: int = 0


@dataclass(frozen=True, slots=True)
class _Stop:
    end_ms: int | None = None


_Item = SoundCommand | _Select | _HearAll | _Mute | _Clip | _Stop


class Pacer:
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
    """Every handset's earpiece advancing together; the selected one (or all) heard."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.mixer = Mixer(rate)
        self.selected: str | None = None
        self.hear_all = False
        self.muted = False
        self.serials: dict[str, int] = {}  # per party: scripted voices started or stopped

    def render(self, n: int) -> Floats:
        mixer = self.mixer
        if self.muted or not mixer.parties:
            mix: Floats = np.zeros(n, dtype=np.float32)
        elif self.hear_all:
            mix = limit(mixer.render_all(n).sum(axis=0))
        elif self.selected in mixer.parties:
            mix = mixer.render(self.selected or "", n)
        else:
            mix = np.zeros(n, dtype=np.float32)
        mixer.advance(n)
        return mix

    def quiet(self) -> bool:
        return self.mixer.quiet()


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
        self._clips = VoiceClips(self._speech)
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

    def close(self, timeout_s: float = 1.0) -> None:
        """Stop at once (what is queued is dropped) and release the device."""
        self._stopping.set()
        self._put(_Stop())
        self._closed = True
        self._speaker.shutdown(wait=False, cancel_futures=True)
        self._thread.join(timeout_s)

    def _put(self, item: _Item) -> None:
        if not self._closed:
            self._queue.put(item)
            self._idle.clear()  # after the put: the writer sets it again once played

    def _run(self) -> None:
        try:
            stream = self._open_stream(self.rate, self.chunk)
        except AudioUnavailable as error:
            self.error, self._closed = error, True
            self._opened.set()
            return
        self._opened.set()
        mix, pacer = _LiveMix(self.rate), Pacer(self.rate, LEAD_MS / 1000)
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
            self._clip_ready(mix, item)
        elif isinstance(item, Speak):
            self._synthesise(item.party, lambda: self._speech.clip(item.text_fr, item.text_en))
        elif isinstance(item, StopVoice) and item.reason == "ended":
            pass  # a clip plays to its end; a talk tone ends by its own duration
        elif isinstance(item, StartVoice | StopVoice) and item.kind in SCRIPTED:
            serial = mix.serials[item.party] = mix.serials.get(item.party, 0) + 1
            mix.mixer.apply(item)  # a talk starts at once; say and play are synthesised first
            if isinstance(item, StartVoice) and item.kind != "talk":
                self._synthesise(item.party, lambda: self._clips.clip(item), item, serial)
        elif not isinstance(item, _Stop):
            mix.mixer.apply(item)

    def _clip_ready(self, mix: _LiveMix, clip: _Clip) -> None:
        if clip.voice is None:
            mix.mixer.local(clip.party).say(clip.samples)
        elif mix.serials.get(clip.party) == clip.serial and len(clip.samples):
            mix.mixer.start_clip(clip.party, clip.samples)

    def _synthesise(self, party: str, make: Callable[[], np.ndarray | None],
                    voice: StartVoice | None = None, serial: int = 0) -> None:
        """Make a clip on the speech thread; the writer thread gets it as a ``_Clip``."""
        self._speaking += 1
        future = self._speaker.submit(make)
        future.add_done_callback(lambda done: self._spoken(party, done, voice, serial))

    def _spoken(self, party: str, done: Future[np.ndarray | None], voice: StartVoice | None,
                serial: int) -> None:
        """On the speech thread: hand the clip to the writer thread."""
        if done.cancelled():
            return
        samples = None if done.exception() is not None else done.result()
        if samples is None:
            samples = tones.special_information_tone(self.rate) if voice is None else np.zeros(0, np.float32)
        self._queue.put(_Clip(party, samples, voice, serial))
