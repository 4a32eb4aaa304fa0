"""The handset key model: the #1 rule, DTMF, and keys that mean nothing in a state."""

from __future__ import annotations

import pytest

from phone_sim.handset.display import display_text
from phone_sim.handset.handset import Handset, keys_of_number
from phone_sim.network import events as ev
from phone_sim.network.clock import Clock
from phone_sim.network.company import CompanySpec, ExternalSpec, LineSpec
from phone_sim.network.refusal import Refused
from phone_sim.network.switch import Network

FULL = frozenset({"pabx", "double_appel"})
COMPANY = CompanySpec(
    name="Handset",
    lines=(
        LineSpec("A", "Alice", "0601020301", "301", "mobile", FULL),
        LineSpec("C", "Claire", "0601020303", "303", "mobile", FULL),
        LineSpec("G", "Gilles", "0601020307", "307", "mobile", frozenset()),
    ),
    externals=(ExternalSpec("B", "Madame B", "0145678900"),),
)


class Phones:
    """A network, a handset per party, and every event published."""

    def __init__(self) -> None:
        self.net = Network(COMPANY, Clock())
        self.events: list[ev.Event] = []
        self.net.bus.subscribe(self.events.append)
        self.sets = {ident: Handset(self.net, ident) for ident in self.net.parties}

    def keys(self, ident: str, keys: str | list[str]) -> list[Refused]:
        refusals = self.sets[ident].press_all(list(keys) if isinstance(keys, str) else keys)
        self.net.clock.settle()
        return refusals

    def dial(self, caller: str, callee: str) -> None:
        assert self.keys(caller, keys_of_number(self.net.parties[callee].number) + ["call"]) == []

    def answer(self, ident: str) -> None:
        assert self.keys(ident, ["call"]) == []

    def states(self, ident: str) -> list[tuple[str, tuple[str, ...]]]:
        return sorted((c.state, tuple(sorted(c.parties))) for c in self.sets[ident].view().calls)

    def world(self) -> list[object]:
        """Everything a refusal must leave as it was."""
        return [
            (i, p.power, p.location, self.states(i), self.sets[i].view().mode)
            for i, p in self.net.parties.items()
        ]

    def shown(self, ident: str) -> str:
        """The display, French and English, with the digits being keyed."""
        return display_text(self.net, ident, self.sets[ident].buffer)

    def dtmf(self) -> list[tuple[str, str]]:
        return [(e.party, e.digit) for e in self.events if isinstance(e, ev.DtmfWasSent)]

    def transfers(self) -> int:
        return sum(isinstance(e, ev.CallDidTransfer) for e in self.events)


@pytest.fixture
def phones() -> Phones:
    return Phones()


def two_calls(phones: Phones) -> None:
    """A talks to C with B held."""
    phones.dial("B", "A")
    phones.answer("A")
    phones.dial("A", "C")
    phones.answer("C")
    assert phones.states("A") == [("active", ("C",)), ("held", ("B",))]
    phones.events.clear()


# ------------------------------------------------------------------ the #1 rule


def test_hash_then_1_transfers_at_the_1_without_call_and_sends_no_dtmf(phones: Phones) -> None:
    two_calls(phones)
    assert phones.keys("A", "#") == []
    assert phones.dtmf() == []  # "#" is held back until the next key
    assert phones.states("A") == [("active", ("C",)), ("held", ("B",))]
    assert phones.keys("A", "1") == []
    assert phones.transfers() == 1
    assert phones.dtmf() == []
    assert phones.states("A") == []
    assert phones.states("B") == [("active", ("C",))]


def test_hash_1_refused_is_still_never_dtmf(phones: Phones) -> None:
    phones.dial("B", "A")
    phones.answer("A")
    phones.events.clear()
    refusals = phones.keys("A", "#1")
    assert [r.reason for r in refusals] == ["transfer_needs_two_calls"]
    assert phones.dtmf() == []
    assert phones.transfers() == 0
    assert "Transfer needs one active and one held call" in phones.shown("A")
    assert "DTMF" not in phones.shown("B")


@pytest.mark.parametrize("digit", list("023456789*"))
def test_hash_then_another_digit_sends_both_as_dtmf(phones: Phones, digit: str) -> None:
    two_calls(phones)
    assert phones.keys("A", "#" + digit) == []
    assert phones.dtmf() == [("A", "#"), ("A", digit)]
    assert phones.transfers() == 0
    assert f"DTMF #{digit}" in phones.shown("C")
    sent_to = {e.to for e in phones.events if isinstance(e, ev.DtmfWasSent)}
    assert sent_to == {("C",)}  # only the active call hears it, not the held one


def test_hash_hash_1_sends_one_hash_then_transfers(phones: Phones) -> None:
    two_calls(phones)
    phones.keys("A", "##1")
    assert phones.dtmf() == [("A", "#")]
    assert phones.transfers() == 1


def test_a_pending_hash_is_dropped_by_end_and_hold(phones: Phones) -> None:
    two_calls(phones)
    phones.keys("A", ["#", "hold"])
    assert phones.dtmf() == []
    assert phones.states("A") == [("active", ("B",)), ("held", ("C",))]
    phones.keys("A", ["#", "end"])
    assert phones.dtmf() == []
    assert phones.states("A") == [("held", ("C",))]


def test_hash_1_when_idle_is_only_digits(phones: Phones) -> None:
    assert phones.keys("A", "#1") == []
    assert phones.transfers() == 0
    assert phones.sets["A"].view().mode == "dialing"
    assert phones.sets["A"].buffer == "#1"


# ------------------------------------------------------------------ digits during a call


def test_in_call_digits_are_dtmf_shown_on_both_sides(phones: Phones) -> None:
    phones.dial("B", "A")
    phones.answer("A")
    phones.keys("A", "12*")
    assert phones.dtmf() == [("A", "1"), ("A", "2"), ("A", "*")]
    assert "12*" in phones.shown("A")
    assert "DTMF 12*" in phones.shown("B")


def test_digits_keyed_in_a_call_die_with_it(phones: Phones) -> None:
    phones.dial("B", "A")
    phones.answer("A")
    phones.keys("A", "12#")
    phones.keys("B", ["end"])
    assert phones.sets["A"].view().mode == "idle"
    assert phones.keys("A", ["call"])[0].reason == "nothing_to_answer"  # not a dial of "12#"


def test_plus_is_a_key_and_separators_are_not(phones: Phones) -> None:
    assert keys_of_number("+33 6.01-02 03 01") == list("+33601020301")
    assert phones.keys("B", list("+33601020301") + ["call"]) == []
    assert phones.states("A") == [("ringing", ("B",))]
    phones.answer("A")
    phones.events.clear()
    phones.keys("A", "+")
    assert phones.dtmf() == []  # "+" has no tone


# ------------------------------------------------------------------ keys that mean nothing


@pytest.mark.parametrize(
    ("keys", "reason", "shown"),
    [
        (["end"], "no_call", "No call"),
        (["hold"], "no_call", "No call"),
        (["conf"], "conference_needs_two_calls", "Conference needs"),
        (["call"], "nothing_to_answer", "No call to answer"),
        (["x"], "invalid_value", "Invalid value"),
    ],
)
def test_idle_keys_that_mean_nothing_are_refused_and_shown(
    phones: Phones, keys: list[str], reason: str, shown: str
) -> None:
    before = phones.world()
    refusals = phones.keys("A", keys)
    assert [r.reason for r in refusals] == [reason]
    assert shown in phones.shown("A")
    assert phones.world() == before
    refused = [e for e in phones.events if isinstance(e, ev.ActionWasRefused)]
    assert [(e.party, e.reason) for e in refused] == [("A", reason)]


@pytest.mark.parametrize(
    ("who", "keys", "reason"),
    [
        ("G", ["hold"], "double_appel_required"),  # no option in a call
        ("G", ["conf"], "no_pabx_option"),
        ("G", ["#", "1"], "no_pabx_option"),
        ("B", ["conf"], "no_pabx_option"),  # an external has no PABX feature
        ("A", ["conf"], "conference_needs_two_calls"),
        ("A", ["4", "call"], "transfer_needs_two_calls"),
        ("A", ["2", "5", "call"], "no_participant"),
        ("A", ["0", "call"], "no_call"),  # nothing waiting, nothing held
        ("A", ["call"], "nothing_to_answer"),
    ],
)
def test_keys_refused_in_a_call_change_nothing(
    phones: Phones, who: str, keys: list[str], reason: str
) -> None:
    phones.dial("G", "B") if who in ("G", "B") else phones.dial("A", "B")
    phones.answer("B")
    before = phones.world()
    refusals = phones.keys(who, keys)
    assert [r.reason for r in refusals] == [reason]
    assert phones.world() == before
    assert phones.net.notice_text(who, "en") is not None


def test_keys_on_a_switched_off_phone_are_refused(phones: Phones) -> None:
    phones.net.switch_off("A")
    before = phones.world()
    for key in ["1", "call", "end", "hold", "conf"]:
        assert [r.reason for r in phones.keys("A", [key])] == ["handset_off"]
    assert phones.world() == before
    assert phones.sets["A"].buffer == ""


def test_the_next_key_clears_the_refusal_from_the_display(phones: Phones) -> None:
    phones.keys("A", ["end"])
    assert "No call" in phones.shown("A")
    phones.keys("A", "3")
    assert "No call" not in phones.shown("A")
    assert phones.sets["A"].view().mode == "dialing"


def test_end_while_dialing_clears_the_digits_only(phones: Phones) -> None:
    phones.keys("A", "0601")
    before_events = len(phones.events)
    assert phones.keys("A", ["end"]) == []
    assert phones.sets["A"].buffer == ""
    assert phones.sets["A"].view().mode == "idle"
    assert not any(isinstance(e, ev.ActionWasRefused) for e in phones.events[before_events:])
