"""Opening the SQLite database the way every part of the store expects it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import TracebackType


def connect(path: Path | str) -> sqlite3.Connection:
    """Autocommit mode (transactions are explicit), WAL, foreign keys, full sync.

    ``synchronous=FULL`` makes each commit durable before the portal acknowledges the
    change; a portal change is a human action, so the fsync costs nothing noticeable.
    """
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=5.0)
    conn.execute("PRAGMA foreign_keys = ON")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


class transaction:
    """``with transaction(conn):`` BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
