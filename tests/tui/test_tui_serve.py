"""``phone-sim serve``: textual-serve on 127.0.0.1 answers with the page of the TUI."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, deadline: float) -> str:
    """The page, retrying while the server binds its socket (it says so just before)."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.read().decode()
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise


def test_serve_answers_on_localhost(tmp_path):
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="200")
    server = subprocess.Popen(
        [sys.executable, "-m", "phone_sim", "--data", str(tmp_path), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        deadline = time.monotonic() + 60
        banner = ""
        assert server.stdout is not None
        for line in server.stdout:  # blocks until the server speaks: no sleeping
            banner += line
            if f"127.0.0.1:{port}" in line:
                break
        assert f"http://127.0.0.1:{port}" in banner
        assert "phone_sim" in banner and "--sound null" in banner
        page = fetch(f"http://127.0.0.1:{port}/", deadline)
        assert "phone-sim" in page
        assert f"ws://127.0.0.1:{port}/ws" in page
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert server.returncode is not None
