"""The lines' SIP secrets, kept as digest hashes (HA1), and their lock-out (SPEC 13).

A SIP device registers as a line under one of three user names (the line's id, its
number, its short number), and HTTP digest hashes the user name with the secret:
``HA1 = H(user:realm:secret)``. So a secret is stored as one HA1 per user name and
algorithm (MD5, SHA-256), never in clear, and the clear secret is forgotten at once.

Five failed authentications in a row lock the line's SIP access for 15 minutes of wall
time, like portal accounts; the count and the lock are written in one transaction.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime

from phone_sim.network.company import CompanySpec, LineSpec, check_sip_secret
from phone_sim.network.refusal import Refused
from phone_sim.store.db import transaction

REALM = "phone-sim"
ALGORITHMS: dict[str, Callable[[bytes], hashlib._Hash]] = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}
MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def ha1(username: str, secret: str, algorithm: str = "MD5", realm: str = REALM) -> str:
    """HA1 = H(username:realm:secret), what digest authentication needs of a secret."""
    return ALGORITHMS[algorithm](f"{username}:{realm}:{secret}".encode()).hexdigest()


def user_names(line: LineSpec) -> tuple[str, ...]:
    """The names a device may register this line with: id, number, short number."""
    names = [line.id, line.number]
    if line.short:
        names.append(line.short)
    return tuple(dict.fromkeys(names))


def credential_rows(line: LineSpec, secret: str) -> list[tuple[str, str, str, str, str]]:
    """(line, user name, algorithm, realm, HA1) for every user name and algorithm."""
    return [(line.id, name, algorithm, REALM, ha1(name, secret, algorithm))
            for name in user_names(line) for algorithm in ALGORITHMS]


class SipSecrets:
    """The SIP credential tables of one store connection."""

    def __init__(self, conn: sqlite3.Connection, clock: Callable[[], float] = time.time) -> None:
        self.conn = conn
        self.clock = clock

    # ------------------------------------------------------------------ setting
    def set_secret(self, line: LineSpec, secret: str) -> Refused | None:
        """Give the line this secret (replacing any) and lift its lock."""
        checked = check_sip_secret(secret)
        if isinstance(checked, Refused):
            return checked
        with transaction(self.conn):
            self._write(line, secret)
        return None

    def remove(self, line_id: str) -> bool:
        with transaction(self.conn):
            return self.conn.execute("DELETE FROM sip_secrets WHERE line_id = ?", (line_id,)).rowcount > 0

    def _write(self, line: LineSpec, secret: str) -> None:
        """Inside the caller's transaction."""
        wall = datetime.fromtimestamp(self.clock(), UTC).isoformat(timespec="seconds")
        self.conn.execute(
            "INSERT INTO sip_secrets (line_id, failures, locked_until, set_at) VALUES (?, 0, 0, ?)"
            " ON CONFLICT(line_id) DO UPDATE SET failures = 0, locked_until = 0, set_at = excluded.set_at",
            (line.id, wall))
        self.conn.execute("DELETE FROM sip_credentials WHERE line_id = ?", (line.id,))
        self.conn.executemany("INSERT INTO sip_credentials VALUES (?, ?, ?, ?, ?)", credential_rows(line, secret))

    def sync(self, spec: CompanySpec) -> None:
        """After the company was written (inside the caller's transaction): store the secrets
        the company gives, and drop hashes made for a user name the line no longer has."""
        for line in spec.lines:
            if line.sip_secret is not None:
                self._write(line, line.sip_secret)
        current = {(line.id, name) for line in spec.lines for name in user_names(line)}
        stale = [(line_id, name) for line_id, name in
                 self.conn.execute("SELECT DISTINCT line_id, username FROM sip_credentials")
                 if (line_id, name) not in current]
        self.conn.executemany("DELETE FROM sip_credentials WHERE line_id = ? AND username = ?", stale)
        self.conn.execute("DELETE FROM sip_secrets WHERE line_id NOT IN (SELECT line_id FROM sip_credentials)")

    # ------------------------------------------------------------------ reading
    def ha1(self, line_id: str, username: str, algorithm: str) -> str | None:
        row = self.conn.execute(
            "SELECT ha1 FROM sip_credentials WHERE line_id = ? AND username = ? AND algorithm = ? AND realm = ?",
            (line_id, username, algorithm, REALM)).fetchone()
        return None if row is None else str(row[0])

    def lines(self) -> dict[str, bool]:
        """Every line that may register, and whether its SIP access is locked now."""
        now = self.clock()
        return {line_id: now < until for line_id, until in
                self.conn.execute("SELECT line_id, locked_until FROM sip_secrets ORDER BY line_id")}

    def has_secret(self, line_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM sip_secrets WHERE line_id = ?", (line_id,)).fetchone() is not None

    def locked(self, line_id: str) -> bool:
        row = self.conn.execute("SELECT locked_until FROM sip_secrets WHERE line_id = ?", (line_id,)).fetchone()
        return row is not None and self.clock() < row[0]

    # ------------------------------------------------------------------ lock-out
    def failed(self, line_id: str) -> bool:
        """One more failure in a row; True when the line is (now) locked."""
        now = self.clock()
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE sip_secrets SET failures = CASE WHEN failures + 1 >= ? THEN 0 ELSE failures + 1 END,"
                " locked_until = CASE WHEN failures + 1 >= ? THEN ? ELSE locked_until END WHERE line_id = ?",
                (MAX_FAILURES, MAX_FAILURES, now + LOCK_SECONDS, line_id))
            row = self.conn.execute("SELECT locked_until FROM sip_secrets WHERE line_id = ?", (line_id,)).fetchone()
        return row is not None and now < row[0]

    def succeeded(self, line_id: str) -> None:
        if self.conn.execute("SELECT failures FROM sip_secrets WHERE line_id = ?", (line_id,)).fetchone() in (None, (0,)):
            return  # nothing to reset: no write on every registration
        with transaction(self.conn):
            self.conn.execute("UPDATE sip_secrets SET failures = 0 WHERE line_id = ?", (line_id,))

