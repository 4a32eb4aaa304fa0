"""Forwarding and ring-list rules of the core: destinations, delays, precedence, hops (SPEC 6, 7)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from phone_sim.network import delivery
from phone_sim.network.clock import Clock
from phone_sim.network.company import (
    CompanySpec,
    ExternalSpec,
    Forwarding,
    LineSpec,
    RingList,
    check_forwarding,
    check_ring_list,
)
from phone_sim.network.events import CallDidEnd, CallDidForward, Event
from phone_sim.network.numbering import DEFAULT_PLAN
from phone_sim.network.refusal import Refused
from phone_sim.network.switch import Network

BOTH = frozenset({"pabx", "double_appel"})
LINES = tuple(
    LineSpec(ident, f"Line {ident}", f"06010203{n:02d}", str(300 + n), options=BOTH)
    for n, ident in enumerate(["A", "C", "D", "E", "G", "H", "J"], start=1)
)
COMPANY = CompanySpec(
    name="Test",
    lines=LINES + (LineSpec("FIX", "Desk", "0145020301", "401", "fixed"),),
    externals=(ExternalSpec("B", "Madame B", "0145678900"), ExternalSpec("S", "Special", "0812345678")),
)
NUMBER = {line.id: line.number for line in COMPANY.lines}


def network(**changes: object) -> tuple[Network, list[Event]]:
    net = Network(replace(COMPANY, **changes), Clock())  # type: ignore[arg-type]
    seen: list[Event] = []
    net.bus.subscribe(seen.append)
    return net, seen


def set_fwd(net: Network, line: str, kind: str, to: str, **extra: object) -> None:
    assert net.portal.execute("manager", "set_forwarding", {"line": line, "type": kind, "to": to, **extra}) is None


def ringing(net: Network, ident: str) -> bool:
    return any(leg.state == "alerting" for leg in net.parties[ident].legs)


def ended(seen: list[Event]) -> list[str]:
    return [e.reason for e in seen if isinstance(e, CallDidEnd)]


# ---------------------------------------------------------------- destinations


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("309", "short_number_not_allowed"),
        ("+442071234567", "international_not_allowed"),
        ("0044 20 7123 4567", "international_not_allowed"),
        ("060102030", "invalid_number"),
        ("06 01 02 03", "invalid_number"),
        ("06-01-02-03-0x", "invalid_number"),
        ("0812345678", "special_number_not_allowed"),
        ("0712345678", "prefix_not_allowed"),
        ("0912345678", "prefix_not_allowed"),
        ("0601020301", "forward_to_self"),
        ("+33 6 01 02 03 01", "forward_to_self"),
    ],
)
def test_forwarding_destination_refusals(raw: str, reason: str) -> None:
    errors = check_forwarding(Forwarding(busy=raw), "0601020301", DEFAULT_PLAN)
    assert [(key, r.reason) for key, r in errors] == [("busy", reason)]


@pytest.mark.parametrize("raw", ["0145678900", "02 98 76 54 32", "03.11.22.33.44", "0401020304", "0501020304",
                                 "+33 6 98 76 54 32", "0033698765432"])
def test_forwarding_destinations_accepted(raw: str) -> None:
    assert check_forwarding(Forwarding(unconditional=raw), "0601020301", DEFAULT_PLAN) == []


@pytest.mark.parametrize("delay", [5, 10, 15, 20, 25, 30])
def test_no_answer_delays_accepted(delay: int) -> None:
    assert check_forwarding(Forwarding(no_answer="0601020303", delay=delay), "0601020301", DEFAULT_PLAN) == []


@pytest.mark.parametrize("delay", [0, 4, 7, 29, 35, -5, "20", True])
def test_no_answer_delays_refused(delay: object) -> None:
    errors = check_forwarding(Forwarding(no_answer="0601020303", delay=delay), "0601020301",  # type: ignore[arg-type]
                              DEFAULT_PLAN)
    assert [(key, r.reason) for key, r in errors] == [("delay", "invalid_delay")]


def test_a_widened_numbering_plan_accepts_07() -> None:
    plan = replace(DEFAULT_PLAN, forward_prefixes=DEFAULT_PLAN.forward_prefixes + ("07",))
    assert check_forwarding(Forwarding(busy="0712345678"), "0601020301", plan) == []
    assert check_forwarding(Forwarding(busy="0712345678"), "0601020301", DEFAULT_PLAN)[0][1].reason == \
        "prefix_not_allowed"


def test_ring_list_order_list_then_numbers_then_step() -> None:
    vpn = {line.number for line in COMPANY.lines}
    ring = RingList("sequential", ("309", "0145678900") + ("0601020301",) * 4, step=61)
    reasons = [(key, r.reason) for key, r in check_ring_list(ring, vpn, DEFAULT_PLAN)]
    assert reasons == [("numbers", "list_too_long"), (0, "short_number_not_allowed"), (1, "not_in_vpn"),
                       ("step", "invalid_delay")]


@pytest.mark.parametrize(("step", "ok"), [(4, False), (5, True), (15, True), (37, True), (60, True), (61, False)])
def test_ring_list_step_bounds(step: int, ok: bool) -> None:
    ring = RingList("sequential", ("0601020301",), step=step)
    assert (check_ring_list(ring, {"0601020301"}, DEFAULT_PLAN) == []) is ok


# ---------------------------------------------------------------- precedence and hops


def test_unconditional_wins_over_every_other_condition_and_the_ring_list() -> None:
    net, _ = network()
    set_fwd(net, "A", "busy", NUMBER["D"])
    set_fwd(net, "A", "unconditional", NUMBER["C"])
    net.portal.execute("manager", "set_ring_list", {"line": "A", "mode": "simultaneous", "numbers": [NUMBER["E"]]})
    net.switch_off("A")
    net.dial("B", NUMBER["A"])
    assert ringing(net, "C")
    assert not ringing(net, "D") and not ringing(net, "E")


def test_unreachable_before_busy() -> None:
    net, _ = network()
    set_fwd(net, "A", "busy", NUMBER["D"])
    set_fwd(net, "A", "unreachable", NUMBER["E"])
    net.switch_off("A")
    net.dial("B", NUMBER["A"])
    assert ringing(net, "E") and not ringing(net, "D")


def test_five_hops_ring_and_a_sixth_ends_with_forwarding_loop() -> None:
    chain = ["A", "C", "D", "E", "G", "H", "J"]
    net, seen = network()
    for here, there in zip(chain[:5], chain[1:6], strict=True):
        set_fwd(net, here, "unconditional", NUMBER[there])
    call = net.dial("B", NUMBER["A"])
    assert ringing(net, "H")
    assert not isinstance(call, Refused) and call.hops == delivery.MAX_HOPS == 5
    leg = next(leg for leg in net.parties["H"].legs)
    assert leg.forwarded_from == ("A", "C", "D", "E", "G")
    net.end("B")
    set_fwd(net, "H", "unconditional", NUMBER["J"])
    seen.clear()
    net.dial("B", NUMBER["A"])
    assert not ringing(net, "J") and not net.parties["B"].legs
    assert ended(seen) == ["forwarding_loop"]
    assert [e.hop for e in seen if isinstance(e, CallDidForward)] == [1, 2, 3, 4, 5, 6]


def test_loop_is_accepted_when_set_and_found_when_followed() -> None:
    net, seen = network()
    set_fwd(net, "A", "no_answer", NUMBER["C"], delay=5)
    set_fwd(net, "C", "no_answer", NUMBER["A"], delay=5)
    net.dial("B", NUMBER["A"])
    net.clock.advance(5000)
    assert ringing(net, "C") and not ringing(net, "A")
    net.clock.advance(5000)
    assert ended(seen) == ["forwarding_loop"]
    assert not net.parties["A"].legs and not net.parties["C"].legs


def test_routing_is_read_when_the_call_arrives() -> None:
    net, seen = network()
    set_fwd(net, "A", "busy", NUMBER["C"])
    net.dial("B", NUMBER["A"])
    net.portal.execute("manager", "clear_forwarding", {"line": "A"})
    net.reject("A")
    assert ringing(net, "C")  # the call arrived while busy forwarding was set
    net.end("B")
    net.dial("B", NUMBER["A"])
    net.reject("A")
    assert ended(seen)[-1] == "busy"


def test_a_ringing_call_is_never_ended_by_the_network_without_forwarding() -> None:
    net, seen = network()
    net.dial("B", NUMBER["A"])
    net.clock.advance(3_600_000)
    assert ringing(net, "A") and ended(seen) == []


def test_switch_off_during_ringing_never_rings_the_switched_off_handset_again() -> None:
    net, _ = network()
    set_fwd(net, "A", "unreachable", NUMBER["C"])
    net.portal.execute("manager", "set_ring_list",
                       {"line": "C", "mode": "simultaneous", "numbers": [NUMBER["A"], NUMBER["D"]]})
    net.dial("B", NUMBER["A"])
    net.switch_off("A")
    assert net.parties["A"].legs == []
    assert ringing(net, "D")


def test_sequential_list_outcome_mixed_rang_out_then_reject_is_no_answer() -> None:
    net, seen = network()
    net.portal.execute("manager", "set_ring_list",
                       {"line": "A", "mode": "sequential", "numbers": [NUMBER["C"], NUMBER["D"]], "step": 5})
    net.dial("B", NUMBER["A"])
    net.clock.advance(5000)
    assert ringing(net, "D")
    net.reject("D")
    assert ended(seen) == ["no_answer"]


def test_sequential_list_every_entry_rejects_is_busy() -> None:
    net, seen = network()
    net.portal.execute("manager", "set_ring_list",
                       {"line": "A", "mode": "sequential", "numbers": [NUMBER["C"], NUMBER["D"]], "step": 5})
    net.dial("B", NUMBER["A"])
    net.reject("C")
    net.reject("D")
    assert ended(seen) == ["busy"]


def test_a_ring_list_never_rings_the_caller_or_an_entry_twice() -> None:
    net, _ = network()
    net.portal.execute("manager", "set_ring_list", {
        "line": "A", "mode": "simultaneous", "numbers": [NUMBER["C"], NUMBER["C"], NUMBER["D"]]})
    call = net.dial("D", NUMBER["A"])
    assert not isinstance(call, Refused)
    assert [leg.party.id for leg in call.alerting] == ["C"]
