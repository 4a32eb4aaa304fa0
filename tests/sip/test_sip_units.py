"""The gateway's pieces without a network socket: digest, nonces, lock-out, registrar,
statuses, SDP, DTMF bodies, dialled digits."""

from __future__ import annotations

import hashlib

import pytest
from aiosipua import SipMessage

from phone_sim.network.company import LineSpec
from phone_sim.sip import digest, sdp
from phone_sim.sip.auth import FileCredentials
from phone_sim.sip.calls import dialled
from phone_sim.sip.incall import _info_digit, _replaces
from phone_sim.sip.registrar import Registrar
from phone_sim.sip.statuses import refusal


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def test_digest_response_with_qop_auth_is_checked_against_the_uri_the_device_signed() -> None:
    stored = digest.ha1("A", "secret-A")
    assert stored == md5("A:phone-sim:secret-A")
    ha2 = md5("REGISTER:sip:127.0.0.1:5060")  # SIPp signs sip:IP:PORT, not the dialled URI
    response = md5(f"{stored}:n1:00000001:c1:auth:{ha2}")
    answer = digest.Answer("A", "phone-sim", "n1", "sip:127.0.0.1:5060", response, "MD5", "auth", "00000001", "c1")
    assert digest.verify(answer, "REGISTER", stored)
    assert not digest.verify(answer, "INVITE", stored)
    assert not digest.verify(answer, "REGISTER", digest.ha1("A", "other"))


def test_rfc2617_style_response_without_qop_and_sha256() -> None:
    stored = digest.ha1("301", "s3cret", "SHA-256")
    ha2 = hashlib.sha256(b"INVITE:sip:303@gw").hexdigest()
    response = hashlib.sha256(f"{stored}:n2:{ha2}".encode()).hexdigest()
    assert digest.verify(digest.Answer("301", "phone-sim", "n2", "sip:303@gw", response, "SHA-256"), "INVITE", stored)


def test_nonces_are_ours_fresh_or_stale() -> None:
    now = [1000.0]
    nonces = digest.Nonces(lambda: now[0], lifetime_s=300)
    nonce = nonces.make()
    assert nonces.check(nonce) == "ok"
    assert nonces.check(nonce[:-1] + ("0" if nonce[-1] != "0" else "1")) == "bad"
    assert digest.Nonces(lambda: now[0]).check(nonce) == "bad"  # another run's key
    now[0] += 301
    assert nonces.check(nonce) == "stale"
    assert nonces.check("garbage") == "bad"


def test_file_credentials_hash_every_user_name_and_lock_after_five_failures() -> None:
    now = [0.0]
    line = LineSpec("A", "Monsieur A", "0601020301", "301", sip_secret="secret-A")
    creds = FileCredentials([line, LineSpec("B", "B", "0601020302")], lambda: now[0])
    assert creds.ha1("A", "0601020301", "MD5") == digest.ha1("0601020301", "secret-A")
    assert creds.ha1("A", "301", "SHA-256") == digest.ha1("301", "secret-A", "SHA-256")
    assert creds.lines() == {"A": False}
    assert [creds.failed("A") for _ in range(5)] == [False] * 4 + [True]
    assert creds.locked("A")
    now[0] += 15 * 60
    assert not creds.locked("A")
    assert "secret-A" not in repr(line)


def test_registrar_keeps_one_device_per_line_and_honours_expiry() -> None:
    now = [0.0]
    changes: list[tuple[str, object, object]] = []
    registrar = Registrar(lambda line, old, new: changes.append((line, old, new)), clock=lambda: now[0])

    def register(contact: str, expires: str) -> tuple[int, str, dict[str, str]]:
        request = SipMessage.parse(
            f"REGISTER sip:gw SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\n"
            f"From: <sip:A@gw>;tag=1\r\nTo: <sip:A@gw>\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\n"
            f"Contact: <{contact}>\r\nExpires: {expires}\r\nUser-Agent: baresip v1.0.0\r\n\r\n".encode())
        return registrar.register("A", request, ("127.0.0.1", 5070), "udp")  # type: ignore[arg-type]

    assert register("sip:A@127.0.0.1:5070", "60")[0] == 200
    binding = registrar.binding("A")
    assert binding is not None and binding.describe() == "SIP baresip 127.0.0.1:5070"
    assert register("sip:A@127.0.0.1:5071", "60")[0] == 200
    assert registrar.bindings["A"].contact == "sip:A@127.0.0.1:5071" and len(changes) == 2
    assert register("sip:A@127.0.0.1:5071", "5")[0] == 423
    now[0] += 61
    assert registrar.binding("A") is None
    assert register("sip:A@127.0.0.1:5071", "99999")[2]["Contact"].endswith("expires=3600")
    assert register("sip:A@127.0.0.1:5071", "0")[0] == 200 and registrar.binding("A") is None


@pytest.mark.parametrize(("reason", "status"), [
    ("busy", 486), ("unreachable", 480), ("number_not_allocated", 404), ("invalid_number", 484),
    ("forbidden", 403), ("group_closed", 403), ("no_answer", 403), ("forwarding_loop", 403)])
def test_refusals_map_to_sip_statuses_with_the_reason_code(reason: str, status: int) -> None:
    reply = refusal(reason, "fr")
    assert reply.status == status
    assert reply.reason_header == f'SIP;cause={status};text="{reason}"'
    assert " / " in reply.phrase or reply.phrase
    assert refusal("busy", "en").phrase == "Busy / Occupé"
    assert refusal("busy", "fr").phrase == "Occupé / Busy"


OFFER = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
         "m=audio 40000 RTP/AVP 8 0 96\r\na=rtpmap:96 telephone-event/8000\r\n{direction}")


def test_sdp_answer_picks_the_devices_first_g711_codec_and_its_dtmf_type() -> None:
    answer, media = sdp.answer(OFFER.format(direction="a=sendrecv\r\n"), "127.0.0.1", 30000)
    assert media.address == ("127.0.0.1", 40000) and media.codec == 8 and media.dtmf == 96
    text = sdp.text_of(answer)
    assert "m=audio 30000 RTP/AVP 8 96" in text and "a=rtpmap:96 telephone-event/8000" in text
    assert not media.held


@pytest.mark.parametrize("direction", ["a=sendonly\r\n", "a=inactive\r\n"])
def test_sdp_hold_is_read_from_the_direction(direction: str) -> None:
    answer, media = sdp.answer(OFFER.format(direction=direction), "127.0.0.1", 30000)
    assert media.held
    assert ("a=recvonly" if "sendonly" in direction else "a=inactive") in sdp.text_of(answer)
    old_style = OFFER.format(direction="").replace("c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0")
    assert sdp.read(old_style).held


def test_sdp_without_g711_is_refused() -> None:
    with pytest.raises(sdp.SdpError):
        sdp.answer(OFFER.format(direction="").replace("8 0 96", "9 96"), "127.0.0.1", 1)


def test_dtmf_bodies_and_dialled_digits() -> None:
    assert _info_digit("Signal=5\r\nDuration=160\r\n") == "5"
    assert _info_digit("Signal= #\r\nDuration=100") == "#"
    assert _info_digit("*") == "*"
    assert _info_digit("Signal=11") == "#"
    assert _info_digit("Duration=100") is None
    assert dialled("sip:303@127.0.0.1:5060") == "303"
    assert dialled("sip:%2A%2A21%2A0601020309%23@gw") == "**21*0601020309#"
    assert dialled("sip:bob@gw") is None
    assert _replaces("<sip:303@gw?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>") == "abc@host"
    assert _replaces("<sip:303@gw>") is None
