"""The event log panel: the latest network events, stamped with virtual time.

The panel is a fixed window on the tail of the log, redrawn in place: a scrolling log
widget changes its virtual size with every line, which makes Textual lay out the screen
again. The whole history, scrollable, opens in
the journal (``JournalScreen``). Events are kept, not their text, so switching language
rewrites the log in the other language. Refusals stand out.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

from rich.text import Text
from textual.widgets import Static

from phone_sim.network import events as ev
from phone_sim.network.catalogue import text
from phone_sim.network.eventtext import log_line

KEEP = 5000
_STYLES: dict[type, str] = {
    ev.ActionWasRefused: "bold red",
    ev.Announcement: "yellow",
    ev.CallDidEnd: "dim",
    ev.CallDidTransfer: "bold cyan",
    ev.ConferenceDidChange: "bold cyan",
    ev.CallDidForward: "magenta",
    ev.KeyWasPressed: "dim",
}


class EventLog(Static):
    def __init__(self, lang: str = "fr", **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.lang = lang
        self.names: Mapping[str, str] = {}  # party and group ids -> names, set by the screen
        self.entries: deque[ev.Event | str] = deque(maxlen=KEEP)  # events, or notes as text
        self._lines: deque[Text] = deque(maxlen=KEEP)
        self._pending = False
        self.calls: dict[int, int] = {}  # the network's call ids -> 1, 2, 3 in this session

    def on_mount(self) -> None:
        self.border_title = text("tui.log.title", self.lang)

    def _line(self, entry: ev.Event | str) -> Text | None:
        if isinstance(entry, str):
            return Text(entry, style="italic")
        line = log_line(entry, self.lang, self.names, self.number)
        return None if line is None else Text(line, style=_STYLES.get(type(entry), ""))

    def number(self, call_id: int) -> int:
        """Calls numbered as the user counts them: the first one seen is 1."""
        return self.calls.setdefault(call_id, len(self.calls) + 1)

    def add(self, entry: ev.Event | str) -> None:
        """An event (shown if the log shows that kind) or a note of the app's own."""
        line = self._line(entry)
        if line is None:
            return
        self.entries.append(entry)
        self._lines.append(line)
        if not self._pending:
            # drawn in the frame after the handsets': Textual redraws the box around all
            # dirty regions, and a display at the top with the log at the bottom is most
            # of the screen
            self._pending = True
            self.call_after_refresh(self._show)

    def _show(self) -> None:
        self._pending = False
        rows = max(1, self.size.height) if self.size.height else 10
        tail = list(self._lines)[-rows:]
        self.update(Text("\n", no_wrap=True).join(tail), layout=False)

    def on_resize(self) -> None:
        self._show()

    def history(self) -> list[Text]:
        return list(self._lines)

    def plain(self) -> str:
        return "\n".join(line.plain for line in self._lines)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.border_title = text("tui.log.title", lang)
        self._lines.clear()
        for entry in self.entries:
            line = self._line(entry)
            if line is not None:
                self._lines.append(line)
        self._show()

    def save(self) -> tuple[list[ev.Event | str], dict[int, int]]:
        """What the log holds, to put back with ``reset`` (a scenario shown meanwhile)."""
        return list(self.entries), dict(self.calls)

    def reset(self, saved: tuple[list[ev.Event | str], dict[int, int]] | None = None) -> None:
        """Another network shown: its entries and call numbers (none for a new one)."""
        entries, calls = saved or ([], {})
        self.calls = dict(calls)
        self.entries.clear()
        self.entries.extend(entries)
        self.set_lang(self.lang)
