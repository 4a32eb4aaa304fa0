"""``phone-sim --sip``: the SIP gateway inside the TUI (SPEC 13).

The gateway runs on the TUI's own event loop, on the network the TUI shows; the TUI's
clock driver keeps time (the gateway does not drive it). A registered line's handset
shows its device on its status line (``SIP baresip 127.0.0.1:5070``), and what the
device sends is also fed to the TUI's sound, so the person at the keyboard hears it.
Credentials: the store's SIP secrets, or the ``sip_secret`` keys of the company file.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from phone_sim.network.catalogue import text

if TYPE_CHECKING:
    from phone_sim.sip.gateway import Gateway
    from phone_sim.tui.app import PhoneSimApp


class SipLink:
    def __init__(self, listen: str | None, lang: str) -> None:
        self.listen = listen
        self.lang = lang
        self.gateway: Gateway | None = None
        self._task: asyncio.Task[None] | None = None

    def device_of(self, line: str) -> str | None:
        return self.gateway.device_of(line) if self.gateway is not None else None

    def start(self, app: PhoneSimApp) -> None:
        if self.listen is not None:
            self._task = asyncio.get_running_loop().create_task(self._start(app))

    async def _start(self, app: PhoneSimApp) -> None:
        from phone_sim.sip.auth import FileCredentials
        from phone_sim.sip.cli import parse_listen
        from phone_sim.sip.gateway import Gateway, GatewayError, Options, is_loopback
        from phone_sim.sip.media import MixedEarpieces

        try:
            host, port = parse_listen(self.listen or "")
        except ValueError as error:
            app.phones.note(f"{text('sip.bad_listen', self.lang)}: {self.listen}: {error}")
            return
        if not is_loopback(host):
            app.phones.note(text("sip.not_loopback", self.lang, host=host))
        net = app.net
        store = app.portal_store
        credentials: Any = store.sip if store is not None else FileCredentials(app.live.company.lines)
        earpieces = MixedEarpieces(net, self.lang, also_feed=lambda line, pcm: self._to_sound(app, line, pcm))
        gateway = Gateway(net, credentials, Options(host, port, lang=self.lang, drive_clock=False),
                          earpieces=earpieces, on_line=app.phones.handset_changed,
                          transaction_log=app.phones.note)
        try:
            await gateway.start()
        except GatewayError as error:
            app.phones.note(f"{text('sip.cannot_listen', self.lang)}: {error}")
            earpieces.close()
            return
        self.gateway = gateway
        lines = ", ".join(sorted(line for line, locked in credentials.lines().items() if not locked))
        app.phones.note(text("sip.listening", self.lang, host=gateway.host, port=gateway.port,
                             algorithms=", ".join(gateway.options.algorithms), lines=lines or "-"))

    @staticmethod
    def _to_sound(app: PhoneSimApp, line: str, pcm: Any) -> None:
        system = app.sound.system
        if system is not None and hasattr(system, "feed"):
            system.feed(line, pcm, 8000, app.net.now)

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        if self.gateway is not None:
            gateway, self.gateway = self.gateway, None
            await gateway.stop()
