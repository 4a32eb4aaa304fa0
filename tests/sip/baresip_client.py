"""baresip (Debian's baresip-core) as a test device, driven through its ctrl_tcp module.

Each instance gets its own HOME with a config: loopback only (``net_interface
127.0.0.1``, which keeps its RTP off other interfaces), free ports (its SIP port and the
TLS port it opens at SIP port + 1, its control port), ALSA's null device for playback
(``ALSA_CONFIG_PATH``), a WAV file as its microphone (``aufile``), and ``sndfile`` writing
what it sends and receives to WAV files. Commands and events are netstrings of JSON.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time
from pathlib import Path

import numpy as np

from phone_sim.audio.wavio import read_wav


def free_pair() -> int:
    """A port P free for UDP and TCP with P + 1 free for TCP too (baresip's TLS)."""
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        if port >= 65534:
            continue
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, \
                    socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp, \
                    socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tls:
                udp.bind(("127.0.0.1", port))
                tcp.bind(("127.0.0.1", port))
                tls.bind(("127.0.0.1", port + 1))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port pair")


def write_tone(path: Path, freq: float, seconds: float = 30.0, rate: int = 8000, level: float = 0.15) -> None:
    import wave

    t = np.arange(int(seconds * rate)) / rate
    samples = (level * np.sin(2 * np.pi * freq * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())


class Baresip:
    def __init__(self, binary: str, directory: Path, user: str, secret: str, gateway_port: int,
                 tone: float) -> None:
        self.binary = binary
        self.dir = directory
        self.sip_port = free_pair()
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind(("127.0.0.1", 0))
            self.ctrl_port = int(probe.getsockname()[1])
        home = directory / "home" / ".baresip"
        home.mkdir(parents=True)
        write_tone(directory / "mic.wav", tone)
        (directory / "alsa.conf").write_text("pcm.!default { type null }\nctl.!default { type hw card 0 }\n")
        (home / "config").write_text("\n".join([
            "poll_method epoll", f"sip_listen 127.0.0.1:{self.sip_port}", "net_interface 127.0.0.1",
            "audio_player alsa,default", f"audio_source aufile,{directory / 'mic.wav'}", "audio_alert alsa,default",
            "ausrc_srate 8000", "auplay_srate 8000", "ausrc_channels 1", "auplay_channels 1",
            "module_path /usr/lib/baresip/modules", "module g711.so", "module alsa.so", "module aufile.so",
            "module sndfile.so", f"snd_path {directory}", "module_app account.so", "module_app menu.so",
            "module_app ctrl_tcp.so", f"ctrl_tcp_listen 127.0.0.1:{self.ctrl_port}", ""]))
        (home / "accounts").write_text(
            f"<sip:{user}@127.0.0.1:{gateway_port};transport=udp>;auth_pass={secret};regint=60;answermode=manual\n")
        self.events: list[dict[str, object]] = []
        self.process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self, timeout_s: float = 15.0) -> None:
        env = {**os.environ, "HOME": str(self.dir / "home"), "ALSA_CONFIG_PATH": str(self.dir / "alsa.conf")}
        self.process = await asyncio.create_subprocess_exec(
            self.binary, "-f", str(self.dir / "home" / ".baresip"), stdin=asyncio.subprocess.DEVNULL,
            stdout=open(self.dir / "baresip.log", "wb"), stderr=asyncio.subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                self._reader, self._writer = await asyncio.open_connection("127.0.0.1", self.ctrl_port)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("baresip did not open its control port: " + self.log()) from None
                await asyncio.sleep(0.1)
        self._task = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        assert self._reader is not None
        while True:
            try:
                size = int((await self._reader.readuntil(b":"))[:-1])
                body = await self._reader.readexactly(size + 1)
            except (asyncio.IncompleteReadError, ValueError, ConnectionError):
                return
            self.events.append(json.loads(body[:-1]))

    async def command(self, name: str, params: str = "") -> None:
        assert self._writer is not None
        body = json.dumps({"command": name, "params": params, "token": name}).encode()
        self._writer.write(str(len(body)).encode() + b":" + body + b",")
        await self._writer.drain()

    def saw(self, event_type: str) -> int:
        return sum(1 for e in self.events if e.get("type") == event_type)

    async def stop(self) -> None:
        if self._writer is not None:
            try:
                await self.command("quit")
            except ConnectionError:
                pass
        if self.process is not None:
            try:
                await asyncio.wait_for(self.process.wait(), 5)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self._task is not None:
            self._task.cancel()

    def log(self) -> str:
        try:
            return (self.dir / "baresip.log").read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def received_calls(self) -> list[np.ndarray]:
        """What baresip decoded from our RTP, call by call (sndfile's ``-dec.wav`` files)."""
        files = sorted(self.dir.glob("dump-*-dec.wav"), key=lambda p: p.name)
        return [np.asarray(read_wav(path)[0]) for path in files]
