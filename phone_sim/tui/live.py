"""The live session the TUI shows: one network, its handsets, and every action on it.

Every action of the TUI (a key from the keyboard or the mouse, power, a move) goes
through ``LiveSession`` so that the recorder, when one runs, sees it. No Textual here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from phone_sim.handset.handset import Handset
from phone_sim.network.clock import Clock
from phone_sim.network.company import CompanySpec
from phone_sim.network.refusal import Refused
from phone_sim.network.switch import Network
from phone_sim.scenario.ladder import LadderBuilder
from phone_sim.scenario.runner import Session

if TYPE_CHECKING:
    from phone_sim.scenario.recorder import Recorder

LADDER_ROWS = 5000  # the live ladder keeps this many rows (the oldest go first)


class LiveSession:
    def __init__(self, company: CompanySpec, net: Network | None = None) -> None:
        """A session on ``company``, or on ``net`` when one is given (built by the store)."""
        self.company = company
        self.net = net if net is not None else Network(company, Clock())
        self.session = Session(self.net)
        self.order: list[str] = list(self.net.parties)
        self.recorder: Recorder | None = None
        self.record_path: Path | None = None
        self.ladder = LadderBuilder(self.net, company.name, limit=LADDER_ROWS).attach()
        self.record_ladder: LadderBuilder | None = None
        self.ladder_files: list[Path] = []  # written beside the last recording

    @property
    def handsets(self) -> dict[str, Handset]:
        return self.session.handsets

    # ------------------------------------------------------------------ actions
    def press(self, party: str, key: str) -> Refused | None:
        recorder = self.recorder
        if recorder is not None:
            recorder.key(party, key)
        try:
            result = self.session.handsets[party].press(key)
            self.net.clock.settle()  # as the scenario runner does after every step
            return result
        finally:
            if recorder is not None:
                recorder.done()

    def toggle_power(self, party: str) -> Refused | None:
        on = self.net.parties[party].power
        return self._act("switch_off" if on else "switch_on", party,
                         lambda: self.net.switch_off(party) if on else self.net.switch_on(party))

    def move(self, party: str, location: str) -> Refused | None:
        if self.net.parties[party].location == location:
            return None
        return self._act("move", {party: location}, lambda: self.net.move(party, location))

    def _act(self, action: str, value: object, fn: Callable[[], object]) -> Refused | None:
        recorder = self.recorder
        if recorder is not None:
            recorder.action(action, value)
        try:
            result = fn()
            self.net.clock.settle()
        finally:
            if recorder is not None:
                recorder.done()
        return result if isinstance(result, Refused) else None

    # ------------------------------------------------------------------ recording
    def start_recording(self, path: Path, name: str, force: bool = False) -> Recorder:
        """Raises ``CannotRecord`` when calls or timers are in progress, OSError when the
        file cannot be created (then nothing records: no error later, at exit)."""
        from phone_sim.scenario.recorder import Recorder  # YAML: imported when recording starts

        recorder = Recorder(self.session, name=name)
        try:
            recorder.save(path, force=force)
        except OSError:
            recorder.finish()  # stop listening: recording is off
            raise
        self.recorder, self.record_path = recorder, path
        self.record_ladder = LadderBuilder(self.net, name).attach()
        return recorder

    def checkpoint(self) -> bool:
        if self.recorder is None or self.record_path is None:
            return False
        self.recorder.checkpoint()
        self.recorder.save(self.record_path)
        return True

    def stop_recording(self, lang: str = "fr") -> Path | None:
        recorder, path = self.recorder, self.record_path
        self.recorder = self.record_path = None
        if recorder is None or path is None:
            return None
        recorder.finish()
        saved = recorder.save(path)
        self.ladder_files = self._save_ladder(path, lang)
        return saved

    def _save_ladder(self, path: Path, lang: str) -> list[Path]:
        """The recording's call-flow ladder beside it: ``NAME.ladder.md`` and ``.svg``."""
        builder, self.record_ladder = self.record_ladder, None
        if builder is None:
            return []
        builder.detach()
        from phone_sim.scenario.ladder_svg import svg_ladder
        from phone_sim.scenario.ladder_text import mermaid_document
        from phone_sim.scenario.reports import write_private

        ladder = builder.ladder()
        written = []
        for suffix, content in ((".ladder.md", mermaid_document(ladder, lang, path.name)),
                                (".ladder.svg", svg_ladder(ladder, lang))):
            target = path.with_name(path.stem + suffix)
            write_private(target, content)
            written.append(target)
        return written
