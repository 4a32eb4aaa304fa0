"""The sound listener: turns network events into what each handset hears.

Owns the mapping from events to sound commands. It subscribes to the network's
``EventBus`` and, for each event, does a few dictionary look-ups and hands commands to
``send`` (a queue put): it never synthesises, plays or waits.

- ``HandsetDidChange``: re-read the handset's earpiece tone (``tone_of``) and ringer
  (``ringing_of``); send what changed.
- ``KeyWasPressed`` (0-9, * and #): a short DTMF tone on the pressing handset.
- ``DtmfWasSent``: the same tone heard by the parties it was sent to.
- ``Announcement``: spoken (or the special information tone) on that handset.
- ``VoiceDidStart`` / ``VoiceDidStop``: a party's mouthpiece starts or stops a voice.
- ``MediaDidChange``: whose voices each changed earpiece carries now (one ``SetHeard``
  per party whose voices changed); ``hears_of(party)`` (the network's media plane,
  voices only) gives the state at ``start``. The network publishes these only while a
  face watches: ``watch`` (``Network.media.watch``) is called at ``start`` and the
  watching ends with ``stop``.

Every command carries the event's virtual time, so a recorder can follow virtual time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Final

from phone_sim.audio.commands import (
    PlayKey,
    SetHeard,
    SetRinger,
    SetTone,
    SoundCommand,
    Speak,
    StartVoice,
    StopVoice,
)
from phone_sim.network.events import (
    Announcement,
    DtmfWasSent,
    Event,
    HandsetDidChange,
    KeyWasPressed,
    MediaDidChange,
    VoiceDidStart,
    VoiceDidStop,
)

DTMF_KEYS: Final = frozenset("0123456789*#ABCD")

log = logging.getLogger(__name__)


class SoundListener:
    """Call it with each event (it is an ``EventBus`` listener)."""

    def __init__(
        self,
        send: Callable[[SoundCommand], None],
        tone_of: Callable[[str], str],
        ringing_of: Callable[[str], bool],
        parties: Iterable[str] = (),
        hears_of: Callable[[str], Iterable[str]] | None = None,
        watch: Callable[[], Callable[[], None]] | None = None,
    ) -> None:
        self._send = send
        self._tone_of = tone_of
        self._ringing_of = ringing_of
        self._hears_of = hears_of
        self._watch = watch
        self._unwatch: Callable[[], None] | None = None
        self.parties = list(parties)
        self._tone: dict[str, str] = {}
        self._ringing: dict[str, bool] = {}
        self._heard: dict[str, tuple[str, ...]] = {}
        self.errors = 0  # events the listener could not turn into sound

    def start(self, time: int) -> None:
        """Announce every handset's current tone and ringer, so each has a timeline."""
        if self._watch is not None and self._unwatch is None:
            self._unwatch = self._watch()  # from now on the network publishes MediaDidChange
        for party in self.parties:
            self._tone[party] = tone = self._tone_of(party)
            self._ringing[party] = ringing = self._ringing_of(party)
            self._send(SetTone(time, party, tone))
            self._send(SetRinger(time, party, ringing))
            if self._hears_of is not None:
                self._heard[party] = heard = tuple(sorted(self._hears_of(party)))
                self._send(SetHeard(time, party, heard))

    def stop(self) -> None:
        """Stop watching the media plane (the network stops deriving it for us)."""
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None

    def __call__(self, event: Event) -> None:
        # Sound must never break the network that publishes to it.
        try:
            if isinstance(event, HandsetDidChange):
                self._changed(event.time, event.party)
            elif isinstance(event, KeyWasPressed):
                if event.key in DTMF_KEYS:
                    self._send(PlayKey(event.time, event.party, event.key))
            elif isinstance(event, DtmfWasSent):
                for party in event.to:
                    self._send(PlayKey(event.time, party, event.digit))
            elif isinstance(event, Announcement):
                self._send(Speak(event.time, event.party, event.code, event.text_fr, event.text_en))
            elif isinstance(event, MediaDidChange):
                for party, voices, _sources in event.changes:
                    self._set_heard(event.time, party, voices)
            elif isinstance(event, VoiceDidStart):
                self._send(StartVoice(event.time, event.party, event.kind, event.duration_ms,
                                      event.text, event.text_en, event.file))
            elif isinstance(event, VoiceDidStop):
                self._send(StopVoice(event.time, event.party, event.kind, event.reason))
        except Exception:
            self.errors += 1
            log.debug("sound listener could not handle %r", event, exc_info=True)

    def _changed(self, time: int, party: str) -> None:
        tone = self._tone_of(party)
        if self._tone.get(party) != tone:
            self._tone[party] = tone
            self._send(SetTone(time, party, tone))
        ringing = bool(self._ringing_of(party))
        if self._ringing.get(party) != ringing:
            self._ringing[party] = ringing
            self._send(SetRinger(time, party, ringing))

    def _set_heard(self, time: int, party: str, voices: Iterable[str]) -> None:
        heard = tuple(sorted(voices))
        if self._heard.get(party) != heard:
            self._heard[party] = heard
            self._send(SetHeard(time, party, heard))
