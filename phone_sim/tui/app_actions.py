"""The app's actions (keys, buttons, command palette): clock, play, record, language,
help, scenarios, portal, sound. A mixin of ``PhoneSimApp``, kept apart to keep files short.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen

from phone_sim.tui.bindings import bind, described, relabel
from phone_sim.tui.errors import guarded
from phone_sim.tui.player import Player

if TYPE_CHECKING:
    from phone_sim.scenario.model import Scenario
    from phone_sim.tui.app import PhoneSimApp

    _Base = PhoneSimApp
else:
    _Base = object

# actions that make sense only on the phones screen (not while a dialog or the portal is up)
_PHONES_ONLY = {"pause", "speed", "step", "plus5", "plus25", "record", "checkpoint", "scenarios",
                "portal", "mute", "hear_all", "close_player", "lessons", "ladder", "mic"}
PALETTE = ("pause", "speed", "step", "plus5", "plus25", "record", "checkpoint", "scenarios", "close_player",
           "portal", "language", "help", "mute", "hear_all", "ladder", "mic")


APP_BINDINGS = [
    # the clock's keys are shown on the clock bar's buttons, not in the footer
    bind("space", "pause", "pause", show=False, key_display="␣"),
    bind("n", "step", "step", show=False),
    bind("a", "plus5", "plus5", show=False),
    bind("A,shift+a", "plus25", "plus25", show=False, key_display="A"),
    bind("x", "speed", "speed", show=False),
    bind("r", "record", "record"),
    bind("k", "checkpoint", "checkpoint"),
    bind("s", "scenarios", "scenarios"),
    bind("backspace", "close_player", "close_player", key_display="⌫"),
    bind("p", "portal", "portal"),
    bind("l", "language", "language"),
    bind("f1,question_mark", "help", "help", key_display="F1"),
    bind("u", "mute", "mute", show=False),
    bind("t", "hear_all", "hear_all", show=False),
    bind("e", "lessons", "lessons"),
    bind("f", "ladder", "ladder", show=False),  # in the help screen and the palette
    bind("v", "mic", "mic"),
    bind("ctrl+q", "quit", "quit", show=False, priority=True),
]


class AppActions(_Base):
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_player":  # shown (footer, palette) only while a scenario plays
            return self.screen is self.phones and self.player is not None
        if action == "checkpoint" and self.live.recorder is None:
            return False  # a checkpoint means something only while recording: off the footer then
        if action in _PHONES_ONLY:
            return self.screen is self.phones
        return True

    # ------------------------------------------------------------------ clock (or player)
    def action_pause(self) -> None:
        if self.player is not None:
            self.player.toggle_pause()
            self.phones.show_player()
        else:
            self.driver.toggle_pause()
        self.phones.update_clock()

    def action_speed(self) -> None:
        if self.player is not None:
            self.player.cycle_speed()
            self.phones.show_player()
        else:
            self.driver.cycle_speed()
        self.phones.update_clock()

    @guarded
    def action_step(self) -> None:
        if self.player is not None:
            self.player.paused = True
            self.player.step()
            self.phones.show_player()
        elif self.driver.step() is None:
            self.notify(self.text("tui.clock.no_timer"))
        self.show_time()

    def action_plus5(self) -> None:
        self._advance(5000)

    def action_plus25(self) -> None:
        self._advance(25000)

    @guarded
    def _advance(self, ms: int) -> None:
        if self.player is not None:
            self.notify(self.text("tui.play.no_advance"), severity="warning")
            return
        self.driver.advance(ms)
        self.show_time()

    # ------------------------------------------------------------------ recording
    def action_record(self) -> None:
        if self.live.recorder is not None:
            self.stop_recording()
        else:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            self.start_recording(self.data_dir / "recordings" / f"session-{stamp}.yaml")

    @guarded
    def start_recording(self, path: Path) -> None:
        message, severity = self.begin_recording(path)
        self.notify(message, severity=severity, timeout=8)  # type: ignore[arg-type]
        self.phones.update_clock()
        self.refresh_bindings()

    def begin_recording(self, path: Path, force: bool = False) -> tuple[str, str]:
        """Start recording into ``path``; what to tell the user, and how loudly."""
        from phone_sim.scenario.recorder import CannotRecord  # with YAML: only when recording

        name = self.text("tui.record.name", when=datetime.now().strftime("%Y-%m-%d %H:%M"))
        try:
            self.live.start_recording(path, name, force)
        except CannotRecord:
            return self.text("tui.record.busy"), "warning"
        except FileExistsError:
            return self.text("tui.record.exists", path=path), "error"
        except OSError as error:
            return self.text("tui.record.cannot_write", path=path, error=error), "error"
        return self.text("tui.record.started", path=path), "information"

    def stop_recording(self, quiet: bool = False) -> Path | None:
        try:
            path = self.live.stop_recording(self.lang)
        except OSError as error:
            self.errors.report(error)
            return None
        if path is not None and not quiet:
            self.notify(self.text("tui.record.saved", path=path), timeout=15)
            for ladder in self.live.ladder_files[-1:]:
                self.notify(self.text("tui.record.ladder", path=ladder), timeout=15)
            self.phones.update_clock()
            self.refresh_bindings()
        return path

    @guarded
    def action_checkpoint(self) -> None:
        if self.live.checkpoint():
            self.notify(self.text("tui.record.checkpoint"))
        else:
            self.notify(self.text("tui.record.not_recording"), severity="warning")

    # ------------------------------------------------------------------ playing
    def action_scenarios(self) -> None:
        from phone_sim.tui.scenarios_screen import ScenariosScreen

        self.push_screen(ScenariosScreen(self.scenarios_dir, self.lang), self._scenario_chosen)

    @guarded
    def _scenario_chosen(self, path: Path | None) -> None:
        if path is None:
            return
        from phone_sim.scenario.loader import load_scenario  # YAML: only when a file is opened
        from phone_sim.scenario.model import ScenarioError

        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            self.notify(self.text("tui.scenarios.invalid", error=error), severity="error", timeout=15)
            return
        self.start_player(scenario)

    def start_player(self, scenario: Scenario) -> None:
        """Play ``scenario`` on a fresh network of its company."""
        self.close_player(restore=False)  # another scenario: still come back to the first company
        self.load_network(scenario.company)
        self.player = Player(scenario, self.live.session)
        self.player.paused = self.driver.paused
        self.phones.open_player(self.player)
        self.phones.update_clock()
        self.refresh_bindings()

    def action_close_player(self) -> None:
        """Close the scenario: back to the company that ran before it (``phone-sim play``
        has none: its scenario's network stays, live)."""
        self.close_player(restore=True)

    def close_player(self, restore: bool) -> None:
        if self.player is None:
            return
        self.player.close()
        self.player = None
        self.phones.close_player()
        if not (restore and self.restore_network()):
            self.driver.resync()
        self.phones.update_clock()
        self.refresh_bindings()

    # ------------------------------------------------------------------ language, help
    def action_language(self) -> None:
        self.lang = "en" if self.lang == "fr" else "fr"
        self.prefs.set("lang", self.lang)
        self.relabel_all()
        self.phones.set_lang(self.lang)
        self.notify(self.text("tui.lang.changed"))

    def relabel_all(self) -> None:
        relabel(self, self.lang)
        relabel(self.phones, self.lang)
        self.refresh_bindings()

    def action_help(self) -> None:
        from phone_sim.tui.help_screen import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(described(self.phones) + described(self), self.lang))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for name in PALETTE:
            if name == "close_player" and self.player is None:
                continue
            keys = next((b.key_display or b.key for _, b in self._bindings if b.action == name), "")
            yield SystemCommand(self.text("tui.action." + name), self.text("tui.palette.key", keys=keys),
                                getattr(self, "action_" + name))
        for key, name in (("call", "call"), ("end", "end"), ("hold", "hold"), ("conf", "conf")):
            yield SystemCommand(self.text("tui.action." + name), self.text("tui.palette.selected"),
                                lambda key=key: self.phones.action_key(key))
        # Textual's own commands, in our words: the theme and quitting
        yield SystemCommand(self.text("tui.action.theme"), self.text("tui.palette.theme"), self.action_change_theme)
        yield SystemCommand(self.text("tui.action.quit"), self.text("tui.palette.key", keys="q, Ctrl+Q"),
                            self.action_quit)

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the session's language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=self.text("tui.palette.placeholder")))

    # ------------------------------------------------------------------ portal, sound
    @guarded
    def action_portal(self) -> None:
        try:
            module = importlib.import_module("phone_sim.tui.portal")
            screen_class = module.PortalScreen
        except (ImportError, AttributeError):
            self.notify(self.text("tui.portal.missing"), severity="warning")
            return
        offered = {"net": self.live.net, "network": self.live.net, "store": self.portal_store,
                   "lang": self.lang, "data_dir": self.data_dir, "data": self.data_dir,
                   "session": self.portal_session()}
        wanted = inspect.signature(screen_class).parameters
        self.push_screen(screen_class(**{k: v for k, v in offered.items() if k in wanted}))

    def portal_session(self) -> Any:
        """The portal's login, kept while the app runs (on the network shown)."""
        from phone_sim.tui.portal.session import PortalSession

        session = self._portal_session
        if session is None or session.net is not self.live.net:
            session = self._portal_session = PortalSession(self.live.net, self.portal_store, self.lang)
        return session

    @guarded
    def action_lessons(self) -> None:
        """The lessons (phone_sim.tui.lessons): each runs on its own network, beside this one."""
        from phone_sim.training.loader import load_lessons
        from phone_sim.tui.lessons.picker import LessonPicker

        self.push_screen(LessonPicker(load_lessons(), lang=self.lang, data=self.data_dir))

    def action_ladder(self) -> None:
        """The call-flow ladder of the session so far (it follows the session while open)."""
        from phone_sim.tui.ladder_screen import LadderScreen

        self.push_screen(LadderScreen(self.live.ladder, self.lang))

    def action_mute(self) -> None:
        muted = self.sound.toggle_muted()
        self.notify(self.text("tui.sound.muted" if muted else "tui.sound.unmuted"))

    def action_hear_all(self) -> None:
        on = self.sound.toggle_hear_all()
        self.notify(self.text("tui.sound.hear_all" if on else "tui.sound.hear_selected"))

    @guarded
    def action_mic(self) -> None:
        """The microphone on the chosen handset (or off, or moved to it)."""
        self.sound.toggle_mic(self, self.phones.selected)

    async def action_quit(self) -> None:
        self.finish()
        self.exit(0)
