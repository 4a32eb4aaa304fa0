"""The RTP side's pieces without a device: G.711 tables, the order of sound commands
behind a clip being made, the RTP clock's sender thread."""

from __future__ import annotations

import asyncio
import socket
import threading

import numpy as np
from aiortp.codecs import get_codec
from sip_rig import COMPANY

from phone_sim.audio.commands import SetTone, Speak
from phone_sim.network.switch import Network
from phone_sim.scenario.companyfile import load_company
from phone_sim.sip import g711
from phone_sim.sip.media import MixedEarpieces
from phone_sim.sip.rtp import PTIME, RtpClock


def test_g711_tables_give_aiortps_bytes_both_ways() -> None:
    rng = np.random.default_rng(7)
    frame = rng.integers(-32768, 32768, 160, dtype=np.int16)
    frame[:4] = (-32768, 32767, 0, -1)
    for payload_type in (g711.PCMU, g711.PCMA):
        codec = get_codec(payload_type)
        encoded = g711.encode(payload_type, frame)
        assert encoded == codec.encode(frame.astype("<i2").tobytes())
        every_byte = bytes(range(256))
        expected = np.frombuffer(codec.decode(every_byte), dtype="<i2")
        assert np.array_equal(g711.decode(payload_type, every_byte), expected)
        silence = np.zeros(160, dtype=np.int16)
        assert g711.encode(payload_type, silence) == codec.encode(silence.tobytes())


def test_sound_commands_keep_their_order_behind_a_clip_being_made() -> None:
    async def scenario() -> list[object]:
        earpieces = MixedEarpieces(Network(load_company(COMPANY)), "en")
        earpieces.follow("A")
        applied: list[object] = []
        earpieces.mixer.apply = applied.append  # type: ignore[method-assign]
        release = threading.Event()
        earpieces._prepare = lambda command: release.wait(5)  # type: ignore[method-assign]  # noqa: SLF001
        speak = Speak(0, "A", "info", "Bonjour", "Hello")
        tone = SetTone(0, "A", "busy")
        earpieces._command(speak)  # noqa: SLF001 - what the network's listener calls
        earpieces._command(tone)  # noqa: SLF001
        await asyncio.sleep(0.05)
        assert applied == []  # the tone waits behind the announcement still being made
        release.set()
        for _ in range(200):
            if len(applied) == 2:
                break
            await asyncio.sleep(0.01)
        earpieces._command(speak)  # noqa: SLF001 - made before: at once
        earpieces.close()
        return applied

    speak = Speak(0, "A", "info", "Bonjour", "Hello")
    assert asyncio.run(scenario()) == [speak, SetTone(0, "A", "busy"), speak]


def test_the_rtp_clock_sends_each_slots_packets_at_its_deadline_then_closes_released_sockets() -> None:
    async def scenario() -> tuple[list[float], bool]:
        receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        receiver.bind(("127.0.0.1", 0))
        receiver.setblocking(False)
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        address = receiver.getsockname()
        clock = RtpClock(lambda: [(sender, b"frame", address)])
        clock.record = True
        clock.start()
        await asyncio.sleep(10 * PTIME)
        clock.release(sender)
        clock.stop()
        arrived = []
        while True:
            try:
                arrived.append(receiver.recv(100))
            except BlockingIOError:
                break
        receiver.close()
        assert 5 <= len(arrived) <= 12 and set(arrived) == {b"frame"}
        return clock.lateness, sender.fileno() == -1

    lateness, closed = asyncio.run(scenario())
    assert closed
    assert lateness and min(lateness) >= 0  # never before its slot
