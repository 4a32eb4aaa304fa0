"""SIP dialogs <-> network calls of a registered line (SPEC 13, calls both ways).

A ``SipCall`` pairs one dialog with a device and one network call of its line. The
network is the truth: after every change of a line's handset, ``reconcile`` compares each
SipCall with the line's calls as the network shows them and says so in SIP:

- a call the device placed (we answer its INVITE): ``180 Ringing`` when something rings
  for it, ``182 Queued`` in a group's queue (both with SDP, so the device hears the
  network's ringback or music), ``200 OK`` once answered (a person, or a voice menu),
  the refusal's status if it is released before (statuses.py), BYE if released after;
- a call to the line (we INVITE the device's Contact): INVITE when it starts ringing or
  waiting, CANCEL when it stops ringing before the device answered (answered on the
  simulator's keypad, forwarded, abandoned), BYE when the line leaves it.

What the device does comes back as the line's actions on that call: its 200 answers,
486/603 rejects (busy forwarding applies), CANCEL/BYE end, re-INVITEs hold (incall.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from aiosipua import IncomingCall, OutgoingCall, SipResponse, parse_uri
from aiosipua.dialog import Dialog, DialogState

from phone_sim.handset.handset import Handset
from phone_sim.network.refusal import Refused
from phone_sim.network.views import CallView
from phone_sim.sip import sdp
from phone_sim.sip.rtp import RtpStream
from phone_sim.sip.statuses import Refusal, refusal

if TYPE_CHECKING:
    from phone_sim.sip.gateway import Gateway

log = logging.getLogger(__name__)
DIALLABLE = set("0123456789*#+")
RINGING_STATES = ("ringing", "waiting")
SERVICE_DONE = 603  # an MMI or call-related code done: no call to set up (docs/behaviour.md)


@dataclass(eq=False)
class SipCall:
    line: str
    direction: str  # "out": the device called (we answer); "in": the network calls the device
    sip_id: str  # the dialog's Call-ID
    rtp: RtpStream
    incoming: IncomingCall | None = None
    outgoing: OutgoingCall | None = None
    leg: int | None = None  # the line's leg in the network call (stable through merges)
    net_call: int | None = None  # that call's id, as last seen
    answered: bool = False
    ended: bool = False
    cancelled: bool = False
    provisional: int = 0  # the last 18x sent
    device_holding: bool = False
    answer_sdp: object = None  # our SDP answer (out) / offer (in)
    peer: tuple[str, int] = ("", 0)
    parties: tuple[str, ...] = ()  # who is at the other end, as last seen

    @property
    def dialog(self) -> Dialog:
        if self.incoming is not None:
            return self.incoming.dialog
        assert self.outgoing is not None
        return self.outgoing.dialog


def dialled(uri: str) -> str | None:
    """The digits of ``sip:DIGITS@gateway`` (``%23`` is ``#``), or None."""
    try:
        user = parse_uri(uri).user
    except (ValueError, IndexError):
        return None
    digits = unquote(user or "").replace(" ", "")
    return digits if digits and set(digits) <= DIALLABLE else None


class Calls:
    """Every SipCall of the gateway, and the translation both ways."""

    def __init__(self, gateway: Gateway) -> None:
        self.gw = gateway
        self.by_sip: dict[str, SipCall] = {}
        self.by_line: dict[str, list[SipCall]] = {}
        self.rang: set[int] = set()  # network calls something rang for
        self.end_reasons: dict[int, str] = {}
        self.handsets: dict[str, Handset] = {}
        self.capture: dict[str, list[object]] = {}  # line -> events seen while it dials

    def handset(self, line: str) -> Handset:
        handset = self.handsets.get(line)
        if handset is None:
            handset = self.handsets[line] = Handset(self.gw.net, line)
        return handset

    def of_line(self, line: str) -> list[SipCall]:
        return self.by_line.get(line, [])

    def add(self, call: SipCall) -> None:
        self.by_sip[call.sip_id] = call
        self.by_line.setdefault(call.line, []).append(call)
        self.gw.earpieces.follow(call.line)

    def finish(self, call: SipCall) -> None:
        call.ended = True
        call.rtp.close()
        self.gw.ticker.release(call.rtp.sender)
        call.rtp.sender = None
        self.by_sip.pop(call.sip_id, None)
        calls = self.by_line.get(call.line, [])
        if call in calls:
            calls.remove(call)
        if not calls:
            self.by_line.pop(call.line, None)
            self.gw.earpieces.forget(call.line)  # the device no longer talks

    async def new_stream(self, line: str) -> RtpStream:
        stream = RtpStream(lambda pcm: self.gw.earpieces.feed(line, pcm), lambda d: self.digit(line, d))
        await stream.open(self.gw.host)
        return stream

    def drop(self, stream: RtpStream) -> None:
        """A stream no call took: closed, its sending socket too."""
        stream.close()
        self.gw.ticker.release(stream.sender)
        stream.sender = None

    def digit(self, line: str, digit: str) -> None:
        """A key from the device (RFC 4733 or SIP INFO): the line's keypad."""
        self.gw.pump()
        self.handset(line).press(digit)

    # ------------------------------------------------------------------ the device calls
    def device_invite(self, call: IncomingCall, line: str) -> None:
        # RFC 3261 13.3.1.4: a 200 never ACKed (in 64 x T1) ends the session, so a device
        # that went away (or whose ACK and BYE were lost) leaves no call up on the network
        call.on_ack_timeout = lambda _: self.gw.incall.ended_by_device(call.call_id)
        asyncio.get_running_loop().create_task(self._device_invite(call, line))

    async def _device_invite(self, call: IncomingCall, line: str) -> None:
        digits = dialled(call.invite.uri)
        if digits is None:
            self.final(call, refusal("invalid_number", self.gw.lang))
            return
        if call.sdp_offer is None:
            self.final(call, Refusal(488, "Not Acceptable Here (no SDP offer)", "invalid_value"))
            return
        stream = await self.new_stream(line)
        if call.dialog.state == DialogState.TERMINATED:  # cancelled meanwhile
            self.drop(stream)
            return
        try:
            answer, media = sdp.answer(call.sdp_offer, self.gw.host, stream.port)
        except sdp.SdpError as error:
            self.drop(stream)
            self.final(call, Refusal(488, f"Not Acceptable Here ({error})", "invalid_value"))
            return
        stream.configure(media)
        sip_call = SipCall(line, "out", call.call_id, stream, incoming=call, answer_sdp=answer,
                           peer=call.source_addr)
        self.add(sip_call)
        self.gw.pump()
        seen: list[object] = []
        self.capture[line] = seen
        handset = self.handset(line)
        try:
            handset.buffer = digits
            result = handset.press("call")
        finally:
            self.capture.pop(line, None)
        started = [e.call_id for e in seen if type(e).__name__ == "CallDidStart"]  # type: ignore[attr-defined]
        if started:
            sip_call.net_call = started[0]
            sip_call.leg = next((v.leg for v in self.gw.net.view(line).calls if v.call_id == started[0]), None)
            self.gw.schedule(line)
            return
        if isinstance(result, Refused):
            reply = refusal(result.reason, self.gw.lang, result.detail)
        else:  # an MMI or call-related code: its answer is what the display shows
            shown = self.gw.net.notice_text(line, self.gw.lang) or "OK"
            reply = Refusal(SERVICE_DONE, " ".join(shown.split()), "service_answer")
        self.final(call, reply)
        self.finish(sip_call)

    def final(self, call: IncomingCall, reply: Refusal) -> None:
        """A final non-2xx answer to the device's INVITE, with the reason code."""
        if call.dialog.state == DialogState.TERMINATED:
            return
        response: SipResponse = call.dialog.create_response(call.invite, reply.status, reply.phrase)
        for name, value in reply.headers.items():
            response.headers.set_single(name, value)
        self.gw.transport.send_reply(response)
        call.dialog.terminate()
        call._stop_retransmissions()  # noqa: SLF001 - nothing to retransmit after a refusal

    # ------------------------------------------------------------------ the network calls the device
    def invite_device(self, line: str, leg: int, call_id: int, caller: str) -> None:
        binding = self.gw.registrar.binding(line)
        if binding is None:
            return
        placeholder = SipCall(line, "in", f"pending-{leg}", RtpStream(lambda _: None, lambda _: None),
                              leg=leg, net_call=call_id)
        self.add(placeholder)  # so a second reconcile does not INVITE twice
        asyncio.get_running_loop().create_task(self._invite_device(placeholder, binding, caller))

    async def _invite_device(self, placeholder: SipCall, binding: object, caller: str) -> None:
        line = placeholder.line
        stream = await self.new_stream(line)
        self.finish(placeholder)
        if placeholder.cancelled:
            self.drop(stream)
            return
        gw = self.gw
        party = gw.net.parties.get(caller)
        number = party.number if party is not None else caller
        offer = sdp.offer(gw.host, stream.port)
        from_uri = f"sip:{number}@{gw.host}:{gw.port}"
        identity = f'"{party.name}" <{from_uri}>' if party is not None else f"<{from_uri}>"
        outgoing = gw.uac.send_invite(from_uri, binding.contact, binding.addr, offer,  # type: ignore[attr-defined]
                                      extra_headers={"P-Asserted-Identity": identity},
                                      user_agent=gw.user_agent)
        sip_call = SipCall(line, "in", outgoing.call_id, stream, outgoing=outgoing, leg=placeholder.leg,
                           net_call=placeholder.net_call, answer_sdp=offer, peer=binding.addr)  # type: ignore[attr-defined]
        outgoing.on_answer = lambda _: self._device_answered(sip_call)
        outgoing.on_rejected = lambda _, status, phrase: self._device_rejected(sip_call, status)
        self.add(sip_call)
        gw.transport.on_timeout(outgoing.invite, lambda: self._device_silent(sip_call))
        gw.schedule(line)  # the call may have stopped ringing meanwhile

    def _device_answered(self, call: SipCall) -> None:
        if call.ended:
            return
        call.answered = True
        outgoing = call.outgoing
        assert outgoing is not None
        if outgoing.sdp_answer is not None:
            try:
                call.rtp.configure(sdp.read(outgoing.sdp_answer))
            except sdp.SdpError:
                pass
        self.gw.pump()
        if call.leg is None or self.gw.net.answer_call(call.line, call.leg) is not None:
            self.hang_up(call)
            return
        self.gw.schedule(call.line)

    def _device_rejected(self, call: SipCall, status: int) -> None:
        if call.ended:
            return
        cancelled = call.cancelled
        self.finish(call)
        if not cancelled and call.leg is not None and status != 408:
            self.gw.pump()
            self.gw.net.end_call(call.line, call.leg)

    def _device_silent(self, call: SipCall) -> None:
        """No answer at all to our INVITE: the device is gone; the network call rings on."""
        if not call.answered and not call.ended:
            self.finish(call)

    # ------------------------------------------------------------------ keeping SIP in step
    def reconcile(self, line: str) -> None:
        views = {view.leg: view for view in self.gw.net.view(line).calls}
        known = set()
        for call in list(self.of_line(line)):
            known.add(call.leg)
            if call.sip_id.startswith("pending-"):
                if call.leg not in views or views[call.leg].state not in RINGING_STATES:
                    call.cancelled = True
                continue
            view = views.get(call.leg) if call.leg is not None else None
            if view is None and call.leg is not None:
                view = self._joined(call, views)
            if view is not None:
                call.net_call, call.parties = view.call_id, view.parties
            if call.direction == "out":
                self._reconcile_out(call, view)
            else:
                self._reconcile_in(call, view)
        for leg, view in views.items():
            if view.state in RINGING_STATES and leg not in known:
                self.invite_device(line, leg, view.call_id, view.parties[0] if view.parties else "?")

    def _joined(self, call: SipCall, views: dict[int, CallView]) -> CallView | None:
        """The leg a dialog's call was merged into: a conference joins the organiser's calls
        into one leg, and then both dialogs carry it (the device keeps its two calls)."""
        if not call.answered or not call.parties:
            return None
        for leg, view in views.items():
            if view.state in ("conference", "held", "active") and set(call.parties) <= set(view.parties):
                call.leg = leg
                return view
        return None

    def sharing(self, call: SipCall) -> bool:
        """Another dialog of the line carries the same leg (a conference the device joined)."""
        return any(other is not call and other.leg == call.leg for other in self.of_line(call.line))

    def _reconcile_out(self, call: SipCall, view: object) -> None:
        incoming = call.incoming
        assert incoming is not None
        if call.net_call is None:
            return
        if view is None:
            if not call.answered:
                reason = self.end_reasons.get(call.net_call, "normal")
                if reason not in ("abandoned", "normal"):
                    self.final(incoming, refusal(reason, self.gw.lang))
                elif incoming.dialog.state != DialogState.TERMINATED:
                    self.final(incoming, Refusal(487, "Request Terminated", reason))
            else:
                self.hang_up(call)
            self.finish(call)
            return
        state = view.state  # type: ignore[attr-defined]
        if state == "calling":
            wanted = 182 if view.queued else 180 if call.net_call in self.rang else 0  # type: ignore[attr-defined]
            if wanted and wanted != call.provisional and not call.answered:
                call.provisional = wanted
                self._provisional(call, wanted)
        elif not call.answered:
            if call.provisional == 0 and call.net_call in self.rang:
                # answered before we looked: the device still hears that it rang first
                call.provisional = 180
                self._provisional(call, 180)
            call.answered = True
            incoming.accept(call.answer_sdp)  # type: ignore[arg-type]
        call.rtp.sending = state != "held" and not call.device_holding

    def _provisional(self, call: SipCall, status: int) -> None:
        incoming = call.incoming
        assert incoming is not None
        if status == 180:
            incoming.ringing(early_sdp=call.answer_sdp)  # type: ignore[arg-type]
            return
        response = incoming.dialog.create_response(incoming.invite, status, "Queued",
                                                   contact=f"<sip:{self.gw.host}:{self.gw.port}>")
        response.text = sdp.text_of(call.answer_sdp)  # type: ignore[arg-type]
        response.headers.set_single("Content-Type", "application/sdp")
        self.gw.transport.send_reply(response)

    def _reconcile_in(self, call: SipCall, view: object) -> None:
        state = None if view is None else view.state  # type: ignore[attr-defined]
        if not call.answered:
            if state in RINGING_STATES:
                return
            call.cancelled = True
            outgoing = call.outgoing
            if outgoing is not None and outgoing.dialog.state == DialogState.EARLY:
                try:
                    self.gw.uac.send_cancel(outgoing)
                except ValueError:
                    pass
            self.finish(call)
            return
        if view is None:
            self.hang_up(call)
            self.finish(call)
            return
        call.rtp.sending = state != "held" and not call.device_holding

    def hang_up(self, call: SipCall) -> None:
        """BYE to the device (its dialog is confirmed)."""
        dialog = call.dialog
        if dialog.state != DialogState.CONFIRMED:
            return
        if call.incoming is not None:
            call.incoming.hangup()
        else:
            try:
                self.gw.uac.send_bye(dialog, call.peer)
            except ValueError:
                pass

    def hang_up_all(self) -> None:
        for call in list(self.by_sip.values()):
            if call.answered:
                self.hang_up(call)
            elif call.direction == "out" and call.incoming is not None:
                self.final(call.incoming, Refusal(503, "Service Unavailable", "gateway_stopped"))
            elif call.outgoing is not None and call.outgoing.dialog.state == DialogState.EARLY:
                try:
                    self.gw.uac.send_cancel(call.outgoing)
                except ValueError:
                    pass
            self.finish(call)

    def note_event(self, kind: str, call_id: int, reason: str = "") -> None:
        if kind == "ring":
            self.rang.add(call_id)
        elif kind == "end":
            self.end_reasons[call_id] = reason
            self.rang.discard(call_id)
            if len(self.end_reasons) > 10_000:
                for old in list(self.end_reasons)[:5_000]:
                    del self.end_reasons[old]


Scheduler = Callable[[str], None]
