"""The event log panel: one line per network event, stamped with virtual time.

The log keeps the events themselves (not their text), so switching language rewrites
the panel in the other language. Refusals stand out.
"""

from __future__ import annotations

from collections import deque

from rich.text import Text
from textual.widgets import RichLog

from phone_sim.network import events as ev
from phone_sim.network.catalogue import text
from phone_sim.network.eventtext import log_line

KEEP = 2000
_STYLES: dict[type, str] = {
    ev.ActionWasRefused: "bold red",
    ev.Announcement: "yellow",
    ev.CallDidEnd: "dim",
    ev.CallDidTransfer: "bold cyan",
    ev.ConferenceDidChange: "bold cyan",
    ev.CallDidForward: "magenta",
    ev.KeyWasPressed: "dim",
}


class EventLog(RichLog):
    can_focus = False

    def __init__(self, lang: str = "fr", **kwargs: object) -> None:
        super().__init__(max_lines=KEEP, wrap=False, markup=False, auto_scroll=True, **kwargs)  # type: ignore[arg-type]
        self.lang = lang
        self.events: deque[ev.Event] = deque(maxlen=KEEP)

    def on_mount(self) -> None:
        self.border_title = text("tui.log.title", self.lang)

    def add(self, event: ev.Event) -> None:
        line = log_line(event, self.lang)
        if line is None:
            return
        self.events.append(event)
        self.write(Text(line, style=_STYLES.get(type(event), "")))

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.border_title = text("tui.log.title", lang)
        self.clear()
        for event in self.events:
            line = log_line(event, lang)
            if line is not None:
                self.write(Text(line, style=_STYLES.get(type(event), "")))

    def reset(self) -> None:
        self.events.clear()
        self.clear()
