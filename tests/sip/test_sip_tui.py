"""``phone-sim --sip``: the gateway in the TUI; a registered line's handset shows its device,
and a call from the device is answered on the TUI's keyboard."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sip_rig import COMPANY, SECRETS, SIPP, needs_sipp, run

from phone_sim.scenario.companyfile import load_company
from phone_sim.tui.app import PhoneSimApp

pytestmark = needs_sipp
SIZE = (160, 50)


def test_the_handset_shows_the_registered_device_and_its_call_is_answered_on_the_keyboard(tmp_path: Path) -> None:
    from sip_rig import Rig, free_port

    app = PhoneSimApp(load_company(COMPANY), sip="127.0.0.1:0", lang="en", data=tmp_path / "data", sound=None)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(200):
                if app.sip.gateway is not None:
                    break
                await asyncio.sleep(0.05)
            gateway = app.sip.gateway
            assert gateway is not None, "the gateway did not start"
            rig = Rig.__new__(Rig)  # only its SIPp runner, on the TUI's gateway
            rig.port, rig.dir, rig.log = gateway.port, tmp_path, []
            users = tmp_path / "users.csv"
            users.write_text(f"SEQUENTIAL\nA;[authentication username=A password={SECRETS['A']}]\n")
            registered = await rig.sipp("register.xml", inf=users, port=free_port())
            assert registered.ok, registered.output + registered.errors
            await pilot.pause()
            status = str(app.phones.slot_of("A").parts["info"].render())
            assert "SIP SIPp 127.0.0.1:" in status, status
            call = rig.start_sipp("call_out.xml", inf=users, service="303")
            for _ in range(200):
                if app.net.ringing("C"):
                    break
                await asyncio.sleep(0.05)
            app.phones.select("C")
            await pilot.press("enter")  # C answers from the keyboard
            result = await call
            assert result.ok, result.output + result.errors
            assert "SIP <- INVITE sip:303" in app.phones.log_panel.plain(), "no SIP log line"

    assert SIPP is not None
    run(scenario())
