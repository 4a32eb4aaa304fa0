"""How durable a commit is: ``normal`` (default: in the WAL when COMMIT returns, flushed
to the disk just after, off the portal's thread) or ``full`` (flushed inside COMMIT)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from phone_sim.store import db
from phone_sim.store.db import SyncSettingError, connect, sync_mode
from phone_sim.store.store import Store

CHEAP = 2**4  # scrypt n for tests (as in conftest.py; importing it clashes with other conftests)
SYNCHRONOUS = {"normal": 1, "full": 2}


def pragma(store: Store) -> int:
    return int(store.conn.execute("PRAGMA synchronous").fetchone()[0])


def change(store: Store, n: int) -> None:
    net = store.net if store.net is not None else store.build_network()
    assert net.portal.execute("manager", "set_forwarding", {"line": "A", "type": "busy", "to": f"06{n:08d}"}) is None


def test_normal_by_default(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.SYNC_ENV, raising=False)
    store = Store(db_path, cost=CHEAP)
    try:
        assert pragma(store) == SYNCHRONOUS["normal"]
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        store.close()


@pytest.mark.parametrize("value, mode", [("full", "full"), ("FULL", "full"), (" normal ", "normal"), ("", "normal")])
def test_the_setting_from_the_environment(db_path: Path, monkeypatch: pytest.MonkeyPatch, value: str,
                                          mode: str) -> None:
    monkeypatch.setenv(db.SYNC_ENV, value)
    assert sync_mode() == mode
    store = Store(db_path, cost=CHEAP)
    try:
        assert pragma(store) == SYNCHRONOUS[mode]
        assert (store.conn.flusher is not None) == (mode == "normal")  # type: ignore[attr-defined]
    finally:
        store.close()


def test_the_argument_wins_over_the_environment(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(db.SYNC_ENV, "normal")
    store = Store(db_path, cost=CHEAP, durability="full")
    try:
        assert pragma(store) == SYNCHRONOUS["full"]
    finally:
        store.close()


def test_an_unknown_setting_is_refused_clearly(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(db.SYNC_ENV, "sometimes")
    with pytest.raises(SyncSettingError, match="PHONE_SIM_SYNC='sometimes': expected one of normal, full"):
        Store(db_path, cost=CHEAP)
    assert not db_path.exists()  # refused before anything was created


def test_normal_flushes_the_wal_after_each_commit(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The portal returns before the flush; the WAL file reaches the disk just after."""
    flushed: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        flushed.append(os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd") else "?")
        real_fsync(fd)

    monkeypatch.setattr(db.os, "fsync", fsync)
    store = Store(db_path, cost=CHEAP, durability="normal")
    try:
        flusher = store.conn.flusher  # type: ignore[attr-defined]
        assert flusher is not None
        for n in range(1, 4):
            before = flusher.flushes
            change(store, n)
            deadline = time.monotonic() + 10
            while flusher.flushes == before and time.monotonic() < deadline:
                time.sleep(0.005)
            assert flusher.flushes > before, "the commit was never flushed to the disk"
        assert flusher.failures == 0
        if flushed[0] != "?":
            assert {Path(p).name for p in flushed} == {db_path.name + "-wal"}
    finally:
        store.close()
    assert store.conn.flusher._thread is None  # type: ignore[attr-defined]  # stopped with the store


def test_full_flushes_inside_the_commit_only(db_path: Path) -> None:
    store = Store(db_path, cost=CHEAP, durability="full")
    try:
        assert store.conn.flusher is None  # type: ignore[attr-defined]
        change(store, 1)
    finally:
        store.close()


def test_a_store_in_memory_has_no_flusher() -> None:
    conn = connect(":memory:", "normal")
    try:
        assert conn.flusher is None
    finally:
        conn.close()
