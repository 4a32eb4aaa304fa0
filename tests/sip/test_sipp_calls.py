"""SIPp against the gateway: calls placed by a device, answered on the simulated network."""

from __future__ import annotations

from sip_rig import Rig, needs_sipp, run

pytestmark = needs_sipp


def test_a_device_calls_an_external_who_answers_then_the_device_hangs_up() -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            sipp = rig.start_sipp("call_out.xml", inf=rig.users("A"), service="0145678900")
            await rig.until(lambda: rig.net.ringing("B"), what="B ringing")
            assert rig.state("A") == [("calling", ("B",))]
            rig.net.answer("B")
            result = await sipp
            assert result.ok, result.output + result.errors
            assert rig.state("A") == [] and rig.state("B") == []
            assert any("INVITE sip:0145678900" in line and " 200 OK" in line for line in rig.log), rig.log

    run(scenario())


def test_the_network_calls_a_registered_device_which_answers_and_the_caller_hangs_up() -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            sipp = rig.start_sipp("register_wait.xml", inf=rig.users("C"),
                                  extra=("-oocsf", str(rig_scenario("uas_answer.xml")), "-d", "4000"))
            await rig.until(lambda: rig.registered("C"), what="C registered")
            rig.net.dial("B", "0601020303")
            await rig.until(lambda: rig.state("B") == [("active", ("C",))], what="C answers on SIPp")
            assert rig.state("C") == [("active", ("B",))]
            rig.net.end("B")
            result = await sipp
            assert result.ok, result.output + result.errors
            assert "BYE sip:" in result.messages

    run(scenario())


def rig_scenario(name: str) -> object:
    from sip_rig import SCENARIOS

    return SCENARIOS / name
