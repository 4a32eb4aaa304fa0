"""SIPp against the gateway: calls placed by a device, answered on the simulated network."""

from __future__ import annotations

import os

import pytest
from sip_rig import Rig, needs_sipp, run

from phone_sim.network import events as ev

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


def test_a_200_never_acknowledged_ends_the_call_on_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """RFC 3261 13.3.1.4: no ACK within 64 x T1 ends the session (T1 shortened here to 20 ms,
    so 64 x T1 is 1.3 s): a device gone after the 200 leaves no call up."""
    from aiosipua import transaction

    monkeypatch.setattr(transaction, "T1", 0.02)
    monkeypatch.setattr(transaction, "TIMER_H", 64 * 0.02)

    async def scenario() -> None:
        async with Rig() as rig:
            sipp = rig.start_sipp("call_no_ack.xml", inf=rig.users("A"), service="0145678900")
            await rig.until(lambda: rig.net.ringing("B"), what="B ringing")
            rig.net.answer("B")
            result = await sipp
            assert result.ok, result.output + result.errors
            assert rig.state("A") == [("active", ("B",))]
            await rig.until(lambda: rig.state("A") == [] and rig.state("B") == [], what="the call ended")
            assert rig.gateway.calls.by_sip == {}

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


REFUSALS = [
    ("0699999999", 404, "number_not_allocated", None),
    ("0999", 484, "invalid_number", None),
    ("306", 486, "busy", "F busy"),
    ("306", 480, "unreachable", "F off"),
    ("0609182237", 403, "group_closed", None),
]


@pytest.mark.parametrize(("number", "status", "reason", "setup"), REFUSALS)
def test_refusals_answer_the_mapped_status_with_the_reason_code(number: str, status: int, reason: str,
                                                                setup: str | None) -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            if setup == "F busy":
                rig.net.dial("F", "0145678900")
            elif setup == "F off":
                rig.net.switch_off("F")
            result = await rig.sipp("call_refused.xml", inf=rig.users("A"), service=number)
            assert result.ok, result.output + result.errors
            assert f"SIP/2.0 {status} " in result.messages
            assert f'Reason: SIP;cause={status};text="{reason}"' in result.messages
            assert rig.state("A") == []

    run(scenario())


def test_an_mmi_code_from_the_device_is_run_and_answered_with_the_networks_text() -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            result = await rig.sipp("call_refused.xml", inf=rig.users("A"), service="%2A%2A21%2A0601020305%23")
            assert result.ok, result.output + result.errors
            assert rig.net.parties["A"].forwarding.unconditional == "0601020305"
            line = next(m for m in result.messages.splitlines() if m.startswith("SIP/2.0 603"))
            assert line == "SIP/2.0 603 Service activated", line
            asked = await rig.sipp("call_refused.xml", inf=rig.users("A"), service="%2A%2321%23", tag="ask")
            assert "SIP/2.0 603 Service active to 0601020305" in asked.messages

    run(scenario())


def test_in_call_hold_retrieve_info_and_rfc4733_digits_then_bye() -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            seen: list[ev.Event] = []
            rig.net.bus.subscribe(seen.append)
            sipp = rig.start_sipp("call_incall.xml", inf=rig.users("A"), service="0145678900")
            await rig.until(lambda: rig.net.ringing("B"), what="B ringing")
            rig.net.answer("B")
            await rig.until(lambda: any(isinstance(e, ev.LegDidHold) and e.party == "A" for e in seen),
                            what="A holds")
            assert rig.state("A") == [("held", ("B",))]
            result = await sipp
            assert result.ok, result.output + result.errors
            assert any(isinstance(e, ev.LegDidRetrieve) and e.party == "A" for e in seen)
            digits = [e.digit for e in seen if isinstance(e, ev.DtmfWasSent) and e.party == "A"]
            assert digits[:1] == ["5"]
            if os.geteuid() == 0:  # SIPp replays a pcap through a raw socket
                assert digits == ["5", "7"], digits
            assert any(isinstance(e, ev.CallDidEnd) and e.released_by == "A" for e in seen)
            assert rig.state("B") == []

    run(scenario())
