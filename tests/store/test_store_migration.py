"""Schema versions: a database written by the version-1 schema is brought to the latest."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from phone_sim.network.company import RingList
from phone_sim.store import schema
from phone_sim.store.accounts import Account, hash_password
from phone_sim.store.db import connect
from phone_sim.store.schema import LATEST, SchemaError, migrate, version
from phone_sim.store.store import Store

CHEAP = 2**4


def write_version_1(path: Path) -> None:
    """A small company as the version-1 schema stored it (options and numbers as text)."""
    conn = connect(path)
    migrate(conn, target=1)
    conn.executescript("""
        BEGIN;
        INSERT INTO company VALUES (1, 'Ancienne', '{}');
        INSERT INTO lines VALUES ('A', 0, 'Monsieur A', '0601020301', '301', 'mobile', 'pabx,double_appel', 1);
        INSERT INTO lines VALUES ('C', 1, 'Monsieur C', '0601020303', NULL, 'mobile', 'pabx', 0);
        INSERT INTO lines VALUES ('F', 2, 'Fixe', '0145020301', NULL, 'fixed', '', 1);
        INSERT INTO ring_lists VALUES ('A', 'sequential', '0145020301,0601020303', 20);
        INSERT INTO forwarding VALUES ('C', NULL, '0601020301', NULL, NULL, 25);
        INSERT INTO groups VALUES ('G', 0, '0609000000', 'Groupe', '1234', '4321', 0, 15, 0, 'linear');
        INSERT INTO group_members VALUES ('G', 'A', 0, 1);
        INSERT INTO group_members VALUES ('G', 'C', 1, 0);
        INSERT INTO audit VALUES (NULL, 0, '2020-01-01T00:00:00+00:00', 'manager', 'manager', 'grant',
                                  'A', 'pabx', 'double_appel,pabx', '{"line": "A"}');
        COMMIT;
    """)
    conn.execute("INSERT INTO accounts VALUES ('chef', 'manager', NULL, ?)", (hash_password("ancien-mdp", CHEAP),))
    conn.execute("INSERT INTO accounts VALUES ('A', 'user', 'A', ?)", (hash_password("ligne-a", CHEAP),))
    assert version(conn) == 1
    conn.close()


def test_a_version_1_database_is_migrated_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    write_version_1(path)
    store = Store(path, cost=CHEAP)
    assert version(store.conn) == LATEST == 3
    assert not store.created  # migrated, not re-seeded
    spec, live = store.load()
    lines = {line.id: line for line in spec.lines}
    assert lines["A"].options == {"pabx", "double_appel"}
    assert lines["C"].options == {"pabx"} and lines["F"].options == frozenset()
    assert spec.incoming["A"] == RingList("sequential", ("0145020301", "0601020303"), 20)
    assert spec.forwarding["C"].busy == "0601020301"
    assert spec.groups[0].members == ("A", "C") and spec.groups[0].connected == ("A",)
    assert live.call_waiting == {"A": True, "C": False, "F": True}
    columns = {row[1] for row in store.conn.execute("PRAGMA table_info(lines)")}
    assert "options" not in columns
    # accounts keep their passwords and gain the lock-out counters
    assert store.accounts.login("chef", "ancien-mdp") == Account("chef", "manager")
    assert store.audit()[0].via == "portal" and store.audit()[0].account is None
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def test_the_migrated_database_takes_changes(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    write_version_1(path)
    store = Store(path, cost=CHEAP)
    net = store.build_network()
    assert net.portal.execute("manager", "set_ring_list", {"line": "A", "mode": "simultaneous",
                                                           "numbers": ["0601020303"]}) is None
    store.close()
    again = Store(path, cost=CHEAP)
    assert again.load()[0].incoming["A"] == RingList("simultaneous", ("0601020303",), 15)
    again.close()


def test_a_failed_migration_step_leaves_the_old_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.sqlite3"
    write_version_1(path)

    def half_done(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE accounts ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0")
        raise sqlite3.OperationalError("interrupted")

    monkeypatch.setattr(schema, "MIGRATIONS", (schema.MIGRATIONS[0], half_done))
    with pytest.raises(sqlite3.OperationalError):
        Store(path, cost=CHEAP)
    conn = sqlite3.connect(path)
    assert version(conn) == 1
    assert "failed_logins" not in {row[1] for row in conn.execute("PRAGMA table_info(accounts)")}
    conn.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    with pytest.raises(SchemaError):
        Store(path, cost=CHEAP)
