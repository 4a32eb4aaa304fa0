"""The stored company: seeded on first run, every portal change durable, nothing on refusal."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from phone_sim.network.company import CompanySpec, Forwarding, RingList
from phone_sim.network.refusal import Refused
from phone_sim.store import open_network, rows
from phone_sim.store.schema import LATEST, version
from phone_sim.store.store import Store, demo_company


def audit_count(store: Store) -> int:
    return len(store.audit())


def test_first_run_seeds_the_demo_company(store: Store) -> None:
    spec, live = store.load()
    demo = demo_company()
    assert store.created
    assert spec == demo
    assert live.call_waiting == {line.id: True for line in demo.lines}
    assert version(store.conn) == LATEST
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_second_open_does_not_seed_again(store: Store, reopen: Callable[[], Store]) -> None:
    store.build_network().portal.execute("manager", "clear_forwarding", {"line": "MME_C"})
    again = reopen()
    assert not again.created
    assert "MME_C" not in again.load()[0].forwarding


def test_every_kind_of_change_survives_a_restart(store: Store, reopen: Callable[[], Store]) -> None:
    net = store.build_network()
    do = net.portal.execute
    assert do("manager", "set_forwarding", {"line": "A", "type": "no_answer", "to": "06 01 02 03 03",
                                            "delay": 20}) is None
    assert do("manager", "set_ring_list", {"line": "C", "mode": "sequential",
                                           "numbers": ["0601020309", "0145020301"], "step": 10}) is None
    assert do("manager", "withdraw", {"line": "ASSIST", "option": "double_appel"}) is None
    assert do("manager", "create_group", {"id": "VENTE", "number": "0609182240", "name": "Vente",
                                          "user_code": "1111", "admin_code": "2222",
                                          "members": ["A", "D"]}) is None
    assert do("manager", "connect", {"group": "VENTE", "line": "D"}) is None
    assert do("manager", "disconnect_all", {"group": "COM"}) is None
    assert do("MME_C", "set_call_waiting", {"line": "MME_C", "on": False}) is None
    assert do("D", "deactivate_forwarding", {"line": "D", "type": "unreachable"}, via="mmi") is None

    restarted = reopen().build_network()
    assert restarted.parties["A"].forwarding == Forwarding(no_answer="0601020303", delay=20)
    assert restarted.parties["C"].ring_list == RingList("sequential", ("0601020309", "0145020301"), 10)
    assert restarted.parties["ASSIST"].options == {"pabx"}
    vente = restarted.groups.groups["VENTE"]
    assert (vente.name, vente.user_code, vente.members, vente.connected) == ("Vente", "1111", ["A", "D"], {"D"})
    assert restarted.groups.groups["COM"].connected == set()
    assert restarted.parties["MME_C"].call_waiting is False
    assert restarted.parties["D"].forwarding.is_empty()
    # the deactivated destination stays registered: *62# brings it back after a restart
    assert restarted.portal.execute("D", "activate_forwarding", {"type": "unreachable"}, via="mmi") is None
    assert restarted.parties["D"].forwarding.unreachable == "0145020304"


def test_a_refused_change_writes_nothing(store: Store) -> None:
    net = store.build_network()
    before = (store.load(), audit_count(store), store.revision)
    refused = net.portal.execute("manager", "set_forwarding", {"line": "A", "type": "busy", "to": "301"})
    assert isinstance(refused, Refused) and refused.reason == "short_number_not_allowed"
    refused = net.portal.execute("C", "set_forwarding", {"line": "A", "type": "busy", "to": "0601020303"})
    assert isinstance(refused, Refused) and refused.reason == "forbidden"
    assert (store.load(), audit_count(store), store.revision) == before


def test_a_change_the_store_cannot_commit_is_not_applied(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    net = store.build_network()
    real = rows.write_rows

    def broken(conn: sqlite3.Connection, *args: object) -> None:
        real(conn, *args)  # half the work is done inside the transaction, then the disk fails
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr("phone_sim.store.store.write_rows", broken)
    refused = net.portal.execute("manager", "set_forwarding", {"line": "A", "type": "busy", "to": "0601020303"})
    assert isinstance(refused, Refused) and refused.reason == "not_saved"
    assert net.parties["A"].forwarding.busy is None  # the live network did not move
    monkeypatch.undo()
    assert store.load()[0].forwarding.get("A") is None  # rolled back
    assert net.portal.execute("manager", "set_forwarding", {"line": "A", "type": "busy", "to": "0601020303"}) is None
    assert store.load()[0].forwarding["A"].busy == "0601020303"


def test_a_company_changed_by_another_process_is_not_overwritten(store: Store, reopen: Callable[[], Store]) -> None:
    net = store.build_network()
    other = reopen()
    other.replace_company(CompanySpec(name="Autre", lines=demo_company().lines))
    refused = net.portal.execute("manager", "grant", {"line": "D", "option": "double_appel"})
    assert isinstance(refused, Refused) and refused.reason == "not_saved"
    assert "double_appel" not in net.parties["D"].options
    assert other.load()[0].name == "Autre"


def test_the_audit_log_is_durable_and_filtered_by_line(store: Store, reopen: Callable[[], Store]) -> None:
    net = store.build_network()
    with store.acting_as("gestionnaire"):
        net.portal.execute("manager", "set_forwarding", {"line": "A", "type": "busy", "to": "0601020303"})
        net.portal.execute("manager", "connect", {"group": "COM", "line": "MME_C"})
        net.portal.execute("manager", "set_forwarding", {"line": "C", "type": "busy", "to": "0601020301"},
                           as_whom="C")
    log = reopen().audit()
    assert [(r.operation, r.target, r.who, r.as_whom, r.account) for r in log[:3]] == [
        ("set_forwarding", "C", "manager", "C", "gestionnaire"),
        ("connect", "MME_C", "manager", "manager", "gestionnaire"),
        ("set_forwarding", "A", "manager", "manager", "gestionnaire"),
    ]
    assert log[2].before == "none" and log[2].after.startswith("busy=0601020303")
    assert [r.target for r in store.audit("A")] == ["A"]
    assert [r.operation for r in store.audit("MME_C")] == ["connect"]


def test_open_network_announces_the_demo_credentials_once(tmp_path: Path) -> None:
    said: list[str] = []
    net, first = open_network(tmp_path, announce=said.append)
    first.close()
    net, again = open_network(tmp_path, announce=said.append)
    again.close()
    assert len(said) == 1 and "gestionnaire" in said[0]
    assert len(first.first_passwords) == 6 and again.first_passwords == {}
    assert all(password in said[0] for password in first.first_passwords.values())
    assert (tmp_path / "phone-sim.sqlite3").exists()


def test_the_data_directory_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PHONE_SIM_DATA", str(tmp_path / "env"))
    net, store = open_network(announce=lambda _: None)
    store.close()
    assert (tmp_path / "env" / "phone-sim.sqlite3").exists()
    net, store = open_network(tmp_path / "flag", announce=lambda _: None)
    store.close()
    assert (tmp_path / "flag" / "phone-sim.sqlite3").exists()
