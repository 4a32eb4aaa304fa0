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

While a face watches (``Network.media.watch()``), ``MediaWatch`` publishes one
``MediaDidChange`` from ``Network.flush()`` (after each action or timer) listing the
touched handsets whose earpiece differs from the last one published (O(touched handsets)).
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
_RINGBACK, _QUEUED, _MUSIC, _PROMPT = _ONLY["ringback"], _ONLY["music"], _ONLY["music"], _ONLY["prompt"]
# builds an Earpiece at C speed (a NamedTuple's own __new__ is Python code); hot path only
_new: Callable[[type[Earpiece], tuple[tuple[str, ...], tuple[str, ...]]], Earpiece] = tuple.__new__


def peers(leg: Leg) -> list[Leg]:
    """The legs that hear ``leg``'s party through this leg (and that it hears): the other
    connected legs of its answered call, when ``leg`` itself is connected."""
    call = leg.call
    if leg.state != "connected" or call.service is not None:
        return []
    return [other for other in call.legs if other is not leg and other.state == "connected"]


def earpiece(party: Party, dialing: bool = False) -> Earpiece:
    """What ``party`` hears now (``dialing``: the face has digits typed and no call)."""
    return _earpiece(party, dialing, None)


# per call id: the ids of its connected parties (sorted) and whether any leg holds it
_Talk = tuple[tuple[str, ...], bool]


def _earpiece(party: Party, dialing: bool, memo: dict[int, _Talk] | None) -> Earpiece:
    """``earpiece``; ``memo`` shares each call's connected parties between the handsets
    derived in one go (a conference's participants)."""
    if not party.power or party.location == "no_coverage":
        return SILENT
    legs = party.legs
    if not legs:
        if dialing:
            return _ONLY["dial"]
        transient = party.transient_tone
        return _ONLY[transient] if transient is not None else SILENT
    if len(legs) == 1:  # the common case, kept cheap: one call, no waiting tone
        return _leg_earpiece(legs[0], memo)
    voices: set[str] = set()
    sources: set[str] = set()
    alerting = engaged = False
    for leg in legs:
        if leg.state == "alerting":
            alerting = True
            continue
        engaged = True
        ear = _leg_earpiece(leg, memo)
        voices.update(ear.voices)
        sources.update(ear.sources)
    if alerting and engaged:
        sources.add("waiting")
    if not voices and not sources:
        return SILENT
    return Earpiece(tuple(sorted(voices)), tuple(sorted(sources)))


def _leg_earpiece(leg: Leg, memo: dict[int, _Talk] | None) -> Earpiece:
    """What one leg brings to its party's earpiece (alerting and held legs: nothing)."""
    state = leg.state
    call = leg.call
    if state == "connected":
        if call.service is not None:
            return _PROMPT
        legs = call.legs
        if len(legs) == 2:  # a two-party call, the commonest: no need to share anything
            other = legs[1] if legs[0] is leg else legs[0]
            other_state = other.state
            if other_state == "connected":
                return _new(Earpiece, ((other.party.id,), ()))
            return _MUSIC if other_state == "held" else SILENT
        talk = memo.get(call.id) if memo is not None else None
        if talk is None:
            talk = _talk(legs)
            if memo is not None:
                memo[call.id] = talk
        connected, held = talk  # this leg is one of the connected: every other is heard
        if len(connected) > 1:  # every other connected party, in order (slices run at C speed)
            mine = connected.index(leg.party.id)
            return _new(Earpiece, (connected[:mine] + connected[mine + 1:], ()))
        return _MUSIC if held else SILENT
    if state == "calling":
        return _QUEUED if call.queued else _RINGBACK
    return SILENT


def _talk(legs: list[Leg]) -> _Talk:
    connected = []
    held = False
    for leg in legs:
        state = leg.state
        if state == "connected":
            connected.append(leg.party.id)
        elif state == "held":
            held = True
    connected.sort()
    return tuple(connected), held


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
    """Publishes ``MediaDidChange`` while at least one face watches (``watch()``).

    Watching is asked for because most listeners (logs, call records, the scenario
    runner) never need the events, and deriving every touched earpiece after every action
    would cost them (bench/core.py measures it). Faces that render sound read
    ``Network.hears`` when a handset changes instead. While watched, the last earpiece
    published per handset is remembered (only those that are not silent, so memory
    follows the calls in progress); ``watch()`` takes the baseline once, so the events
    that follow are exact from the first one.
    """

    def __init__(self, parties: dict[str, Party]) -> None:
        self.parties = parties
        self.watchers = 0
        self._last: dict[str, Earpiece] = {}

    def watch(self) -> Callable[[], None]:
        """Start publishing ``MediaDidChange``; the returned function stops (once)."""
        if self.watchers == 0:
            self._last = {}
            for ident, party in self.parties.items():
                if party.legs or party.transient_tone is not None:
                    ear = earpiece(party)
                    if ear is not SILENT:
                        self._last[ident] = ear
        self.watchers += 1
        done = False

        def unwatch() -> None:
            nonlocal done
            if not done:
                done = True
                self.watchers -= 1
                if self.watchers == 0:
                    self._last = {}

        return unwatch

    def publish_changes(self, idents: Iterable[str], now: int,
                        publish: Callable[[MediaDidChange], None]) -> None:
        """Publish the earpieces of ``idents`` that changed (call it only while watched)."""
        last, parties = self._last, self.parties
        memo: dict[int, _Talk] = {}
        changes = []
        for ident in idents:
            party = parties[ident]
            legs = party.legs
            # the same rule as earpiece(), with its commonest cases first (kept cheap:
            # this runs for every touched handset after every action)
            if not legs and party.transient_tone is None:
                ear = SILENT
            elif len(legs) == 1 and party.power and party.location != "no_coverage":
                ear = _leg_earpiece(legs[0], memo)
            else:
                ear = _earpiece(party, False, memo)
            before = last.get(ident)
            if before is None:
                if ear is SILENT:
                    continue
            elif before == ear:
                continue
            if ear is SILENT:
                if before is not None:
                    del last[ident]
            else:
                last[ident] = ear
            changes.append((ident, ear.voices, ear.sources))
        if changes:
            publish(MediaDidChange(now, tuple(changes)))

    def last(self, ident: str) -> Earpiece:
        """The earpiece last published for ``ident`` (silent when none was)."""
        return self._last.get(ident, SILENT)
