"""SIPp registers as company lines: digest, user names, refusals, lock-out, one device per line."""

from __future__ import annotations

import re

import pytest
from sip_rig import Rig, needs_sipp, run

pytestmark = needs_sipp


def statuses(messages: str) -> list[int]:
    return [int(code) for code in re.findall(r"^SIP/2\.0 (\d{3})", messages, re.MULTILINE)]


@pytest.mark.parametrize("user", ["A", "0601020301", "301"])
def test_a_line_registers_by_id_number_or_short_number_after_one_md5_challenge(user: str) -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            result = await rig.sipp("register.xml", inf=rig.users("A", as_user=user))
            assert result.ok, result.output + result.errors
            assert statuses(result.messages) == [401, 200]
            challenges = re.findall(r"^WWW-Authenticate: (.*)$", result.messages, re.MULTILINE)
            assert len(challenges) == 1 and "algorithm=MD5" in challenges[0]
            device = rig.gateway.device_of("A")
            assert device is not None and device.startswith("SIP SIPp 127.0.0.1:")
            assert any("A registered: SIP SIPp" in line for line in rig.log)

    run(scenario())


def test_sha256_is_offered_first_when_configured_and_md5_still_works() -> None:
    async def scenario() -> None:
        async with Rig(algorithms=("SHA-256", "MD5")) as rig:
            result = await rig.sipp("register_refused.xml", inf=rig.users("A"))
            challenges = re.findall(r"^WWW-Authenticate: (.*)$", result.messages, re.MULTILINE)
            assert "algorithm=SHA-256" in challenges[0] and "algorithm=MD5" in challenges[1]

    run(scenario())


def test_unknown_user_gets_404_and_a_line_without_secret_gets_403() -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            unknown = await rig.sipp("register_refused.xml", inf=rig.users("ZZ"), tag="unknown")
            assert statuses(unknown.messages) == [404], unknown.messages
            nosip = await rig.sipp("register_refused.xml", inf=rig.users("NOSIP"), tag="nosip")
            assert statuses(nosip.messages) == [401, 403], nosip.messages
            assert not rig.registered("NOSIP")

    run(scenario())


def test_five_wrong_secrets_lock_the_line_for_sip_even_with_the_right_secret() -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            wrong = await rig.sipp("register_refused.xml", inf=rig.users("A", secret="nope"), calls=5,
                                   tag="wrong", extra=("-r", "50"))
            assert statuses(wrong.messages) == [401, 401] * 4 + [401, 403], wrong.messages
            right = await rig.sipp("register_refused.xml", inf=rig.users("A"), tag="right")
            assert statuses(right.messages) == [401, 403], right.messages
            assert "SIP;cause=403;text=\"sip_locked\"" in right.messages
            assert not rig.registered("A")
            assert rig.gateway.auth.credentials.lines()["A"] is True

    run(scenario())


def test_a_second_device_replaces_the_first_one() -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            first = await rig.sipp("register.xml", inf=rig.users("A"), tag="first")
            before = rig.gateway.device_of("A")
            second = await rig.sipp("register.xml", inf=rig.users("A"), tag="second")
            assert first.ok and second.ok
            after = rig.gateway.device_of("A")
            assert before != after and len(rig.gateway.registrar.bindings) == 1

    run(scenario())


def test_a_line_registers_and_calls_over_tcp() -> None:
    async def scenario() -> None:
        async with Rig() as rig:
            result = await rig.sipp("register.xml", inf=rig.users("A"), extra=("-t", "t1"))
            assert result.ok, result.output + result.errors
            binding = rig.gateway.registrar.binding("A")
            assert binding is not None and binding.transport == "tcp"
            assert "SIP/2.0/TCP" in result.messages
            call = rig.start_sipp("call_out.xml", inf=rig.users("A"), service="0145678900", extra=("-t", "t1"),
                                  tag="tcp-call")
            await rig.until(lambda: rig.net.ringing("B"), what="B rings")
            rig.net.answer("B")
            placed = await call
            assert placed.ok, placed.output + placed.errors

    run(scenario())
