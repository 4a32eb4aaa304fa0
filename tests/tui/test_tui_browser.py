"""``phone-sim serve`` as a browser meets it: the page's websocket (textual-serve's own
protocol, as its JavaScript speaks it), a browser-sized terminal, a tab that has not been
clicked yet (blurred). The screen streamed back is read with a terminal emulator: the
footer lists its keys before any key is typed, and the handsets keep their keypads."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

pyte = pytest.importorskip("pyte")
aiohttp = pytest.importorskip("aiohttp")

from test_tui_serve import free_port  # noqa: E402

# the terminal xterm.js gives textual-serve's page in a browser window of that many pixels
BROWSER_SIZES = {"1366x768": (150, 34), "1920x1080": (211, 50)}  # measured with headless Chromium


async def screen_of(server: tuple[int, str], width: int, height: int, want: tuple[str, ...],
                    timeout: float) -> list[str]:
    """Connect as the page does (its own origin, the token of the address printed), say the
    tab is blurred, read until ``want`` shows."""
    port, token = server
    origin = f"http://127.0.0.1:{port}"
    term = pyte.Screen(width, height)
    stream = pyte.ByteStream(term)
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while True:  # the server binds its socket a moment after it says so
            try:
                ws = await session.ws_connect(f"{origin}/ws?width={width}&height={height}&token={token}",
                                              origin=origin)
                break
            except aiohttp.ClientError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)
        await ws.send_str(json.dumps(["blur"]))
        while time.monotonic() < deadline:
            try:
                message = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
            except TimeoutError:
                break
            if message.type == aiohttp.WSMsgType.BINARY:
                stream.feed(message.data)
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
            lines = term.display
            if all(any(w in line for line in lines) for w in want):
                break
        await ws.close()
    return list(term.display)


@pytest.fixture
def server(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "phone_sim", "--data", str(tmp_path), "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    assert process.stdout is not None
    banner = ""
    for line in process.stdout:  # the address with its token comes first: no sleeping
        banner += line
        found = re.search(r"/\?token=([\w-]+)", line)
        if found:
            break
    assert found, banner
    yield port, found.group(1)
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.mark.parametrize("browser", sorted(BROWSER_SIZES))
def test_footer_and_keypads_in_a_browser_before_any_key(server, browser):
    width, height = BROWSER_SIZES[browser]
    want = ("F1 Aide", "Portail", "Attente", "Alt+3")
    lines = asyncio.run(screen_of(server, width, height, want, timeout=90))
    shown = "\n".join(lines)
    assert "F1 Aide" in lines[-1] and "Portail" in lines[-1], shown  # the footer, no key typed
    assert shown.count("Attente") >= 3 and shown.count("Éteindre") >= 3, shown  # three keypads at least
