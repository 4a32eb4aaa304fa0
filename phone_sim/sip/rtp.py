"""RTP for the gateway's calls: PCMU/PCMA frames of 20 ms each way, RFC 4733 digits in.

An ``RtpStream`` is our end of one call: its socket, the sequence and timestamp of our
stream, and where packets go (the address the device's SDP gives: SIPp sends from
another port than it announces). It packs our packets itself (the fixed 12-byte header)
and codes G.711 through lookup tables over whole frames (``g711.py``); incoming audio is
read the same way, and telephone events go to aiortp's ``DtmfReceiver`` (a digit counts
once, at its end packet, whatever the repeats).

Pacing (``RtpClock``) is split in two, so that a busy event loop never makes a frame late:

- on the event loop, a timer at each 20 ms slot (absolute deadlines from one monotonic
  base, never from the previous wake-up, so lateness does not add up) renders every
  line's earpiece for the slot ``LEAD`` slots ahead and packs each stream's packet;
- a sender thread of its own sleeps until each slot's deadline and sends that slot's
  packets (``sendto`` on a duplicate of each stream's socket, which the thread alone
  closes, after the packets queued before the close).

Thread-safety: the network, the calls and the mixer stay on the event loop's thread
(the core is single-threaded). The only things shared with the sender thread are a
``queue.SimpleQueue`` of ready batches (deadline, packets) and, per frame, its
lateness, appended while ``record`` is set. The sender touches nothing else.
"""

from __future__ import annotations

import asyncio
import os
import queue
import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiortp import DtmfReceiver, RtpPacket

from phone_sim.sip import g711
from phone_sim.sip.media import FRAME, Pcm
from phone_sim.sip.sdp import Media

PTIME = 0.020
LEAD = 2  # slots rendered ahead of their deadline: the event loop may be this late (40 ms)
MAX_PACKET = 1500
_HEADER = struct.Struct("!BBHII")
Packet = tuple[socket.socket, bytes, tuple[str, int]]


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
        self.sender: socket.socket | None = None  # a duplicate of the socket, for the sender thread
        self._ssrc = struct.unpack("!I", os.urandom(4))[0]
        self._seq = struct.unpack("!H", os.urandom(2))[0]
        self._timestamp = struct.unpack("!I", os.urandom(4))[0]
        self._marker = 1
        self._dtmf = DtmfReceiver(lambda digit, _duration: self._digit(digit))
        self.port = 0

    async def open(self, host: str) -> int:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_DGRAM)
        try:
            sock.setblocking(False)
            sock.bind((host, 0))
            loop = asyncio.get_running_loop()
            transport, _ = await loop.create_datagram_endpoint(lambda: self, sock=sock)
        except BaseException:
            sock.close()
            raise
        self._transport = transport
        self.sender = sock.dup()
        self.port = int(sock.getsockname()[1])
        return self.port

    def configure(self, media: Media) -> None:
        self.media = media

    def close(self) -> None:
        """Stop receiving; the sender's socket is closed by ``RtpClock.release``."""
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    @property
    def closed(self) -> bool:
        return self._transport is None

    # ------------------------------------------------------------------ sending
    def packet(self, samples: Pcm | None) -> Packet | None:
        """Our next 20 ms packet; None (the timestamp moves on) while we must not send."""
        media = self.media
        if samples is None or media is None or self.sender is None or not self.sending or not media.we_may_send:
            self._timestamp = (self._timestamp + FRAME) & 0xFFFFFFFF
            self._marker = 1
            return None
        header = _HEADER.pack(0x80, (self._marker << 7) | media.codec, self._seq, self._timestamp, self._ssrc)
        self._marker = 0
        self._seq = (self._seq + 1) & 0xFFFF
        self._timestamp = (self._timestamp + FRAME) & 0xFFFFFFFF
        self.stats.sent += 1
        return self.sender, header + g711.encode(media.codec, samples), media.address

    # ------------------------------------------------------------------ receiving
    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        media = self.media
        if media is None or len(data) > MAX_PACKET:
            return
        parsed = _split(data)
        if parsed is None:
            self.stats.bad += 1
            return
        payload_type, payload = parsed
        if payload_type == media.codec:
            self.stats.received += 1
            self.on_audio(g711.decode(media.codec, payload))
        elif media.dtmf is not None and payload_type == media.dtmf and len(payload) >= 4:
            try:
                self._dtmf.handle_packet(RtpPacket.parse(data))
            except ValueError:
                self.stats.bad += 1

    def _digit(self, digit: str) -> None:
        if digit in "0123456789*#":
            self.stats.digits += 1
            self.on_digit(digit)

    def error_received(self, exc: Exception) -> None:
        pass  # ICMP port unreachable: the device's RTP port is not open yet


def _split(data: bytes) -> tuple[int, bytes] | None:
    """(payload type, payload) of an RTP packet (RFC 3550 §5.1), or None if it is not one."""
    if len(data) < 12 or data[0] >> 6 != 2:
        return None
    first = data[0]
    start = 12 + 4 * (first & 0x0F)  # CSRC list
    if first & 0x10:  # header extension: 4 bytes, then its length in 32-bit words
        if len(data) < start + 4:
            return None
        start += 4 + 4 * int.from_bytes(data[start + 2:start + 4], "big")
    end = len(data)
    if first & 0x20:  # padding: its length is the last byte
        end -= data[-1]
    if start > end:
        return None
    return data[1] & 0x7F, data[start:end]


class RtpClock:
    """Every 20 ms slot: ``render(slot)`` on the event loop ``LEAD`` slots ahead, returning
    the slot's packets; a thread sends them at the slot's deadline. Records, while
    ``record`` is set, how late each frame left (seconds after its slot began)."""

    def __init__(self, render: Callable[[], list[Packet]], lead: int = LEAD) -> None:
        self.render = render
        self.lead = lead
        self.lateness: list[float] = []
        self.record = False
        self._handle: asyncio.TimerHandle | None = None
        self._start = 0.0
        self._slot = 0
        self._queue: queue.SimpleQueue[tuple[float, list[Packet], list[socket.socket]] | None] = queue.SimpleQueue()
        self._released: list[socket.socket] = []
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._send_loop, name="phone-sim-rtp", daemon=True)
        self._thread.start()
        self._start = loop.time()  # asyncio's clock is time.monotonic, as the thread's
        self._slot = 0
        self._schedule(loop)

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if self._thread is not None:
            self._queue.put((0.0, [], self._released))
            self._released = []
            self._queue.put(None)
            self._thread.join(timeout=1.0)
            self._thread = None

    def release(self, sock: socket.socket | None) -> None:
        """Close a stream's sending socket once the packets already queued have left."""
        if sock is None:
            return
        if self._thread is None:
            sock.close()
        else:
            self._released.append(sock)

    # ------------------------------------------------------------------ on the event loop
    def _schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        self._slot += 1
        self._handle = loop.call_at(self._start + (self._slot - self.lead) * PTIME, self._run, loop)

    def _run(self, loop: asyncio.AbstractEventLoop) -> None:
        deadline = self._start + self._slot * PTIME
        now = loop.time()
        if now - deadline > 5 * PTIME:  # asleep for a while (a paused process): start again from now
            self._start, self._slot = now, self.lead
            deadline = now + self.lead * PTIME
        try:
            packets = self.render()
            released, self._released = self._released, []
            self._queue.put((deadline, packets, released))
        finally:
            self._schedule(loop)

    # ------------------------------------------------------------------ the sender thread
    def _send_loop(self) -> None:
        take, clock, sleep = self._queue.get, time.monotonic, time.sleep
        while True:
            batch = take()
            if batch is None:
                return
            deadline, packets, released = batch
            delay = deadline - clock()
            if delay > 0:
                sleep(delay)
            record = self.record
            for sock, data, addr in packets:
                try:
                    sock.sendto(data, addr)
                except OSError:
                    pass  # the device's address is gone or refuses: the next frame tries again
                if record:
                    self.lateness.append(clock() - deadline)
            for sock in released:
                sock.close()
