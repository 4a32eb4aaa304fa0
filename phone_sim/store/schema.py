"""The database schema, versioned with ``PRAGMA user_version``, and its migrations.

A fresh database is built by running every migration from version 0, so the upgrade path
an older database takes is the one every new database takes too. Each step runs in its
own transaction together with the version bump: a step is applied whole or not at all.

Version 1 kept a line's options and a ring list's numbers as comma-separated text and had
no lock-out counters. Version 2 moves options and ring-list numbers into tables of their
own, keeps forwarding destinations that are registered but deactivated (``#21#``), adds
the lock-out columns to accounts, the acting account and the channel (portal or MMI) to
the audit log and a revision counter that tells a running simulator the company was changed by another
process (``phone-sim company import``).

Version 3 adds the lines' SIP credentials (SPEC 13): a digest hash (HA1) per user name
the device may register with (the line's id, number and short number) and algorithm,
never the secret, and the SIP lock-out counters of each line.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

SCHEMA_V1 = """
CREATE TABLE company (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    plan TEXT NOT NULL
);
CREATE TABLE lines (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    number TEXT NOT NULL,
    short TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('mobile', 'fixed')),
    options TEXT NOT NULL DEFAULT '',
    call_waiting INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE externals (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    number TEXT NOT NULL
);
CREATE TABLE forwarding (
    line_id TEXT PRIMARY KEY REFERENCES lines(id) ON DELETE CASCADE,
    unconditional TEXT,
    busy TEXT,
    no_answer TEXT,
    unreachable TEXT,
    delay INTEGER NOT NULL
);
CREATE TABLE ring_lists (
    line_id TEXT PRIMARY KEY REFERENCES lines(id) ON DELETE CASCADE,
    mode TEXT NOT NULL CHECK (mode IN ('simultaneous', 'sequential')),
    numbers TEXT NOT NULL,
    step INTEGER NOT NULL
);
CREATE TABLE groups (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    number TEXT NOT NULL,
    name TEXT NOT NULL,
    user_code TEXT NOT NULL,
    admin_code TEXT NOT NULL,
    queue INTEGER NOT NULL,
    switchover_delay INTEGER NOT NULL,
    inter_call_delay INTEGER NOT NULL,
    distribution TEXT NOT NULL
);
CREATE TABLE group_members (
    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    line_id TEXT NOT NULL REFERENCES lines(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    connected INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, line_id)
);
CREATE TABLE accounts (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('manager', 'user')),
    line_id TEXT REFERENCES lines(id) ON DELETE CASCADE,
    password TEXT NOT NULL
);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time_ms INTEGER NOT NULL,
    wall TEXT NOT NULL,
    who TEXT NOT NULL,
    as_whom TEXT NOT NULL,
    operation TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    params TEXT NOT NULL
);
CREATE INDEX audit_target ON audit(target);
"""


def _v1(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA_V1.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v2(conn: sqlite3.Connection) -> None:
    """Options and ring-list numbers get tables; accounts lock out; audit names the account."""
    conn.execute("""CREATE TABLE line_options (
        line_id TEXT NOT NULL REFERENCES lines(id) ON DELETE CASCADE,
        option TEXT NOT NULL,
        PRIMARY KEY (line_id, option))""")
    rows = conn.execute("SELECT id, options FROM lines").fetchall()
    for line_id, options in rows:
        for option in filter(None, (o.strip() for o in options.split(","))):
            conn.execute("INSERT OR IGNORE INTO line_options VALUES (?, ?)", (line_id, option))
    conn.execute("ALTER TABLE lines DROP COLUMN options")
    conn.execute("""CREATE TABLE ring_numbers (
        line_id TEXT NOT NULL REFERENCES ring_lists(line_id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        number TEXT NOT NULL,
        PRIMARY KEY (line_id, position))""")
    rows = conn.execute("SELECT line_id, numbers FROM ring_lists").fetchall()
    for line_id, numbers in rows:
        for position, number in enumerate(filter(None, (n.strip() for n in numbers.split(",")))):
            conn.execute("INSERT INTO ring_numbers VALUES (?, ?, ?)", (line_id, position, number))
    conn.execute("ALTER TABLE ring_lists DROP COLUMN numbers")
    conn.execute("ALTER TABLE accounts ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE accounts ADD COLUMN locked_until REAL NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE audit ADD COLUMN account TEXT")
    conn.execute("ALTER TABLE audit ADD COLUMN via TEXT NOT NULL DEFAULT 'portal'")
    conn.execute("""CREATE TABLE parked_forwarding (
        line_id TEXT NOT NULL REFERENCES lines(id) ON DELETE CASCADE,
        condition TEXT NOT NULL,
        number TEXT NOT NULL,
        PRIMARY KEY (line_id, condition))""")
    conn.execute("ALTER TABLE company ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")


def _v3(conn: sqlite3.Connection) -> None:
    """SIP secrets of the lines, as digest hashes, and their lock-out (phone_sim/store/sipsecrets.py)."""
    conn.execute("""CREATE TABLE sip_secrets (
        line_id TEXT PRIMARY KEY REFERENCES lines(id) ON DELETE CASCADE,
        failures INTEGER NOT NULL DEFAULT 0,
        locked_until REAL NOT NULL DEFAULT 0,
        set_at TEXT NOT NULL)""")
    conn.execute("""CREATE TABLE sip_credentials (
        line_id TEXT NOT NULL REFERENCES sip_secrets(line_id) ON DELETE CASCADE,
        username TEXT NOT NULL,
        algorithm TEXT NOT NULL,
        realm TEXT NOT NULL,
        ha1 TEXT NOT NULL,
        PRIMARY KEY (line_id, username, algorithm))""")


# MIGRATIONS[i] takes a database from version i to version i + 1.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2, _v3)
LATEST = len(MIGRATIONS)


class SchemaError(Exception):
    """The database cannot be used by this version of phone-sim."""


def version(conn: sqlite3.Connection) -> int:
    value: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return value


def migrate(conn: sqlite3.Connection, target: int = LATEST) -> int:
    """Bring the database to ``target``, one transaction per step; returns the old version.

    The connection must be in autocommit mode (``isolation_level=None``).
    """
    start = version(conn)
    if start > LATEST:
        raise SchemaError(f"database schema v{start} is newer than this phone-sim (v{LATEST})")
    for step in range(start, target):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[step](conn)
            conn.execute(f"PRAGMA user_version = {step + 1}")
            problems = conn.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise SchemaError(f"migration to v{step + 1} broke foreign keys: {problems[:3]}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return start
