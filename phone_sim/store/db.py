"""Opening the SQLite database the way every part of the store expects it.

How durable a commit is, is a setting (``PHONE_SIM_SYNC``, or ``connect(..., sync=)``):

- ``normal`` (the default): WAL with ``synchronous=NORMAL``. When ``COMMIT`` returns, the
  transaction is in the WAL file, handed to the operating system: a crash or kill of the
  process (SIGKILL included) loses nothing committed. A background thread then flushes
  the WAL file to the disk (``fsync``), a few milliseconds after each commit; an OS crash
  or a power cut in between may lose the changes committed since the last flush, never
  the database's consistency (SQLite's WAL checksums drop a torn tail). A change costs
  well under a millisecond of the caller's time.
- ``full``: ``synchronous=FULL``, the flush happens inside ``COMMIT``: a change the
  portal acknowledged survives a power cut too, for the price of the disk's flush on
  every change (2 to 20 ms on the development machine, more on a busy or slow disk).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from types import TracebackType

from phone_sim.files import FILE_MODE, make_private, private_folder

SYNC_ENV = "PHONE_SIM_SYNC"
SYNC_MODES = ("normal", "full")
DEFAULT_SYNC = "normal"


class SyncSettingError(ValueError):
    """``PHONE_SIM_SYNC`` (or ``sync=``) is not one of ``SYNC_MODES``."""


def sync_mode(sync: str | None = None) -> str:
    """The durability asked for: ``sync``, else ``PHONE_SIM_SYNC``, else ``normal``."""
    value = sync if sync is not None else os.environ.get(SYNC_ENV, "") or DEFAULT_SYNC
    mode = value.strip().casefold()
    if mode not in SYNC_MODES:
        raise SyncSettingError(f"{SYNC_ENV}={value!r}: expected one of {', '.join(SYNC_MODES)}")
    return mode


class WalFlusher:
    """Flushes the WAL file to the disk soon after each commit, off the caller's thread.

    Requests made while a flush runs are served by one more flush; the thread starts at
    the first commit and ``close`` flushes once more and stops it.
    """

    def __init__(self, database: Path) -> None:
        self.wal = Path(f"{database}-wal")
        self.flushes = 0  # completed fsyncs (tests)
        self.failures = 0  # fsyncs the system refused (the next checkpoint syncs anyway)
        self._wanted = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def request(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None and not self._closed:
                    self._thread = threading.Thread(target=self._run, name="phone-sim-wal-flush", daemon=True)
                    self._thread.start()
        self._wanted.set()

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self._closed:
                return
            self.flush()

    def flush(self) -> None:
        try:
            fd = os.open(self.wal, os.O_RDONLY)
        except FileNotFoundError:  # checkpointed and removed: already on the disk
            return
        except OSError:
            self.failures += 1
            return
        try:
            os.fsync(fd)
            self.flushes += 1
        except OSError:
            self.failures += 1
        finally:
            os.close(fd)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            thread, self._thread = self._thread, None
        if thread is not None:
            self._wanted.set()
            thread.join(timeout=5.0)
            self.flush()


class Connection(sqlite3.Connection):
    """A connection that knows how its commits reach the disk (see the module doc)."""

    sync = "full"
    flusher: WalFlusher | None = None

    def committed(self) -> None:
        if self.flusher is not None:
            self.flusher.request()

    def close(self) -> None:
        super().close()  # the last connection checkpoints (and syncs) the WAL
        if self.flusher is not None:
            self.flusher.close()


def connect(path: Path | str, sync: str | None = None) -> Connection:
    """Autocommit mode (transactions are explicit), WAL, foreign keys, ``sync`` durability.

    The folder is made 0700 and the database, its WAL and shared-memory files 0600
    whatever the umask (SQLite gives the last two the database file's mode).
    """
    mode = sync_mode(sync)
    on_disk = str(path) != ":memory:"
    if on_disk:
        private_folder(Path(path).parent)
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), FILE_MODE))
        make_private(path)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=5.0, factory=Connection)
    assert isinstance(conn, Connection)
    conn.execute("PRAGMA foreign_keys = ON")
    if on_disk:
        conn.execute("PRAGMA journal_mode = WAL")
        for suffix in ("-wal", "-shm"):
            if os.path.exists(f"{path}{suffix}"):
                make_private(f"{path}{suffix}")
    conn.execute(f"PRAGMA synchronous = {mode.upper()}")
    conn.sync = mode
    if mode == "normal" and on_disk:
        conn.flusher = WalFlusher(Path(path))
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
        if kind is not None:
            self.conn.execute("ROLLBACK")
            return
        self.conn.execute("COMMIT")
        if isinstance(self.conn, Connection):
            self.conn.committed()
