"""RTP with real SIP signalling: what each device hears, proved by tone detection on the
RTP it receives; what it sends, heard by the others (SPEC 12 and 13, "Media").

SIPp plays the signalling; the test's own UDP sockets are the devices' media ports (the
SDP names them with ``-set mport``), so the test sends each device's voice (its line's
identification tone, PCMU, 20 ms frames) and decodes what the gateway sends back.
"""

from __future__ import annotations

import asyncio
import socket

import numpy as np
from aiortp import RtpPacket
from aiortp.codecs import get_codec
from sip_rig import SCENARIOS, Rig, free_port, needs_sipp, run

from phone_sim.audio.ident import IDENT_LEVEL, IdentDetector, ident_tone
from phone_sim.sip.media import FRAME, RATE

pytestmark = needs_sipp
PCMU = get_codec(0)


class Device:
    """A device's media port: sends a tone as RTP, keeps the audio it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", free_port()))
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]
        self.heard: list[np.ndarray] = []
        self.seq = 0
        self.position = 0

    def receive(self) -> None:
        while True:
            try:
                data = self.sock.recv(2048)
            except BlockingIOError:
                return
            packet = RtpPacket.parse(data)
            if packet.payload_type == 0:
                self.heard.append(np.frombuffer(PCMU.decode(packet.payload), dtype="<i2") / 32768.0)

    def send(self, freq: float, to: tuple[str, int]) -> None:
        samples = ident_tone(freq, self.position, FRAME, RATE)
        self.position += FRAME
        payload = PCMU.encode((np.asarray(samples) * 32767).astype("<i2").tobytes())
        packet = RtpPacket(payload_type=0, sequence_number=self.seq, timestamp=self.position, ssrc=7, payload=payload)
        self.seq += 1
        self.sock.sendto(packet.serialize(), to)

    def last(self, ms: int) -> np.ndarray:
        frames = ms // 20
        return np.concatenate(self.heard[-frames:]) if len(self.heard) >= frames else np.zeros(0)


def amplitude(sound: np.ndarray, freq: float) -> float:
    """The amplitude of ``freq`` in ``sound`` (Hann window, one DFT bin)."""
    window = np.hanning(len(sound))
    t = np.arange(len(sound)) / RATE
    return float(2 * abs(np.sum(sound * window * np.exp(-2j * np.pi * freq * t))) / np.sum(window))


def gateway_rtp(rig: Rig, line: str) -> tuple[str, int]:
    call = rig.gateway.calls.of_line(line)[0]
    return ("127.0.0.1", call.rtp.port)


def test_the_caller_hears_the_networks_ringback_as_early_media() -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            device = Device()
            sipp = rig.start_sipp("call_out_media.xml", inf=rig.users("A"), service="0145678900",
                                  extra=("-set", "mport", str(device.port)))
            await rig.until(lambda: rig.net.ringing("B"), what="B rings")
            for _ in range(50):  # one second of ringback's first burst (1.5 s on)
                await asyncio.sleep(0.02)
                device.receive()
            sound = device.last(600)
            assert len(sound) == 600 * RATE // 1000
            assert amplitude(sound, 440.0) > 0.05, "no 440 Hz ringback in the RTP"
            assert amplitude(sound, 1000.0) < 0.01
            rig.net.answer("B")
            result = await sipp
            assert result.ok, result.output + result.errors

    run(scenario())


def test_two_sip_devices_and_a_simulator_handset_in_one_conference_hear_each_other() -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            a, c = Device(), Device()
            uas = str(SCENARIOS / "uas_media.xml")
            sipp_a = rig.start_sipp("register_wait.xml", inf=rig.users("A", name="a.csv"), tag="a",
                                    extra=("-oocsf", uas, "-d", "9000", "-set", "mport", str(a.port)))
            sipp_c = rig.start_sipp("register_wait.xml", inf=rig.users("C", name="c.csv"), tag="c",
                                    extra=("-oocsf", uas, "-d", "9000", "-set", "mport", str(c.port)))
            await rig.until(lambda: rig.registered("A") and rig.registered("C"), what="A and C registered")
            net = rig.net
            net.dial("D", "0601020301")
            await rig.until(lambda: rig.state("D") == [("active", ("A",))], what="A answers")
            net.hold("D")
            net.dial("D", "0601020303")
            await rig.until(lambda: ("active", ("C",)) in rig.state("D"), what="C answers")
            assert net.conference("D") is None
            mixer = rig.gateway.earpieces.mixer  # type: ignore[attr-defined]
            net.speak("D", "talk")
            tone = {party: mixer.frequency(party) for party in ("A", "C", "D")}
            to_a, to_c = gateway_rtp(rig, "A"), gateway_rtp(rig, "C")
            heard_at_d = rig.capture("D")
            loop = asyncio.get_running_loop()
            start, sent = loop.time(), 0
            while sent < 75:  # 1.5 s of both devices talking, paced by the clock as a phone is
                while sent < min(75, int((loop.time() - start) / 0.02) + 1):
                    a.send(tone["A"], to_a)
                    c.send(tone["C"], to_c)
                    sent += 1
                await asyncio.sleep(0.005)
                a.receive()
                c.receive()
            detector = IdentDetector(RATE)
            heard_by_a = detector.heard(a.last(400))
            heard_by_c = detector.heard(c.last(400))
            assert {tone["C"], tone["D"]} <= heard_by_a and tone["A"] not in heard_by_a, heard_by_a
            assert {tone["A"], tone["D"]} <= heard_by_c and tone["C"] not in heard_by_c, heard_by_c
            heard_by_d = detector.heard(np.concatenate(heard_at_d[-20:]))
            assert {tone["A"], tone["C"]} <= heard_by_d, heard_by_d
            assert net.hears("A").voices == ("C", "D")
            net.end("D")  # the organiser hangs up: everyone is released
            first, second = await sipp_a, await sipp_c
            assert first.ok and second.ok, first.output + first.errors + second.errors
            assert IDENT_LEVEL > 0

    run(scenario())
