"""How many handsets a page holds and how tall each row is, from the terminal's size.

No Textual here: the phones screen asks ``page_shape`` on every resize, then ``fit`` each
time a display needs more lines. The rules, in order:

- a page has as many handsets as fit with their keypads (two rows of three at 160x50,
  one row of two at 80x24), each row tall enough for three call lines;
- with keypads folded (key ``K``, or when not even one row of keypads fits) a page holds
  more handsets: up to three rows of four;
- when a display needs more lines than its row has, the event log shrinks first (down
  to one line), then the page's keypads fold away; the display always keeps every line;
- below ``MIN_SIZE`` the app shows one notice instead (``TooSmallScreen``).

The lesson screen uses the same rules, with its guiding panel in the log's place.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from rich.console import Console
from rich.text import Text

_CONSOLE = Console(file=io.StringIO(), width=400, color_system=None)
MIN_SIZE = (80, 24)  # columns, rows
BARS = 2  # the clock bar and the footer
LOG_MIN, LOG_MAX = 3, 12  # the event log's height, border included
DESIGN_LINES = 3  # call lines every row is tall enough for (active, held, waiting)
SPARE = 1  # a line kept free on every handset (a device or subtitle line)
# a handset's rows besides its display: border, number, options, status, tone, keypad
FIXED_FULL = 2 + 3 + 1 + 4 + SPARE
FIXED_COMPACT = 2 + 2 + 1 + SPARE  # the status line goes to the border, no keypad
DISPLAY_BORDER_FULL, DISPLAY_BORDER_COMPACT = 2, 0
MIN_WIDTH_FULL, MIN_WIDTH_COMPACT = 38, 30
MAX_COLS_FULL, MAX_ROWS_FULL = 3, 2
MAX_COLS_COMPACT, MAX_ROWS_COMPACT = 4, 3
MAX_PER_PAGE = MAX_COLS_COMPACT * MAX_ROWS_COMPACT
# columns a display's text loses to the handset's and the display's borders and padding
TEXT_MARGIN_FULL, TEXT_MARGIN_COMPACT = 8, 6


@dataclass(frozen=True, slots=True)
class Shape:
    cols: int
    rows: int
    keypads: bool

    @property
    def per_page(self) -> int:
        return self.cols * self.rows


def too_small(width: int, height: int) -> bool:
    return width < MIN_SIZE[0] or height < MIN_SIZE[1]


def need(lines: int, keypads: bool) -> int:
    """Rows a handset needs to show ``lines`` display lines."""
    if keypads:
        return FIXED_FULL + DISPLAY_BORDER_FULL + lines
    return FIXED_COMPACT + DISPLAY_BORDER_COMPACT + lines


def page_shape(width: int, height: int, keypads: bool = True) -> Shape:
    """The page for a handsets area of ``width`` columns in a terminal ``height`` rows high."""
    room = height - BARS - LOG_MIN
    if keypads:
        cols = min(MAX_COLS_FULL, width // MIN_WIDTH_FULL)
        rows = min(MAX_ROWS_FULL, room // need(DESIGN_LINES, True))
        if cols >= 1 and rows >= 1:
            return Shape(cols, rows, True)
    cols = max(1, min(MAX_COLS_COMPACT, width // MIN_WIDTH_COMPACT))
    rows = max(1, min(MAX_ROWS_COMPACT, room // need(DESIGN_LINES, False)))
    return Shape(cols, rows, False)


@dataclass(frozen=True, slots=True)
class Fit:
    keypads: bool
    rows: tuple[int, ...]  # each row's height
    log: int  # the event log's height


def fit(height: int, lines_by_row: list[list[int]], keypads: bool, *, bars: int = BARS, log_min: int = LOG_MIN,
        log_max: int = LOG_MAX, per_row: int = 0) -> Fit:
    """Row heights for the page: each row as tall as its fullest display needs (at least
    ``DESIGN_LINES``), the log between ``log_min`` and ``log_max``, what is left shared
    out to the rows; keypads fold when the rows would not fit otherwise. ``bars`` rows of
    the terminal are taken (clock bar, footer); ``per_row`` more rows go with each row
    (a label above the handsets)."""
    room = height - bars
    rows = [max([DESIGN_LINES, *lines]) for lines in lines_by_row] or [DESIGN_LINES]
    if keypads and sum(need(n, True) + per_row for n in rows) + log_min > room:
        keypads = False
    heights = [need(n, keypads) + per_row for n in rows]
    extra = room - sum(heights) - log_max
    if extra > 0:  # a tall terminal: the rows share what the log does not take
        share, left = divmod(extra, len(heights))
        heights = [h + share + (1 if i < left else 0) for i, h in enumerate(heights)]
    log = max(log_min, room - sum(heights))
    return Fit(keypads, tuple(heights), log)


def text_width(slot_width: int, keypads: bool) -> int:
    """Columns of text a display of a handset ``slot_width`` wide shows per line."""
    return max(1, slot_width - (TEXT_MARGIN_FULL if keypads else TEXT_MARGIN_COMPACT))


@lru_cache(maxsize=4096)
def wrapped(lines: tuple[str, ...], width: int) -> int:
    """Display lines once wrapped at ``width`` columns, as the display wraps them."""
    return sum(len(Text(line).wrap(_CONSOLE, width)) for line in lines)
