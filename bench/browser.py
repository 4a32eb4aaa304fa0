"""How long ``phone-sim serve`` takes to show its page in a browser: from the request for
the page to the first full screen (handsets, keypads and the footer) streamed over the
page's websocket, as textual-serve's JavaScript asks for it, at a browser's terminal size.

    python bench/browser.py [--runs 5] [--size 150x38]

Each run starts the server on a free port with a fresh data folder (so each is also a
first run: database created and seeded), fetches the page, connects the websocket and
reads the stream with a terminal emulator (pyte) until the footer's keys show. Prints
each run and the min / median; and the load average, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import aiohttp
import pyte

WANT = ("F1 Aide", "Alt+3", "Attente")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def first_screen(port: int, token: str, width: int, height: int, started: float) -> tuple[float, float]:
    """(seconds to the page, seconds to the full first screen), from ``started``; as the page
    does, with the token of the printed address and the page's own origin."""
    origin = f"http://127.0.0.1:{port}"
    term = pyte.Screen(width, height)
    stream = pyte.ByteStream(term)
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(f"{origin}/?token={token}") as response:
                    await response.read()
                break
            except aiohttp.ClientError:
                await asyncio.sleep(0.05)
        page = time.monotonic() - started
        async with session.ws_connect(f"{origin}/ws?width={width}&height={height}&token={token}",
                                      origin=origin) as ws:
            async for message in ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    stream.feed(message.data)
                    shown = "\n".join(term.display)
                    if all(w in shown for w in WANT):
                        return page, time.monotonic() - started
    raise RuntimeError("the screen never showed")


def run_once(width: int, height: int) -> tuple[float, float, float]:
    port = free_port()
    data = tempfile.mkdtemp(prefix="phone-sim-bench-")
    started = time.monotonic()
    server = subprocess.Popen([sys.executable, "-m", "phone_sim", "--data", data, "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout is not None
        token = next(found.group(1) for line in server.stdout if (found := re.search(r"\?token=([\w-]+)", line)))
        page, screen = asyncio.run(first_screen(port, token, width, height, started))
        # the same page once more, the server already up (a second tab, a reload)
        again = time.monotonic()
        _, second = asyncio.run(first_screen(port, token, width, height, again))
        return page, screen, second
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="150x34", help="the browser's terminal, columns x rows (150x34: a 1366x768 window)")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    results = []
    for n in range(args.runs):
        page, screen, second = run_once(width, height)
        results.append((page, screen, second))
        print(f"run {n + 1}: page {page:.2f} s, first screen {screen:.2f} s (server start included), "
              f"a second tab {second:.2f} s")
    for i, label in enumerate(("page", "first screen", "second tab")):
        values = [r[i] for r in results]
        print(f"{label}: min {min(values):.2f} s, median {statistics.median(values):.2f} s")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
