"""The SIP test rig: a gateway in this process, real SIP clients (SIPp, baresip) as processes.

The gateway runs on the test's own event loop, on 127.0.0.1 and a free port, so a test
can act on the network (someone answers, hangs up) while SIPp plays its scenario. Every
loop is bounded: each client has a timeout, each wait a deadline.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from phone_sim.network.switch import Network
from phone_sim.scenario.companyfile import load_company
from phone_sim.sip.auth import FileCredentials
from phone_sim.sip.gateway import Gateway, Options
from phone_sim.sip.transport import Limits

HERE = Path(__file__).parent
COMPANY = HERE / "company.yaml"
SCENARIOS = HERE / "scenarios"
SIPP = shutil.which("sipp")
BARESIP = shutil.which("baresip")
needs_sipp = pytest.mark.skipif(SIPP is None, reason="SIPp (Debian package sip-tester) is not installed")
needs_baresip = pytest.mark.skipif(BARESIP is None, reason="baresip (Debian package baresip-core) is not installed")
SECRETS = {"A": "secret-A", "C": "secret-C", "D": "secret-D", "E": "secret-E"}


def free_port() -> int:
    """A port free for both UDP and TCP on 127.0.0.1 (for a client's own SIP socket)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
            tcp.bind(("127.0.0.1", 0))
            port = int(tcp.getsockname()[1])
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                try:
                    udp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise RuntimeError("no free port")


@dataclass
class SippResult:
    rc: int
    output: str
    messages: str
    errors: str

    @property
    def ok(self) -> bool:
        return self.rc == 0


@dataclass
class Rig:
    company: Path = COMPANY
    algorithms: tuple[str, ...] = ("MD5",)
    limits: Limits = field(default_factory=Limits)
    log: list[str] = field(default_factory=list)

    async def __aenter__(self) -> Rig:
        spec = load_company(self.company)
        self.net = Network(spec)
        self.gateway = Gateway(self.net, FileCredentials(spec.lines),
                               Options("127.0.0.1", 0, self.algorithms, "en", limits=self.limits), transaction_log=self.log.append)
        await self.gateway.start()
        self.port = self.gateway.port
        self.dir = Path(tempfile.mkdtemp(prefix="phone-sim-sip-"))
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.gateway.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def users(self, *lines: str, name: str = "users.csv", secret: str | None = None,
              as_user: str | None = None) -> Path:
        """An injection file: one row per line, the line then its authentication keyword
        (the line's secret unless ``secret`` is given, its id unless ``as_user`` is)."""
        path = self.dir / name
        rows = [f"{as_user or line};[authentication username={as_user or line} "
                f"password={secret or SECRETS.get(line, 'wrong')}]" for line in lines]
        path.write_text("SEQUENTIAL\n" + "\n".join(rows) + "\n")
        return path

    def start_sipp(self, scenario: str, *, inf: Path | None = None, service: str | None = None,
                   calls: int = 1, extra: tuple[str, ...] = (), timeout_s: int = 20,
                   port: int | None = None, tag: str = "") -> asyncio.Task[SippResult]:
        return asyncio.get_running_loop().create_task(
            self.sipp(scenario, inf=inf, service=service, calls=calls, extra=extra, timeout_s=timeout_s,
                      port=port, tag=tag))

    async def sipp(self, scenario: str, *, inf: Path | None = None, service: str | None = None,
                   calls: int = 1, extra: tuple[str, ...] = (), timeout_s: int = 20, port: int | None = None,
                   tag: str = "") -> SippResult:
        assert SIPP is not None
        name = tag or Path(scenario).stem
        messages, errors = self.dir / f"{name}.messages", self.dir / f"{name}.errors"
        args = [SIPP, f"127.0.0.1:{self.port}", "-sf", str(SCENARIOS / scenario), "-m", str(calls),
                "-i", "127.0.0.1", "-p", str(port or free_port()), "-timeout", f"{timeout_s}s",
                "-timeout_error", "-trace_msg", "-message_file", str(messages), "-trace_err",
                "-error_file", str(errors), "-nostdin", "-nd"]
        if inf is not None:
            args += ["-inf", str(inf)]
        if service is not None:
            args += ["-s", service]
        args += list(extra)
        process = await asyncio.create_subprocess_exec(*args, stdout=asyncio.subprocess.PIPE,
                                                       stderr=asyncio.subprocess.STDOUT, cwd=self.dir)
        try:
            out, _ = await asyncio.wait_for(process.communicate(), timeout_s + 10)
        except TimeoutError:
            process.kill()
            out, _ = await process.communicate()
        return SippResult(process.returncode if process.returncode is not None else -1,
                          out.decode(errors="replace"), _read(messages), _read(errors))

    async def until(self, predicate: Callable[[], bool], timeout_s: float = 10.0, what: str = "") -> None:
        deadline = time.monotonic() + timeout_s
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what or predicate}; log:\n" + "\n".join(self.log[-40:]))
            await asyncio.sleep(0.01)

    def capture(self, party: str) -> list[Any]:
        """From now on, what ``party``'s earpiece holds at each 20 ms RTP slot (the mixer's
        timeline moves on at each slot: what is heard has to be taken as it passes)."""
        earpieces = self.gateway.earpieces
        mixer = earpieces.mixer  # type: ignore[attr-defined]
        frames: list[Any] = []
        advance = earpieces.advance

        def listen_then_advance(n: int) -> None:
            frames.append(mixer.render(party, n))
            advance(n)

        earpieces.advance = listen_then_advance  # type: ignore[method-assign]
        return frames

    def registered(self, line: str) -> bool:
        return self.gateway.registrar.binding(line) is not None

    def state(self, party: str) -> list[tuple[str, tuple[str, ...]]]:
        return [(c.state, c.parties) for c in self.net.view(party).calls]


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def run(coroutine: object) -> object:
    return asyncio.run(coroutine)  # type: ignore[arg-type]

