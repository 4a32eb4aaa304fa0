"""The phone-sim Textual application: one live network, several handsets side by side.

The app owns the live session (network, handsets, recorder), the clock driver, the
scenario player, sound and the error log. Widgets send messages up; the app calls the
core; core events come back through the bus listener, which hands ``HandsetDidChange``
to the phones screen (only that handset is redrawn) and every other event to the log.
Actions reached by keys, buttons and the command palette live in ``app_actions``.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from textual.app import App

from phone_sim.network import events as ev
from phone_sim.network.catalogue import text
from phone_sim.network.company import CompanySpec
from phone_sim.network.switch import Network
from phone_sim.scenario.model import Scenario
from phone_sim.tui.app_actions import APP_BINDINGS, AppActions
from phone_sim.tui.clockdriver import ClockDriver
from phone_sim.tui.errors import ErrorLog, data_dir, guarded
from phone_sim.tui.keyorder import OrderedKeys
from phone_sim.tui.live import LiveSession
from phone_sim.tui.phones_screen import PhonesScreen
from phone_sim.tui.player import Player
from phone_sim.tui.prefs import Prefs
from phone_sim.tui.siplink import SipLink
from phone_sim.tui.sound import SoundLink
from phone_sim.tui.style_cache import StyleCache
from phone_sim.tui.too_small import SizeGuard

TICK = 1 / 20  # seconds between two real-time clock ticks
SYNC_TICKS = 20  # every second, see whether another simulator saved a change (one query)
PROBE_ENV = "PHONE_SIM_STARTUP_PROBE"  # bench/tui.py: write startup times there, then quit


class PhoneSimApp(OrderedKeys, SizeGuard, AppActions, App[int]):
    # the portal's and the lessons' styles are read with the app's: a screen that brings
    # a stylesheet the app has not read makes Textual restyle every widget of every
    # screen, a second and more on the first p or e
    CSS_PATH = ["app.tcss", "handset.tcss", "panels.tcss", "portal/portal.tcss", "lessons/lessons.tcss"]
    TITLE = "phone-sim"
    BINDINGS = APP_BINDINGS

    def __init__(
        self,
        company: CompanySpec,
        *,
        net: Network | None = None,
        store: Any = None,
        notes: Sequence[str] = (),
        lang: str = "fr",
        realtime: bool = True,
        record: str | os.PathLike[str] | None = None,
        force: bool = False,
        scenario: Scenario | None = None,
        data: str | os.PathLike[str] | None = None,
        sound: str | None = None,
        record_audio: str | None = None,
        dtmf_in: str | None = None,
        scenarios_dir: str | os.PathLike[str] = "scenarios",
        sip: str | None = None,
    ) -> None:
        super().__init__()
        self.lang = lang if lang in ("fr", "en") else "fr"
        self.data_dir = data_dir(data)
        self.errors = ErrorLog(self.data_dir / "logs" / "tui-errors.log")
        self.prefs = Prefs(self.data_dir)
        self.errors.notify = self._notify_error
        self.style_cache = StyleCache(self.data_dir)  # the styles parsed by the last start
        self.style_cache.install(self.stylesheet)
        self.live = LiveSession(company, net)
        self.store = store  # phone_sim.store.Store when the network was built from it
        self._stored_net = net if store is not None else None
        self._notes = list(notes)
        self.driver = ClockDriver(self.live.net.clock, paused=not realtime)
        self.player: Player | None = None
        self._previous: tuple[LiveSession, Any] | None = None  # shown before a scenario, and its log
        self._portal_session: Any = None  # the portal's login, kept between visits
        self.record_to = Path(record) if record else None
        self.scenarios_dir = Path(scenarios_dir)
        self.sound = SoundLink(sound, record_audio, self.lang, force)
        self.dtmf_in = dtmf_in
        self.sip = SipLink(sip, self.lang)  # phone-sim --sip: the SIP gateway on this network
        self._unsubscribe: Callable[[], None] = self.live.net.bus.subscribe(self._on_event)
        self._last_tick = time.monotonic()
        self._shown_tenth = -1
        self.phones = PhonesScreen(self.lang)
        self.relabel_all()
        self._start_notices: list[tuple[str, str]] = []
        if scenario is not None:  # `phone-sim play`: the network is already the scenario's
            self.player = Player(scenario, self.live.session)
            self.player.paused = not realtime
        elif self.record_to is not None:
            self._start_notices.append(self.begin_recording(self.record_to, force))

    @property
    def net(self) -> Network:
        """The live network (the portal screens reach it here)."""
        return self.live.net

    @property
    def portal_store(self) -> Any:
        """The store, when the network shown is the stored company (not a scenario's)."""
        return self.store if self.live.net is self._stored_net else None

    def text(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    # ------------------------------------------------------------------ start
    def get_default_screen(self) -> PhonesScreen:
        """The phones screen is the bottom of the stack (no blank screen to restyle first)."""
        return self.phones

    def on_mount(self) -> None:
        self.set_timer(5, gc.enable)  # in case the first screen never comes
        self._ticker = self.set_interval(TICK, self._tick)
        self.call_after_refresh(self.check_size)

    @guarded
    def screen_ready(self) -> None:
        """The phones screen has been drawn once: start what can wait until then."""
        # the collector was off while starting (phone_sim.cli.main): what start-up built
        # lives as long as the app, so it is set aside (frozen) instead of walked now
        gc.freeze()
        gc.enable()
        probe = os.environ.get(PROBE_ENV)
        if probe:
            _write_probe(probe)
        self.style_cache.save()  # the styles this start parsed, for the next one
        if probe:
            self.exit(0)
            return
        for note in self._notes:
            self.phones.note(note)
        for message, severity in self._start_notices:
            self.notify(message, severity=severity, timeout=8)  # type: ignore[arg-type]
        self.sound.start(self)
        # the portal's, the help's and the lessons' code, read now on the side: the first
        # p (or F1, e) opens at once instead of while the user types on
        threading.Thread(target=_preload, name="phone-sim-preload", daemon=True).start()
        if self.dtmf_in:
            self.sound.listen_dtmf(self, self.dtmf_in)
        self.sip.start(self)

    async def on_unmount(self) -> None:
        await self.sip.stop()  # BYE and CANCEL to the devices' calls before the loop ends

    # ------------------------------------------------------------------ the network's events
    @guarded
    def _on_event(self, event: ev.Event) -> None:
        phones = self.phones
        if not phones.is_mounted:
            return
        if isinstance(event, ev.HandsetDidChange):
            phones.handset_changed(event.party)
        else:
            phones.log_event(event)

    @guarded
    def _tick(self) -> None:
        if not self.phones.is_attached:  # the app is exiting (or the screen is gone): touch nothing
            return
        now = time.monotonic()
        elapsed, self._last_tick = now - self._last_tick, now
        player = self.player
        if player is not None:
            if player.tick(elapsed):
                self.phones.show_player()
        else:
            self.driver.tick(now)
        self._ticks = getattr(self, "_ticks", 0) + 1
        if self._ticks % SYNC_TICKS == 0 and self.portal_store is not None:
            self.portal_store.refresh()
        self.show_time()

    def show_time(self) -> None:
        """Clock bar and call durations, when virtual time has moved a tenth of a second.

        A call's duration counts from its own start, so handsets in a call are recomputed
        every tenth; a face equal to the one shown is not redrawn.
        """
        now = self.live.net.now
        if now // 100 != self._shown_tenth:
            self._shown_tenth = now // 100
            self.phones.refresh_calls()
            self.phones.update_clock()

    # ------------------------------------------------------------------ actions on handsets
    @guarded
    def press(self, party: str, key: str) -> None:
        self.live.press(party, key)

    @guarded
    def toggle_power(self, party: str) -> None:
        self.live.toggle_power(party)

    @guarded
    def move(self, party: str, location: str) -> None:
        self.live.move(party, location)

    def handset_selected(self, party: str) -> None:
        self.sound.select(party)
        if self.player is None:  # the company's handset, not a scenario's
            self.prefs.set("handset", party)  # chosen again at the next start

    # ------------------------------------------------------------------ a new network
    def load_network(self, company: CompanySpec) -> None:
        """Show a new network on ``company`` (to play a scenario), keeping the one shown so
        far to come back to (``restore_network``)."""
        self.stop_recording()
        if self._previous is None:
            self._previous = (self.live, self.phones.log_panel.save() if self.phones.is_mounted else None)
        self._show(LiveSession(company), None)

    def restore_network(self) -> bool:
        """Back to the network shown before the scenario, as it was; False if none."""
        previous, self._previous = self._previous, None
        if previous is None:
            return False
        self._show(*previous)
        return True

    def _show(self, live: LiveSession, log: Any) -> None:
        self._unsubscribe()
        self.live = live
        self._unsubscribe = live.net.bus.subscribe(self._on_event)
        self.driver = ClockDriver(live.net.clock, self.driver.speed, self.driver.paused)
        self._shown_tenth = -1
        self.sound.attach(self)
        if self.phones.is_mounted:
            self.phones.reset(log)

    # ------------------------------------------------------------------ errors and exit
    def _notify_error(self, error: BaseException, path: Path) -> None:
        self.notify(self.text("tui.error", error=type(error).__name__, path=path), severity="error", timeout=15)

    def _handle_exception(self, error: Exception) -> None:
        """Last resort (an error outside our handlers): log it, leave without a traceback."""
        path = self.errors.log(error)
        if self.is_headless:  # tests: let Pilot raise it
            super()._handle_exception(error)
            return
        self._return_code = 1
        self.exit(1, return_code=1, message=self.text("tui.error.fatal", error=type(error).__name__, path=path))

    def finish(self) -> None:
        """Save a recording in progress and stop sound (idempotent; after the app ends too)."""
        ticker = getattr(self, "_ticker", None)
        if ticker is not None:  # no tick may reach screens being torn down
            ticker.stop()
        self.stop_recording(quiet=True)
        if self.player is not None:
            self.player.close()
            self.player = None
        self.sound.close(self.live.net.now)
        self.style_cache.save()  # with the styles of the screens opened since
        if self.store is not None:
            self.store.close()
            self.store = None


PRELOADED = ("phone_sim.tui.portal", "phone_sim.tui.help_screen", "phone_sim.tui.lessons.picker",
             "phone_sim.training.loader", "phone_sim.tui.scenarios_screen", "phone_sim.tui.journal_screen")


def _preload() -> None:
    for name in PRELOADED:
        try:
            importlib.import_module(name)
        except Exception:  # an import that fails now fails again, and is reported, when used
            return


def _write_probe(path: str) -> None:
    """Startup instants (epoch seconds) for bench/tui.py."""
    from phone_sim.tui import commands

    commands.mark("screen")
    Path(path).write_text(json.dumps(commands.TIMES))
