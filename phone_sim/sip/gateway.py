"""The SIP gateway: real SIP devices as handsets of the simulated network (SPEC 13).

Owns the pieces and their wiring: the transport (transport.py), aiosipua's ``SipUAS`` and
``SipUAC`` for dialogs, the registrar, digest authentication, the calls, and the RTP
clock (rtp.py: frames rendered here, sent from a thread of its own). Every message passes ``receive`` first: REGISTER, INFO and REFER are ours, an
INVITE outside a dialog is authenticated before the library sees it, and anything else
goes on to ``SipUAS`` (dialogs, ACK, BYE, CANCEL, re-INVITE; 405 for other methods).

The network stays single-threaded: everything runs on one asyncio loop (the RTP
sender thread only takes ready packets from a queue). Headless
(``phone-sim sip``), the gateway drives the network's clock at real time (``pump``:
virtual time follows the loop's monotonic clock, each timer fired when it falls due);
inside the TUI, the TUI's clock driver does and ``drive_clock`` is False.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Callable
from dataclasses import dataclass

from aiosipua import IncomingCall, SipRequest, SipResponse, SipUAC, SipUAS

from phone_sim.network import events as ev
from phone_sim.network.catalogue import text
from phone_sim.network.clock import format_ms
from phone_sim.network.eventtext import log_line
from phone_sim.network.switch import Network
from phone_sim.sip import digest
from phone_sim.sip.auth import Authenticator, Credentials, Verdict
from phone_sim.sip.calls import Calls
from phone_sim.sip.incall import InCall
from phone_sim.sip.media import FRAME, Earpieces, MixedEarpieces, Pcm
from phone_sim.sip.registrar import Binding, Registrar
from phone_sim.sip.rtp import Packet, RtpClock
from phone_sim.sip.statuses import refusal
from phone_sim.sip.transport import Addr, GatewayTransport, Limits

log = logging.getLogger(__name__)
USER_AGENT = "phone-sim"
OURS = ("REGISTER", "INFO", "REFER")
REFUSED_METHODS = ("SUBSCRIBE", "PUBLISH", "MESSAGE", "NOTIFY")


class GatewayError(Exception):
    """The gateway cannot start (``code``: address_in_use, bad_address)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


@dataclass(frozen=True, slots=True)
class Options:
    host: str = "127.0.0.1"
    port: int = 5060
    algorithms: tuple[str, ...] = (digest.MD5,)
    lang: str = "fr"
    drive_clock: bool = True
    limits: Limits = Limits()


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


class Gateway:
    user_agent = USER_AGENT

    def __init__(self, net: Network, credentials: Credentials, options: Options = Options(),
                 earpieces: Earpieces | None = None,
                 on_line: Callable[[str], None] | None = None,
                 transaction_log: Callable[[str], None] | None = None) -> None:
        self.net = net
        self.options = options
        self.lang = options.lang
        self.host = options.host
        self.port = options.port
        self.auth = Authenticator(net, credentials, options.algorithms)
        self.transport = GatewayTransport(options.host, options.port, options.limits, self._log_transaction)
        self.registrar = Registrar(self._binding_changed)
        self.earpieces: Earpieces = earpieces or MixedEarpieces(net, options.lang)
        self.calls = Calls(self)
        self.incall = InCall(self)
        self.on_line = on_line  # a line's device changed (the TUI redraws its handset)
        self.transaction_log = transaction_log
        self.uac = SipUAC(self.transport)  # type: ignore[arg-type]
        self.uas = SipUAS(self.transport, user_agent=USER_AGENT, uac=self.uac)  # type: ignore[arg-type]
        self.uas.on_invite = self._on_invite
        self.uas.on_reinvite = self.incall.reinvite
        self.uas.on_bye = self.incall.bye
        self.uas.on_cancel = self.incall.cancel
        self.ticker = RtpClock(self._tick)
        self._pending_lines: dict[str, None] = {}
        self._pending_invites: dict[str, str] = {}  # Call-ID -> the line its INVITE authenticated as
        self._names = {party.id: party.name for party in net.parties.values()}  # for the log
        self._reconcile_handle: asyncio.Handle | None = None
        self._clock_handle: asyncio.TimerHandle | None = None
        self._clock_origin: tuple[float, int] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.running = False

    # ------------------------------------------------------------------ life
    async def start(self) -> None:
        try:
            await self.uas.start()  # binds the transport (TCP and UDP)
        except OSError as error:
            code = "address_in_use" if getattr(error, "errno", None) == 98 else "bad_address"
            raise GatewayError(code, f"{self.host}:{self.port}: {error.strerror or error}") from None
        self.transport.front = self.receive
        self.host, self.port = self.transport.local_addr
        self._unsubscribe = self.net.bus.subscribe(self._network_event)
        if self.options.drive_clock:
            loop = asyncio.get_running_loop()
            self._clock_origin = (loop.time(), self.net.clock.now)
            self.pump()
        self.ticker.start()
        self.running = True

    async def stop(self) -> None:
        if not self.running:
            return
        self.running = False
        self.ticker.stop()
        self.calls.hang_up_all()
        self.registrar.remove_all()
        if self._clock_handle is not None:
            self._clock_handle.cancel()
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.earpieces.close()
        await asyncio.sleep(0.05)  # let the last BYEs and CANCELs leave
        await self.uas.stop()

    # ------------------------------------------------------------------ the clock, at real time
    def pump(self) -> None:
        """Bring virtual time to now and wake again when the next timer is due."""
        if self._clock_origin is None:
            return
        loop = asyncio.get_running_loop()
        real0, virtual0 = self._clock_origin
        clock = self.net.clock
        target = virtual0 + int((loop.time() - real0) * 1000)
        if target > clock.now:
            clock.advance_to(target)
            self.net.flush()
        due = clock.next_due()
        if self._clock_handle is not None:
            self._clock_handle.cancel()
            self._clock_handle = None
        if due is not None:
            self._clock_handle = loop.call_at(real0 + (due - virtual0) / 1000, self.pump)

    # ------------------------------------------------------------------ messages in
    def receive(self, message: SipRequest | SipResponse, addr: Addr) -> None:
        self.pump()
        inner = self.transport.on_message
        if isinstance(message, SipResponse):
            if inner is not None:
                inner(message, addr)
            return
        method = message.method.upper()
        if method == "REGISTER":
            self._register(message, addr)
        elif method == "INFO":
            self.incall.info(message, addr)
        elif method == "REFER":
            self.incall.refer(message, addr)
        elif method in REFUSED_METHODS and message.call_id not in self.calls.by_sip:
            self.transport.answer(message, 405, "Method Not Allowed", {"Allow": self._allow()})
        elif method == "INVITE" and not self._to_tag(message) and not self._authenticated(message, addr):
            return
        elif inner is not None:
            inner(message, addr)

    @staticmethod
    def _to_tag(request: SipRequest) -> bool:
        to = request.to_addr
        return bool(to and to.tag)

    @staticmethod
    def _allow() -> str:
        return "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, INFO, REFER, NOTIFY, PRACK, UPDATE"

    def _authenticated(self, request: SipRequest, addr: Addr) -> bool:
        """An INVITE from outside a dialog: answer 401/403/404 unless its digest is right."""
        verdict = self.auth.check(request, None)
        if verdict.outcome == "ok" and verdict.line is not None:
            self._pending_invites[request.call_id or ""] = verdict.line
            return True
        self._refuse(request, verdict)
        return False

    def _refuse(self, request: SipRequest, verdict: Verdict) -> None:
        if verdict.outcome == "challenge":
            self.transport.answer(request, 401, "Unauthorized", verdict.headers)
        elif verdict.outcome == "unknown":
            self.transport.answer(request, 404, "Not Found")
        elif verdict.outcome == "locked":
            reply = refusal("sip_locked", self.lang)
            self.transport.answer(request, 403, reply.phrase, reply.headers)
        else:
            reply = refusal("forbidden", self.lang)
            self.transport.answer(request, 403, reply.phrase, reply.headers)

    def _register(self, request: SipRequest, addr: Addr) -> None:
        to = request.to_addr
        verdict = self.auth.check(request, to.uri.user if to is not None else None)
        if verdict.outcome != "ok" or verdict.line is None:
            self._refuse(request, verdict)
            return
        kind = "tcp" if addr in self.transport.tcp_peers else "udp"
        status, phrase, headers = self.registrar.register(verdict.line, request, addr, kind)
        self.transport.answer(request, status, phrase, headers)

    def _on_invite(self, call: IncomingCall) -> None:
        line = self._pending_invites.pop(call.call_id, None)
        if line is None:  # cannot happen: every new INVITE is authenticated first
            call.reject(403, "Forbidden")
            return
        self.calls.device_invite(call, line)

    # ------------------------------------------------------------------ the network's events
    def _network_event(self, event: ev.Event) -> None:
        calls = self.calls
        if isinstance(event, ev.HandsetDidChange):
            if event.party in calls.by_line or event.party in self.registrar.bindings:
                self.schedule(event.party)
        elif isinstance(event, ev.LegDidRing):
            calls.note_event("ring", event.call_id)
        elif isinstance(event, ev.CallDidEnd):
            calls.note_event("end", event.call_id, event.reason)
        seen = calls.capture.get(getattr(event, "caller", None) or getattr(event, "party", None) or "")
        if seen is not None:
            seen.append(event)
        if self.transaction_log is not None and self.options.drive_clock:
            line = log_line(event, self.lang, self._names)
            if line is not None:
                self.transaction_log(line)

    def schedule(self, line: str) -> None:
        """Reconcile the line's SIP dialogs with its calls, once, after the current action."""
        self._pending_lines[line] = None
        if self._reconcile_handle is None:
            self._reconcile_handle = asyncio.get_running_loop().call_soon(self._reconcile)

    def _reconcile(self) -> None:
        self._reconcile_handle = None
        lines, self._pending_lines = self._pending_lines, {}
        for line in lines:
            try:
                self.calls.reconcile(line)
            except Exception:  # one line's trouble must not stop the others
                log.exception("reconcile %s", line)

    # ------------------------------------------------------------------ devices and media
    def _binding_changed(self, line: str, old: Binding | None, new: Binding | None) -> None:
        if new is not None:
            self.earpieces.follow(line)
            self.schedule(line)  # a call may be ringing the line already
        if self.transaction_log is not None:
            key = "sip.registered" if new is not None else "sip.unregistered"
            binding = new or old
            assert binding is not None
            self.transaction_log(f"{format_ms(self.net.now)}  " +
                                 text(key, self.lang, line=line, device=binding.describe()))
        if self.on_line is not None:
            self.on_line(line)

    def device_of(self, line: str) -> str | None:
        """``SIP baresip 127.0.0.1:5070`` for a registered line, else None."""
        binding = self.registrar.binding(line)
        return None if binding is None else binding.describe()

    def _tick(self) -> list[Packet]:
        """One 20 ms slot: every line's earpiece rendered once, each stream's packet made."""
        calls = self.calls.by_sip.values()
        wanted = sorted({call.line for call in calls if (media := call.rtp.media) is not None
                         and call.rtp.sending and media.we_may_send and not call.rtp.closed})
        frames: dict[str, Pcm] = self.earpieces.render_many(wanted, FRAME)
        packets = []
        for call in calls:
            stream = call.rtp
            if not stream.closed:
                packet = stream.packet(frames.get(call.line))
                if packet is not None:
                    packets.append(packet)
        self.earpieces.advance(FRAME)
        return packets

    # ------------------------------------------------------------------ log
    def _log_transaction(self, direction: str, request: SipRequest, peer: Addr, status: int, phrase: str) -> None:
        if self.transaction_log is None:
            return
        arrow = "<-" if direction == "in" else "->"
        self.transaction_log(f"{format_ms(self.net.now)}  SIP {arrow} {request.method} {request.uri} "
                             f"{peer[0]}:{peer[1]} {status} {phrase}")
