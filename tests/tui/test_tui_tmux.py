"""Smoke test in a real terminal: ``phone-sim`` inside tmux at 160x50, keys sent with
send-keys, the screen read back with capture-pane (polled until it shows, never slept)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    def __init__(self, name: str) -> None:
        self.base = ["tmux", "-L", name]

    def __call__(self, *args: str) -> str:
        done = subprocess.run(self.base + list(args), capture_output=True, text=True, timeout=20)
        return done.stdout

    def wait_gone(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while subprocess.run(self.base + ["has-session", "-t", "sim"], capture_output=True).returncode == 0:
            if time.monotonic() > deadline:
                raise AssertionError(f"still running:\n{self.screen()}")

    def screen(self) -> str:
        return self("capture-pane", "-p", "-t", "sim")

    def wait_for(self, *texts: str, timeout: float = 30) -> str:
        """Poll the pane until every text shows (the app draws asynchronously)."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{texts!r} never showed; the screen was:\n{screen}")


@pytest.fixture
def tmux(tmp_path):
    session = Tmux(f"phone-sim-test-{os.getpid()}")
    # COLUMNS/LINES may be in the environment the tmux server inherits: they would win
    # over the pane's real size
    command = f"env -u COLUMNS -u LINES {Path(sys.executable).parent / 'phone-sim'} --sound null --data {tmp_path}"
    session("new-session", "-d", "-s", "sim", "-x", "160", "-y", "50", "-e", f"PHONE_SIM_DATA={tmp_path}",
            command)
    yield session
    session("kill-server")


def test_place_and_answer_a_call_in_tmux(tmux):
    tmux.wait_for("Monsieur A", "Journal des événements", "Alt+6", "Madame C")
    tmux("send-keys", "-t", "sim", "3", "0", "3", "Enter")
    tmux.wait_for("Appel entrant de Monsieur A")
    tmux("send-keys", "-t", "sim", "M-3")  # Alt+3: Monsieur C
    tmux("send-keys", "-t", "sim", "Enter")
    screen = tmux.wait_for("En communication avec Monsieur A")
    assert "En communication avec Monsieur C" in screen
    tmux("send-keys", "-t", "sim", "l")
    tmux.wait_for("In call with Monsieur A")
    tmux("send-keys", "-t", "sim", "q")
    tmux.wait_gone()  # q quits: the program ends and its pane with it
