"""The sound system: what the TUI creates, attaches to the network, and steers.

Owns choosing and wiring the backends: a live player (PortAudio, or silence) and an
optional WAV recorder, both fed by one ``SoundListener`` on the network's event bus.

    sound = SoundSystem("auto", record_dir=args.record_audio, lang="fr")
    sound.attach(network.bus, tone_of, ringing_of, ["A", "B", "C"], now_ms=clock.now,
                 hears_of=lambda party: network.hears(party).voices, watch=network.media.watch)
    if sound.notice:
        log.write(sound.notice)
    sound.select("B"); sound.set_hear_all(False); sound.set_muted(False)
    sound.feed("A", samples, 16000, time_ms=clock.now)   # a microphone's 20 ms chunk
    ...
    sound.close(end_ms=clock.now)

Nothing here raises for want of a device: the system goes silent and ``notice`` says why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from phone_sim.audio import tones
from phone_sim.audio.backends import LivePlayer, NullBackend, OutputStream, Player
from phone_sim.audio.commands import Feed, SoundCommand
from phone_sim.audio.device import AudioUnavailable, Stream
from phone_sim.audio.listener import SoundListener
from phone_sim.audio.notices import notice_text
from phone_sim.audio.recorder import WavRecorder
from phone_sim.audio.speech import Speech
from phone_sim.network.events import EventBus

BACKENDS: Final = ("auto", "pyaudio", "wav", "null")
DEFAULT_RECORD_DIR: Final = Path("phone-sim-audio")


class SoundSystem:
    """Sound for one session. ``backend``: auto | pyaudio | wav | null.

    ``auto`` and ``pyaudio`` play live when PortAudio finds an output device, and are
    silent with a notice otherwise; ``wav`` only records (into ``record_dir``, by
    default ./phone-sim-audio); ``null`` is silent. ``record_dir`` with any backend also
    writes one WAV per handset, in virtual time.
    """

    def __init__(
        self,
        backend: str = "auto",
        record_dir: str | Path | None = None,
        rate: int = tones.DEFAULT_RATE,
        lang: str = "fr",
        *,
        speech: Speech | None = None,
        open_stream: Callable[[int, int], OutputStream] = Stream,
        force: bool = False,
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown sound backend {backend!r} (choose from {', '.join(BACKENDS)})")
        self.backend = backend
        self.lang = lang
        self.rate = rate
        self._speech = speech or Speech(rate, lang)
        self._problem: AudioUnavailable | None = None  # why there is no live sound
        self.live: Player = NullBackend()
        self.recorder: WavRecorder | None = None
        self.listener: SoundListener | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._selected = False
        self._force = force  # WAVs may replace existing files
        if backend == "wav" and record_dir is None:
            record_dir = DEFAULT_RECORD_DIR
        if record_dir is not None:
            self._start_recorder(Path(record_dir))
        if backend in ("auto", "pyaudio"):
            self._start_live(open_stream)
        elif backend == "null":
            self._problem = self._problem or AudioUnavailable("null")

    def _start_recorder(self, directory: Path) -> None:
        try:
            self.recorder = WavRecorder(directory, self.rate, self._speech, force=self._force)
        except AudioUnavailable as error:
            self._problem = error

    def _start_live(self, open_stream: Callable[[int, int], OutputStream]) -> None:
        player = LivePlayer(self.rate, self._speech, open_stream)
        if player.error is not None:  # the thread has ended: keep only the reason
            self._problem = player.error
        else:
            self.live = player

    @property
    def notice_code(self) -> str | None:
        """Why sound is silent or only recorded (a key of ``notices.NOTICES``), or None."""
        problem = self._current_problem()
        if problem is not None:
            return problem.code
        if self.backend == "wav" and self.recorder is not None:
            return "wav_only"
        return None

    @property
    def notice(self) -> str | None:
        """One line for the TUI's log, in this system's language, or None when all is well."""
        return self.notice_in(self.lang)

    def notice_in(self, lang: str) -> str | None:
        code = self.notice_code
        if code is None:
            return None
        problem = self._current_problem()
        detail = problem.detail if problem is not None else ""
        directory = str(self.recorder.directory) if self.recorder is not None else ""
        return notice_text(code, lang, detail, directory)

    def _current_problem(self) -> AudioUnavailable | None:
        if self.live.error is not None:
            return self.live.error
        if not self.live.opened:
            return AudioUnavailable("device_slow")
        if self.recorder is not None and self.recorder.error is not None:
            return self.recorder.error
        return self._problem

    def attach(
        self,
        bus: EventBus,
        tone_of: Callable[[str], str],
        ringing_of: Callable[[str], bool],
        parties: Iterable[str],
        now_ms: int = 0,
        hears_of: Callable[[str], Iterable[str]] | None = None,
        watch: Callable[[], Callable[[], None]] | None = None,
    ) -> None:
        """Listen to ``bus``; ``tone_of``/``ringing_of`` are re-read on HandsetDidChange,
        ``hears_of`` (whose voices a handset hears) at the start, then MediaDidChange
        (published while ``watch``, the network's ``media.watch``, is on)."""
        self.detach()
        if self.listener is not None and self.recorder is not None:
            self.recorder.follow(now_ms)  # another network: its clock starts elsewhere
        self.listener = SoundListener(self._send, tone_of, ringing_of, parties, hears_of, watch)
        self.listener.start(now_ms)
        self._unsubscribe = bus.subscribe(self.listener)
        if not self._selected and self.listener.parties:
            self.select(self.listener.parties[0])
            self._selected = False  # a default, not the user's choice

    def detach(self) -> None:
        if self.listener is not None:
            self.listener.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def select(self, party: str | None) -> None:
        """The handset the live player lets you hear (the others keep time, unheard)."""
        self._selected = True
        self.live.select(party)

    def set_hear_all(self, on: bool) -> None:
        """Hear every handset mixed together instead of the selected one."""
        self.live.set_hear_all(on)

    def set_muted(self, on: bool) -> None:
        """Silence the live player (recording goes on)."""
        self.live.set_muted(on)

    def wait_idle(self, timeout_s: float) -> bool:
        """Wait until the live player has played everything sent so far."""
        return self.live.wait_idle(timeout_s)

    def feed(self, party: str, samples: npt.ArrayLike, rate: int, time_ms: int = 0) -> None:
        """Samples of ``party``'s streamed voice (a microphone chunk), said at ``time_ms``
        (virtual time: where the recorder places them; the live player plays them now)."""
        self._send(Feed(time_ms, party, np.asarray(samples), rate))

    def say_ms(self, text_fr: str, text_en: str = "") -> int:
        """How long a spoken line lasts in this session's language (scenario ``say``)."""
        return self._speech.duration_ms(text_fr, text_en)

    def close(self, end_ms: int | None = None) -> None:
        """Stop listening and playing; finish the WAV files at ``end_ms`` (virtual time)."""
        self.detach()
        self.live.close()
        if self.recorder is not None:
            self.recorder.close(end_ms)

    def _send(self, command: SoundCommand) -> None:
        self.live.submit(command)
        if self.recorder is not None:
            self.recorder.submit(command)
