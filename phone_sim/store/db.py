"""Opening the SQLite database the way every part of the store expects it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from types import TracebackType

from phone_sim.files import FILE_MODE, make_private, private_folder


def connect(path: Path | str) -> sqlite3.Connection:
    """Autocommit mode (transactions are explicit), WAL, foreign keys, full sync.

    ``synchronous=FULL`` makes each commit durable before the portal acknowledges the
    change; a portal change is a human action, so the fsync costs nothing noticeable.
    The folder is made 0700 and the database, its WAL and shared-memory files 0600
    whatever the umask (SQLite gives the last two the database file's mode).
    """
    on_disk = str(path) != ":memory:"
    if on_disk:
        private_folder(Path(path).parent)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), FILE_MODE))
        make_private(path)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=5.0)
    conn.execute("PRAGMA foreign_keys = ON")
    if on_disk:
        conn.execute("PRAGMA journal_mode = WAL")
        for suffix in ("-wal", "-shm"):
            if os.path.exists(f"{path}{suffix}"):
                make_private(f"{path}{suffix}")
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
