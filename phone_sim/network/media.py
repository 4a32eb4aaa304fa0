"""The media plane: who hears whom, derived from the call state at each instant (SPEC 12).

Nothing here is stored: an ``Earpiece`` is computed from the handset's legs, their calls,
hold, conference and the services answering a call, so the live sound, WAV recordings,
SIP RTP and the scenario checks (``hears:``) all read one rule. ``views.tone_of`` (the
``tone:`` of a handset) is derived from the same earpiece, so the two never disagree.

An earpiece holds the **voices** (ids of the parties whose voice, and in-band DTMF,
reach it now) and the **sources** (network sounds heard now, names in ``SOURCES``):

- ``ringback``: the handset is placing a call and anything rings for it (forwarding,
  ring lists and groups included: the caller's leg stays ``calling`` until an answer);
- ``music``: queued in a group, or every other party of an answered call holds it (the
  held party hears music; the holder hears nothing of that call);
- ``waiting``: a call waits while the handset is in another call (over its voices);
- ``prompt``: the handset is in a voice menu (its prompts are spoken);
- ``announcement``: the network released the handset's call with an announcement
  (``number_not_allocated``, ``unreachable``...), heard until the next key, like ``busy``;
- ``busy``: the handset's call met busy, until the next key;
- ``dial``: the face says the handset is dialling (digits typed before CALL, no call).

Rules (all symmetric: X hears Y exactly when Y hears X): two legs of one answered call
hear each other when both are ``connected`` (neither side holds); a conference is one call
with more legs, so every connected participant hears every other, never itself; the
organiser holding the conference leaves the others hearing each other (not all held: no
music); after ``2X`` the organiser and X are in a private call and the rest in the held
conference. A ringing handset hears nothing (its ringer sounds). A handset that is off or
out of coverage hears nothing and has no legs, so nobody hears it. A voice menu has no
other leg: the digits typed there reach nobody; ``#1`` is never sent in-band at all.

``MediaWatch`` publishes ``MediaDidChange`` from ``Network.flush()`` for the touched
handsets whose earpiece differs from the last one published (O(touched handsets)).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

from phone_sim.network.events import MediaDidChange

if TYPE_CHECKING:
    from phone_sim.network.calls import Leg
    from phone_sim.network.parties import Party

SOURCES = ("ringback", "music", "waiting", "prompt", "announcement", "busy", "dial")
# the tone of a handset (``tone:``, the sound listener): the first of these it hears
TONE_PRIORITY = ("waiting", "ringback", "music", "dial", "busy")
# release reasons after which the caller hears an announcement until the next key
ANNOUNCED = ("number_not_allocated", "unreachable", "group_closed", "forwarding_loop", "no_answer",
             "invalid_number", "code_locked")


class Earpiece(NamedTuple):
    """What one handset hears now: other parties' voices and network sources, each a
    sorted tuple (so two earpieces are equal exactly when they hear the same).

    A named tuple of tuples rather than a dataclass of sets: one is derived for every
    touched handset after every action, and tuples are built and compared at C speed.
    """

    voices: tuple[str, ...]
    sources: tuple[str, ...]

    @property
    def tone(self) -> str:
        """The network tone among the sources (``none`` when there is none)."""
        sources = self.sources
        if sources:
            for name in TONE_PRIORITY:
                if name in sources:
                    return name
        return "none"


SILENT = Earpiece((), ())
_ONLY = {name: Earpiece((), (name,)) for name in SOURCES}


def peers(leg: Leg) -> list[Leg]:
    """The legs that hear ``leg``'s party through this leg (and that it hears): the other
    connected legs of its answered call, when ``leg`` itself is connected."""
    call = leg.call
    if leg.state != "connected" or call.service is not None:
        return []
    return [other for other in call.legs if other is not leg and other.state == "connected"]


def earpiece(party: Party, dialing: bool = False) -> Earpiece:
    """What ``party`` hears now (``dialing``: the face has digits typed and no call)."""
    if not party.power or party.location == "no_coverage":
        return SILENT
    legs = party.legs
    if not legs:
        if dialing:
            return _ONLY["dial"]
        transient = party.transient_tone
        return _ONLY[transient] if transient is not None else SILENT
    if len(legs) == 1:  # the common case, kept cheap: one call, no waiting tone
        return _leg_earpiece(legs[0])
    voices: set[str] = set()
    sources: set[str] = set()
    alerting = engaged = False
    for leg in legs:
        if leg.state == "alerting":
            alerting = True
            continue
        engaged = True
        ear = _leg_earpiece(leg)
        voices.update(ear.voices)
        sources.update(ear.sources)
    if alerting and engaged:
        sources.add("waiting")
    if not voices and not sources:
        return SILENT
    return Earpiece(tuple(sorted(voices)), tuple(sorted(sources)))


def _leg_earpiece(leg: Leg) -> Earpiece:
    """What one leg brings to its party's earpiece (alerting and held legs: nothing)."""
    state = leg.state
    call = leg.call
    if state == "calling":
        return _ONLY["music" if call.queued else "ringback"]
    if state != "connected":
        return SILENT
    if call.service is not None:
        return _ONLY["prompt"]
    voices = []
    held = False
    for other in call.legs:
        if other is not leg:
            other_state = other.state
            if other_state == "connected":
                voices.append(other.party.id)
            elif other_state == "held":
                held = True
    if voices:
        if len(voices) > 1:
            voices.sort()
        return Earpiece(tuple(voices), ())
    return _ONLY["music"] if held else SILENT


def listeners_of(party: Party) -> frozenset[str]:
    """Who hears ``party``'s voice (and its in-band DTMF) now."""
    if not party.power or party.location == "no_coverage":
        return frozenset()
    heard: set[str] = set()
    for leg in party.legs:
        for other in peers(leg):
            heard.add(other.party.id)
    return frozenset(heard)


class MediaWatch:
    """Remembers the last earpiece published per handset; publishes the changes.

    Only handsets whose last published earpiece is not silent are remembered, so memory
    follows the calls in progress. While nobody listens to the bus nothing is published:
    the handsets touched meanwhile are marked ``unseen`` and published at their next
    touch whatever their state (a listener that subscribes late reads ``hears`` first).
    """

    def __init__(self, parties: dict[str, Party]) -> None:
        self.parties = parties
        self.enabled = True  # off only to measure what the media plane costs (bench/core.py)
        self._last: dict[str, Earpiece] = {}
        self._unseen: set[str] = set()

    def missed(self, idents: Iterable[str]) -> None:
        """These handsets changed while nobody listened."""
        if self.enabled:
            self._unseen.update(idents)

    def publish_changes(self, idents: Iterable[str], now: int,
                        publish: Callable[[MediaDidChange], None]) -> None:
        if not self.enabled:
            return
        last, unseen, parties = self._last, self._unseen, self.parties
        for ident in idents:
            party = parties[ident]
            if party.legs or party.transient_tone is not None:
                ear = earpiece(party)
            else:  # the commonest touch after a call: nothing to derive
                ear = SILENT
            before = last.get(ident, SILENT)
            if ear == before and not (unseen and ident in unseen):
                continue
            if unseen:
                unseen.discard(ident)
            if ear.voices or ear.sources:
                last[ident] = ear
            else:
                last.pop(ident, None)
            publish(MediaDidChange(now, ident, ear.voices, ear.sources))

    def last(self, ident: str) -> Earpiece:
        """The earpiece last published for ``ident`` (silent when none was)."""
        return self._last.get(ident, SILENT)
