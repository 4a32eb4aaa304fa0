"""The media plane (SPEC 12): who hears whom, derived from the call state; its events."""

from __future__ import annotations

import pytest

from phone_sim.handset.handset import Handset
from phone_sim.network import events as ev
from phone_sim.network.clock import Clock
from phone_sim.network.company import CompanySpec, ExternalSpec, Forwarding, GroupSpec, LineSpec, RingList
from phone_sim.network.media import SILENT, Earpiece
from phone_sim.network.switch import Network

FULL = frozenset({"pabx", "double_appel"})
LINES = ("A", "C", "D", "E", "F", "G", "H")


def company(**extra: object) -> CompanySpec:
    lines = tuple(LineSpec(x, f"Line {x}", f"06010203{i:02d}", f"3{i:02d}", "mobile", FULL)
                  for i, x in enumerate(LINES, start=1))
    return CompanySpec(name="Media", lines=lines, externals=(ExternalSpec("B", "Madame B", "0145678900"),),
                       **extra)  # type: ignore[arg-type]


class Net:
    """A network with a handset per party and every MediaDidChange kept."""

    def __init__(self, spec: CompanySpec | None = None) -> None:
        self.net = Network(spec or company(), Clock())
        self.media: list[ev.MediaDidChange] = []
        self.dtmf: list[ev.DtmfWasSent] = []
        self.net.bus.subscribe(self._event)
        self.net.media.watch()
        self.sets = {ident: Handset(self.net, ident) for ident in self.net.parties}

    def _event(self, event: ev.Event) -> None:
        if isinstance(event, ev.MediaDidChange):
            self.media.append(event)
        elif isinstance(event, ev.DtmfWasSent):
            self.dtmf.append(event)

    def keys(self, ident: str, keys: list[str]) -> None:
        assert self.sets[ident].press_all(keys) == [], (ident, keys)
        self.net.clock.settle()

    def call(self, caller: str, callee: str, answer: bool = True) -> None:
        self.keys(caller, list(self.net.parties[callee].number) + ["call"])
        if answer:
            self.keys(callee, ["call"])

    def hears(self, ident: str) -> tuple[set[str], set[str]]:
        ear = self.net.hears(ident)
        return set(ear.voices), set(ear.sources)

    def published(self, ident: str) -> Earpiece:
        return self.net.media.last(ident)


def test_idle_handsets_hear_nothing() -> None:
    n = Net()
    assert all(n.net.hears(x) is SILENT for x in n.net.parties)
    assert n.net.hears("A", dialing=True) == Earpiece((), ("dial",))


def test_two_parties_hear_each_other_and_ringback_before() -> None:
    n = Net()
    n.call("A", "C", answer=False)
    assert n.hears("A") == (set(), {"ringback"})
    assert n.hears("C") == (set(), set())  # ringing: the ringer sounds, the earpiece is silent
    n.keys("C", ["call"])
    assert n.hears("A") == ({"C"}, set())
    assert n.hears("C") == ({"A"}, set())
    assert n.net.listeners_of("A") == {"C"}


def test_hold_cuts_both_ways_and_music_for_the_held_party() -> None:
    n = Net()
    n.call("A", "B")
    n.keys("A", ["hold"])
    assert n.hears("A") == (set(), set())
    assert n.hears("B") == (set(), {"music"})
    assert n.net.listeners_of("A") == frozenset() and n.net.listeners_of("B") == frozenset()
    assert n.net.tone("B") == "music"
    n.keys("A", ["hold"])
    assert n.hears("A") == ({"B"}, set()) and n.hears("B") == ({"A"}, set())


def test_swap_and_waiting_tone_over_the_voices() -> None:
    n = Net()
    n.call("A", "B")
    n.call("C", "A", answer=False)  # waits at A
    assert n.hears("A") == ({"B"}, {"waiting"})
    assert n.hears("C") == (set(), {"ringback"})
    n.keys("A", ["call"])  # answer: B is held
    assert n.hears("A") == ({"C"}, set())
    assert n.hears("B") == (set(), {"music"})
    n.keys("A", ["hold"])  # swap
    assert n.hears("A") == ({"B"}, set())
    assert n.hears("C") == (set(), {"music"})


def test_transfer_connects_the_two_others_and_the_transferrer_hears_nothing() -> None:
    n = Net()
    n.call("B", "A")
    n.call("A", "C")
    n.keys("A", ["#", "1"])
    assert n.hears("A") == (set(), set())
    assert n.hears("B") == ({"C"}, set()) and n.hears("C") == ({"B"}, set())
    assert all(d.digit != "#" for d in n.dtmf), "#1 is never sent in-band"


def conference_of(n: Net, organiser: str, others: list[str]) -> None:
    n.call(organiser, others[0])
    for other in others[1:]:
        n.call(organiser, other)
        n.keys(organiser, ["conf"])


@pytest.mark.parametrize("size", [3, 6])
def test_conference_everyone_hears_all_the_others(size: int) -> None:
    n = Net()
    members = ["A"] + list(LINES[1:size])
    conference_of(n, "A", members[1:])
    for x in members:
        assert n.hears(x) == (set(members) - {x}, set()), x


def test_conference_held_by_the_organiser_others_still_talk_no_music() -> None:
    n = Net()
    conference_of(n, "A", ["C", "D", "E"])
    n.call("A", "B")  # holds the conference first
    assert n.hears("A") == ({"B"}, set())
    for x in ("C", "D", "E"):
        assert n.hears(x) == ({"C", "D", "E"} - {x}, set()), x
    assert "A" not in n.net.listeners_of("C")


def test_split_2x_private_with_x_the_rest_together() -> None:
    n = Net()
    conference_of(n, "A", ["C", "D", "E"])
    n.keys("A", ["2", "1", "call"])  # participant 1 = C
    assert n.hears("A") == ({"C"}, set()) and n.hears("C") == ({"A"}, set())
    assert n.hears("D") == ({"E"}, set()) and n.hears("E") == ({"D"}, set())


def test_dtmf_reaches_the_listeners_only() -> None:
    n = Net()
    conference_of(n, "A", ["C", "D"])
    n.keys("C", ["5"])
    assert set(n.dtmf[-1].to) == {"A", "D"}
    n.keys("D", ["hold"])  # D holds on his side: nobody hears D, D hears nobody
    n.keys("C", ["7"])
    assert set(n.dtmf[-1].to) == {"A"}
    assert n.net.parties["D"].legs[0].dtmf == "5", "a party holding the call does not see the digits"
    n.keys("D", ["hold"])
    n.keys("A", ["hold"])  # the organiser holds the conference: C and D still hear each other
    n.keys("D", ["4"])
    assert n.dtmf[-1].to == ("C",)


def test_off_and_no_coverage_hear_nothing() -> None:
    n = Net()
    n.call("A", "B")
    n.net.move("A", "no_coverage")
    assert n.net.hears("A") is SILENT and n.hears("B") == (set(), set())
    n.call("C", "B")
    n.net.switch_off("C")
    assert n.net.hears("C") is SILENT and n.net.listeners_of("B") == frozenset()


def test_announcement_after_an_announced_release_until_the_next_key() -> None:
    n = Net()
    n.keys("B", list("0601020399") + ["call"])  # not allocated
    assert n.hears("B") == (set(), {"announcement"}) and n.net.tone("B") == "none"
    n.keys("B", ["1"])
    assert n.net.hears("B", dialing=True).sources == ("dial",)
    assert n.net.hears("B") is SILENT


def test_busy_until_the_next_key() -> None:
    n = Net()
    n.call("G", "B")
    n.call("C", "B", answer=False)  # B has no double appel: busy
    assert n.hears("C") == (set(), {"busy"}) and n.net.tone("C") == "busy"


def test_ringback_through_forwarding_and_ring_lists() -> None:
    spec = company(forwarding={"C": Forwarding(no_answer="0601020303", delay=5)},  # to D
                   incoming={"E": RingList("simultaneous", ("0601020305", "0601020306"))})  # F, G
    n = Net(spec)
    n.call("B", "C", answer=False)
    n.net.clock.advance(5000)  # forwarded to D, which rings
    assert n.net.view("D").calls[0].state == "ringing"
    assert n.hears("B") == (set(), {"ringback"})
    n.keys("D", ["call"])
    assert n.hears("B") == ({"D"}, set())
    n.call("A", "E", answer=False)
    assert n.hears("A") == (set(), {"ringback"})
    n.keys("G", ["call"])
    assert n.hears("A") == ({"G"}, set()) and n.hears("F") == (set(), set())


def test_group_queue_music_then_the_member() -> None:
    group = GroupSpec("COM", "0609182236", "Com", "1703", "2202", 2, 10, 0, "linear", ("C",), ("C",))
    n = Net(company(groups=(group,)))
    n.call("A", "C")  # the only member is busy
    n.keys("B", list("0609182236") + ["call"])
    assert n.hears("B") == (set(), {"music"})
    n.keys("A", ["end"])  # C is free: the queued caller rings C
    assert n.hears("B") == (set(), {"ringback"})
    n.keys("C", ["call"])
    assert n.hears("B") == ({"C"}, set())


def test_voice_menu_prompt_and_digits_heard_by_nobody() -> None:
    group = GroupSpec("COM", "0609182236", "Com", "1703", "2202", 1, 10, 0, "linear", ("A",), ())
    n = Net(company(groups=(group,)))
    n.keys("A", list("*0609182236") + ["call"])
    assert n.hears("A") == (set(), {"prompt"})
    n.keys("A", list("1703"))
    assert all(d.to == () for d in n.dtmf) and len(n.dtmf) == 4


def test_media_did_change_follows_every_change_once() -> None:
    n = Net()
    n.call("A", "B")
    n.keys("A", ["hold"])
    n.keys("A", ["hold"])
    for x in n.net.parties:
        assert n.published(x) == n.net.hears(x), x
    assert [e.changes for e in n.media] == [
        (("A", (), ("ringback",)),),  # B rings: its earpiece stays silent, so B is not listed
        (("B", ("A",), ()), ("A", ("B",), ())),  # answered: one event for the instant
        (("A", (), ()), ("B", (), ("music",))),  # held
        (("A", ("B",), ()), ("B", ("A",), ())),  # retrieved
    ]
    assert n.media[2].heard("B") == ((), ("music",)) and n.media[0].heard("B") is None


def test_no_event_when_the_earpiece_did_not_change() -> None:
    n = Net()
    n.call("A", "B")
    count = len(n.media)
    n.keys("A", ["5"])  # DTMF touches B's display, not its earpiece
    assert len(n.media) == count


def test_events_only_while_watched_from_a_baseline_taken_when_watching_starts() -> None:
    net = Network(company(), Clock())
    seen: list[ev.MediaDidChange] = []
    net.bus.subscribe(lambda e: seen.append(e) if isinstance(e, ev.MediaDidChange) else None)
    net.dial("A", "0145678900")
    net.answer("B")
    assert seen == [] and net.media.last("A") is SILENT  # nobody watches: nothing derived
    unwatch = net.media.watch()
    assert net.media.last("A") == Earpiece(("B",), ())  # the baseline: no event for it
    net.hold("A")
    net.end("A")  # both go silent
    assert [e.changes for e in seen] == [(("A", (), ()), ("B", (), ("music",))),
                                         (("B", (), ()),)]  # A was already silent
    unwatch()
    unwatch()  # stopping twice counts once
    assert net.media.watchers == 0
    net.dial("A", "0145678900")
    assert len(seen) == 2


def test_tone_is_derived_from_the_earpiece() -> None:
    n = Net()
    n.call("A", "B")
    n.call("C", "A", answer=False)
    assert n.net.tone("A") == "waiting" == n.net.hears("A").tone


def test_no_busy_tone_left_after_switching_off_or_losing_coverage() -> None:
    n = Net()
    n.call("G", "B")
    for lose, back in ((lambda: n.net.switch_off("C"), lambda: n.net.switch_on("C")),
                       (lambda: n.net.move("C", "no_coverage"), lambda: n.net.move("C", "home"))):
        n.call("C", "B", answer=False)  # busy
        assert n.hears("C") == (set(), {"busy"})
        lose()
        assert n.net.hears("C") is SILENT
        back()
        assert n.net.hears("C") is SILENT and n.published("C") is SILENT
