"""The TUI's link to sound (``phone_sim.audio``), imported lazily and optional.

Sound is started after the first screen is drawn, on a worker thread (importing numpy
and opening a device take time), then attached to the live network on the app's
thread. Without the audio package, or with ``--sound`` not given (tests), the TUI is
silent and says nothing. ``--dtmf-in WAV|mic`` feeds decoded keys to the chosen handset.

The microphone key (``v``) makes the chosen handset talk with the user's voice: its
chunks go from the capture thread straight to the sound system (recorder and live
player), placed at the virtual time they arrive; the network is told (``VoiceDidStart``,
kind ``mic``) on the app's thread. The microphone stays with that handset until the key
is pressed again (on another handset, it moves there), so one can dial from A, answer
on C, and go on talking into A.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any

from phone_sim.network.catalogue import text

if TYPE_CHECKING:
    from textual.app import App

    from phone_sim.scenario.runner import Session
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
        self.mic: Any = None  # phone_sim.audio.microphone.Microphone while it listens
        self.mic_party: str | None = None
        self.open_mic: Any = None  # a replacement for PortAudio's input (tests)
        self.session: Session | None = None  # whose network sound follows (phones or a lesson)
        self.selected: str | None = None

    @property
    def wanted(self) -> bool:
        return self.backend is not None or self.record_dir is not None

    def start(self, app: App[Any]) -> None:
        if self.wanted:
            threading.Thread(target=self._open, args=(app,), name="phone-sim-sound", daemon=True).start()

    def _open(self, app: App[Any]) -> None:
        try:
            from phone_sim.audio.system import SoundSystem
        except ImportError:
            return  # no sound package: silent, as promised
        try:
            system = SoundSystem(self.backend or "null", record_dir=self.record_dir, lang=self.lang,
                                 force=self.force)
        except Exception as error:
            errors = getattr(app, "errors", None)
            app.call_from_thread(errors.report if errors else app.notify, error)
            return
        app.call_from_thread(self._ready, app, system)

    def _ready(self, app: App[Any], system: Any) -> None:
        if self._stop.is_set():
            system.close()
            return
        self.system = system
        if self.session is None and hasattr(app, "live"):
            self.attach(app)  # the phones screen's network, until a lesson takes sound
        else:
            self._attach()
        notice = system.notice
        phones = getattr(app, "phones", None)
        if notice and phones is not None:
            phones.note(notice)
        elif notice:
            app.notify(notice)

    def attach(self, app: PhoneSimApp) -> None:
        """(Re)attach to the app's current network (the phones screen's)."""
        self.follow(app.live.session, app.phones.selected)

    def follow(self, session: Session, selected: str | None = None) -> None:
        """Sound follows this session's network from now on: the phones screen's, or a
        lesson's (the recordings go on in one timeline); ``selected`` is heard."""
        if self.mic is not None and self.session is not None and session is not self.session:
            self.stop_mic(None)
        self.session, self.selected = session, selected or self.selected
        self._attach()

    def _attach(self) -> None:
        system, session = self.system, self.session
        if system is None or session is None:
            return
        handsets, net = session.handsets, session.net
        system.attach(net.bus, lambda party: handsets[party].view().tone, net.ringing,
                      list(net.parties), now_ms=net.now, hears_of=lambda party: net.hears(party).voices,
                      watch=net.media.watch)
        if self.selected:
            system.select(self.selected)
        system.set_muted(self.muted)
        system.set_hear_all(self.hear_all)

    def select(self, party: str) -> None:
        self.selected = party
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

    def close(self, end_ms: int | None = None) -> None:
        """Stop sound; the recordings end at ``end_ms`` (default: the network's time now)."""
        if end_ms is None:
            end_ms = self.session.net.now if self.session is not None else 0
        self._stop.set()
        if self.mic is not None:
            self.mic.stop()
            self.mic = None
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

    # ------------------------------------------------------------------ the microphone
    def _t(self, app: App[Any], key: str, **values: object) -> str:
        return text(key, getattr(app, "lang", self.lang), **values)

    def toggle_mic(self, app: App[Any], party: str | None) -> None:
        """Off if on for ``party``; else (re)open it for ``party``."""
        previous = self.mic_party
        if self.mic is not None:
            self.stop_mic(app)
            if previous == party:
                app.notify(self._t(app, "tui.mic.off"))
                return
        if party is not None:
            self.start_mic(app, party)

    def start_mic(self, app: App[Any], party: str) -> None:
        system = self.system
        if system is None or self.session is None:
            reason = self._t(app, "tui.mic.no_sound")
            app.notify(self._t(app, "tui.mic.unavailable", reason=reason), severity="warning")
            return
        from phone_sim.audio.microphone import Microphone

        net = self.session.net
        options = {"open_stream": self.open_mic} if self.open_mic is not None else {}
        mic = Microphone(lambda samples, rate: system.feed(party, samples, rate, time_ms=net.now),
                         on_end=lambda error: self._mic_ended(app, mic, error), **options)
        self.mic, self.mic_party = mic, party
        net.speak(party, "mic")
        mic.start()
        app.notify(self._t(app, "tui.mic.on", name=net.parties[party].name))

    def stop_mic(self, app: App[Any] | None) -> None:
        mic, party = self.mic, self.mic_party
        self.mic = self.mic_party = None
        if mic is not None:
            mic.stop()
        net = self.session.net if self.session is not None else None
        if party is not None and net is not None and party in net.parties:
            net.stop_speaking(party, "mic")

    def _mic_ended(self, app: App[Any], mic: Any, error: Any) -> None:
        """On the capture thread: the microphone stopped by itself (no device, ran dry)."""
        if error is None or self._stop.is_set():
            return
        try:
            app.call_from_thread(self._mic_failed, app, mic, error)
        except RuntimeError:  # the app has gone
            pass

    def _mic_failed(self, app: App[Any], mic: Any, error: Any) -> None:
        if self.mic is mic:
            self.stop_mic(app)
        reason = error.notice(getattr(app, "lang", self.lang))
        app.notify(self._t(app, "tui.mic.unavailable", reason=reason), severity="warning")
