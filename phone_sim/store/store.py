"""The durable store: the company, the portal accounts and the audit log in SQLite.

The database is the source of truth for a running simulator: the network is built from it
and every accepted portal change is committed before the portal applies and acknowledges
it. The portal's ``persist`` hook hands us the operation about to be applied with the rows
it touches as they will be after it (one line's settings, or one group and its members:
the portal computes them with its own rules); we write those rows, any new user account
and the audit row in one transaction, so a change costs the same in a company of any size.
If that transaction fails, the portal refuses the change and nothing moves.
"""

from __future__ import annotations

import copy
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from phone_sim.network.clock import Clock
from phone_sim.network.company import CompanySpec, LineSpec
from phone_sim.network.portal import AuditEntry, ConfigurationMoved
from phone_sim.network.snapshot import snapshot
from phone_sim.network.switch import Network
from phone_sim.network.validation import validate_company
from phone_sim.network.writes import LineRows, Rows
from phone_sim.store.accounts import (
    DEMO_MANAGER,
    Accounts,
    generate_password,
    hash_passwords,
)
from phone_sim.store.db import connect, transaction
from phone_sim.store.paths import database_path
from phone_sim.store.rows import LiveSettings, keeps_forwarding, read_company, write_company, write_rows
from phone_sim.store.schema import migrate
from phone_sim.store.sipsecrets import SipSecrets
from phone_sim.store.sync import Sync

Audit = tuple[str, str, str, str, str, str, dict[str, Any]]  # who, as whom, what, target, before, after, params


class StoreError(Exception):
    """The store could not take a change (nothing was written)."""


class StoreConflict(StoreError, ConfigurationMoved):
    """Another process changed the company since this simulator loaded it."""


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    time_ms: int  # the network's virtual time
    wall: str  # when, ISO 8601 UTC
    who: str
    as_whom: str
    account: str | None  # the portal account that acted, when one did
    via: str  # portal | mmi | menu | store
    operation: str
    target: str
    before: str
    after: str
    params: dict[str, Any] = field(default_factory=dict)


def demo_company() -> CompanySpec:
    """The company of the operator guide, shipped in ``phone_sim/data``."""
    from importlib import resources  # the first run only

    from phone_sim.scenario.companyfile import load_company

    with resources.as_file(resources.files("phone_sim") / "data" / "demo_company.yaml") as path:
        return load_company(path)


class Store:
    def __init__(self, path: Path | str, *, wall_clock: Callable[[], float] = time.time,
                 cost: int | None = None, seed: CompanySpec | None = None, durability: str | None = None) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.wall_clock = wall_clock
        self.conn = connect(self.path, durability)  # how durable a commit is: store/db.py
        migrate(self.conn)
        self.accounts = Accounts(self.conn, wall_clock, cost)
        self.sip = SipSecrets(self.conn, wall_clock)
        self.net: Network | None = None
        self.acting: str | None = None
        self.errors: list[str] = []  # writes that failed after the fact (voice menu changes)
        # the first run's random passwords, in clear in memory only, to be said once
        self.first_passwords: dict[str, str] = {}
        self.created = self.conn.execute("SELECT COUNT(*) FROM company").fetchone()[0] == 0
        if self.created:
            self._seed(seed if seed is not None else demo_company())
        self.sync = Sync(self.conn)  # where this simulator stands among others on the same file
        self.sync.mark()

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None, **kwargs: Any) -> Store:
        return cls(database_path(data_dir), **kwargs)

    def close(self) -> None:
        self.conn.close()

    def _seed(self, spec: CompanySpec) -> None:
        """The first run: the company, and every account with a random password of its own."""
        passwords = self.accounts.first_run_passwords(spec.lines)
        manager = generate_password()
        # slow (scrypt): before the write transaction, all at once
        manager_hash, *hashes = hash_passwords([manager, *passwords.values()], self.accounts.cost)
        users = list(zip(passwords, hashes, strict=True))
        with transaction(self.conn):
            write_company(self.conn, spec, LiveSettings())
            self.sip.sync(spec)
            self.accounts.insert_manager(DEMO_MANAGER, manager_hash)
            self.accounts.insert_users(users)
            self._insert_audit(("store", "store", "seed", spec.name, "none", spec.name, {}), "store")
        self.first_passwords = {DEMO_MANAGER: manager, **passwords}

    # ------------------------------------------------------------------ company
    def load(self) -> tuple[CompanySpec, LiveSettings]:
        return read_company(self.conn)

    def company(self) -> CompanySpec:
        """The stored company as a company file holds it (``phone-sim company export``)."""
        spec, _ = self.load()
        return replace(spec, forwarding={k: v for k, v in spec.forwarding.items() if not v.is_empty()})

    def build_network(self, clock: Clock | None = None) -> Network:
        """A network on the stored company, attached so every change is saved."""
        self.conn.execute("BEGIN")  # the configuration and the marks it matches, read together
        try:
            spec, live = self.load()
            self.sync.mark()
        finally:
            self.conn.execute("COMMIT")
        net = Network(spec, clock)
        _restore(net, live)
        self.attach(net)
        return net

    @property
    def revision(self) -> int:
        """The company revision this simulator's network matches."""
        return self.sync.revision

    def refresh(self) -> int:
        """Apply the changes another simulator saved since this one last looked."""
        return self.sync.catch_up(self.net)

    def attach(self, net: Network) -> None:
        self.net = net
        net.portal.persist = self._persist
        net.portal.refresh = self.refresh
        # Voice-menu changes that bypass the portal (older cores) are saved after the fact.
        on_change = getattr(net.groups.menus, "on_change", None)
        if on_change is not None:
            on_change.append(self._menu_changed)

    def replace_company(self, spec: CompanySpec, who: str = "import") -> None:
        """Replace the whole configuration (``phone-sim company import``): all or nothing.

        Accounts of lines that are gone go with them; new lines with ``pabx`` get a user
        account with no usable password (the manager sets one); the other accounts and the
        audit log stay.
        """
        errors = validate_company(spec)
        if errors:
            first = errors[0]
            raise StoreError(f"{'.'.join(map(str, first.path))}: {first.reason}: {first.rule}")
        keep = {line.id.casefold() for line in spec.lines}
        existing = {n.casefold() for (n, line) in self.conn.execute("SELECT name, line_id FROM accounts")
                    if line is None or line.casefold() in keep}
        users = self.accounts.user_rows(spec.lines, existing)
        self._commit(lambda: self._write_whole(spec, LiveSettings()), users,
                     (who, who, "import", spec.name, "", spec.name, {}), "store")

    # ------------------------------------------------------------------ saving changes
    @contextmanager
    def acting_as(self, account: str | None) -> Iterator[None]:
        """Name the portal account behind the changes made inside the block (audit)."""
        previous, self.acting = self.acting, account
        try:
            yield
        finally:
            self.acting = previous

    def _persist(self, entry: AuditEntry, rows: tuple[Rows, ...]) -> None:
        """The portal's hook: commit the rows ``entry`` touches as they will be after it."""
        net = self.net
        assert net is not None
        new_users = [net_line(net, r.line, r.options) for r in rows
                     if isinstance(r, LineRows) and "pabx" in r.options and not self.accounts.exists(r.line)]
        users = self.accounts.user_rows(new_users, existing=set())
        self._commit(lambda: write_rows(self.conn, rows), users,
                     (entry.who, entry.as_whom, entry.operation, entry.target, entry.before, entry.after,
                      dict(entry.params)), entry.via)

    def _menu_changed(self, caller: str, group: str, operation: str) -> None:
        """A member changed a group from its voice menu: already applied, saved now."""
        if self.net is None:
            return
        spec, live = _configuration(self.net)
        try:
            self._commit(lambda: self._write_whole(spec, live), [],
                         (caller, caller, operation, group, "", operation, {}), "menu")
        except (sqlite3.Error, StoreError) as exc:
            self.errors.append(f"{group} {operation}: {exc}")  # the next portal change writes it

    def _write_whole(self, spec: CompanySpec, live: LiveSettings) -> None:
        """A whole company (import): its rows, then the SIP secrets it gives."""
        write_company(self.conn, spec, live)
        self.sip.sync(spec)

    def _commit(self, write: Callable[[], None], users: list[tuple[str, str]], audit: Audit, via: str) -> None:
        try:
            with transaction(self.conn):
                stored = self.conn.execute("SELECT revision FROM company").fetchone()[0]
                if stored != self.sync.revision:
                    why = self.sync.behind or f"revision {stored}"
                    raise StoreConflict(f"the company was changed by another process ({why}): restart to load it")
                write()
                self.accounts.insert_users(users)
                audit_id = self._insert_audit(audit, via)
                self.conn.execute("UPDATE company SET revision = revision + 1")
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from exc
        self.sync.ours(audit_id)

    def _insert_audit(self, audit: Audit, via: str) -> int:
        who, as_whom, operation, target, before, after, params = audit
        wall = datetime.fromtimestamp(self.wall_clock(), UTC).isoformat(timespec="seconds")
        cursor = self.conn.execute(
            "INSERT INTO audit (time_ms, wall, who, as_whom, account, via, operation, target, before,"
            " after, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.net.now if self.net else 0, wall, who, as_whom, self.acting, via, operation, target,
             before, after, json.dumps(params, default=list, ensure_ascii=False, sort_keys=True)),
        )
        return int(cursor.lastrowid or 0)

    # ------------------------------------------------------------------ audit log
    def audit(self, line: str | None = None, limit: int = 1000) -> list[AuditRow]:
        """The audit log, newest first; only the entries about ``line`` when given."""
        sql = ("SELECT id, time_ms, wall, who, as_whom, account, via, operation, target, before, after,"
               " params FROM audit")
        args: tuple[Any, ...] = ()
        if line is not None:
            sql += " WHERE target = ? OR json_extract(params, '$.line') = ?"
            args = (line, line)
        rows = self.conn.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit))
        return [AuditRow(ident, time_ms, wall, who, as_whom, account, via, operation, target, before, after,
                         json.loads(params))
                for ident, time_ms, wall, who, as_whom, account, via, operation, target, before, after, params
                in rows]


def _configuration(net: Network) -> tuple[CompanySpec, LiveSettings]:
    """The network's whole configuration: the company and what lines keep beyond it."""
    lines = [party for party in net.parties.values() if party.is_line]
    waiting = {party.id: party.call_waiting for party in lines}
    # A deactivated no-answer forwarding keeps its delay for when it is activated again.
    forwarding = {party.id: party.forwarding for party in lines if keeps_forwarding(party.forwarding)}
    spec = replace(snapshot(net), forwarding=forwarding)
    return spec, LiveSettings(waiting, copy.deepcopy(net.portal.parked))


def net_line(net: Network, line_id: str, options: frozenset[str]) -> LineSpec:
    """A line of the network as a ``LineSpec``, with the options it is about to have."""
    party = net.parties[line_id]
    return LineSpec(party.id, party.name, party.number, party.short,
                    "fixed" if party.kind == "fixed" else "mobile", options)


def _restore(net: Network, live: LiveSettings) -> None:
    for line_id, on in live.call_waiting.items():
        if line_id in net.parties:
            net.parties[line_id].call_waiting = on
    net.portal.parked = {line: dict(numbers) for line, numbers in live.parked.items() if line in net.parties}
