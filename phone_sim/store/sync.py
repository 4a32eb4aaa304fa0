"""Two simulators on one database: each sees the other's changes at its next action.

``phone-sim serve`` starts one simulator per browser, all on the same SQLite file. Every
accepted change is committed with an audit row (who, as whom, via, operation, params)
that says exactly what was done; a simulator catches up by replaying the rows committed
by others since it last looked, through its own portal service (the same rules, the
live network updated and its events published, nothing written again).

``PRAGMA data_version`` changes only when another connection has committed, so looking
costs one query. The store looks before every portal operation (the portal's ``refresh``
hook), when a portal page opens, and on the TUI's clock every second. A change that
cannot be replayed (a ``company import``, or a change this network refuses) leaves the
simulator behind on purpose: its next change is refused (``not_saved``) instead of
overwriting what it did not see, and the user is told to restart.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from phone_sim.network.switch import Network

REPLAYABLE = ("portal", "mmi")


class Sync:
    """Where this simulator stands in the database: the last audit row it has applied,
    the company revision it matches, and the data version it last saw."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.revision = 0
        self.audit_seen = 0
        self.data_version = -1
        self.behind: str | None = None  # why this simulator cannot catch up (an import...)
        self._busy = False

    def mark(self) -> None:
        """The configuration just read is the database's as of now."""
        self.revision = self.conn.execute("SELECT revision FROM company").fetchone()[0]
        self.audit_seen = self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit").fetchone()[0]
        self.data_version = self.conn.execute("PRAGMA data_version").fetchone()[0]

    def ours(self, audit_id: int) -> None:
        """This simulator committed that row (and the revision after it)."""
        self.revision += 1
        self.audit_seen = max(self.audit_seen, audit_id)

    def catch_up(self, net: Network | None) -> int:
        """Replay what others committed since the last look; how many changes."""
        if net is None or self._busy or self.behind is not None:
            return 0
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if version == self.data_version:
            return 0
        self.data_version = version
        self.conn.execute("BEGIN")  # one consistent read of the revision and its rows
        try:
            revision = self.conn.execute("SELECT revision FROM company").fetchone()[0]
            rows = self.conn.execute(
                "SELECT id, who, as_whom, via, operation, params FROM audit WHERE id > ? ORDER BY id",
                (self.audit_seen,)).fetchall()
        finally:
            self.conn.execute("COMMIT")
        if revision == self.revision:
            return 0
        return self._replay(net, rows, revision)

    def _replay(self, net: Network, rows: list[tuple[int, str, str, str, str, str]], revision: int) -> int:
        portal = net.portal
        persist, portal.persist = portal.persist, None  # already in the database
        self._busy = True
        done = 0
        try:
            for ident, who, as_whom, via, operation, params in rows:
                if via not in REPLAYABLE:
                    self.behind = f"{operation} by another process"
                    return done
                refused = portal.execute(who, operation, json.loads(params),
                                         as_whom=None if as_whom == who else as_whom, via=via)
                if refused is not None:
                    self.behind = f"{operation}: {refused.reason}"
                    return done
                self.audit_seen = ident
                done += 1
            self.revision = revision
            return done
        finally:
            portal.persist = persist
            self._busy = False
