"""What a registered line's device hears, 20 ms at a time, and where its voice goes.

The gateway keeps one ``phone_sim.audio`` mixer at 8 kHz on its own real-time timeline,
driven by a ``SoundListener`` on the network's bus, as the TUI's players are: every
earpiece gets its tone (dial, ringback, busy, waiting, music), the DTMF key tones pressed
on the line or sent to it, announcements and voice-menu prompts, and the voices the
media plane routes to it (``Network.hears``: other parties' scripted voices, a TUI
microphone, other SIP devices). At each RTP slot the gateway renders the earpiece of
each line it streams to, then ``advance`` moves the timeline on by one frame.

What a device sends is fed to its line's mouthpiece (``Mixer.feed``), so whoever hears
the line hears it; ``also_feed`` hands the same samples to another face (the TUI's own
sound, so the person at the keyboard hears the device too). The network is told that
the line talks (a ``sip`` voice) while it has a call with its device.

Speech synthesis (announcements, ``say:`` lines) and WAV clips are prepared in a worker
thread: the event loop that carries RTP never waits for espeak-ng. The command itself is
applied back on the event loop once its clip is ready (at once when it was made before
and nothing else waits); the commands that come meanwhile wait behind it, so they keep
their order, and the mixer is only ever touched from the loop's thread.

The mixer's timeline moves on lazily: ``advance`` only counts the samples, and they are
caught up in one step before the mixer is next used (rendering, a command, a device's
voice). Positions are absolute, so this is the same timeline; a gateway with no call up
pays nothing per 20 ms slot.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

import numpy as np
import numpy.typing as npt

from phone_sim.audio import tones
from phone_sim.audio.clips import VoiceClips
from phone_sim.audio.commands import PlayKey, SetRinger, SetTone, SoundCommand, Speak, StartVoice
from phone_sim.audio.listener import SoundListener
from phone_sim.audio.mixer import Mixer
from phone_sim.audio.speech import Speech
from phone_sim.network.switch import Network

RATE = 8000
FRAME = 160  # 20 ms at 8 kHz
READY_CLIPS = 16  # clips known to be ready (fewer than the speech and WAV caches keep)
Pcm = npt.NDArray[np.int16]


class Earpieces(Protocol):
    def follow(self, line: str) -> None: ...
    def forget(self, line: str) -> None: ...
    def render(self, line: str, n: int) -> Pcm: ...
    def render_many(self, lines: list[str], n: int) -> dict[str, Pcm]: ...
    def advance(self, n: int) -> None: ...
    def feed(self, line: str, samples: Pcm) -> None: ...
    def close(self) -> None: ...


class MixedEarpieces:
    """The lines' earpieces from the audio mixer (``phone_sim.audio.mixer``)."""

    def __init__(self, net: Network, lang: str = "fr", speech: Speech | None = None,
                 also_feed: Callable[[str, Pcm], None] | None = None) -> None:
        self.net = net
        self.mixer = Mixer(RATE, parties=net.parties, clips=VoiceClips(speech or Speech(RATE, lang)))
        self.also_feed = also_feed
        self.talking: set[str] = set()
        self.followed: set[str] = set()  # lines with a device: their own sounds are rendered
        self.received = 0  # samples the devices sent
        self._owed = 0  # samples the timeline has to move on by before its next use
        self._ready: OrderedDict[tuple[str, ...], None] = OrderedDict()
        # commands waiting for a clip being made, and those behind them (order kept)
        self._waiting: deque[tuple[SoundCommand, tuple[str, ...] | None, asyncio.Future[None] | None]] = deque()
        # one worker: the same prompt asked by many calls at once is synthesised once (cached)
        self._synthesis = ThreadPoolExecutor(max_workers=1, thread_name_prefix="phone-sim-sip-speech")
        # a device rings by itself: no ringer in its RTP
        self._listener = SoundListener(self._command, net.tone, lambda _: False, list(net.parties),
                                       hears_of=lambda party: net.hears(party).voices,
                                       watch=net.media.watch)
        self._listener.start(net.now)
        self._unsubscribe: Callable[[], None] | None = net.bus.subscribe(self._listener)

    def _catch_up(self) -> None:
        if self._owed:
            owed, self._owed = self._owed, 0
            self.mixer.advance(owed)

    def follow(self, line: str) -> None:
        if line not in self.followed:
            self._catch_up()
            self.followed.add(line)
            self.mixer.add_party(line)
            self.mixer.apply(SetTone(self.net.now, line, self.net.tone(line)))

    def forget(self, line: str) -> None:
        if line in self.talking:
            self.talking.discard(line)
            self.net.stop_speaking(line, "sip")

    def render(self, line: str, n: int) -> Pcm:
        self._catch_up()
        return tones.to_int16(self.mixer.render(line, n))

    def render_many(self, lines: list[str], n: int) -> dict[str, Pcm]:
        """Several earpieces at once: one routing product for all (what keeps 20 calls cheap)."""
        if not lines:
            return {}
        self._catch_up()
        rows = tones.to_int16(self.mixer.render_all(n, lines))
        return dict(zip(lines, rows, strict=True))

    def advance(self, n: int) -> None:
        self._owed += n

    def feed(self, line: str, samples: Pcm) -> None:
        self.received += len(samples)
        if line not in self.talking and self.net.parties[line].legs:
            self.talking.add(line)
            self.net.speak(line, "sip")
        self._catch_up()
        self.mixer.feed(line, samples, RATE)
        if self.also_feed is not None:
            self.also_feed(line, samples)

    def close(self) -> None:
        self._listener.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._synthesis.shutdown(wait=False, cancel_futures=True)

    def _command(self, command: SoundCommand) -> None:
        if isinstance(command, SetRinger):
            return
        own = isinstance(command, SetTone | PlayKey | Speak)
        if own and command.party not in self.followed:
            return  # a handset's own sounds matter only to its device; voices go to everyone
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        key = _clip_key(command)
        if loop is not None and key is not None and key not in self._ready:
            # synthesis takes a process: in the worker, then applied back here, in order
            future = loop.run_in_executor(self._synthesis, self._prepare, command)
            self._waiting.append((command, key, future))
            future.add_done_callback(lambda _: self._drain())
        elif loop is not None and self._waiting:
            self._waiting.append((command, key, None))  # behind a clip still being made
        else:
            self._catch_up()
            self.mixer.apply(command)

    def _prepare(self, command: SoundCommand) -> None:
        """In the worker thread: make the command's clip (the speech or WAV cache keeps it)."""
        clips = self.mixer.clips
        if clips is None:
            return
        if isinstance(command, Speak):
            clips.speech.spoken(command.text_fr, command.text_en)
        elif isinstance(command, StartVoice):
            clips.clip(command)

    def _drain(self) -> None:
        """On the event loop: the commands whose clips are ready apply, in their order."""
        while self._waiting:
            command, key, future = self._waiting[0]
            if future is not None and not future.done():
                return  # the next one still waits for its clip
            self._waiting.popleft()
            if self._unsubscribe is None:  # closed meanwhile
                self._waiting.clear()
                return
            if future is not None and key is not None and not future.cancelled():
                self._ready[key] = None
                self._ready.move_to_end(key)
                while len(self._ready) > READY_CLIPS:
                    self._ready.popitem(last=False)
            self._catch_up()
            self.mixer.apply(command)


def _clip_key(command: SoundCommand) -> tuple[str, ...] | None:
    """What identifies the clip a command needs (None: it needs no synthesis nor file)."""
    if isinstance(command, Speak):
        return ("say", command.text_fr, command.text_en)
    if isinstance(command, StartVoice) and command.kind == "say":
        return ("say", command.text_fr, command.text_en)
    if isinstance(command, StartVoice) and command.kind == "play":
        return ("play", command.file or "")
    return None
