"""Portal accounts: fleet managers and one user per line with ``pabx`` (SPEC 10).

Passwords are salted and hashed with ``hashlib.scrypt`` and stored as
``scrypt$n$r$p$salt$hash`` (base64), so the cost can grow later without breaking old
hashes. A password is never stored, printed or logged in clear. Five wrong passwords in a
row lock the account for 15 minutes of wall-clock time (the clock is injectable).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from phone_sim.network.company import LineSpec
from phone_sim.network.refusal import Refused
from phone_sim.store.db import transaction

MANAGER_ROLE = "manager"
USER_ROLE = "user"
MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
MIN_PASSWORD = 6
DEFAULT_COST = 2**14  # scrypt n: ~30 ms per hash on a laptop
# The documented demo credentials (README, "Portals and storage"); change them with
# `phone-sim account set-password NAME`.
DEMO_MANAGER = "gestionnaire"
DEMO_MANAGER_PASSWORD = "gestion-demo"
DEMO_USER_PASSWORD = "ligne-demo"

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Account:
    name: str
    role: Literal["manager", "user"]
    line: str | None = None  # the user's line; None for a manager

    @property
    def is_manager(self) -> bool:
        return self.role == MANAGER_ROLE


def hash_password(password: str, cost: int = DEFAULT_COST) -> str:
    salt = os.urandom(16)
    digest = _scrypt(password, salt, cost, 8, 1)
    return "$".join(("scrypt", str(cost), "8", "1", _b64(salt), _b64(digest)))


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    computed = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    return hmac.compare_digest(computed, base64.b64decode(digest))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32,
                          maxmem=128 * r * n * 2 + 1024 * 1024)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def check_new_password(password: str) -> Refused | None:
    if len(password) < MIN_PASSWORD:
        return Refused("password_too_short", f"{len(password)} < {MIN_PASSWORD}")
    return None


class Accounts:
    """The account table of one store connection."""

    def __init__(self, conn: sqlite3.Connection, clock: Clock, cost: int = DEFAULT_COST) -> None:
        self.conn = conn
        self.clock = clock
        self.cost = cost
        self._decoy_hash: str | None = None

    @property
    def _decoy(self) -> str:
        """Unknown names are hashed too, so a wrong name costs as long as a wrong password.

        Made at the first login rather than when the store opens: a hash costs tens of
        milliseconds, and the simulator opens the store on every start.
        """
        if self._decoy_hash is None:
            self._decoy_hash = hash_password("decoy", self.cost)
        return self._decoy_hash

    def login(self, name: str, password: str) -> Account | Refused:
        row = self.conn.execute(
            "SELECT accounts.name, role, line_id, password, failed_logins, locked_until,"
            " EXISTS (SELECT 1 FROM line_options o WHERE o.line_id = accounts.line_id AND o.option = 'pabx')"
            " FROM accounts WHERE accounts.name = ?", (name.strip(),)
        ).fetchone()
        if row is None:
            verify_password(password, self._decoy)
            return Refused("bad_credentials")
        account_name, role, line, stored, failures, locked_until, has_pabx = row
        now = self.clock()
        if now < locked_until:
            return Refused("account_locked")
        if not verify_password(password, stored):
            return self._failed(account_name, failures + 1, now)
        self._update(account_name, 0, 0.0)
        if role == USER_ROLE and not has_pabx:
            return Refused("no_pabx_option", str(line))
        return Account(account_name, role, line)

    def _failed(self, name: str, failures: int, now: float) -> Refused:
        if failures >= MAX_FAILURES:
            self._update(name, 0, now + LOCK_SECONDS)
            return Refused("account_locked")
        self._update(name, failures, 0.0)
        return Refused("bad_credentials")

    def _update(self, name: str, failures: int, locked_until: float) -> None:
        with transaction(self.conn):
            self.conn.execute("UPDATE accounts SET failed_logins = ?, locked_until = ? WHERE name = ?",
                              (failures, locked_until, name))

    def set_password(self, name: str, password: str) -> Refused | None:
        """Change a password (and lift any lock); the new password must be long enough."""
        if self.conn.execute("SELECT 1 FROM accounts WHERE name = ?", (name.strip(),)).fetchone() is None:
            return Refused("unknown_account", name)
        refused = check_new_password(password)
        if refused is not None:
            return refused
        hashed = hash_password(password, self.cost)
        with transaction(self.conn):
            done = self.conn.execute(
                "UPDATE accounts SET password = ?, failed_logins = 0, locked_until = 0 WHERE name = ?",
                (hashed, name.strip()),
            ).rowcount
        return None if done else Refused("unknown_account", name)

    def add_manager(self, name: str, password: str) -> Refused | None:
        refused = check_new_password(password)
        if refused is not None:
            return refused
        if not name.strip():
            return Refused("invalid_value", "empty name")
        hashed = hash_password(password, self.cost)
        with transaction(self.conn):
            try:
                self.conn.execute("INSERT INTO accounts (name, role, password) VALUES (?, ?, ?)",
                                  (name.strip(), MANAGER_ROLE, hashed))
            except sqlite3.IntegrityError:
                return Refused("duplicate_account", name)
        return None

    def every(self) -> list[tuple[Account, bool]]:
        """Every account and whether it is locked now."""
        now = self.clock()
        rows = self.conn.execute("SELECT name, role, line_id, locked_until FROM accounts ORDER BY role, name")
        return [(Account(name, role, line), now < until) for name, role, line, until in rows]

    def user_rows(self, lines: Iterable[LineSpec], existing: set[str] | None = None) -> list[tuple[str, str]]:
        """(line id, hashed demo password) for each line with ``pabx`` that has no account.

        Hashing is slow on purpose, so callers compute the rows before opening a write
        transaction and insert them with ``insert_users`` inside it.
        """
        if existing is None:
            existing = {n.casefold() for (n,) in self.conn.execute("SELECT name FROM accounts")}
        return [(line.id, hash_password(DEMO_USER_PASSWORD, self.cost)) for line in lines
                if "pabx" in line.options and line.id.casefold() not in existing]

    def exists(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone() is not None

    def insert_users(self, rows: list[tuple[str, str]]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO accounts (name, role, line_id, password) VALUES (?, 'user', ?, ?)",
            [(line, line, hashed) for line, hashed in rows],
        )

    def insert_manager(self, name: str, password: str) -> None:
        """Inside the caller's transaction (first run)."""
        self.conn.execute("INSERT INTO accounts (name, role, password) VALUES (?, ?, ?)",
                          (name, MANAGER_ROLE, hash_password(password, self.cost)))

