"""One handset on screen: name, number, options, power and location, the display, the
tone heard now, and the keypad.

Attributes down, messages up: the phones screen sets ``face`` (a ``HandsetFace``) and the
widget draws it; a key, the power button or the move button becomes one of the widget's
messages (``message_for``) that the screen acts on. Key buttons post their press to the
screen's queue (see ``KeyButton``), so keys keep their order. The widget is a slot:
paging gives it another handset's face.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from phone_sim.network.catalogue import text
from phone_sim.tui.errors import guarded
from phone_sim.tui.face import HandsetFace
from phone_sim.tui.keypad import Keypad, key_of


class HandsetWidget(Vertical, can_focus=True):
    face: reactive[HandsetFace | None] = reactive(None, layout=False, repaint=False, init=False)
    """What to show; None hides the slot."""
    index: reactive[int] = reactive(0, init=False)
    """The handset's position in the company (1-based): Alt+index chooses it."""
    compact: reactive[bool] = reactive(False, init=False)
    """Keypad folded away; power shown on the border instead of the status line."""

    @dataclass
    class KeyPressed(Message):
        """A keypad key was pressed (keyboard or mouse)."""

        party: str
        key: str

    @dataclass
    class PowerToggled(Message):
        party: str

    @dataclass
    class MoveRequested(Message):
        party: str

    @dataclass
    class Chosen(Message):
        """The user clicked or tabbed to this handset."""

        party: str

    def __init__(self, lang: str = "fr", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.lang = lang
        self.parts: dict[str, Static] = {}  # kept, not queried: a face is drawn on every key
        self.keypad = Keypad(lang, id="keypad")
        self.display = False  # until it is given a face

    def compose(self) -> ComposeResult:
        # number, options and status are the three lines of one widget (fewer widgets, a
        # quicker start); folded, the status goes to the border and the widget has two
        for name in ("info", "screen", "tone"):
            self.parts[name] = Static(id=name, markup=False)
            yield self.parts[name]
        yield self.keypad

    @property
    def party(self) -> str | None:
        return self.face.party if self.face is not None else None

    def press_key(self, key: str) -> None:
        """The keyboard's way in: the same Button.press() a click does."""
        self.keypad.press_key(key)

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        if self.face is not None:
            self.keypad.relabel(lang, self.face.power)

    @guarded
    def watch_face(self, old: HandsetFace | None, face: HandsetFace | None) -> None:
        self.display = face is not None
        if face is None:
            return
        if old is None or old.name != face.name:
            self.border_title = face.name
        if old is None or old.power != face.power:
            self._subtitle()
        # classes go on the leaves: a class on the handset would restyle its 25 children
        screen = self.parts["screen"]
        screen.set_class(not face.power, "-off")
        screen.set_class(face.ringing, "-ringing")
        self.parts["tone"].set_class(face.ringing, "-ringing")
        if old is None or _info(old) != _info(face):
            self._draw_info()
        if old is None or old.lines != face.lines:
            screen.update(Text("\n".join(face.lines)), layout=False)
        self._update("tone", self._tone(face), self._tone(old) if old else None)
        if old is None or old.power != face.power:
            self.keypad.relabel(self.lang, face.power)

    def _draw_info(self) -> None:
        """Number, options, and (not folded) power and location, in warning colour away."""
        face = self.face
        if face is None:
            return
        parts: list[str | tuple[str, str]] = [face.number, "\n", (face.options, "$foreground-muted")]
        if not self.compact:
            away = "$warning" if face.location != "home" else ""
            parts += ["\n", (("● " if face.power else "○ ") + face.status, away)]
        self.parts["info"].update(Content.assemble(*parts), layout=False)

    def _tone(self, face: HandsetFace) -> str:
        """The tone heard now, and the ringer when it sounds."""
        ringer = f"   ((( {text('tui.ringing', self.lang)} )))" if face.ringing else ""
        return f"♪ {face.tone}{ringer}"

    def _update(self, part: str, value: str, old: str | None) -> None:
        if value != old:
            self.parts[part].update(value, layout=False)

    def watch_index(self, index: int) -> None:
        self._subtitle()

    def watch_compact(self, compact: bool) -> None:
        self._subtitle()
        self._draw_info()

    def _subtitle(self) -> None:
        """``Alt+3`` (the key that chooses it); folded, ``● Alt+3`` (○ when off)."""
        index = self.index
        keys = f"Alt+{index % 10}" if 0 < index <= 10 else ""
        if self.compact and self.face is not None:
            keys = ("● " if self.face.power else "○ ") + keys
        self.border_subtitle = keys.strip()

    def message_for(self, button_id: str | None) -> Message | None:
        """What a press of one of this handset's buttons means (the screen acts on it)."""
        party = self.party
        if party is None or button_id is None:
            return None
        key = key_of(button_id)
        if key is not None:
            return self.KeyPressed(party, key)
        if button_id == "power":
            return self.PowerToggled(party)
        if button_id == "move":
            return self.MoveRequested(party)
        return None

    def on_focus(self, event: events.Focus) -> None:
        if self.party is not None:
            self.post_message(self.Chosen(self.party))

    def on_click(self, event: events.Click) -> None:
        self.focus()


def _info(face: HandsetFace) -> tuple[str, str, str, bool, str]:
    return face.number, face.options, face.status, face.power, face.location
