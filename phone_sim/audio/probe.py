"""The earpiece probe: what a handset hears, measured in its sound (``--verify-audio``).

Owns proving a voice path with sound rather than the model. A probe is a ``Mixer``
driven in virtual time, in the caller's thread, by a ``SoundListener`` on the network's
bus: every command moves the mixer to its virtual time (nothing is rendered on the way,
so following a session costs almost nothing), then applies. ``heard(party)`` renders
``CHECK_MS`` (200 ms) of that party's earpiece from the state of the current instant
(time does not move; a voice talking now goes on through the whole stretch) and tells
which parties' identification tones it holds (``ident.IdentDetector``).

    probe = EarpieceProbe(rate=8000)
    probe.attach(net.bus, net.tone, net.ringing, list(net.parties), net.now,
                 hears_of=lambda party: net.hears(party).voices, watch=net.media.watch)
    ...
    probe.heard("A", now_ms=net.now)   # -> frozenset of the talking parties A hears
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy.typing as npt

from phone_sim.audio import tones
from phone_sim.audio.clips import VoiceClips
from phone_sim.audio.commands import Feed, SoundCommand
from phone_sim.audio.ident import CHECK_MS, IdentDetector
from phone_sim.audio.listener import SoundListener
from phone_sim.audio.mixer import Mixer
from phone_sim.audio.speech import Speech
from phone_sim.network.events import EventBus

PROBE_RATE = 8000  # the telephone's rate: every identification tone lies below 3.4 kHz


class EarpieceProbe:
    def __init__(self, rate: int = PROBE_RATE, speech: Speech | None = None) -> None:
        self.rate = rate
        self.mixer = Mixer(rate, clips=VoiceClips(speech or Speech(rate)))
        self.detector = IdentDetector(rate)
        self.listener: SoundListener | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def attach(self, bus: EventBus, tone_of: Callable[[str], str], ringing_of: Callable[[str], bool],
               parties: Iterable[str], now_ms: int = 0,
               hears_of: Callable[[str], Iterable[str]] | None = None,
               watch: Callable[[], Callable[[], None]] | None = None) -> None:
        """Follow ``bus`` from ``now_ms``; ``parties`` in the company's order (their tones)."""
        parties = list(parties)
        for party in parties:
            self.mixer.add_party(party)
        self.mixer.advance_to(tones.samples_for(now_ms, self.rate))
        self.listener = SoundListener(self._apply, tone_of, ringing_of, parties, hears_of, watch)
        self.listener.start(now_ms)
        self._unsubscribe = bus.subscribe(self.listener)

    def detach(self) -> None:
        if self.listener is not None:
            self.listener.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _apply(self, command: SoundCommand) -> None:
        mixer = self.mixer
        mixer.advance_to(tones.samples_for(command.time, self.rate))
        if isinstance(command, Feed):
            mixer.feed(command.party, command.samples, command.rate, command.time)
        else:
            mixer.apply(command)

    def earpiece(self, party: str, now_ms: int, ms: int = CHECK_MS) -> npt.NDArray:
        """``ms`` of ``party``'s earpiece from ``now_ms``, the voices of now held through it."""
        self.mixer.advance_to(tones.samples_for(now_ms, self.rate))
        return self.mixer.render_held(party, tones.samples_for(ms, self.rate))

    def heard(self, party: str, now_ms: int, among: Iterable[str] | None = None) -> frozenset[str]:
        """The parties (of ``among``, default all) whose identification tone ``party`` hears."""
        sound = self.earpiece(party, now_ms)
        found = self.detector.heard(sound)
        candidates = self.mixer.parties if among is None else tuple(among)
        return frozenset(q for q in candidates if q != party and self.mixer.frequency(q) in found)

    def frequency(self, party: str) -> float:
        return self.mixer.frequency(party)
