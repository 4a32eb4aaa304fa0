"""``phone-sim sip`` as a user runs it: a process, its log, its exit codes, Ctrl+C/SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from sip_rig import COMPANY

PHONE_SIM = [sys.executable, "-m", "phone_sim"]


def start(*args: str, data: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([*PHONE_SIM, "--lang", "en", "--data", str(data), "sip", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def listening_port(process: subprocess.Popen[str], timeout_s: float = 30) -> int:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        found = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
        if found:
            return int(found.group(1))
    raise AssertionError("the gateway did not say where it listens")


def test_sigterm_stops_the_gateway_cleanly_and_it_logged_a_transaction(tmp_path: Path) -> None:
    process = start("--company", str(COMPANY), "--listen", "127.0.0.1:0", data=tmp_path)
    try:
        port = listening_port(process)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind(("127.0.0.1", 0))
            me = sock.getsockname()[1]
            sock.sendto((f"OPTIONS sip:127.0.0.1:{port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{me};branch=z9hG4bKo1\r\n"
                         f"From: <sip:A@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\nCall-ID: opt@test\r\n"
                         f"CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").encode(), ("127.0.0.1", port))
            sock.settimeout(10)
            assert sock.recv(4096).startswith(b"SIP/2.0 200")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "SIP <- OPTIONS" in out and "Stopping the SIP gateway" in out


def test_an_invalid_company_file_or_an_address_in_use_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: X\nlines:\n  - {id: A, number: '0601020301', sip_secret: 'ab'}\n")
    bad = subprocess.run([*PHONE_SIM, "sip", "--company", str(broken), "--listen", "127.0.0.1:0"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "broken.yaml:3" in bad.stderr and "invalid_sip_secret" in bad.stderr
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        busy = subprocess.run([*PHONE_SIM, "--lang", "en", "--data", str(tmp_path), "sip", "--company", str(COMPANY),
                               "--listen", f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=60)
    assert busy.returncode == 2 and "Cannot listen" in busy.stderr, busy.stderr
    nonsense = subprocess.run([*PHONE_SIM, "sip", "--listen", "here:there"], capture_output=True, text=True,
                              timeout=60, env={**os.environ, "PHONE_SIM_DATA": str(tmp_path)})
    assert nonsense.returncode == 2


def test_a_non_loopback_address_prints_a_warning(tmp_path: Path) -> None:
    # 192.0.2.1 (TEST-NET-1) is on no interface here: the bind fails, after the warning
    result = subprocess.run([*PHONE_SIM, "--lang", "en", "--data", str(tmp_path), "sip", "--company", str(COMPANY),
                             "--listen", "192.0.2.1:0"], capture_output=True, text=True, timeout=60)
    assert "beyond loopback" in result.stderr
    assert result.returncode == 2
