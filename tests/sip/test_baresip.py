"""The issue's "done when", with a real softphone: baresip registers as Monsieur A, calls
Monsieur C by 303, C answers from the keypad, each hears the other's tones; A holds C,
calls Madame B, keys #1 (RFC 4733 from baresip's keypad) and B and C are connected."""

from __future__ import annotations

import asyncio

import numpy as np
from baresip_client import Baresip
from sip_rig import BARESIP, SECRETS, Rig, needs_baresip, run

from phone_sim.audio.dtmf import DtmfDetector
from phone_sim.audio.ident import IdentDetector
from phone_sim.handset.handset import Handset
from phone_sim.network import events as ev

pytestmark = needs_baresip


def test_a_softphone_calls_c_hears_and_is_heard_then_transfers_with_hash_one() -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            assert BARESIP is not None
            seen: list[ev.Event] = []
            rig.net.bus.subscribe(seen.append)
            mixer = rig.gateway.earpieces.mixer  # type: ignore[attr-defined]
            phone = Baresip(BARESIP, rig.dir / "a", "A", SECRETS["A"], rig.port, tone=mixer.frequency("A"))
            await phone.start()
            try:
                await rig.until(lambda: rig.registered("A"), 20, "baresip registered as A")
                assert (rig.gateway.device_of("A") or "").startswith("SIP baresip 127.0.0.1:")
                await phone.command("dial", f"sip:303@127.0.0.1:{rig.port}")
                await rig.until(lambda: rig.net.ringing("C"), 10, "C rings")
                keypad = Handset(rig.net, "C")
                keypad.press("call")  # C answers from the keypad
                await rig.until(lambda: rig.state("A") == [("active", ("C",))], 5, "A and C talk")
                await rig.until(lambda: phone.saw("CALL_ESTABLISHED") == 1, 5, "baresip sees the answer")
                rig.net.speak("C", "talk")  # C's voice: its identification tone
                heard_at_c = rig.capture("C")
                await asyncio.sleep(1.0)
                keypad.press("5")  # a key tone A must hear
                await phone.command("sndcode", "7")  # a key from baresip's keypad
                await rig.until(lambda: any(isinstance(e, ev.DtmfWasSent) and e.party == "A" and e.digit == "7"
                                            for e in seen), 5, "A's key 7 reaches C")
                heard_by_c = IdentDetector(8000).heard(np.concatenate(heard_at_c[-20:]))
                assert mixer.frequency("A") in heard_by_c, heard_by_c  # baresip's microphone reaches C
                await phone.command("hold")
                await rig.until(lambda: rig.state("A") == [("held", ("C",))], 5, "A holds C")
                await phone.command("dial", f"sip:0145678900@127.0.0.1:{rig.port}")
                await rig.until(lambda: rig.net.ringing("B"), 10, "B rings")
                rig.net.answer("B")
                await rig.until(lambda: ("active", ("B",)) in rig.state("A"), 5, "A talks to B")
                await asyncio.sleep(0.5)
                await phone.command("sndcode", "#")
                await phone.command("sndcode", "1")
                await rig.until(lambda: rig.state("B") == [("active", ("C",))], 10, "#1 connects B and C")
                assert rig.state("A") == []
                await rig.until(lambda: phone.saw("CALL_CLOSED") >= 2, 10, "baresip's two calls end")
                assert not any(isinstance(e, ev.DtmfWasSent) and e.digit in "#1" for e in seen)
            finally:
                await phone.stop()
            calls = phone.received_calls()
            assert len(calls) == 2, [len(c) for c in calls]
            with_c = calls[0]  # what baresip heard of its call with C
            detector = DtmfDetector(8000)
            keys = detector.feed(with_c) + [tone.key for tone in detector.flush()]
            assert "5" in keys, f"C's key 5 not heard by A ({len(with_c)} samples)"
            heard_by_a = IdentDetector(8000).heard(with_c[len(with_c) // 2:len(with_c) // 2 + 1600])
            assert mixer.frequency("C") in heard_by_a, heard_by_a

    run(scenario())


def test_a_softphone_starts_a_conference_by_dialling_3() -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            assert BARESIP is not None
            mixer = rig.gateway.earpieces.mixer  # type: ignore[attr-defined]
            phone = Baresip(BARESIP, rig.dir / "a", "A", SECRETS["A"], rig.port, tone=mixer.frequency("A"))
            await phone.start()
            try:
                await rig.until(lambda: rig.registered("A"), 20, "baresip registered as A")
                await phone.command("dial", f"sip:303@127.0.0.1:{rig.port}")
                await rig.until(lambda: rig.net.ringing("C"), 10, "C rings")
                rig.net.answer("C")
                await rig.until(lambda: phone.saw("CALL_ESTABLISHED") == 1, 5, "A and C talk")
                await phone.command("hold")
                await rig.until(lambda: rig.state("A") == [("held", ("C",))], 5, "A holds C")
                await phone.command("dial", f"sip:0145678900@127.0.0.1:{rig.port}")
                await rig.until(lambda: rig.net.ringing("B"), 10, "B rings")
                rig.net.answer("B")
                await rig.until(lambda: ("active", ("B",)) in rig.state("A"), 5, "A talks to B")
                await asyncio.sleep(0.5)
                await phone.command("dial", f"sip:3@127.0.0.1:{rig.port}")  # 3 then CALL: conference
                await rig.until(lambda: [(s, set(p)) for s, p in rig.state("A")] == [("conference", {"B", "C"})],
                                10, "a conference of A, B and C")
                assert rig.net.hears("B").voices == ("A", "C")
                await asyncio.sleep(0.5)  # the softphone keeps both dialogs: nothing is hung up
                assert [(s, set(p)) for s, p in rig.state("A")] == [("conference", {"B", "C"})]
                assert len(rig.gateway.calls.of_line("A")) == 2
                assert any("SIP <- INVITE sip:3@" in line and " 603 " in line for line in rig.log)
            finally:
                await phone.stop()

    run(scenario())
