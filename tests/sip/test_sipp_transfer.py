"""REFER from a device: #1 with one call active and one held, results as NOTIFY sipfrag."""

from __future__ import annotations

import pytest
from sip_rig import Rig, needs_sipp, run

from phone_sim.network import events as ev

pytestmark = needs_sipp


def refer_to(rig: Rig, target: str, replaces: str | None = None) -> object:
    value = f"<sip:{target}@127.0.0.1:{rig.port}"
    if replaces:
        value += f"?Replaces={replaces}%3Bto-tag%3Dx%3Bfrom-tag%3Dy"
    path = rig.dir / "refer.csv"
    auth = "[authentication username=A password=secret-A]"
    path.write_text(f"SEQUENTIAL\nA;{auth};{value}>\n")
    return path


@pytest.mark.parametrize("attended", [False, True])
def test_refer_with_one_call_held_transfers_like_hash_one(attended: bool) -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            seen: list[ev.Event] = []
            rig.net.bus.subscribe(seen.append)
            held = rig.start_sipp("call_hold_wait.xml", inf=rig.users("A"), service="0145678900", tag="held",
                                  extra=("-cid_str", "held-%u@phone-sim-test"))
            await rig.until(lambda: rig.net.ringing("B"), what="B ringing")
            rig.net.answer("B")
            await rig.until(lambda: rig.state("A") == [("held", ("B",))], what="A holds B")
            replaces = "held-1%40phone-sim-test" if attended else None
            refer = rig.start_sipp("call_refer.xml", inf=refer_to(rig, "303", replaces), service="303",
                                   tag="refer")
            await rig.until(lambda: rig.net.ringing("C"), what="C ringing")
            rig.net.answer("C")
            first, second = await held, await refer
            assert first.ok, first.output + first.errors
            assert second.ok, second.output + second.errors
            assert "SIP/2.0 200 OK" in second.messages.split("NOTIFY")[-1]
            assert any(isinstance(e, ev.CallDidTransfer) and e.by == "A" for e in seen)
            assert rig.state("B") == [("active", ("C",))] and rig.state("A") == []

    run(scenario())


def test_refer_with_a_single_call_is_refused_in_the_notify() -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            refer = rig.start_sipp("call_refer_refused.xml", inf=refer_to(rig, "303"), service="0145678900")
            await rig.until(lambda: rig.net.ringing("B"), what="B ringing")
            rig.net.answer("B")
            result = await refer
            assert result.ok, result.output + result.errors
            last_notify = result.messages.split("NOTIFY sip")[-1]
            assert "SIP/2.0 403 " in last_notify and "Transfer needs one active and one held call" in last_notify
            assert rig.state("B") == []

    run(scenario())
