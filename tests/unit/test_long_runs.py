"""Long virtual runs cost what changes, not how long they last (issue: no hunt cycling
work when nothing can change; the runner keeps the timeline it prints, not every event)."""

from __future__ import annotations

import tracemalloc

from phone_sim.network.clock import Clock
from phone_sim.network.company import CompanySpec, ExternalSpec, GroupSpec, LineSpec
from phone_sim.network.switch import Network
from phone_sim.scenario.loader import scenario_from_data
from phone_sim.scenario.runner import TIMELINE_KEPT, run_scenario

HOUR = 3_600_000
PABX = frozenset({"pabx"})
COMPANY = {
    "name": "Long",
    "lines": [{"id": "A", "number": "0601020301", "options": ["pabx"]},
              {"id": "C", "number": "0601020303", "options": ["pabx"]}],
    "externals": [{"id": "B", "number": "0145678900"}],
    "groups": [{"id": "COM", "number": "0609182236", "switchover_delay": 5, "members": ["A", "C"],
                "connected": ["A"]}],
}


def spec(connected: tuple[str, ...]) -> CompanySpec:
    return CompanySpec(
        name="Long",
        lines=(LineSpec("A", "A", "0601020301", options=PABX), LineSpec("C", "C", "0601020303", options=PABX)),
        externals=(ExternalSpec("B", "B", "0145678900"),),
        groups=(GroupSpec("COM", "0609182236", "Com", switchover_delay=5, members=("A", "C"),
                          connected=connected),),
    )


def test_a_group_call_only_one_member_can_take_fires_no_timer_for_1000_hours() -> None:
    net = Network(spec(("A",)), Clock())
    net.dial("B", "0609182236")
    net.clock.settle()
    fired = net.clock.advance(1000 * HOUR)
    assert fired <= 2, fired  # the first switchover finds nobody else; then the hunt sleeps
    assert net.ringing("A") and net.view("B").calls


def test_a_sleeping_hunt_wakes_when_a_member_is_free() -> None:
    net = Network(spec(("A",)), Clock())
    net.dial("B", "0609182236")
    net.clock.advance(10 * HOUR + 2000)  # 2 s after a switchover instant
    assert net.portal.execute("manager", "connect", {"group": "COM", "line": "C"}) is None
    net.clock.advance(2999)
    assert net.ringing("A") and not net.ringing("C")
    net.clock.advance(1)  # the next whole switchover: 10 h + 5 s
    assert net.ringing("C") and not net.ringing("A")


def test_two_hundred_thousand_wait_steps_keep_a_bounded_timeline() -> None:
    steps = [{"dial": {"from": "B", "to": "COM"}}] + [{"wait": "1s"}] * 200_000 + [{"expect": {"B": "idle"}}]
    scenario = scenario_from_data({"name": "many waits", "company": COMPANY, "steps": steps})
    tracemalloc.start()
    try:
        result = run_scenario(scenario)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not result.ok and result.failed is not None and result.failed.index == 200_001
    assert len(result.timeline) <= TIMELINE_KEPT
    assert result.timeline[-1].endswith("A rings (call from B)") or "rings" in result.timeline[-1]
    assert peak < 64 * 1024 * 1024, peak  # step results only: no event is kept per step
