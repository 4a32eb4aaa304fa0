"""SDP offers and answers for the gateway's audio: PCMU or PCMA at 8 kHz, 20 ms, RFC 4733.

aiosipua parses, negotiates and writes the SDP; this module says what the gateway offers
and reads what a device's SDP means for a call: where to send RTP (the address in the
SDP, never the packets' source: SIPp sends from another port than it announces), which
codec, which telephone-event payload type, and whether the device holds the call
(``sendonly``/``inactive``, or the old ``c=0.0.0.0``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from aiosipua import SdpMessage, SdpNegotiationError, build_sdp, negotiate_sdp, parse_sdp, serialize_sdp

PCMU, PCMA = 0, 8
CODECS = {PCMU: "PCMU", PCMA: "PCMA"}
DTMF_PT = 101


class SdpError(Exception):
    """The device's SDP cannot make an audio call with us (488 Not Acceptable Here)."""


@dataclass(frozen=True, slots=True)
class Media:
    """What a device's SDP tells the gateway."""

    address: tuple[str, int]  # where to send RTP
    codec: int  # PCMU or PCMA
    dtmf: int | None  # telephone-event payload type, if any
    direction: str  # sendrecv, sendonly, recvonly, inactive (the device's side)

    @property
    def held(self) -> bool:
        """The device holds the call (it no longer wants to hear us)."""
        return self.direction in ("sendonly", "inactive")

    @property
    def we_may_send(self) -> bool:
        return self.direction in ("sendrecv", "sendonly")


def read(text: str | SdpMessage, codec: int | None = None) -> Media:
    """The media a device's SDP offers or answers (``codec``: the one already agreed)."""
    try:
        sdp = text if isinstance(text, SdpMessage) else parse_sdp(text)
    except (ValueError, IndexError) as error:
        raise SdpError(f"unreadable SDP: {error}") from None
    audio = sdp.audio
    address = sdp.rtp_address
    if audio is None or address is None or audio.port == 0:
        raise SdpError("no audio stream")
    offered = [c.payload_type for c in audio.codecs]
    if codec is None or codec not in offered:
        codec = next((pt for pt in offered if pt in CODECS), None)
    if codec is None:
        raise SdpError(f"no PCMU or PCMA among payload types {offered}")
    dtmf = next((c.payload_type for c in audio.codecs if c.encoding_name.lower() == "telephone-event"), None)
    direction = audio.direction
    if address[0] in ("0.0.0.0", "::") and direction == "sendrecv":
        direction = "sendonly"  # RFC 2543 hold
    return Media((address[0], audio.port), codec, dtmf, direction)


def offer(host: str, port: int, direction: str = "sendrecv") -> SdpMessage:
    """Our offer (calls to a device): PCMU and PCMA, telephone-event 101."""
    sdp = build_sdp(host, port, PCMU, "PCMU", session_id=_session_id())
    audio = sdp.media[0]
    audio.formats.insert(1, str(PCMA))
    audio.attributes["rtpmap"].insert(1, f"{PCMA} PCMA/8000")
    audio.attributes["fmtp"] = [f"{DTMF_PT} 0-15"]
    _set_direction(sdp, direction)
    return sdp


def answer(offered: str | SdpMessage, host: str, port: int, holding: bool = False) -> tuple[SdpMessage, Media]:
    """Our answer to a device's offer, and what the offer said."""
    media = read(offered)
    try:
        parsed = offered if isinstance(offered, SdpMessage) else parse_sdp(offered)
        sdp, _ = negotiate_sdp(parsed, host, port, supported_codecs=[media.codec],
                               dtmf_payload_type=media.dtmf or 0, ptime=20, session_id=_session_id(),
                               session_name="phone-sim")
    except SdpNegotiationError as error:
        raise SdpError(str(error)) from None
    for audio in sdp.media:
        if audio.port:
            audio.attributes["ptime"] = ["20"]
            if media.dtmf is not None:
                audio.attributes["fmtp"] = [f"{media.dtmf} 0-15"]
    if holding and media.direction == "sendrecv":
        _set_direction(sdp, "sendonly")
    return sdp, media


def text_of(sdp: SdpMessage) -> str:
    return serialize_sdp(sdp)


def _set_direction(sdp: SdpMessage, direction: str) -> None:
    for audio in sdp.media:
        for word in ("sendrecv", "sendonly", "recvonly", "inactive"):
            audio.attributes.pop(word, None)
        audio.attributes[direction] = []


def _session_id() -> str:
    return str(int(time.time() * 1000) % 10**12)
