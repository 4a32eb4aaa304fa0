"""The sound listener: events in, one command per thing a handset should hear, no waiting."""

from __future__ import annotations

import threading

import pytest

from phone_sim.audio.backends import LivePlayer
from phone_sim.audio.commands import PlayKey, SetRinger, SetTone, SoundCommand, Speak
from phone_sim.audio.listener import SoundListener
from phone_sim.audio.speech import Speech
from phone_sim.network.events import (
    Announcement,
    CallDidStart,
    DtmfWasSent,
    EventBus,
    HandsetDidChange,
    KeyWasPressed,
)


class Phones:
    """What the network would answer for tone_of / ringing_of."""

    def __init__(self) -> None:
        self.tone = {"A": "none", "B": "none"}
        self.ringing = {"A": False, "B": False}
        self.asked: list[str] = []

    def tone_of(self, party: str) -> str:
        self.asked.append(party)
        return self.tone[party]

    def ringing_of(self, party: str) -> bool:
        return self.ringing[party]


@pytest.fixture
def phones() -> Phones:
    return Phones()


@pytest.fixture
def sent() -> list[SoundCommand]:
    return []


@pytest.fixture
def bus(phones: Phones, sent: list[SoundCommand]) -> EventBus:
    bus = EventBus()
    listener = SoundListener(sent.append, phones.tone_of, phones.ringing_of, ["A", "B"])
    listener.start(0)
    bus.subscribe(listener)
    return bus


def test_start_gives_every_handset_its_state(bus: EventBus, sent: list[SoundCommand]) -> None:
    assert sent == [
        SetTone(0, "A", "none"),
        SetRinger(0, "A", False),
        SetTone(0, "B", "none"),
        SetRinger(0, "B", False),
    ]


def test_handset_change_rereads_tone_and_ringer_and_sends_only_changes(
    bus: EventBus, phones: Phones, sent: list[SoundCommand]
) -> None:
    sent.clear()
    phones.tone["A"], phones.ringing["B"] = "ringback", True
    bus.publish(HandsetDidChange(1200, "A"))
    bus.publish(HandsetDidChange(1200, "B"))
    bus.publish(HandsetDidChange(1500, "A"))  # nothing new for A
    phones.tone["A"] = "busy"
    bus.publish(HandsetDidChange(9000, "A"))
    assert sent == [SetTone(1200, "A", "ringback"), SetRinger(1200, "B", True), SetTone(9000, "A", "busy")]


def test_keys_are_heard_by_who_presses_and_dtmf_by_who_receives(
    bus: EventBus, sent: list[SoundCommand]
) -> None:
    sent.clear()
    for key in ["5", "call", "#", "end", "hold", "conf", "*"]:
        bus.publish(KeyWasPressed(100, "A", key))
    bus.publish(DtmfWasSent(200, "A", "7", ("B", "C")))
    assert sent == [
        PlayKey(100, "A", "5"),
        PlayKey(100, "A", "#"),
        PlayKey(100, "A", "*"),
        PlayKey(200, "B", "7"),
        PlayKey(200, "C", "7"),
    ]


def test_announcements_are_spoken_on_the_handset(bus: EventBus, sent: list[SoundCommand]) -> None:
    sent.clear()
    bus.publish(Announcement(300, "A", "group_closed", "Groupe fermé", "Group closed"))
    bus.publish(CallDidStart(300, 1, "A", "B"))  # not a sound
    assert sent == [Speak(300, "A", "group_closed", "Groupe fermé", "Group closed")]


def test_a_failing_callback_never_reaches_the_network(phones: Phones, sent: list[SoundCommand]) -> None:
    def broken(party: str) -> str:
        raise KeyError(party)

    listener = SoundListener(sent.append, broken, phones.ringing_of, ["A"])
    listener(HandsetDidChange(0, "A"))
    assert listener.errors == 1 and sent == []


class BlockedStream:
    """A device that never takes a sample until released."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.writes = 0

    def write(self, pcm: bytes) -> None:
        self.release.wait()
        self.writes += 1

    def close(self) -> None:
        pass


def test_publishing_never_waits_for_the_player(phones: Phones) -> None:
    stream = BlockedStream()
    player = LivePlayer(8000, Speech(8000, engine=None), open_stream=lambda rate, frames: stream)
    try:
        listener = SoundListener(player.submit, phones.tone_of, phones.ringing_of, ["A", "B"])
        bus = EventBus()
        bus.subscribe(listener)
        for i in range(10_000):
            bus.publish(KeyWasPressed(i, "A", "1"))
        # the player's thread is stuck in its first write: every key is still queued,
        # so publishing returned without waiting for any of them
        assert stream.writes == 0
        assert player.pending >= 10_000 - 1
    finally:
        stream.release.set()
        player.close()
    assert stream.writes >= 1
