"""Call groups, their queue and the voice menu, in virtual time (SPEC 9, 10).

Behaviour a person can see is covered by scenarios/groups and scenarios/voice_menu; these
tests check what a scenario cannot say: member order per mode, exact rest and lock-out
boundaries, the audit of every change (portal and voice menu), status values, FIFO
across groups, settings taken at arrival, and that hunts, menus, legs and calls all go
back to their pools.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from phone_sim.network import events as ev
from phone_sim.network.clock import Clock
from phone_sim.network.company import CompanySpec, ExternalSpec, GroupSpec, LineSpec
from phone_sim.network.groups import Group
from phone_sim.network.refusal import Refused
from phone_sim.network.switch import Network
from phone_sim.network.voicemenu import LOCK_MS
from phone_sim.scenario.simulate import SimConfig, run

PABX = frozenset({"pabx"})


def company(*groups: GroupSpec) -> CompanySpec:
    lines = tuple(LineSpec(m, f"Member {m}", f"06110000{i:02d}", str(300 + i), "mobile", PABX)
                  for i, m in enumerate(("A", "C", "D", "E")))
    externals = tuple(ExternalSpec(x, f"Client {x}", f"02987654{i:02d}") for i, x in enumerate("BFKL"))
    return CompanySpec(name="t", lines=lines, externals=externals, groups=groups)


def group(ident: str = "G", number: str = "0609000001", **kw: object) -> GroupSpec:
    base = GroupSpec(ident, number, ident.title(), "1111", "9999", 2, 10, 0, "linear", ("A", "C", "D"), ("A", "C", "D"))
    return replace(base, **kw)  # type: ignore[arg-type]


def network(*groups: GroupSpec) -> tuple[Network, list[ev.Event]]:
    net = Network(company(*(groups or (group(),))), Clock())
    seen: list[ev.Event] = []
    net.bus.subscribe(seen.append)
    return net, seen


def ringing(net: Network) -> set[str]:
    return {p.id for p in net.parties.values() if any(leg.state == "alerting" for leg in p.legs)}


def settle(net: Network, ms: int = 0) -> None:
    net.clock.advance(ms)


def call_group(net: Network, caller: str, ident: str = "G") -> None:
    result = net.dial(caller, net.groups.groups[ident].number)
    assert not isinstance(result, Refused)
    settle(net)


# ---------------------------------------------------------------------- member order
@pytest.mark.parametrize(("mode", "last", "ends", "expected"), [
    ("linear", "C", {}, ("A", "C", "D")),
    ("simultaneous", "C", {}, ("A", "C", "D")),
    ("circular", None, {}, ("A", "C", "D")),
    ("circular", "C", {}, ("D", "A", "C")),
    ("circular", "D", {}, ("A", "C", "D")),
    ("uniform", None, {"A": 5000, "D": 1000}, ("C", "D", "A")),
    ("uniform", None, {"A": 1000, "C": 1000, "D": 1000}, ("A", "C", "D")),
])
def test_order_follows_the_mode(mode: str, last: str | None, ends: dict[str, int],
                                expected: tuple[str, ...]) -> None:
    g = Group(group(distribution=mode))
    g.last_member = last
    g.last_end.update(ends)
    assert g.order() == expected


# ---------------------------------------------------------------------- rest, exactly
def test_member_rests_until_exactly_end_plus_delay() -> None:
    net, _ = network(group(inter_call_delay=30, members=("A", "C"), connected=("A", "C")))
    call_group(net, "B")
    net.answer("A")
    settle(net, 7_000)
    net.end("B")
    settle(net)
    g = net.groups.groups["G"]
    assert g.rest_until["A"] == 7_000 + 30_000
    settle(net, 29_999)
    assert not net.groups.is_free_for(g, "A")
    settle(net, 1)
    assert net.groups.is_free_for(g, "A")


def test_rest_uses_the_delay_in_force_when_the_call_arrived() -> None:
    net, _ = network(group(inter_call_delay=30))
    call_group(net, "B")
    net.answer("A")
    assert net.portal.execute("manager", "update_group", {"group": "G", "inter_call_delay": 5}) is None
    net.end("A")
    settle(net)
    assert net.groups.groups["G"].rest_until["A"] == 30_000


def test_switchover_uses_the_delay_in_force_when_the_call_arrived() -> None:
    net, _ = network(group(switchover_delay=10))
    call_group(net, "B")
    net.portal.execute("manager", "update_group", {"group": "G", "switchover_delay": 60})
    settle(net, 10_000)
    assert ringing(net) == {"C"}


# ---------------------------------------------------------------------- queue
def test_the_oldest_caller_across_groups_gets_a_member_of_both() -> None:
    one = group("ONE", "0609000001", members=("A",), connected=("A",))
    two = group("TWO", "0609000002", members=("A",), connected=("A",))
    net, _ = network(one, two)
    net.dial("E", net.parties["A"].number)
    net.answer("A")
    call_group(net, "B", "TWO")
    settle(net, 1_000)
    call_group(net, "F", "ONE")
    assert [h.call.caller.party.id for h in net.groups.groups["TWO"].waiting] == ["B"]
    net.end("E")
    settle(net)
    leg = net.parties["A"].legs[0]
    assert leg.state == "alerting" and leg.call.caller.party.id == "B" and leg.group == "TWO"


def test_a_new_caller_does_not_jump_the_queue() -> None:
    net, _ = network(group(members=("A",), connected=("A",)))
    net.dial("E", net.parties["A"].number)
    net.answer("A")
    call_group(net, "B")
    net.end("E")  # A is free; the queue is served at once, before any new arrival
    net.dial("F", net.groups.groups["G"].number)
    settle(net)
    assert net.parties["A"].legs[0].call.caller.party.id == "B"
    assert [h.call.caller.party.id for h in net.groups.groups["G"].waiting] == ["F"]


def test_queue_events_and_announcement_in_both_languages() -> None:
    net, seen = network(group(members=("A",), connected=("A",)))
    net.dial("E", net.parties["A"].number)
    net.answer("A")
    call_group(net, "B")
    call_group(net, "F")
    queued = [e for e in seen if isinstance(e, ev.CallDidQueue)]
    assert [(e.caller, e.position) for e in queued] == [("B", 1), ("F", 2)]
    spoken = [e for e in seen if isinstance(e, ev.Announcement) and e.code == "announce.queue"]
    assert len(spoken) == 2 and spoken[0].text_fr != spoken[0].text_en and spoken[0].text_en


def test_a_rejected_caller_who_finds_the_queue_full_hears_busy() -> None:
    net, seen = network(group(queue=1))
    net.dial("E", net.parties["D"].number)
    net.answer("D")
    call_group(net, "B")  # rings A
    net.dial("L", net.parties["C"].number)
    net.answer("C")
    call_group(net, "F")  # A ringing, C and D busy: F waits (queue 1 full)
    net.reject("A")
    settle(net)
    ends = [(e.parties, e.reason) for e in seen if isinstance(e, ev.CallDidEnd)]
    assert ends == [(("B",), "busy")]
    # A, free again, takes the waiting caller F (A declined B only)
    assert net.parties["A"].legs[0].call.caller.party.id == "F"


# ---------------------------------------------------------------------- status and audit
def test_status_says_open_or_closed_and_lists_members() -> None:
    net, _ = network(group(connected=("C",)))
    status = net.groups.status("G")
    assert status.open and [(m.line, m.connected) for m in status.members] == [
        ("A", False), ("C", True), ("D", False)]
    net.portal.execute("manager", "disconnect_all", {"group": "G"})
    assert not net.groups.status("G").open


def test_every_portal_group_operation_is_audited() -> None:
    net, _ = network()
    operations = [
        ("create_group", {"id": "NEW", "number": "0609000009", "name": "New", "members": ["E"]}),
        ("update_group", {"group": "NEW", "user_code": "4321", "admin_code": "8765"}),
        ("add_member", {"group": "NEW", "line": "A"}),
        ("connect", {"group": "NEW", "line": "A"}),
        ("disconnect", {"group": "NEW", "line": "A"}),
        ("remove_member", {"group": "NEW", "line": "A"}),
        ("disconnect_all", {"group": "NEW"}),
        ("delete_group", {"group": "NEW"}),
    ]
    for operation, params in operations:
        assert net.portal.execute("manager", operation, params) is None, operation
    assert [e.operation for e in net.portal.audit] == [op for op, _ in operations]
    update = net.portal.audit[1]
    assert "4321/8765" in update.after and "1111" not in update.after


def test_refusals_change_nothing_and_are_not_audited() -> None:
    net, _ = network()
    before = net.groups.groups["G"].spec()
    assert net.portal.execute("C", "disconnect", {"group": "G", "line": "A"}).reason == "forbidden"
    assert net.portal.execute("manager", "create_group", {"id": "X", "number": "0609000008"}).reason == "invalid_value"
    assert net.portal.execute("manager", "create_group", {"id": "X", "name": "X"}).reason == "invalid_number"
    assert net.portal.execute("manager", "update_group", {"group": "G", "user_code": "12a4"}).reason == "invalid_code"
    assert net.groups.groups["G"].spec() == before and net.portal.audit == []


def test_voice_menu_changes_go_through_the_audited_portal() -> None:
    net, seen = network()
    net.dial("C", "*0609000001")
    for key in "99996" "2468" "1":
        net.dtmf("C", key)
    entries = [(e.who, e.as_whom, e.operation, dict(e.params).get("by")) for e in net.portal.audit]
    assert entries[0] == ("manager", "manager", "update_group", "C")
    assert entries[1][2:] == ("connect", None) and entries[1][0] == "C"
    assert net.groups.groups["G"].user_code == "2468"
    prompts = [e for e in seen if isinstance(e, ev.Announcement) and e.code.startswith("menu.")]
    assert all(e.text_fr and e.text_en and e.text_fr != e.text_en for e in prompts)


# ---------------------------------------------------------------------- lock-out
def test_lock_out_ends_exactly_fifteen_minutes_after_the_third_wrong_code() -> None:
    net, _ = network()
    net.dial("A", "*0609000001")
    settle(net, 2_000)
    for code in ("0000", "0001", "0002"):
        for key in code:
            net.dtmf("A", key)
    assert not net.parties["A"].legs
    menus = net.groups.menus
    assert menus.locked_until(net.groups.groups["G"], "A") == 2_000 + LOCK_MS
    settle(net, LOCK_MS - 1)
    assert menus.locked_until(net.groups.groups["G"], "A") is not None
    settle(net, 1)
    assert menus.locked_until(net.groups.groups["G"], "A") is None


# ---------------------------------------------------------------------- numbers
def test_group_number_equal_to_a_members_number_and_its_short_number() -> None:
    net, _ = network(group(number="0611000000"))  # A's own number
    net.dial("B", "0611000000")
    settle(net)
    assert net.parties["B"].legs[0].call.group == "G"
    net.end("B")
    net.dial("E", "300")  # A's short number still reaches A's own phone
    settle(net)
    assert net.parties["E"].legs[0].call.group is None and ringing(net) == {"A"}


# ---------------------------------------------------------------------- pools
def test_hunts_menus_legs_and_calls_go_back_to_their_pools() -> None:
    net, _ = network(group(queue=1, distribution="simultaneous"))
    call_group(net, "B")
    call_group(net, "F")  # queued: everyone rings for B
    net.dial("E", "*0609000001")
    net.portal.execute("manager", "delete_group", {"group": "G"})  # ringing and waiting: group closed
    net.end("E")
    settle(net)
    assert net.groups.hunts.live == 0 and net.groups.menus.menus.live == 0
    assert net.factory.legs.live == 0 and net.factory.calls.live == 0 and not net.calls


def test_a_small_simulation_accounts_for_every_call_and_leaks_nothing() -> None:
    cfg = SimConfig(groups=4, members=3, lines=40, calls=300, hours=0.5, seed=7)
    report = run(cfg)
    assert not any(report.live.values()), report.live
    for stats in report.groups.values():
        assert stats.offered == stats.answered + stats.abandoned + stats.busy + stats.closed
    assert sum(s.offered for s in report.groups.values()) == report.placed == cfg.calls
    again = run(cfg)
    assert again.groups == report.groups  # seeded: the same run twice


def test_a_member_who_transfers_a_group_call_rests_from_then() -> None:
    net, _ = network(group(inter_call_delay=30))
    for line in ("A", "E"):
        net.parties[line].options.add("double_appel")
    call_group(net, "B")
    net.answer("A")
    settle(net, 4_000)
    net.dial("A", net.parties["E"].number)
    net.answer("E")
    assert net.transfer("A") is None
    settle(net)
    assert net.groups.groups["G"].rest_until == {"A": 4_000 + 30_000}
