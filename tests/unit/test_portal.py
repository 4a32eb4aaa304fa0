"""The portal service: roles, identity, validation, audit, persistence hook, MMI (SPEC 8, 10)."""

from __future__ import annotations

from typing import Any

import pytest

from phone_sim.handset.handset import Handset
from phone_sim.network.clock import Clock
from phone_sim.network.company import CompanySpec, ExternalSpec, GroupSpec, LineSpec
from phone_sim.network.portal import AuditEntry
from phone_sim.network.refusal import Refused
from phone_sim.network.snapshot import snapshot
from phone_sim.network.switch import Network

BOTH = frozenset({"pabx", "double_appel"})
COMPANY = CompanySpec(
    name="Test",
    lines=(
        LineSpec("A", "Monsieur A", "0601020301", "301", options=BOTH),
        LineSpec("C", "Madame C", "0601020303", "303", options=BOTH),
        LineSpec("D", "Monsieur D", "0601020304", "304", options=frozenset({"pabx"})),
        LineSpec("N", "Nadia", "0601020310", "310"),
    ),
    externals=(ExternalSpec("B", "Madame B", "0145678900"),),
    groups=(GroupSpec("COM", "0609182236", "Com", "1703", "2202", members=("A", "C"), connected=("A",)),),
)


@pytest.fixture
def net() -> Network:
    return Network(COMPANY, Clock())


def state(net: Network) -> tuple[Any, ...]:
    """Everything a portal change may touch."""
    return (snapshot(net), {p.id: p.call_waiting for p in net.parties.values()},
            {line: dict(parked) for line, parked in net.portal.parked.items()})


def fwd(net: Network, actor: str, line: str, kind: str, to: str, **extra: Any) -> Refused | None:
    return net.portal.execute(actor, "set_forwarding", {"line": line, "type": kind, "to": to, **extra})


# ---------------------------------------------------------------- roles


def test_user_acts_on_own_line_only(net: Network) -> None:
    assert fwd(net, "A", "A", "busy", "0601020303") is None
    refused = fwd(net, "A", "C", "busy", "0601020301")
    assert isinstance(refused, Refused) and refused.reason == "forbidden"
    assert net.parties["C"].forwarding.busy is None


@pytest.mark.parametrize("operation", ["grant", "withdraw", "create_group", "delete_group", "add_member"])
def test_manager_operations_are_forbidden_to_users(net: Network, operation: str) -> None:
    refused = net.portal.execute("A", operation, {"line": "A", "option": "pabx", "group": "COM", "id": "X"})
    assert isinstance(refused, Refused) and refused.reason == "forbidden"


def test_forbidden_comes_before_the_values(net: Network) -> None:
    refused = fwd(net, "A", "C", "busy", "303")
    assert isinstance(refused, Refused) and refused.reason == "forbidden"


def test_user_without_pabx_is_refused_after_forbidden(net: Network) -> None:
    refused = fwd(net, "N", "N", "busy", "0601020301")
    assert isinstance(refused, Refused) and refused.reason == "no_pabx_option"
    refused = fwd(net, "N", "A", "busy", "0601020301")
    assert isinstance(refused, Refused) and refused.reason == "forbidden"


def test_unknown_account_and_external_are_forbidden(net: Network) -> None:
    for actor in ("nobody", "B"):
        refused = net.portal.execute(actor, "clear_forwarding", {"line": actor})
        assert isinstance(refused, Refused) and refused.reason == "forbidden"


def test_user_line_defaults_to_their_own(net: Network) -> None:
    assert net.portal.execute("A", "set_forwarding", {"type": "busy", "to": "0601020303"}) is None
    assert net.parties["A"].forwarding.busy == "0601020303"


def test_manager_on_an_unknown_line(net: Network) -> None:
    refused = fwd(net, "manager", "Z", "busy", "0601020303")
    assert isinstance(refused, Refused) and refused.reason == "unknown_line"


def test_unknown_operation_is_refused(net: Network) -> None:
    refused = net.portal.execute("manager", "explode", {})
    assert isinstance(refused, Refused) and refused.reason == "invalid_value"


# ---------------------------------------------------------------- taking a user's identity


def test_manager_as_a_user_is_audited_as_both_and_gets_the_users_rules(net: Network) -> None:
    net.clock.advance(42_000)
    assert net.portal.execute("manager", "set_forwarding", {"line": "A", "type": "no_answer",
                                                            "to": "0601020303", "delay": 10}, as_whom="A") is None
    entry = net.portal.audit[-1]
    assert (entry.time, entry.who, entry.as_whom, entry.operation, entry.target) == (
        42_000, "manager", "A", "set_forwarding", "A")
    assert entry.before == "none"
    assert entry.after == "no_answer=0601020303, delay=10"
    # the user's rules: not another line, not a manager operation
    refused = net.portal.execute("manager", "set_forwarding", {"line": "C", "type": "busy", "to": "0601020301"},
                                 as_whom="A")
    assert isinstance(refused, Refused) and refused.reason == "forbidden"
    refused = net.portal.execute("manager", "grant", {"line": "A", "option": "pabx"}, as_whom="A")
    assert isinstance(refused, Refused) and refused.reason == "forbidden"
    refused = net.portal.execute("manager", "clear_forwarding", {"line": "N"}, as_whom="N")
    assert isinstance(refused, Refused) and refused.reason == "no_pabx_option"
    assert len(net.portal.audit) == 1


def test_only_the_manager_may_take_an_identity(net: Network) -> None:
    refused = net.portal.execute("A", "set_forwarding", {"line": "C", "type": "busy", "to": "0601020301"},
                                 as_whom="C")
    assert isinstance(refused, Refused) and refused.reason == "forbidden"
    assert net.parties["C"].forwarding.busy is None


# ---------------------------------------------------------------- refusals and the audit


@pytest.mark.parametrize(
    ("operation", "params", "reason"),
    [
        ("set_forwarding", {"line": "A", "type": "busy", "to": "303"}, "short_number_not_allowed"),
        ("set_forwarding", {"line": "A", "type": "busy", "to": "0601020301"}, "forward_to_self"),
        ("set_forwarding", {"line": "A", "type": "no_answer", "to": "0601020303", "delay": 12}, "invalid_delay"),
        ("set_forwarding", {"line": "A", "type": ["busy", "no_answer"], "to": "0812345678"},
         "special_number_not_allowed"),
        ("set_forwarding", {"line": "A", "type": "sometimes", "to": "0601020303"}, "invalid_value"),
        ("set_ring_list", {"line": "A", "mode": "simultaneous", "numbers": ["0145678900"]}, "not_in_vpn"),
        ("set_ring_list", {"line": "A", "mode": "simultaneous", "numbers": []}, "invalid_value"),
        ("set_ring_list", {"line": "A", "mode": "sequential", "numbers": ["0601020303"], "step": 2},
         "invalid_delay"),
        ("set_ring_list", {"line": "A", "mode": "random", "numbers": ["0601020303"]}, "invalid_value"),
        ("grant", {"line": "A", "option": "gold"}, "invalid_value"),
        ("set_call_waiting", {"line": "D", "on": False}, "double_appel_required"),
        ("activate_forwarding", {"line": "A", "type": "busy"}, "no_number"),
    ],
)
def test_a_refused_change_leaves_everything_as_it_was(net: Network, operation: str, params: dict[str, Any],
                                                      reason: str) -> None:
    fwd(net, "manager", "A", "no_answer", "0601020304", delay=20)
    net.portal.execute("manager", "set_ring_list", {"line": "A", "mode": "sequential",
                                                    "numbers": ["0601020301", "0601020303"], "step": 7})
    before, audit = state(net), list(net.portal.audit)
    refused = net.portal.execute("manager", operation, params)
    assert isinstance(refused, Refused) and refused.reason == reason
    assert state(net) == before
    assert net.portal.audit == audit


def test_every_applied_change_is_audited_with_before_and_after(net: Network) -> None:
    heard: list[AuditEntry] = []
    net.portal.listeners.append(heard.append)
    net.portal.execute("manager", "withdraw", {"line": "A", "option": "double_appel"})
    net.portal.execute("manager", "set_ring_list", {"line": "C", "mode": "simultaneous",
                                                    "numbers": ["06 01 02 03 03", "0601020301"]})
    net.portal.execute("C", "clear_ring_list", {"line": "C"})
    rows = [(e.who, e.as_whom, e.operation, e.target, e.before, e.after) for e in net.portal.audit]
    assert rows == [
        ("manager", "manager", "withdraw", "A", "double_appel,pabx", "pabx"),
        ("manager", "manager", "set_ring_list", "C", "none", "simultaneous: 0601020303, 0601020301"),
        ("C", "C", "clear_ring_list", "C", "simultaneous: 0601020303, 0601020301", "none"),
    ]
    assert heard == net.portal.audit
    assert [e.target for e in net.portal.audit_for("C")] == ["C", "C"]


def test_persist_runs_before_the_change_and_a_failure_applies_nothing(net: Network) -> None:
    seen: list[Any] = []

    def persist(entry: AuditEntry, rows: tuple[Any, ...]) -> None:
        seen.append((net.parties["A"].forwarding.busy, [(r.line, r.forwarding.busy) for r in rows]))

    net.portal.persist = persist
    assert fwd(net, "A", "A", "busy", "0601020303") is None
    assert seen == [(None, [("A", "0601020303")])]  # stored before it was applied: the line as it will be

    def broken(entry: AuditEntry, rows: tuple[Any, ...]) -> None:
        raise OSError("disk full")

    net.portal.persist = broken
    before = state(net)
    refused = fwd(net, "A", "A", "busy", "0601020304")
    assert isinstance(refused, Refused)
    assert state(net) == before and len(net.portal.audit) == 1


def test_a_delay_typed_as_text_is_read(net: Network) -> None:
    assert fwd(net, "A", "A", "no_answer", "0601020303", delay="15") is None
    assert net.parties["A"].forwarding.delay == 15


# ---------------------------------------------------------------- live network


def test_a_change_applies_at_once_and_calls_in_progress_keep_going(net: Network) -> None:
    net.dial("B", "0601020301")
    net.answer("A")
    assert fwd(net, "manager", "A", "unconditional", "0601020303") is None
    assert [leg.state for leg in net.parties["A"].legs] == ["connected"]
    net.dial("D", "0601020301")
    assert [leg.state for leg in net.parties["C"].legs] == ["alerting"]


def test_withdrawing_pabx_refuses_the_next_transfer(net: Network) -> None:
    net.dial("B", "0601020301")
    net.answer("A")
    net.hold("A")
    net.dial("A", "0601020303")
    net.answer("C")
    net.portal.execute("manager", "withdraw", {"line": "A", "option": "pabx"})
    refused = net.transfer("A")
    assert isinstance(refused, Refused) and refused.reason == "no_pabx_option"


# ---------------------------------------------------------------- register / activate and MMI


def test_deactivate_keeps_the_number_activate_restores_clear_erases(net: Network) -> None:
    fwd(net, "A", "A", "busy", "0601020303")
    assert net.portal.execute("A", "deactivate_forwarding", {"type": "busy"}) is None
    assert net.parties["A"].forwarding.busy is None
    assert net.portal.registered("A", "busy") == "0601020303"
    assert net.portal.execute("A", "activate_forwarding", {"type": "busy"}) is None
    assert net.parties["A"].forwarding.busy == "0601020303"
    net.portal.execute("A", "deactivate_forwarding", {"type": "busy"})
    net.portal.execute("A", "clear_forwarding", {})
    assert net.portal.registered("A", "busy") is None
    refused = net.portal.execute("A", "activate_forwarding", {"type": "busy"})
    assert isinstance(refused, Refused) and refused.reason == "no_number"


def press(net: Network, ident: str, keys: str) -> list[Refused]:
    return Handset(net, ident).press_all(list(keys) + ["call"])


def test_mmi_goes_through_the_portal_as_the_line(net: Network) -> None:
    assert press(net, "A", "**61*0601020303**20#") == []
    assert net.parties["A"].forwarding.no_answer == "0601020303"
    assert net.parties["A"].forwarding.delay == 20
    entry = net.portal.audit[-1]
    assert (entry.who, entry.as_whom, entry.via, entry.operation) == ("A", "A", "mmi", "set_forwarding")
    assert "Service activé" in (net.notice_text("A", "fr") or "")


def test_mmi_group_codes_are_all_or_nothing(net: Network) -> None:
    press(net, "A", "**67*0601020303#")
    before = state(net)
    # 002 over four conditions: the number is refused for all, nothing changes
    assert [r.reason for r in press(net, "A", "**002*0601020301#")] == ["forward_to_self"]
    assert state(net) == before
    assert press(net, "A", "**004*0601020304#") == []
    fw = net.parties["A"].forwarding
    assert (fw.unconditional, fw.busy, fw.no_answer, fw.unreachable) == (None,) + ("0601020304",) * 3


def test_mmi_refusal_is_shown_on_the_display(net: Network) -> None:
    assert [r.reason for r in press(net, "A", "**21*303#")] == ["short_number_not_allowed"]
    assert net.notice_text("A", "fr") == "Numéro court non autorisé"
    assert net.notice_text("A", "en") == "Short number not allowed"


def test_mmi_needs_no_pabx_but_call_waiting_needs_double_appel(net: Network) -> None:
    assert press(net, "N", "**21*0601020301#") == []
    assert net.parties["N"].forwarding.unconditional == "0601020301"
    assert [r.reason for r in press(net, "D", "#43#")] == ["double_appel_required"]
    assert press(net, "A", "#43#") == []
    assert net.parties["A"].call_waiting is False


@pytest.mark.parametrize("code", ["**21*0601020303**10#", "**61*0601020303*20#", "*#21*0601020303*#", "**99#",
                                  "##43#", "*43*1#"])
def test_mmi_codes_the_network_does_not_know(net: Network, code: str) -> None:
    before = state(net)
    assert [r.reason for r in press(net, "A", code)] == ["unknown_code"]
    assert state(net) == before


def test_mmi_interrogation_shows_destinations(net: Network) -> None:
    press(net, "A", "**61*0601020303**15#")
    press(net, "A", "**62*0601020304#")
    press(net, "A", "*#61#")
    assert net.notice_text("A", "fr") == "Service actif vers 0601020303 (15 s)"
    press(net, "A", "*#004#")
    assert net.notice_text("A", "en") == "Service active to 0601020303 (61, 15 s), 0601020304 (62)"
    press(net, "A", "*#21#")
    assert net.notice_text("A", "fr") == "Service non actif"
