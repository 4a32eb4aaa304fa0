"""The TUI's link to sound (``phone_sim.audio``), imported lazily and optional.

Sound is started after the first screen is drawn, on a worker thread (importing numpy
and opening a device take time), then attached to the live network on the app's
thread. Without the audio package, or with ``--sound`` not given (tests), the TUI is
silent and says nothing. ``--dtmf-in WAV|mic`` feeds decoded keys to the chosen handset.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from phone_sim.tui.app import PhoneSimApp

DTMF_KEYS = frozenset("0123456789*#")


class SoundLink:
    def __init__(self, backend: str | None, record_dir: str | None, lang: str, force: bool = False) -> None:
        self.backend = backend
        self.record_dir = record_dir
        self.force = force
        self.lang = lang
        self.system: Any = None
        self.muted = False
        self.hear_all = False
        self.pace = True  # press keys from a WAV when their tones began (tests turn it off)
        self._stop = threading.Event()

    @property
    def wanted(self) -> bool:
        return self.backend is not None or self.record_dir is not None

    def start(self, app: PhoneSimApp) -> None:
        if self.wanted:
            threading.Thread(target=self._open, args=(app,), name="phone-sim-sound", daemon=True).start()

    def _open(self, app: PhoneSimApp) -> None:
        try:
            from phone_sim.audio.system import SoundSystem
        except ImportError:
            return  # no sound package: silent, as promised
        try:
            system = SoundSystem(self.backend or "null", record_dir=self.record_dir, lang=self.lang,
                                 force=self.force)
        except Exception as error:
            app.call_from_thread(app.errors.report, error)
            return
        app.call_from_thread(self._ready, app, system)

    def _ready(self, app: PhoneSimApp, system: Any) -> None:
        if self._stop.is_set():
            system.close()
            return
        self.system = system
        self.attach(app)
        notice = system.notice
        if notice:
            app.phones.note(notice)

    def attach(self, app: PhoneSimApp) -> None:
        """(Re)attach to the app's current network."""
        system = self.system
        if system is None:
            return
        live = app.live
        handsets = live.session.handsets
        system.attach(live.net.bus, lambda party: handsets[party].view().tone, live.net.ringing,
                      list(live.order), now_ms=live.net.now)
        if app.phones.selected:
            system.select(app.phones.selected)
        system.set_muted(self.muted)
        system.set_hear_all(self.hear_all)

    def select(self, party: str) -> None:
        if self.system is not None:
            self.system.select(party)

    def toggle_muted(self) -> bool:
        self.muted = not self.muted
        if self.system is not None:
            self.system.set_muted(self.muted)
        return self.muted

    def toggle_hear_all(self) -> bool:
        self.hear_all = not self.hear_all
        if self.system is not None:
            self.system.set_hear_all(self.hear_all)
        return self.hear_all

    def close(self, end_ms: int) -> None:
        self._stop.set()
        system, self.system = self.system, None
        if system is not None:
            system.close(end_ms=end_ms)

    # ------------------------------------------------------------------ keys from sound
    def listen_dtmf(self, app: PhoneSimApp, spec: str) -> None:
        threading.Thread(target=self._listen, args=(app, spec), name="phone-sim-dtmf", daemon=True).start()

    def _listen(self, app: PhoneSimApp, spec: str) -> None:
        try:
            from phone_sim.audio.keysource import dtmf_key_source
        except ImportError:
            app.call_from_thread(app.phones.note, app.text("tui.dtmf.unavailable"))
            return
        started = time.monotonic()
        try:
            for at_ms, key in dtmf_key_source(spec, self._stop):
                if spec != "mic" and self.pace:  # a file: press each key when its tone began
                    self._stop.wait(max(0.0, started + at_ms / 1000 - time.monotonic()))
                if self._stop.is_set():
                    return
                if key in DTMF_KEYS:
                    app.call_from_thread(app.phones.action_key, key)
        except Exception as error:
            app.errors.log(error)  # the app may be gone already: the file has it
            if app.is_running:
                app.call_from_thread(app.errors.report, error)
