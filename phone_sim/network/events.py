"""Events: frozen dataclasses stamped with virtual time (ms), published on one bus.

Names read as in telephony stacks (``CallDidStart``, ``LegDidRing``, ``CallDidEnd``).
CDRs, the event log, sound, scenario expectations and lessons all read this stream.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Event:
    time: int


@dataclass(frozen=True, slots=True)
class CallDidStart(Event):
    call_id: int
    caller: str
    dialled: str  # the party or group id dialled, or the raw digits when unknown


@dataclass(frozen=True, slots=True)
class LegDidRing(Event):
    call_id: int
    party: str
    caller: str
    waiting: bool = False
    forwarded_from: str | None = None
    group: str | None = None


@dataclass(frozen=True, slots=True)
class LegDidStopRinging(Event):
    call_id: int
    party: str
    reason: str  # answered_elsewhere, switchover, forwarded, abandoned, rejected, ...


@dataclass(frozen=True, slots=True)
class CallDidAnswer(Event):
    call_id: int
    party: str
    caller: str


@dataclass(frozen=True, slots=True)
class CallDidForward(Event):
    call_id: int
    from_party: str
    to_number: str
    condition: str  # unconditional, busy, no_answer, unreachable
    hop: int


@dataclass(frozen=True, slots=True)
class CallDidQueue(Event):
    call_id: int
    group: str
    caller: str
    position: int


@dataclass(frozen=True, slots=True)
class CallDidEnd(Event):
    call_id: int
    reason: str  # normal, busy, unreachable, number_not_allocated, no_answer, ...
    answered: bool
    released_by: str | None = None
    parties: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LegDidHold(Event):
    call_id: int
    party: str


@dataclass(frozen=True, slots=True)
class LegDidRetrieve(Event):
    call_id: int
    party: str


@dataclass(frozen=True, slots=True)
class CallDidTransfer(Event):
    by: str
    parties: tuple[str, str]
    call_id: int


@dataclass(frozen=True, slots=True)
class ConferenceDidChange(Event):
    call_id: int
    organiser: str
    participants: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DtmfWasSent(Event):
    party: str
    digit: str
    to: tuple[str, ...]  # the parties that hear the sender's voice now (media.listeners_of)


@dataclass(frozen=True, slots=True)
class KeyWasPressed(Event):
    party: str
    key: str  # 0-9 * # call end hold conf


@dataclass(frozen=True, slots=True)
class ActionWasRefused(Event):
    party: str | None
    action: str
    reason: str
    message_fr: str = ""
    message_en: str = ""


@dataclass(frozen=True, slots=True)
class Announcement(Event):
    party: str
    code: str  # a reason code or a catalogue key (announce.*, menu.*)
    text_fr: str
    text_en: str


@dataclass(frozen=True, slots=True)
class VoiceDidStart(Event):
    """A party starts talking (SPEC 12): ``kind`` say | talk | play | mic | sip.

    ``text`` is the line said (``text_en`` its English when the script gave one), ``file``
    the WAV played (an absolute path); ``duration_ms`` 0 = until ``VoiceDidStop``.
    """

    party: str
    kind: str
    duration_ms: int = 0
    text: str = ""
    text_en: str = ""
    file: str = ""


@dataclass(frozen=True, slots=True)
class VoiceDidStop(Event):
    """A party's voice ended: ``reason`` ended (its duration), stopped, or replaced."""

    party: str
    kind: str
    reason: str = "ended"


@dataclass(frozen=True, slots=True)
class HandsetDidChange(Event):
    """Something a face shows for this handset may have changed (view, tone, power...)."""

    party: str


@dataclass(frozen=True, slots=True)
class MediaDidChange(Event):
    """Earpieces changed (media.py), all at this instant: one event per action or timer,
    with one ``(party, voices, sources)`` per handset whose earpiece differs from what was
    last published; voices and sources sorted, both empty when it now hears nothing."""

    changes: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]

    def heard(self, party: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """``(voices, sources)`` of ``party`` in this change, None when it is not in it."""
        for ident, voices, sources in self.changes:
            if ident == party:
                return voices, sources
        return None


@dataclass(frozen=True, slots=True)
class PowerDidChange(Event):
    party: str
    on: bool


@dataclass(frozen=True, slots=True)
class LocationDidChange(Event):
    party: str
    location: str


@dataclass(frozen=True, slots=True)
class SettingDidChange(Event):
    """A portal or MMI change was applied to the live network."""

    who: str
    operation: str
    target: str
    before: str = ""
    after: str = ""


@dataclass(frozen=True, slots=True)
class MemberDidChange(Event):
    group: str
    line: str
    connected: bool


@dataclass(frozen=True, slots=True)
class ServiceAnswer(Event):
    """The network's answer to an MMI code, shown on the handset."""

    party: str
    code: str
    text_fr: str
    text_en: str


Listener = Callable[[Event], None]


@dataclass
class EventBus:
    """One stream; listeners are called in subscription order, synchronously.

    A listener may ask for some kinds of event only (``subscribe(listener, kinds)``): it
    is called for those alone, and an event of a kind no listener asked for need not be
    built at all (``wants``: the switch skips its per-handset change notices so).
    """

    listeners: list[Listener] = field(default_factory=list)
    _kinds: list[tuple[type[Event], ...] | None] = field(default_factory=list, repr=False)
    _wanted: dict[type[Event], bool] = field(default_factory=dict, repr=False)

    def subscribe(self, listener: Listener,
                  kinds: tuple[type[Event], ...] | None = None) -> Callable[[], None]:
        called = listener if kinds is None else _only(listener, kinds)
        self.listeners.append(called)
        self._kinds.append(kinds)
        self._wanted.clear()

        def unsubscribe() -> None:
            for i, entry in enumerate(self.listeners):
                if entry is called:
                    del self.listeners[i]
                    del self._kinds[i]
                    self._wanted.clear()
                    return

        return unsubscribe

    def wants(self, kind: type[Event]) -> bool:
        """Whether some listener would be called for an event of ``kind``."""
        wanted = self._wanted.get(kind)
        if wanted is None:
            wanted = self._wanted[kind] = any(k is None or issubclass(kind, k) for k in self._kinds)
        return wanted

    def publish(self, event: Event) -> None:
        for listener in self.listeners:
            listener(event)


def _only(listener: Listener, kinds: tuple[type[Event], ...]) -> Listener:
    def only(event: Event) -> None:
        if isinstance(event, kinds):
            listener(event)
    return only
