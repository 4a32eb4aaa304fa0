"""What a device does during a call, as the line's keys and actions (SPEC 13, "In calls").

- re-INVITE ``sendonly``/``inactive`` (or ``c=0.0.0.0``): HOLD of that call;
  ``sendrecv``: retrieve it (holding the other call, as the HOLD key swaps). A refusal
  (no double appel) answers 403 with its Reason and leaves the session as it was.
- BYE and CANCEL: END on that call.
- INFO ``application/dtmf-relay`` (``Signal=5``) or ``application/dtmf``: the key.
- REFER: ``#1``. Blind (``Refer-To: sip:N@...``) or attended (``?Replaces=`` naming the
  device's other dialog, which is made the active call first), it needs one call active
  and one held like ``#1``; the result comes back as NOTIFY ``message/sipfrag``: ``200 OK``,
  or the refusal's status and text (``403 Transfert : il faut ...``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

from aiosipua import IncomingCall, SipRequest, notify_refer, parse_address
from aiosipua.dialog import DialogState, dialog_matches, remote_cseq_valid

from phone_sim.network.refusal import Refused
from phone_sim.sip import sdp
from phone_sim.sip.calls import SipCall
from phone_sim.sip.statuses import refusal

if TYPE_CHECKING:
    from phone_sim.sip.gateway import Gateway

DTMF_TYPES = ("application/dtmf-relay", "application/dtmf")


class InCall:
    def __init__(self, gateway: Gateway) -> None:
        self.gw = gateway

    # ------------------------------------------------------------------ re-INVITE, BYE, CANCEL (via SipUAS)
    def reinvite(self, wrapper: IncomingCall) -> None:
        gw = self.gw
        call = gw.calls.by_sip.get(wrapper.call_id)
        if call is None or call.leg is None:
            self._reply(wrapper, 481, "Call/Transaction Does Not Exist")
            return
        if wrapper.sdp_offer is None:  # a refresh without offer: nothing changes
            wrapper.accept(call.answer_sdp)  # type: ignore[arg-type]
            return
        try:
            answer, media = sdp.answer(wrapper.sdp_offer, gw.host, call.rtp.port)
        except sdp.SdpError as error:
            self._reply(wrapper, 488, f"Not Acceptable Here ({error})")
            return
        gw.pump()
        if media.held != call.device_holding:
            action = gw.net.hold_call if media.held else gw.net.retrieve_call
            result = action(call.line, call.leg)
            if isinstance(result, Refused):
                reply = refusal(result.reason, gw.lang)
                self._reply(wrapper, reply.status, reply.phrase, reply.headers)
                return
        call.device_holding = media.held
        call.rtp.configure(media)
        call.answer_sdp = answer
        wrapper.accept(answer)
        gw.schedule(call.line)

    def _reply(self, wrapper: IncomingCall, status: int, phrase: str, headers: dict[str, str] | None = None) -> None:
        response = wrapper.dialog.create_response(wrapper.invite, status, phrase)
        for name, value in (headers or {}).items():
            response.headers.set_single(name, value)
        self.gw.transport.send_reply(response)

    def bye(self, wrapper: IncomingCall, request: SipRequest) -> None:
        self.ended_by_device(wrapper.call_id)

    def cancel(self, request: SipRequest, addr: tuple[str, int]) -> None:
        self.ended_by_device(request.call_id or "")

    def ended_by_device(self, sip_id: str) -> None:
        """The device left the call (BYE, CANCEL, or no ACK to our 200 within 64 x T1)."""
        gw = self.gw
        call = gw.calls.by_sip.get(sip_id)
        if call is None:
            return
        shared = gw.calls.sharing(call)
        gw.calls.finish(call)
        if call.leg is not None and not shared:  # a dialog sharing a conference leg just goes
            gw.pump()
            gw.net.end_call(call.line, call.leg)

    # ------------------------------------------------------------------ INFO and REFER (our own dispatch)
    def in_dialog(self, request: SipRequest, addr: tuple[str, int]) -> SipCall | None:
        """The call an in-dialog request belongs to, checked (481/500 answered otherwise)."""
        call = self.gw.calls.by_sip.get(request.call_id or "")
        if call is None or call.dialog.state == DialogState.TERMINATED or not dialog_matches(call.dialog, request):
            self.gw.transport.answer(request, 481, "Call/Transaction Does Not Exist")
            return None
        if not remote_cseq_valid(call.dialog, request):
            self.gw.transport.answer(request, 500, "Server Internal Error")
            return None
        return call

    def info(self, request: SipRequest, addr: tuple[str, int]) -> None:
        call = self.in_dialog(request, addr)
        if call is None:
            return
        kind = (request.content_type or "").split(";")[0].strip().lower()
        if request.body and kind not in DTMF_TYPES:
            self._respond(call, request, 415, "Unsupported Media Type", {"Accept": ", ".join(DTMF_TYPES)})
            return
        digit = _info_digit(request.text) if request.body else None
        self._respond(call, request, 200, "OK")
        if digit is not None:
            self.gw.calls.digit(call.line, digit)

    def refer(self, request: SipRequest, addr: tuple[str, int]) -> None:
        gw = self.gw
        call = self.in_dialog(request, addr)
        if call is None:
            return
        target = request.get_header("refer-to")
        if not target:
            self._respond(call, request, 400, "Missing Refer-To")
            return
        self._respond(call, request, 202, "Accepted")
        subscription = self._subscription(call, request, addr)
        notify_refer(subscription, 100, "Trying")
        gw.pump()
        replaced = _replaces(target)
        other = gw.calls.by_sip.get(replaced) if replaced else None
        if other is not None and other.line == call.line and other.leg is not None:
            gw.net.retrieve_call(call.line, other.leg)  # the consultation call is the active one
        result = gw.net.transfer(call.line)
        if isinstance(result, Refused):
            reply = refusal(result.reason, gw.lang)
            notify_refer(subscription, reply.status, reply.phrase)
        else:
            notify_refer(subscription, 200, "OK")
        gw.schedule(call.line)

    def _subscription(self, call: SipCall, request: SipRequest, addr: tuple[str, int]) -> IncomingCall:
        """Where REFER's NOTIFYs go: the call's own dialog (so their CSeq follows ours)."""
        if call.incoming is not None:
            return call.incoming
        return IncomingCall(dialog=call.dialog, invite=request, transport=self.gw.transport,  # type: ignore[arg-type]
                            source_addr=call.peer, user_agent=self.gw.user_agent)

    def _respond(self, call: SipCall, request: SipRequest, status: int, phrase: str,
                 headers: dict[str, str] | None = None) -> None:
        response = call.dialog.create_response(request, status, phrase)
        for name, value in (headers or {}).items():
            response.headers.set_single(name, value)
        self.gw.transport.send_reply(response)


def _info_digit(body: str) -> str | None:
    """``Signal=5`` (dtmf-relay) or a bare ``5`` (application/dtmf)."""
    for line in body.replace("\r", "\n").split("\n"):
        name, sep, value = line.partition("=")
        candidate = value.strip() if sep else name.strip()
        if sep and name.strip().lower() != "signal":
            continue
        if len(candidate) == 1 and candidate in "0123456789*#":
            return candidate
        if candidate in ("10", "11"):  # RFC 4733 event numbers some phones send
            return "*" if candidate == "10" else "#"
    return None


def _replaces(refer_to: str) -> str | None:
    """The Call-ID an attended transfer's ``Refer-To: <...?Replaces=...>`` names."""
    try:
        headers = parse_address(refer_to).uri.headers
    except (ValueError, IndexError):
        return None
    value = next((v for k, v in headers.items() if k.lower() == "replaces"), None)
    return unquote(value).split(";")[0] if value else None
