"""``phone-sim serve``: textual-serve on 127.0.0.1, behind a token and an origin check.

The server runs as a user runs it (a child process); the tests read the address it
prints, then knock as a browser and as a foreign page would: without the token, with a
foreign ``Origin``, with a foreign ``Host`` (DNS rebinding), beyond the session cap.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from phone_sim.tui.serve import MAX_COLUMNS, MAX_ROWS, GuardedServer, clamp, is_loopback


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Served:
    def __init__(self, process: subprocess.Popen[str], port: int, url: str, banner: str) -> None:
        self.process, self.port, self.url, self.banner = process, port, url, banner
        self.base = f"http://127.0.0.1:{port}"
        self.token = url.split("token=", 1)[1]


def stop(process: subprocess.Popen[str]) -> None:
    """Ctrl+C, as a user stops serve; killed if it has not ended within 20 s."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1", COLUMNS="200")
    process = subprocess.Popen(
        [sys.executable, "-m", "phone_sim", "--data", str(tmp_path), "--lang", "en", "serve", "--port", str(port),
         "--max-sessions", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        banner = ""
        assert process.stdout is not None
        for line in process.stdout:  # blocks until the server speaks: no sleeping
            banner += line
            found = re.search(r"(http://127\.0\.0\.1:\d+/\?token=[\w-]+)", line)
            if found:
                break
        assert found, banner
        asyncio.run(fetch(f"http://127.0.0.1:{port}/"))  # the banner comes just before the socket is bound
        yield Served(process, port, found.group(1), banner)
    finally:
        stop(process)


async def fetch(url: str, **kwargs: Any) -> tuple[int, str, dict[str, str]]:
    deadline = time.monotonic() + 60
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(url, allow_redirects=False, **kwargs) as response:
                    return response.status, await response.text(), dict(response.headers)
            except aiohttp.ClientConnectorError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)


async def upgrade(base: str, *, origin: str | None, cookie: str | None, host: str | None = None,
                  query: str = "?width=100&height=30", connected: asyncio.Event | None = None,
                  leave: asyncio.Event | None = None) -> int:
    """Try a WebSocket upgrade; the HTTP status the server answered (101 when accepted).

    Given ``connected`` and ``leave``, an accepted browser sets ``connected`` once its pong
    came back and stays connected until ``leave`` is set."""
    headers = {}
    if cookie is not None:
        headers["Cookie"] = cookie
    if host is not None:
        headers["Host"] = host
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(base.replace("http", "ws") + "/ws" + query, origin=origin,
                                          headers=headers) as ws:
                await ws.send_str(json.dumps(["ping", "hello"]))
                async for message in ws:  # the app's output comes too; wait for our pong
                    if message.type == aiohttp.WSMsgType.TEXT and message.data.startswith('["pong"'):
                        if connected is not None and leave is not None:
                            connected.set()
                            await leave.wait()
                        return 101
                return 101
        except aiohttp.WSServerHandshakeError as error:
            return error.status


def test_the_page_needs_the_token_printed_at_start(served: Served) -> None:
    assert "phone_sim" in served.banner and "--sound null" in served.banner
    assert "gestionnaire" in served.banner  # the first run happened here: its passwords on this console
    status, body, _ = asyncio.run(fetch(served.base + "/"))
    assert status == 403 and "token" in body
    status, _, _ = asyncio.run(fetch(served.base + "/?token=not-the-token"))
    assert status == 403
    status, _, _ = asyncio.run(fetch(served.base + "/static/js/textual.js"))
    assert status == 403
    status, page, headers = asyncio.run(fetch(served.url))
    assert status == 200 and "phone-sim" in page
    assert f"ws://127.0.0.1:{served.port}/ws" in page
    assert f"phone_sim_token_{served.port}={served.token}" in headers["Set-Cookie"]
    assert "HttpOnly" in headers["Set-Cookie"] and "SameSite=Strict" in headers["Set-Cookie"]
    assert headers["X-Frame-Options"] == "DENY" and headers["Referrer-Policy"] == "no-referrer"


def test_a_foreign_page_cannot_open_the_websocket(served: Served) -> None:
    cookie = f"phone_sim_token_{served.port}={served.token}"
    own = served.base
    assert asyncio.run(upgrade(own, origin="http://evil.example", cookie=cookie)) == 403
    assert asyncio.run(upgrade(own, origin=f"http://127.0.0.1:{served.port + 1}", cookie=cookie)) == 403
    assert asyncio.run(upgrade(own, origin=None, cookie=cookie)) == 403
    assert asyncio.run(upgrade(own, origin=own, cookie=None)) == 403  # the page's origin, no token
    assert asyncio.run(upgrade(own, origin=own, cookie=f"phone_sim_token_{served.port}=guess")) == 403
    # DNS rebinding: evil.example resolving to 127.0.0.1 sends its own Host and Origin
    rebound = f"evil.example:{served.port}"
    assert asyncio.run(upgrade(own, origin=f"http://{rebound}", cookie=cookie, host=rebound)) == 421


def test_the_page_s_own_origin_with_the_token_gets_one_session(served: Served) -> None:
    cookie = f"phone_sim_token_{served.port}={served.token}"

    async def two_browsers() -> tuple[int, int]:
        # the first browser stays connected (its pong proves its session is counted) while
        # the second knocks; it leaves only afterwards
        connected, leave = asyncio.Event(), asyncio.Event()
        first = asyncio.ensure_future(upgrade(served.base, origin=served.base, cookie=cookie,
                                              query="?width=100000&height=-5",
                                              connected=connected, leave=leave))
        await asyncio.wait_for(connected.wait(), 60)
        second = await upgrade(served.base, origin=served.base, cookie=cookie)
        leave.set()
        return await first, second

    first, second = asyncio.run(two_browsers())
    assert first == 101
    assert second == 503  # --max-sessions 1


def test_loopback_names() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "localhost", "::1", "[::1]", "127.1.2.3"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.2", "example.org", "::"))


def test_terminal_sizes_are_bounded() -> None:
    assert clamp("100000", 20, MAX_COLUMNS, 80) == MAX_COLUMNS
    assert clamp("-5", 8, MAX_ROWS, 24) == 8
    assert clamp("9" * 5000, 8, MAX_ROWS, 24) == MAX_ROWS
    assert clamp("abc", 8, MAX_ROWS, 24) == 24 and clamp(None, 8, MAX_ROWS, 24) == 24


class FakeService:
    def __init__(self) -> None:
        self.sizes: list[tuple[int, int]] = []
        self.typed: list[bytes] = []

    async def set_terminal_size(self, width: int, height: int) -> None:
        self.sizes.append((width, height))

    async def send_bytes(self, data: bytes) -> None:
        self.typed.append(data)

    async def blur(self) -> None: ...

    async def focus(self) -> None: ...


class FakeSocket:
    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.sent: list[Any] = []

    def __aiter__(self) -> FakeSocket:
        return self

    async def __anext__(self) -> Any:
        if not self.texts:
            raise StopAsyncIteration
        return aiohttp.WSMessage(aiohttp.WSMsgType.TEXT, self.texts.pop(0), None)

    async def send_json(self, data: Any) -> None:
        self.sent.append(data)


def test_malformed_client_messages_are_ignored_and_resizes_bounded() -> None:
    server = GuardedServer("true", host="127.0.0.1", port=1, title="t", token="x")
    service = FakeService()
    socket_ = FakeSocket(["not json", "{}", "[]", "[1, 2]", '["resize", "big"]', '["resize", {"width": 1e9}]',
                          '["resize", {"width": 99999, "height": 99999}]', '["stdin", {"x": 1}]',
                          '["stdin", "' + "a" * 100_000 + '"]', '["ping", "p"]'])
    asyncio.run(server._process_messages(socket_, service))  # type: ignore[arg-type]
    assert service.sizes == [(MAX_COLUMNS, 24), (MAX_COLUMNS, MAX_ROWS)]
    assert [len(t) for t in service.typed] == [64 * 1024]
    assert socket_.sent == [["pong", "p"]]


def test_another_host_prints_a_warning(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "phone_sim", "--data", str(tmp_path), "--lang", "en", "serve", "--host", "0.0.0.0",
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"))
    try:
        said = ""
        assert process.stdout is not None
        for line in process.stdout:
            said += line
            if "Ctrl+C" in line:
                break
        assert "warning: phone-sim listens on 0.0.0.0" in said and "token=" in said
        status, _, _ = asyncio.run(fetch(f"http://127.0.0.1:{port}/"))
        assert status == 403  # still the token
    finally:
        stop(process)
