"""RTP for one call with a device: PCMU/PCMA frames of 20 ms each way, RFC 4733 digits in.

aiortp packs and parses the packets, encodes and decodes G.711 and follows telephone
events (a digit counts once, at its end packet, whatever the repeats); this module owns
the socket, the sequence and timestamp of our stream, and where packets go: to the
address the device's SDP gives (SIPp sends from another port than it announces).

One ``Ticker`` paces every stream of the gateway: a single timer on the event loop at
each 20 ms slot, scheduled from the start instant (never from the previous wake-up, so
lateness does not add up), renders each line's earpiece once and sends its frame.
"""

from __future__ import annotations

import asyncio
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from aiortp import DtmfReceiver, RtpPacket
from aiortp.codecs import get_codec

from phone_sim.sip.media import FRAME, Pcm
from phone_sim.sip.sdp import Media

PTIME = 0.020
MAX_PACKET = 1500


@dataclass
class StreamStats:
    sent: int = 0
    received: int = 0
    digits: int = 0
    bad: int = 0


class RtpStream(asyncio.DatagramProtocol):
    """Our end of one call's RTP: bound on the gateway's address, an ephemeral port."""

    def __init__(self, on_audio: Callable[[Pcm], None], on_digit: Callable[[str], None]) -> None:
        self.on_audio = on_audio
        self.on_digit = on_digit
        self.media: Media | None = None
        self.sending = True  # False while the device holds the call (it wants nothing)
        self.stats = StreamStats()
        self._transport: asyncio.DatagramTransport | None = None
        self._ssrc = struct.unpack("!I", os.urandom(4))[0]
        self._seq = struct.unpack("!H", os.urandom(2))[0]
        self._timestamp = struct.unpack("!I", os.urandom(4))[0]
        self._marker = 1
        self._dtmf = DtmfReceiver(lambda digit, _duration: self._digit(digit))
        self._codecs: dict[int, object] = {}
        self.port = 0

    async def open(self, host: str) -> int:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: self, local_addr=(host, 0))
        self._transport = transport
        self.port = int(transport.get_extra_info("sockname")[1])
        return self.port

    def configure(self, media: Media) -> None:
        self.media = media

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    @property
    def closed(self) -> bool:
        return self._transport is None

    # ------------------------------------------------------------------ sending
    def send(self, samples: Pcm | None) -> None:
        """One 20 ms frame; nothing (the timestamp moves on) while we must not send."""
        media = self.media
        transport = self._transport
        if samples is None or media is None or transport is None or not self.sending or not media.we_may_send:
            self._timestamp = (self._timestamp + FRAME) & 0xFFFFFFFF
            self._marker = 1
            return
        payload = _silence(media.codec) if not samples.any() else \
            self._codec(media.codec).encode(samples.astype("<i2").tobytes())  # type: ignore[attr-defined]
        packet = RtpPacket(payload_type=media.codec, marker=self._marker, sequence_number=self._seq,
                           timestamp=self._timestamp, ssrc=self._ssrc, payload=payload)
        self._marker = 0
        self._seq = (self._seq + 1) & 0xFFFF
        self._timestamp = (self._timestamp + FRAME) & 0xFFFFFFFF
        try:
            transport.sendto(packet.serialize(), media.address)
            self.stats.sent += 1
        except OSError:
            pass

    def _codec(self, pt: int) -> object:
        codec = self._codecs.get(pt)
        if codec is None:
            codec = self._codecs[pt] = get_codec(pt)
        return codec

    # ------------------------------------------------------------------ receiving
    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        media = self.media
        if media is None or len(data) > MAX_PACKET:
            return
        try:
            packet = RtpPacket.parse(data)
        except ValueError:
            self.stats.bad += 1
            return
        if packet.payload_type == media.codec:
            self.stats.received += 1
            pcm = self._codec(media.codec).decode(packet.payload)  # type: ignore[attr-defined]
            self.on_audio(np.frombuffer(pcm, dtype="<i2").astype(np.int16))
        elif media.dtmf is not None and packet.payload_type == media.dtmf and len(packet.payload) >= 4:
            self._dtmf.handle_packet(packet)

    def _digit(self, digit: str) -> None:
        if digit in "0123456789*#":
            self.stats.digits += 1
            self.on_digit(digit)

    def error_received(self, exc: Exception) -> None:
        pass  # ICMP port unreachable: the device's RTP port is not open yet


_SILENCE: dict[int, bytes] = {}


def _silence(pt: int) -> bytes:
    """An encoded silent frame (most frames of a held or quiet call): made once."""
    frame = _SILENCE.get(pt)
    if frame is None:
        frame = _SILENCE[pt] = get_codec(pt).encode(bytes(2 * FRAME))  # type: ignore[attr-defined]
    return frame


@dataclass
class Ticker:
    """Calls ``tick`` at every 20 ms slot from its start; records how late each wake-up was."""

    tick: Callable[[], None]
    lateness: list[float] = field(default_factory=list)
    record: bool = False
    _handle: asyncio.TimerHandle | None = None
    _start: float = 0.0
    _slot: int = 0

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._start = loop.time()
        self._slot = 0
        self._schedule(loop)

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        self._slot += 1
        self._handle = loop.call_at(self._start + self._slot * PTIME, self._run, loop)

    def _run(self, loop: asyncio.AbstractEventLoop) -> None:
        due = self._start + self._slot * PTIME
        now = loop.time()
        if self.record:
            self.lateness.append(now - due)
        behind = int((now - due) / PTIME)
        if behind > 5:  # asleep for a while (a paused process): start again from now
            self._start, self._slot = now, 0
        try:
            self.tick()
        finally:
            self._schedule(loop)
