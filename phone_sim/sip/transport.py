"""The gateway's SIP transport: UDP and TCP on one address, with the guards a listener needs.

aiosipua parses the messages and its ``TcpSipTransport`` frames the TCP stream; UDP
datagrams come in through a small protocol of ours (aiosipua's ``UdpSipTransport``
asserts on Python 3.11's datagram transport class, and we want the raw size and the
source before paying for a parse). This class puts both behind one object with the
interface aiosipua's ``SipUAS``/``SipUAC`` expect (``local_addr``, ``on_message``,
``send``, ``send_reply``) and adds, around them:

- bad input: a body shorter than its Content-Length (400), oversized messages (413),
  floods (a token bucket per source: 503 with Retry-After, then silence); unparseable
  bytes are dropped by the library (silence);
- the transaction-layer pieces the library leaves out (RFC 3261 §17): a request that
  arrives again (UDP retransmission) is answered with the response already sent and goes
  no further; requests we send over UDP are retransmitted (timers A/E, T1 = 500 ms
  doubling) until a response comes, and reported after 32 s without one (timers B/F);
- TCP: responses and requests go back over the connection the peer opened;
- one log line per transaction, when it ends (its final response).
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from aiosipua import SipMessage, SipRequest, SipResponse, TcpSipTransport
from aiosipua.headers import parse_via, stringify_via

from phone_sim.sip import messages

Addr = tuple[str, int]
T1 = 0.5
T2 = 4.0
TIMEOUT = 64 * T1
CACHE_SECONDS = 32.0
MAX_CACHE = 50_000
# 1 MiB of receive buffer (the system's default, 208 KiB, holds about a hundred datagrams:
# under load, ACKs and BYEs were lost while the event loop was busy; capped by
# net.core.rmem_max)
RECEIVE_BUFFER = 1 << 20

# the library logs every malformed message at WARNING: a fuzzer would flood our output
logging.getLogger("aiosipua").setLevel(logging.ERROR)
log = logging.getLogger(__name__)


def _first_line(message: SipMessage) -> str:
    return bytes(message).split(b"\r\n", 1)[0][:120].decode(errors="replace")


def _stamp_received(request: SipRequest, addr: Addr) -> None:
    """``received`` and ``rport`` on the top Via (RFC 3261 §18.2.1, RFC 3581)."""
    vias = request.headers.get("via")
    if not vias:
        return
    top = messages.top_via(request)  # kept by a messages.Request: only read
    if top.host == addr[0] and not ("rport" in top.params and not top.params["rport"]):
        return
    via = parse_via(vias[0])  # a copy to change
    wants_rport = "rport" in via.params and not via.params["rport"]
    via.params["received"] = addr[0]
    if wants_rport:
        via.params["rport"] = str(addr[1])
    request.headers.remove("via")
    for value in [stringify_via(via), *vias[1:]]:
        request.headers.append("Via", value)


def _via_destination(response: SipResponse) -> Addr | None:
    vias = response.via
    if not vias:
        return None
    top = vias[0]
    try:
        port = int(top.rport) if top.rport else (top.port or 5060)
    except ValueError:
        port = top.port or 5060
    return (top.received or top.host, port)


class _Datagrams(asyncio.DatagramProtocol):
    def __init__(self, receive: Callable[[bytes, Addr], None]) -> None:
        self.receive = receive
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        sock = transport.get_extra_info("socket")
        if sock is not None:  # room for the bursts that arrive while the loop is busy
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
            except OSError:
                pass  # the system's default, then

    def datagram_received(self, data: bytes, addr: tuple[str, int] | tuple[str, int, int, int]) -> None:
        self.receive(data, (str(addr[0]), int(addr[1])))

    def error_received(self, exc: Exception) -> None:
        pass  # ICMP "port unreachable" from a device that went away


@dataclass(frozen=True, slots=True)
class Limits:
    max_message: int = 16 * 1024  # bytes; larger UDP messages get 413
    rate: float = 2000.0  # messages per second and source, sustained
    burst: float = 4000.0
    busy_answers: int = 20  # 503s per source and second before silence


def _key(message: SipMessage, method: str) -> tuple[str, str, str] | None:
    raw = message.headers.get_first("via")
    if not raw:
        return None
    key = messages.via_key(raw, messages.top_via(message) if isinstance(message, messages.Request) else None)
    return (key[0], method, key[1]) if key else None


def _method_of(message: SipMessage) -> str:
    if isinstance(message, SipRequest):
        return "INVITE" if message.method == "ACK" else message.method
    cseq = message.cseq
    return cseq.method.upper() if cseq is not None else ""


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    busy_second: int = 0
    busy_sent: int = 0


@dataclass
class _Pending:
    """A request we sent over UDP that has not been answered yet."""

    data: bytes
    addr: Addr
    method: str
    started: float
    request: SipRequest
    interval: float = T1
    handle: asyncio.TimerHandle | None = None
    on_timeout: Callable[[], None] | None = None


@dataclass
class _Server:
    """A request received: who sent it, and the last response we gave it."""

    request: SipRequest
    addr: Addr
    kind: str
    stamp: float
    last: bytes | None = None
    logged: bool = False


TransactionLog = Callable[[str, SipRequest, Addr, int, str], None]  # direction, request, peer, status, phrase


@dataclass
class GatewayTransport:
    host: str = "127.0.0.1"
    port: int = 5060
    limits: Limits = field(default_factory=Limits)
    log: TransactionLog | None = None
    clock: Callable[[], float] = time.monotonic

    reliable = False  # SipUAS retransmits its 2xx until the ACK (RFC 3261 §13.3.1.4)

    def __post_init__(self) -> None:
        self.local_addr: Addr = (self.host, self.port)
        self.on_message: Callable[[SipRequest | SipResponse, Addr], None] | None = None  # set by SipUAS
        self.front: Callable[[SipRequest | SipResponse, Addr], None] | None = None  # set by the gateway
        self.udp = _Datagrams(self._datagram)
        self.tcp = TcpSipTransport(local_addr=self.local_addr, on_message=self._from_tcp)
        self.tcp_peers: set[Addr] = set()
        self._server: OrderedDict[tuple[str, str, str], _Server] = OrderedDict()
        self._pending: dict[tuple[str, str], _Pending] = {}
        self._buckets: dict[Addr, _Bucket] = {}
        self.dropped = 0  # messages refused for flooding or size (for tests and the log)

    # ------------------------------------------------------------------ life
    async def start(self) -> None:
        """Bind TCP then UDP on the same port (port 0: the first free one)."""
        for _ in range(20 if self.port == 0 else 1):
            self.tcp.local_addr = (self.host, self.port)
            await self.tcp.start()
            assert self.tcp._server is not None  # noqa: SLF001 - the port the OS chose
            port = self.tcp._server.sockets[0].getsockname()[1]  # noqa: SLF001
            try:
                await asyncio.get_running_loop().create_datagram_endpoint(lambda: self.udp,
                                                                          local_addr=(self.host, port))
            except OSError:
                await self.tcp.stop()
                if self.port:
                    raise
                continue
            self.local_addr = (self.host, port)
            return
        raise OSError("no free port for UDP and TCP together")

    async def stop(self) -> None:
        for pending in self._pending.values():
            if pending.handle is not None:
                pending.handle.cancel()
        self._pending.clear()
        if self.udp.transport is not None:
            self.udp.transport.close()
            self.udp.transport = None
        await self.tcp.stop()

    # ------------------------------------------------------------------ receiving
    def _datagram(self, data: bytes, addr: Addr) -> None:
        if len(data) > self.limits.max_message:
            self.dropped += 1
            head = data[:2048]
            if b"\r\n\r\n" in head or b"\nVia:" in head or b"\nv:" in head:
                self._too_large(head + b"\r\n\r\n", addr)
            return
        try:
            message = messages.parse(data)
        except (ValueError, IndexError, UnicodeError):
            self.dropped += 1
            return  # not SIP: silence
        if isinstance(message, SipRequest):
            _stamp_received(message, addr)
        self._receive(message, addr, "udp")

    def _too_large(self, head: bytes, addr: Addr) -> None:
        """413 for a datagram too big to take, when its headers can be read."""
        try:
            message = SipMessage.parse(head.split(b"\r\n\r\n")[0] + b"\r\n\r\n")
        except (ValueError, IndexError, UnicodeError):
            return
        if isinstance(message, SipRequest) and message.method != "ACK" and self._admit_rate(addr, message):
            _stamp_received(message, addr)
            self.answer(message, 413, "Request Entity Too Large")

    def _from_tcp(self, message: SipRequest | SipResponse, addr: Addr) -> None:
        self.tcp_peers.add(addr)
        self._receive(messages.kept(message), addr, "tcp")

    def _receive(self, message: SipRequest | SipResponse, addr: Addr, kind: str) -> None:
        if not self._admit(message, addr) or not self._well_formed(message):
            return
        if isinstance(message, SipResponse):
            self._answered(message)
        elif not self._new_request(message, addr, kind):
            return
        target = self.front or self.on_message
        if target is None:
            return
        try:
            target(message, addr)
        except Exception:  # a message we could not handle must not stop the gateway
            log.exception("could not handle %s from %s:%s", _first_line(message), *addr)
            if isinstance(message, SipRequest) and message.method != "ACK":
                self.answer(message, 500, "Server Internal Error")

    def _well_formed(self, message: SipRequest | SipResponse) -> bool:
        """Every header the gateway reads must parse: otherwise 400 (or silence for a response)."""
        try:
            vias = message.via
            cseq = message.cseq
            problem = not vias or cseq is None or not message.call_id
            problem = problem or message.from_addr is None or message.to_addr is None
            if isinstance(message, SipRequest):
                problem = problem or cseq is None or cseq.method.upper() != message.method.upper()
                message.contact  # noqa: B018 - parsed now, not in the middle of a dialog
            elif not 100 <= message.status_code <= 699:
                problem = True
        except (ValueError, IndexError, KeyError, AttributeError):
            problem = True
        if not problem:
            return True
        self.dropped += 1
        if isinstance(message, SipRequest) and message.method != "ACK":
            try:
                if message.via:
                    self.answer(message, 400, "Bad Request")
            except (ValueError, IndexError, KeyError, AttributeError):
                pass
        return False

    def _admit(self, message: SipRequest | SipResponse, addr: Addr) -> bool:
        """Flood and size guards; a refused request gets its answer here."""
        if not self._admit_rate(addr, message):
            return False
        return self._admit_size(message)

    def _admit_rate(self, addr: Addr, message: SipRequest | SipResponse) -> bool:
        now = self.clock()
        bucket = self._buckets.get(addr)
        if bucket is None:
            if len(self._buckets) > 10_000:
                self._buckets.clear()
            bucket = self._buckets[addr] = _Bucket(self.limits.burst, now)
        bucket.tokens = min(self.limits.burst, bucket.tokens + (now - bucket.stamp) * self.limits.rate)
        bucket.stamp = now
        if bucket.tokens < 1:
            self.dropped += 1
            if isinstance(message, SipRequest) and message.method != "ACK":
                second = int(now)
                if bucket.busy_second != second:
                    bucket.busy_second, bucket.busy_sent = second, 0
                if bucket.busy_sent < self.limits.busy_answers:
                    bucket.busy_sent += 1
                    self.answer(message, 503, "Service Unavailable", {"Retry-After": "5"})
            return False
        bucket.tokens -= 1
        return True

    def _admit_size(self, message: SipRequest | SipResponse) -> bool:
        declared = message.headers.get_first("content-length")
        if declared is not None:
            try:
                short = int(declared.strip()) > len(message.body)
            except ValueError:
                short = True
            if short:
                self.dropped += 1
                if isinstance(message, SipRequest) and message.method != "ACK":
                    self.answer(message, 400, "Bad Content-Length")
                return False
        size = len(message.body) + sum(len(v) + len(k) + 4 for k, values in message.headers.items() for v in values)
        if size > self.limits.max_message:
            self.dropped += 1
            if isinstance(message, SipRequest) and message.method != "ACK":
                self.answer(message, 413, "Request Entity Too Large")
            return False
        return True

    def _new_request(self, request: SipRequest, addr: Addr, kind: str) -> bool:
        """Remember a new server transaction; a retransmission gets the last answer again."""
        if request.method == "ACK":
            return True
        key = _key(request, request.method)
        if key is None:
            return True
        known = self._server.get(key)
        if known is not None:
            if known.last is not None:
                self._send_bytes(known.last, known.addr, known.kind)
            return False
        now = self.clock()
        self._server[key] = _Server(request, addr, kind, now)
        while self._server:
            oldest = next(iter(self._server.values()))
            if now - oldest.stamp < CACHE_SECONDS and len(self._server) <= MAX_CACHE:
                break
            self._server.popitem(last=False)
        return True

    def _answered(self, response: SipResponse) -> None:
        """A response to one of our requests: stop retransmitting it; log it when final."""
        key = _key(response, _method_of(response))
        pending = self._pending.get(key[:2]) if key else None
        if pending is None:
            return
        if pending.method == "INVITE" or response.status_code >= 200:
            if pending.handle is not None:
                pending.handle.cancel()
            del self._pending[key[:2]]  # type: ignore[index]
        if response.status_code >= 200 and self.log is not None:
            self.log("out", pending.request, pending.addr, response.status_code, response.reason_phrase)

    # ------------------------------------------------------------------ sending
    def send(self, message: SipRequest | SipResponse, addr: Addr) -> None:
        kind = "tcp" if addr in self.tcp_peers else "udp"
        if kind == "tcp":
            self._set_via_transport(message, "TCP")
        data = bytes(message)
        self._send_bytes(data, addr, kind)
        if isinstance(message, SipRequest) and message.method != "ACK":
            self._track(message, data, addr, kind)

    def send_reply(self, response: SipResponse) -> None:
        try:
            key = _key(response, _method_of(response))
        except (ValueError, IndexError):
            key = None
        server = self._server.get(key) if key else None
        if server is None:  # no request on record (answered by the guards): route by Via
            destination = _via_destination(response)
            if destination is not None:
                self._send_bytes(bytes(response), destination, "udp")
            return
        data = bytes(response)
        server.last = data
        self._send_bytes(data, server.addr, server.kind)
        if response.status_code >= 200 and not server.logged and self.log is not None:
            server.logged = True
            self.log("in", server.request, server.addr, response.status_code, response.reason_phrase)

    def answer(self, request: SipRequest, status: int, phrase: str,
               headers: dict[str, str] | Iterable[tuple[str, str]] | None = None) -> None:
        """A response built from the request alone (no dialog): guards, registrar, refusals."""
        response = SipResponse(status_code=status, reason_phrase=phrase)
        for via in request.headers.get("via"):
            response.headers.append("Via", via)
        for name in ("from", "to", "call-id", "cseq"):
            value = request.headers.get_first(name)
            if value is not None:
                if name == "to" and status > 100 and ";tag=" not in value:
                    value += ";tag=" + f"{abs(hash((request.call_id, 'gw'))):x}"[:12]
                response.headers.set_single(name.title() if name != "call-id" else "Call-ID", value)
        pairs = headers.items() if isinstance(headers, dict) else headers or ()
        for name, value in pairs:
            response.headers.append(name, value)
        if not response.headers.get("via"):
            return  # nowhere to send it
        self.send_reply(response)

    def _send_bytes(self, data: bytes, addr: Addr, kind: str) -> None:
        try:
            if kind == "tcp":
                connection = self.tcp._connections.get(addr)  # noqa: SLF001 - the peer's own connection
                if connection is None:
                    self.tcp_peers.discard(addr)
                    return
                connection[1].write(data)
            elif self.udp.transport is not None:
                self.udp.transport.sendto(data, addr)
        except (OSError, RuntimeError):
            pass  # a peer gone away: its transactions time out

    @staticmethod
    def _set_via_transport(message: SipMessage, transport: str) -> None:
        vias = message.headers.get("via")
        if isinstance(message, SipRequest) and vias:
            via = parse_via(vias[0])
            if via.transport.upper() != transport:
                via.transport = transport
                message.headers.remove("via")
                for value in [stringify_via(via), *vias[1:]]:
                    message.headers.append("Via", value)

    # ------------------------------------------------------------------ our requests (timers A/E, B/F)
    def _track(self, request: SipRequest, data: bytes, addr: Addr, kind: str) -> None:
        key = _key(request, request.method)
        if key is None:
            return
        pending = _Pending(data, addr, request.method, self.clock(), request)
        self._pending[key[:2]] = pending
        loop = asyncio.get_running_loop()
        pending.handle = loop.call_later(T1 if kind == "udp" else TIMEOUT, self._retransmit, key[:2], kind)

    def on_timeout(self, request: SipRequest, callback: Callable[[], None]) -> None:
        """Call ``callback`` if this request of ours gets no final response in time."""
        key = _key(request, request.method)
        pending = self._pending.get(key[:2]) if key else None
        if pending is not None:
            pending.on_timeout = callback

    def _retransmit(self, key: tuple[str, str], kind: str) -> None:
        pending = self._pending.get(key)
        if pending is None:
            return
        elapsed = self.clock() - pending.started
        if elapsed >= TIMEOUT or kind == "tcp":
            del self._pending[key]
            if self.log is not None:
                self.log("out", pending.request, pending.addr, 408, "Request Timeout")
            if pending.on_timeout is not None:
                pending.on_timeout()
            return
        self._send_bytes(pending.data, pending.addr, kind)
        pending.interval = min(pending.interval * 2, T2 if pending.method != "INVITE" else TIMEOUT)
        pending.handle = asyncio.get_running_loop().call_later(
            min(pending.interval, TIMEOUT - elapsed), self._retransmit, key, kind)
