"""SIGKILL in the middle of a burst of portal writes: the database is intact and every
change the portal acknowledged is in it."""

from __future__ import annotations

import os
import selectors
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from phone_sim.store.store import Store

WRITER = Path(__file__).with_name("burst_writer.py")
ACKS_BEFORE_KILL = 60
TIMEOUT = 60.0  # seconds without a line from the writer: something is wrong


def read_line(proc: subprocess.Popen[str], selector: selectors.BaseSelector) -> str:
    if not selector.select(TIMEOUT):
        pytest.fail("the writer printed nothing for a minute")
    assert proc.stdout is not None
    return proc.stdout.readline()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("sync", ["normal", "full"])  # PHONE_SIM_SYNC: both keep what the process committed
def test_every_acknowledged_change_survives_sigkill(tmp_path: Path, sync: str) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PHONE_SIM_SYNC": sync}
    proc = subprocess.Popen([sys.executable, str(WRITER), str(tmp_path)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    acked: list[tuple[int, str, str]] = []
    try:
        selector = selectors.DefaultSelector()
        assert proc.stdout is not None
        selector.register(proc.stdout, selectors.EVENT_READ)
        assert read_line(proc, selector).strip() == "ready", proc.stderr.read() if proc.stderr else ""
        while len(acked) < ACKS_BEFORE_KILL:
            line = read_line(proc, selector)
            assert line, "the writer stopped early"
            _, n, operation, value = line.split()
            acked.append((int(n), operation, value))
        proc.send_signal(signal.SIGKILL)  # mid-burst: the writer never stops by itself
        rest, _ = proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    for line in rest.splitlines():  # acknowledged before the kill, still in the pipe
        _, n, operation, value = line.split()
        acked.append((int(n), operation, value))

    conn = sqlite3.connect(tmp_path / "phone-sim.sqlite3")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    logged = {n: (operation, after) for n, operation, after in conn.execute(
        "SELECT json_extract(params, '$.n'), operation, after FROM audit WHERE operation != 'seed'")}
    conn.close()
    for n, operation, value in acked:
        assert n in logged, f"acknowledged change {n} is missing"
        expected = f"busy={value}" if operation == "set_forwarding" else f"COM: {value}"
        assert logged[n] == (operation, expected)

    # the stored state is the state after the last committed change (acknowledged or not)
    last = max(logged)
    store = Store(tmp_path / "phone-sim.sqlite3")
    spec, _ = store.load()
    last_forwarding = max(n for n, (operation, _) in logged.items() if operation == "set_forwarding")
    assert spec.forwarding["A"].busy == f"06{last_forwarding:08d}"
    last_group = max(n for n, (operation, _) in logged.items() if operation != "set_forwarding")
    com = next(g for g in spec.groups if g.id == "COM")
    assert ("MME_C" in com.connected) == (logged[last_group][0] == "connect")
    assert last >= max(n for n, _, _ in acked)
    store.close()
