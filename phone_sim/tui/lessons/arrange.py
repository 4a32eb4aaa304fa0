"""Where the lesson's handsets and its guiding panel go, from the terminal's size (no
Textual here; the rules of ``phone_sim.tui.layout``).

From 120 columns the panel sits beside the handsets (two a row); under that the handsets
go in one row across the top and the panel below them, at least ``PANEL_MIN`` rows high.
Each row of handsets is as tall as its fullest display needs; keypads fold away when
they would not leave the panel its room (the keyboard plays the trainee's phone anyway).
"""

from __future__ import annotations

from dataclasses import dataclass

from phone_sim.tui.layout import MIN_WIDTH_FULL, fit, text_width, wrapped

STACKED_BELOW = 120  # columns under which the panel goes below the handsets
PANEL_WIDE, PANEL_NARROW = 58, 44  # the panel's width beside the handsets (150 columns and more / less)
PANEL_MIN = 8  # rows the panel keeps below the handsets
GRID_MARGIN = 2  # the handsets grid's padding


@dataclass(frozen=True, slots=True)
class Arrangement:
    stacked: bool
    cols: int
    panel_width: int  # 0: the whole width (stacked)
    rows: tuple[int, ...]
    keypads: bool


def arrange(width: int, height: int, displays: list[tuple[str, ...]]) -> Arrangement:
    """``displays``: each handset's display lines, in the order shown."""
    count = max(1, len(displays))
    stacked = width < STACKED_BELOW
    if stacked:
        cols, panel = count, 0
    else:
        cols, panel = (1 if count == 1 else 2), (PANEL_WIDE if width >= 150 else PANEL_NARROW)
    area = width - panel - GRID_MARGIN
    slot = max(1, (area - (cols - 1)) // cols)
    keypads = slot >= MIN_WIDTH_FULL  # narrower, the function keys' labels would be cut
    lines = [wrapped(display, text_width(slot, keypads)) for display in displays]
    by_row = [lines[i:i + cols] for i in range(0, len(lines), cols)]
    if stacked:
        result = fit(height, by_row, keypads, bars=0, log_min=PANEL_MIN, log_max=height, per_row=1)
    else:
        result = fit(height, by_row, keypads, bars=0, log_min=0, log_max=0, per_row=1)
    return Arrangement(stacked, cols, panel, result.rows, result.keypads)
