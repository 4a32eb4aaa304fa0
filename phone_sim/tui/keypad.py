"""A handset's keypad: ``1-9 * 0 #`` and the function keys, drawn as one widget.

Digits sit in a 3x4 grid on the left; the function keys (call, end, hold, conf) and the
handset's actions (power, move) in a 2x3 grid beside them. One widget draws all eighteen
keys: six keypads of eighteen Buttons each were more than half of the widgets on the
phones screen, and styling, laying out and drawing them was most of the start-up.

A click on a key, or ``press_key`` (the keyboard, the lesson screen), posts
``Keypad.Pressed`` to the *screen* rather than to the keypad: every widget has its own
message queue, so keys typed fast on different handsets could otherwise reach the network
out of order. Its ``button_id`` is the key's name as the handset knows it: ``key-7``,
``key-star``, ``key-call``, ``power``, ``move``. The key under the mouse is highlighted.
The keypad takes no focus: Tab moves between handsets.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Offset
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from phone_sim.network.catalogue import text

DIGIT_KEYS = tuple("123456789*0#")
FUNCTION_KEYS = ("call", "end", "hold", "conf")
ACTION_KEYS = ("power", "move")  # not keys of the phone: the handset's own buttons
_ID_OF = {"*": "star", "#": "hash"}
_KEY_OF = {"star": "*", "hash": "#"}
DIGIT_WIDTH = 4  # three columns of 4 with a gap of 1: 14 cells, as the old Button grid
DIGITS_WIDTH = 3 * DIGIT_WIDTH + 2
FUNCTIONS_LEFT = DIGITS_WIDTH + 1
_ROWS = (("call", "end"), ("hold", "conf"), ("power", "move"))
_STYLE_OF = {"conf": "keypad--hold"}  # the two call-handling keys share a colour


def button_id(key: str) -> str:
    """``*`` -> ``key-star``, ``call`` -> ``key-call``; ``power`` and ``move`` keep their name."""
    if key in ACTION_KEYS:
        return key
    return "key-" + _ID_OF.get(key, key)


def key_of(button_id: str) -> str | None:
    """``key-star`` -> ``*``; None for a button that is not a key."""
    if not button_id.startswith("key-"):
        return None
    name = button_id[4:]
    return _KEY_OF.get(name, name)


@dataclass(frozen=True)
class Cell:
    key: str
    x: int
    y: int
    width: int
    style: str  # the component class that colours it


def cells(width: int) -> tuple[Cell, ...]:
    """Where each key is drawn in a keypad ``width`` cells wide (4 rows)."""
    placed = [Cell(key, (i % 3) * (DIGIT_WIDTH + 1), i // 3, DIGIT_WIDTH, "keypad--digit")
              for i, key in enumerate(DIGIT_KEYS)]
    room = max(0, width - FUNCTIONS_LEFT)
    left = max(0, (room - 1) // 2)
    for y, (first, second) in enumerate(_ROWS):
        for key, x, w in ((first, FUNCTIONS_LEFT, left), (second, FUNCTIONS_LEFT + left + 1, room - left - 1)):
            if w > 0:
                style = "keypad--action" if key in ACTION_KEYS else _STYLE_OF.get(key, "keypad--" + key)
                placed.append(Cell(key, x, y, w, style))
    return tuple(placed)


class Keypad(Widget):
    """Digits in a 3x4 grid, function keys and handset actions beside them."""

    COMPONENT_CLASSES = {"keypad--digit", "keypad--call", "keypad--end", "keypad--hold",
                         "keypad--action", "keypad--hover"}
    DEFAULT_CSS = """
    Keypad { height: 4; pointer: pointer; }
    Keypad > .keypad--digit { background: $surface; color: $text; text-style: bold; }
    Keypad > .keypad--call { background: $success-darken-1; color: $text; text-style: bold; }
    Keypad > .keypad--end { background: $error-darken-1; color: $text; text-style: bold; }
    Keypad > .keypad--hold { background: $primary-darken-1; color: $text; text-style: bold; }
    Keypad > .keypad--action { background: $panel; color: $text-muted; text-style: bold; }
    Keypad > .keypad--hover { background: $primary; color: $text; }
    """

    @dataclass
    class Pressed(Message):
        """A key of this keypad was pressed (clicked, or by the keyboard)."""

        keypad: Keypad
        button_id: str

    def __init__(self, lang: str = "fr", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lang = lang
        self.labels: dict[str, str] = {key: key for key in DIGIT_KEYS}
        self._power = True
        self._label_all()
        self._hover: str | None = None
        self._cells: tuple[Cell, ...] = ()
        self._cells_width = -1
        self._styles: dict[tuple[str, bool], Style] = {}

    # ------------------------------------------------------------------ keys
    def press_key(self, key: str) -> None:
        """Press ``key`` (``7``, ``#``, ``call``, ``power``...): to the screen's queue."""
        if self.disabled or key not in self.labels:
            return
        self.screen.post_message(self.Pressed(self, button_id(key)))

    def relabel(self, lang: str, power: bool) -> None:
        if (lang, power) == (self.lang, self._power):
            return
        self.lang, self._power = lang, power
        self._label_all()
        self.refresh()

    def _label_all(self) -> None:
        for key in FUNCTION_KEYS:
            self.labels[key] = text("tui.key." + key, self.lang)
        self.labels["power"] = text("tui.power.switch_off" if self._power else "tui.power.switch_on", self.lang)
        self.labels["move"] = text("tui.move", self.lang)

    def layout_cells(self) -> tuple[Cell, ...]:
        width = self.size.width
        if width != self._cells_width:
            self._cells, self._cells_width = cells(width), width
        return self._cells

    def key_at(self, x: int, y: int) -> str | None:
        """The key drawn at ``(x, y)`` in the keypad, if any."""
        for cell in self.layout_cells():
            if cell.y == y and cell.x <= x < cell.x + cell.width:
                return cell.key
        return None

    def offset_of(self, key: str) -> Offset:
        """The middle of ``key`` in the keypad (for a click)."""
        cell = next(c for c in self.layout_cells() if c.key == key)
        return Offset(cell.x + cell.width // 2, cell.y)

    # ------------------------------------------------------------------ mouse
    def on_click(self, event: events.Click) -> None:
        key = self.key_at(event.x, event.y)
        if key is not None:  # a key: pressed (the screen chooses its handset); between keys,
            event.stop()  # the click goes on to the handset, which takes the focus
            self.press_key(key)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self.key_at(event.x, event.y))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, key: str | None) -> None:
        if key != self._hover:
            self._hover = key
            self.refresh()

    # ------------------------------------------------------------------ drawing
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        segments: list[Segment] = []
        x = 0
        for cell in self.layout_cells():
            if cell.y != y:
                continue
            if cell.x > x:
                segments.append(Segment(" " * (cell.x - x), base))
            segments.append(Segment(self._label(cell), self._style(cell)))
            x = cell.x + cell.width
        if x < width:
            segments.append(Segment(" " * (width - x), base))
        return Strip(segments, width).crop(0, width)

    def _label(self, cell: Cell) -> str:
        label = self.labels[cell.key]
        if len(label) > cell.width:
            label = label[: max(0, cell.width - 1)] + "…" if cell.width > 1 else label[: cell.width]
        return label.center(cell.width)

    def _style(self, cell: Cell) -> Style:
        hover = cell.key == self._hover
        style = self._styles.get((cell.style, hover))
        if style is None:
            style = self.get_component_rich_style(cell.style)
            if hover:
                style += self.get_component_rich_style("keypad--hover")
            self._styles[cell.style, hover] = style
        return style

    def notify_style_update(self) -> None:
        self._styles.clear()  # another theme, or the keypad restyled
        super().notify_style_update()
