"""Two simulators on one database (two ``serve`` browsers): a change committed by one is
seen by the other at its next action, and the other's own changes never meet
``not_saved`` for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from phone_sim.cli import main
from phone_sim.network import events as ev
from phone_sim.network.refusal import Refused
from phone_sim.network.switch import Network
from phone_sim.store.store import Store

CHEAP = 2**4
BUSY_A = {"line": "A", "type": "busy", "to": "0601020303"}
BUSY_C = {"line": "C", "type": "busy", "to": "0601020301"}


@pytest.fixture
def pair(tmp_path: Path) -> Any:
    path = tmp_path / "phone-sim.sqlite3"
    first, second = Store(path, cost=CHEAP), Store(path, cost=CHEAP)
    yield (first, first.build_network()), (second, second.build_network())
    first.close()
    second.close()


def test_a_change_is_seen_by_the_other_at_its_next_look(pair: Any) -> None:
    (one, net1), (two, net2) = pair
    seen: list[ev.Event] = []
    net2.bus.subscribe(seen.append)
    assert net1.portal.execute("manager", "set_forwarding", BUSY_A) is None
    assert net2.parties["A"].forwarding.busy is None  # not looked yet
    assert two.refresh() == 1
    assert net2.parties["A"].forwarding.busy == "0601020303"
    assert any(isinstance(e, ev.SettingDidChange) and e.target == "A" for e in seen)  # the phones redraw
    assert two.refresh() == 0  # nothing new: one query


def test_the_other_s_next_change_catches_up_first_and_is_saved(pair: Any) -> None:
    (one, net1), (two, net2) = pair
    assert net1.portal.execute("manager", "set_forwarding", BUSY_A) is None
    assert net1.portal.execute("manager", "connect", {"group": "COM", "line": "MME_C"}) is None
    assert net2.portal.execute("manager", "set_forwarding", BUSY_C) is None  # no not_saved
    assert net2.parties["A"].forwarding.busy == "0601020303" and "MME_C" in net2.groups.groups["COM"].connected
    assert one.refresh() >= 1 and net1.parties["C"].forwarding.busy == "0601020301"
    stored, _ = Store(one.path, cost=CHEAP).load()
    assert stored.forwarding["A"].busy == "0601020303" and stored.forwarding["C"].busy == "0601020301"


def test_a_change_landing_between_the_look_and_the_save_is_caught_up(pair: Any) -> None:
    (one, net1), (two, net2) = pair
    persist = net2.portal.persist
    raced: list[bool] = []

    def racing(entry: Any, *rows: Any) -> None:
        if not raced:  # the other browser saves just now, after this one looked
            raced.append(True)
            assert net1.portal.execute("manager", "set_forwarding", BUSY_A) is None
        persist(entry, *rows)

    net2.portal.persist = racing
    assert net2.portal.execute("manager", "set_forwarding", BUSY_C) is None
    assert net2.parties["A"].forwarding.busy == "0601020303"
    assert net2.parties["C"].forwarding.busy == "0601020301"


def test_settings_shown_come_from_the_database_now(pair: Any) -> None:
    """Both browsers edit the same line in turn: each starts from the other's result."""
    (one, net1), (two, net2) = pair
    assert net1.portal.execute("manager", "set_forwarding", BUSY_A) is None
    assert net2.portal.execute("manager", "set_forwarding",
                               {"line": "A", "type": "no_answer", "to": "0601020306", "delay": 10}) is None
    assert net1.portal.execute("manager", "clear_forwarding", {"line": "A", "type": "busy"}) is None
    one.refresh(), two.refresh()
    for net in (net1, net2):
        forwarding = net.parties["A"].forwarding
        assert (forwarding.busy, forwarding.no_answer, forwarding.delay) == (None, "0601020306", 10)


def test_an_import_leaves_the_running_simulator_behind_and_says_so(pair: Any, tmp_path: Path) -> None:
    (one, net1), _ = pair
    out = tmp_path / "company.yaml"
    assert main(["--data", str(tmp_path), "company", "export", str(out)]) == 0
    assert main(["--data", str(tmp_path), "company", "import", str(out)]) == 0
    refused = net1.portal.execute("manager", "set_forwarding", BUSY_A)
    assert isinstance(refused, Refused) and refused.reason == "not_saved" and "restart" in refused.detail


def test_replaying_never_writes_again(pair: Any) -> None:
    (one, net1), (two, net2) = pair
    assert net1.portal.execute("manager", "set_forwarding", BUSY_A) is None
    before = two.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    two.refresh()
    assert two.conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == before


def test_a_network_without_a_store_has_no_refresh() -> None:
    from phone_sim.store.store import demo_company

    assert Network(demo_company()).portal.refresh is None
