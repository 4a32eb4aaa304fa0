"""Choose a scenario file to play: every scenario under a folder (``scenarios/`` by
default), by path. The app loads the one chosen and plays it on a fresh network."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from phone_sim.network.catalogue import text
from phone_sim.network.printable import printable
from phone_sim.scenario.loader import load_paths
from phone_sim.scenario.model import ScenarioError
from phone_sim.tui.bindings import bind, relabel


def scenario_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    try:
        return load_paths([folder])
    except ScenarioError:
        return []


class ScenariosScreen(ModalScreen[Path | None]):
    BINDINGS = [bind("escape", "dismiss", "close")]

    def __init__(self, folder: Path, lang: str = "fr") -> None:
        super().__init__()
        self.folder = folder
        self.lang = lang
        relabel(self, lang)
        self.files = scenario_files(folder)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog scenarios"):
            yield Static(text("tui.scenarios.title", self.lang), classes="dialog-title")
            if self.files:
                # a file name is shown as text: escapes and markup in it are not obeyed
                yield OptionList(*[Option(Text(printable(str(self._shown(f)))), id=str(i))
                                   for i, f in enumerate(self.files)],
                                 id="scenario-list")
            else:
                yield Static(text("tui.scenarios.none", self.lang, path=self.folder))

    def _shown(self, file: Path) -> Path:
        try:
            return file.relative_to(self.folder)
        except ValueError:
            return file

    def on_mount(self) -> None:
        if self.files:
            self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.files[int(event.option.id or 0)])
