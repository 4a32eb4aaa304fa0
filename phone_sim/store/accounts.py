"""Portal accounts: fleet managers and one user per line with ``pabx`` (SPEC 10).

Passwords are salted and hashed with ``hashlib.scrypt`` at OWASP's parameters (N = 2^17,
r = 8, p = 1: 128 MiB and a few hundred milliseconds per hash) and stored as
``scrypt$n$r$p$salt$hash`` (base64); a hash made with smaller parameters is upgraded at
the account's next successful login. A password is never stored, printed or logged in
clear, except the random ones the first run creates, printed once.

There is no shared default password: the first run gives every account a random one of
its own; a line granted ``pabx`` later gets an account with no usable password (``!``)
until the fleet manager sets one (``phone-sim account set-password LINE``).

Lock-out: five wrong passwords in a row lock the account for 15 minutes of wall-clock time
(the clock is injectable). The try is counted *before* the password is checked, in one
``BEGIN IMMEDIATE`` transaction with the check of the count, so processes guessing in
parallel get five tries in all, not five each. Every answer costs one scrypt hash, so a
locked account, an unknown name, a corrupted hash and a wrong password take the same time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
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
DEFAULT_COST = 2**17  # scrypt N (OWASP Password Storage Cheat Sheet), with r = 8, p = 1
ROUNDS, PARALLEL = 8, 1
MAX_SCRYPT_MEMORY = 256 * 1024 * 1024  # a stored hash asking for more is corrupted, not obeyed
COST_ENV = "PHONE_SIM_TEST_SCRYPT_COST"  # test suites and fuzzers only (thousands of hashes)
NO_PASSWORD = "!"  # an account that cannot log in until a password is set
DEMO_MANAGER = "gestionnaire"

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Account:
    name: str
    role: Literal["manager", "user"]
    line: str | None = None  # the user's line; None for a manager

    @property
    def is_manager(self) -> bool:
        return self.role == MANAGER_ROLE


def configured_cost() -> int:
    """``DEFAULT_COST``, unless the test-only ``PHONE_SIM_TEST_SCRYPT_COST`` asks for another
    power of two (a hash made so is upgraded at its next login in a run without it)."""
    raw = os.environ.get(COST_ENV, "")
    if raw.isascii() and raw.isdigit() and len(raw) <= 8:
        value = int(raw)
        if value >= 2 and not value & (value - 1) and 128 * ROUNDS * value <= MAX_SCRYPT_MEMORY:
            return value
    return DEFAULT_COST


def generate_password() -> str:
    """A random password of 16 characters (96 bits), easy to type: no look-alikes."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def hash_passwords(passwords: list[str], cost: int = DEFAULT_COST) -> list[str]:
    """Several hashes at once (the first run's accounts): scrypt leaves the interpreter while
    it works, so on two cores two hashes take the time of one. At most two at a time:
    each needs 128 MiB at the default cost."""
    if len(passwords) < 2 or (os.cpu_count() or 1) < 2:
        return [hash_password(p, cost) for p in passwords]
    from concurrent.futures import ThreadPoolExecutor  # only the first run needs threads

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="phone-sim-scrypt") as pool:
        return list(pool.map(lambda p: hash_password(p, cost), passwords))


def hash_password(password: str, cost: int = DEFAULT_COST) -> str:
    salt = os.urandom(16)
    digest = _scrypt(password, salt, cost, ROUNDS, PARALLEL)
    return "$".join(("scrypt", str(cost), str(ROUNDS), str(PARALLEL), _b64(salt), _b64(digest)))


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    """The parameters, salt and digest of a stored hash; None if it is not a sane one."""
    try:
        scheme, n_text, r_text, p_text, salt_text, digest_text = stored.split("$")
        if scheme != "scrypt" or not all(t.isascii() and t.isdigit() and len(t) <= 8
                                         for t in (n_text, r_text, p_text)):
            return None
        n, r, p = int(n_text), int(r_text), int(p_text)
        salt = base64.b64decode(salt_text, validate=True)
        digest = base64.b64decode(digest_text, validate=True)
    except (ValueError, binascii.Error):
        return None
    if n < 2 or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 16 or 128 * r * n > MAX_SCRYPT_MEMORY:
        return None
    if not 8 <= len(salt) <= 64 or len(digest) != 32:
        return None
    return n, r, p, salt, digest


def verify_password(password: str, stored: str, decoy_cost: int = DEFAULT_COST) -> bool:
    """Whether ``password`` matches ``stored``. A corrupted or unusable hash is False, after
    the same hashing work as a real check (at ``decoy_cost``): never an exception."""
    parsed = _parse(stored)
    if parsed is None:
        _scrypt(password, b"phone-sim-decoy!", decoy_cost, ROUNDS, PARALLEL)
        return False
    n, r, p, salt, digest = parsed
    return hmac.compare_digest(_scrypt(password, salt, n, r, p), digest)


def needs_upgrade(stored: str, cost: int) -> bool:
    parsed = _parse(stored)
    return parsed is not None and (parsed[0], parsed[1], parsed[2]) < (cost, ROUNDS, PARALLEL)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # OpenSSL refuses more than 32 MiB by default: allow exactly what these parameters need
    return hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=salt, n=n, r=r, p=p, dklen=32,
                          maxmem=128 * r * (n + p + 2) + 1024 * 1024)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def check_new_password(password: str) -> Refused | None:
    if len(password) < MIN_PASSWORD:
        return Refused("password_too_short", f"{len(password)} < {MIN_PASSWORD}")
    return None


class Accounts:
    """The account table of one store connection."""

    def __init__(self, conn: sqlite3.Connection, clock: Clock, cost: int | None = None) -> None:
        self.conn = conn
        self.clock = clock
        self.cost = configured_cost() if cost is None else cost

    # ------------------------------------------------------------------ logging in
    def login(self, name: str, password: str) -> Account | Refused:
        """An account, or why not: ``bad_credentials``, ``account_locked``, ``no_pabx_option``."""
        row, state = self._count_try(name.strip())
        stored = row[3] if row is not None else NO_PASSWORD
        right = verify_password(password, stored, self.cost)  # always: every answer costs a hash
        if row is None:
            return Refused("bad_credentials")
        account_name, role, line, _, has_pabx = row
        if state == "locked":
            return Refused("account_locked")
        if not right:
            return self._failed(account_name, state)
        self._succeeded(account_name, stored, password)
        if role == USER_ROLE and not has_pabx:
            return Refused("no_pabx_option", str(line))
        return Account(account_name, role, line)

    def _count_try(self, name: str) -> tuple[tuple[str, str, str | None, str, int] | None, str]:
        """Count this try before the password is checked, atomically with the count's check:
        ``locked``, or ``last`` (the fifth try in a row), or ``try``."""
        with transaction(self.conn):
            row = self.conn.execute(
                "SELECT accounts.name, role, line_id, password, failed_logins, locked_until,"
                " EXISTS (SELECT 1 FROM line_options o WHERE o.line_id = accounts.line_id AND o.option = 'pabx')"
                " FROM accounts WHERE accounts.name = ?", (name,)
            ).fetchone()
            if row is None:
                return None, "unknown"
            account_name, role, line, stored, failures, locked_until, has_pabx = row
            now = self.clock()
            found = (account_name, role, line, stored, has_pabx)
            if now < locked_until:
                return found, "locked"
            if failures >= MAX_FAILURES:  # tries in flight used them all: lock now
                self._set(account_name, 0, now + LOCK_SECONDS)
                return found, "locked"
            self._set(account_name, failures + 1, 0.0)
            return found, "last" if failures + 1 >= MAX_FAILURES else "try"

    def _failed(self, name: str, state: str) -> Refused:
        if state != "last":
            return Refused("bad_credentials")
        with transaction(self.conn):
            self._set(name, 0, self.clock() + LOCK_SECONDS)
        return Refused("account_locked")

    def _succeeded(self, name: str, stored: str, password: str) -> None:
        """The count starts again; a hash made with weaker parameters is replaced."""
        upgraded = hash_password(password, self.cost) if needs_upgrade(stored, self.cost) else None
        with transaction(self.conn):
            self.conn.execute("UPDATE accounts SET failed_logins = 0, locked_until = 0 WHERE name = ?", (name,))
            if upgraded is not None:
                self.conn.execute("UPDATE accounts SET password = ? WHERE name = ? AND password = ?",
                                  (upgraded, name, stored))

    def _set(self, name: str, failures: int, locked_until: float) -> None:
        self.conn.execute("UPDATE accounts SET failed_logins = ?, locked_until = ? WHERE name = ?",
                          (failures, locked_until, name))

    # ------------------------------------------------------------------ managing accounts
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

    def every(self) -> list[tuple[Account, bool, bool]]:
        """Every account, whether it is locked now, and whether it has a usable password."""
        now = self.clock()
        rows = self.conn.execute(
            "SELECT name, role, line_id, locked_until, password FROM accounts ORDER BY role, name")
        return [(Account(name, role, line), now < until, _parse(stored) is not None)
                for name, role, line, until, stored in rows]

    def user_rows(self, lines: Iterable[LineSpec], existing: set[str] | None = None) -> list[tuple[str, str]]:
        """(line id, ``NO_PASSWORD``) for each line with ``pabx`` that has no account yet:
        the fleet manager gives it a password (no default anyone could guess)."""
        if existing is None:
            existing = {n.casefold() for (n,) in self.conn.execute("SELECT name FROM accounts")}
        return [(line.id, NO_PASSWORD) for line in lines
                if "pabx" in line.options and line.id.casefold() not in existing]

    def exists(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone() is not None

    def first_run_passwords(self, lines: Iterable[LineSpec]) -> dict[str, str]:
        """The first run: a random password for each user account (in clear, to print once)."""
        return {line.id: generate_password() for line in lines if "pabx" in line.options}

    def insert_users(self, rows: list[tuple[str, str]]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO accounts (name, role, line_id, password) VALUES (?, 'user', ?, ?)",
            [(line, line, hashed) for line, hashed in rows],
        )

    def insert_manager(self, name: str, hashed: str) -> None:
        """Inside the caller's transaction (first run); ``hashed`` by ``hash_password``."""
        self.conn.execute("INSERT INTO accounts (name, role, password) VALUES (?, ?, ?)",
                          (name, MANAGER_ROLE, hashed))
