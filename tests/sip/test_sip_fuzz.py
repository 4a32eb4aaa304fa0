"""Bad input never crashes the gateway nor changes the network (SPEC 13, "Bad input").

A corpus of broken messages (truncated at every few bytes, random byte changes, wrong
Content-Length, unknown methods, oversized headers and bodies, binary junk) and floods go
to the gateway over UDP and TCP; it answers 400/405/413/503 or stays silent, keeps
answering well-formed requests, and the network has not moved.
"""

from __future__ import annotations

import asyncio
import random
import socket
import time

from sip_rig import Rig, run

from phone_sim.sip.transport import Limits

VALID = (
    "INVITE sip:303@127.0.0.1:{port} SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:{me};branch=z9hG4bK{branch};rport\r\n"
    "Max-Forwards: 70\r\nTo: <sip:303@127.0.0.1>\r\nFrom: <sip:A@127.0.0.1>;tag=1928301774\r\n"
    "Call-ID: fuzz-{branch}@test\r\nCSeq: 1 INVITE\r\nContact: <sip:A@127.0.0.1:{me}>\r\n"
    "Content-Type: application/sdp\r\nContent-Length: {length}\r\n\r\n{body}")
SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n"


def message(port: int, me: int, branch: str, **changes: str) -> bytes:
    body = changes.pop("body", SDP)
    length = changes.pop("length", str(len(body)))
    text = VALID.format(port=port, me=me, branch=branch, length=length, body=body)
    for old, new in changes.items():
        text = text.replace(old.replace("_", " "), new)
    return text.encode()


def corpus(port: int, me: int) -> list[bytes]:
    rnd = random.Random(17)
    base = message(port, me, "base")
    items = [base[:i] for i in range(0, len(base), 5)]
    items += [message(port, me, f"cl{i}", length=value) for i, value in enumerate(["-1", "99999", "x", "500", "0"])]
    items += [message(port, me, f"m{i}").replace(b"INVITE sip", method + b" sip", 1)
              .replace(b"CSeq: 1 INVITE", b"CSeq: 1 " + method) for i, method in enumerate([b"FOO", b"SUBSCRIBE", b"MESSAGE", b"\x00\xff", b"PUBLISH"])]
    items += [message(port, me, "big", body="x" * 30000), message(port, me, "hdr").replace(
        b"Max-Forwards", b"X-Junk: " + b"a" * 20000 + b"\r\nMax-Forwards")]
    items += [b"", b"\r\n\r\n", b"\xff" * 300, b"SIP/2.0 200 OK\r\n\r\n", base.replace(b"\r\n", b"\n"),
              base.replace(b"SIP/2.0\r\n", b"SIP/3.0\r\n", 1), base.replace(b"CSeq: 1 INVITE", b"CSeq: x")]
    for i in range(600):
        data = bytearray(message(port, me, f"r{i}"))
        for _ in range(rnd.randint(1, 6)):
            at = rnd.randrange(len(data))
            op = rnd.random()
            if op < 0.4:
                data[at] = rnd.randrange(256)
            elif op < 0.7:
                del data[at:at + rnd.randint(1, 30)]
            else:
                data[at:at] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 30)))
        items.append(bytes(data))
    return items


def send_flood(flood: bytes, target: tuple[str, int], count: int = 8000) -> list[bytes]:
    """Send ``count`` OPTIONS (each its own transaction) in about a second; the answers."""
    answers: list[bytes] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(0.0)
        for i in range(count):
            sock.sendto(flood.replace(b"flood", f"flood{i}".encode()), target)
            if i % 50 == 0:
                time.sleep(0.005)
            try:
                while True:
                    answers.append(sock.recv(65536))
            except BlockingIOError:
                pass
        sock.settimeout(0.5)
        try:
            while True:
                answers.append(sock.recv(65536))
        except (TimeoutError, BlockingIOError):
            pass
    return answers


def test_the_corpus_and_a_flood_leave_the_gateway_answering_and_the_network_unchanged() -> None:
    async def scenario() -> None:
        async with Rig(limits=Limits(rate=100.0, burst=200.0)) as rig:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.bind(("127.0.0.1", 0))
            sock.setblocking(False)
            me = sock.getsockname()[1]
            target = ("127.0.0.1", rig.port)
            loop = asyncio.get_running_loop()
            answers: list[bytes] = []

            async def drain() -> None:
                while True:
                    try:
                        answers.append(sock.recv(65536))
                    except BlockingIOError:
                        return

            for data in corpus(rig.port, me):
                sock.sendto(data[:65000], target)
                await asyncio.sleep(0)
                await drain()
            flood = message(rig.port, me, "flood").replace(b"INVITE sip:303", b"OPTIONS sip:303").replace(
                b"CSeq: 1 INVITE", b"CSeq: 1 OPTIONS")
            await drain()
            # the flood comes from another thread, as fast as it can, while the gateway works
            answers += await loop.run_in_executor(None, send_flood, flood, target)
            codes = {data.split(b" ")[1] for data in answers if data.startswith(b"SIP/2.0 ")}
            assert codes <= {b"400", b"401", b"404", b"405", b"413", b"481", b"503", b"200", b"100", b"403"}, codes
            assert {b"400", b"405", b"413", b"503"} <= codes, codes
            assert all(not party.legs for party in rig.net.parties.values())
            # still serving, over TCP too
            reader, writer = await asyncio.open_connection("127.0.0.1", rig.port)
            writer.write(b"\x00garbage\r\n\r\n" + b"OPTIONS sip:127.0.0.1 SIP/2.0\r\nContent-Length: 5\r\n\r\nab")
            writer.close()
            await asyncio.sleep(3.1)  # the flood's bucket refills
            reader, writer = await asyncio.open_connection("127.0.0.1", rig.port)
            writer.write(message(rig.port, me, "tcpok").replace(b"INVITE sip:303", b"OPTIONS sip:303")
                         .replace(b"CSeq: 1 INVITE", b"CSeq: 1 OPTIONS").replace(b"/UDP", b"/TCP"))
            reply = await asyncio.wait_for(reader.read(4096), 5)
            assert reply.startswith(b"SIP/2.0 200"), reply
            writer.close()
            sock.sendto(flood.replace(b"flood", b"after"), target)
            await asyncio.sleep(0.2)
            await drain()
            assert answers[-1].startswith(b"SIP/2.0 200"), answers[-1][:80]
            loop.call_soon(sock.close)

    run(scenario())
