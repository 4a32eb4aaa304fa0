"""A ladder as an SVG picture: a box per column, lifelines, one line per arrow or note with
its virtual time on the left, and a band per scenario step (red for the step that failed).

Drawn with svg.py (typed SVG elements). drawsvg was measured too: it took 18 ms for 60
arrows with their labels, svg.py 5 ms, and a suite writes one picture per scenario.
svg.py writes text content as given, so every text goes through ``escape``.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import svg

from phone_sim.network.clock import format_ms
from phone_sim.scenario.ladder import Column, Ladder, Mark

LEFT = 84  # the time column
COLUMN = 176
HEADER = 52
LINE = 26
CAPTION = 24
FONT = "DejaVu Sans, Verdana, sans-serif"
CHAR = 6.4  # mean width of a character at 11 px, to size notes and the picture
COLOURS = {"handset": "#e8f0fe", "network": "#fff4d6", "group": "#e6f4ea", "menu": "#f3e8fd"}
INK, ALERT, DIM = "#202124", "#c5221f", "#5f6368"
HEADS = {INK: "head", ALERT: "head-alert"}


def svg_ladder(ladder: Ladder, lang: str = "fr") -> str:
    height = HEADER + 26 + sum(CAPTION + 4 if r.caption is not None else LINE * len(r.marks) for r in ladder.rows)
    longest = max((len(ladder.label(m.label, lang)) for r in ladder.rows for m in r.marks), default=0)
    width = LEFT + COLUMN * len(ladder.columns) + min(420, int(longest * CHAR / 2)) + 20
    centre = {c.key: LEFT + i * COLUMN + COLUMN / 2 for i, c in enumerate(ladder.columns)}
    elements: list[svg.Element] = [svg.Defs(elements=[_arrowhead(name, colour) for colour, name in HEADS.items()]),
                                   svg.Rect(x=0, y=0, width=width, height=height, fill="white")]
    for column in ladder.columns:
        elements += _column(ladder, column, centre[column.key], height, lang)
    y = float(HEADER + 12)
    for row in ladder.rows:
        if row.caption is not None:
            elements += [
                svg.Rect(x=4, y=y, width=width - 8, height=CAPTION, rx=3, fill="#fce8e6" if row.failed else "#f1f3f4"),
                _text(format_ms(row.time), 8, y + 16, fill=DIM),
                _text(ladder.label(row.caption, lang), LEFT, y + 16, size=12, fill=ALERT if row.failed else INK,
                      bold=True),
            ]
            y += CAPTION + 4
            continue
        for n, mark in enumerate(row.marks):
            if n == 0:
                elements.append(_text(format_ms(row.time), 8, y + 17, fill=DIM))
            elements += _mark(mark, ladder.label(mark.label, lang), centre, y)
            y += LINE
    picture = svg.SVG(width=width, height=height, viewBox=svg.ViewBoxSpec(0, 0, width, height), elements=elements)
    return f'<?xml version="1.0" encoding="utf-8"?>\n{picture}\n'


def _column(ladder: Ladder, column: Column, x: float, height: float, lang: str) -> list[svg.Element]:
    title, detail = ladder.label(column.title, lang), column.detail
    found = [
        svg.Line(x1=x, y1=HEADER, x2=x, y2=height - 8, stroke="#bdc1c6", stroke_width=1.2),
        svg.Rect(x=x - COLUMN / 2 + 8, y=6, width=COLUMN - 16, height=HEADER - 12, rx=6,
                 fill=COLOURS.get(column.kind, "#eeeeee"), stroke="#9aa0a6"),
        _text(_fit(title, COLUMN - 24), x, 24, size=13, bold=True, anchor="middle"),
    ]
    if detail:
        found.append(_text(detail, x, 39, fill=DIM, anchor="middle"))
    return found


def _mark(mark: Mark, label: str, centre: dict[str, float], y: float) -> list[svg.Element]:
    colour = ALERT if mark.alert else INK
    a = centre.get(mark.src, float(LEFT))
    b = centre.get(mark.dst, a) if mark.dst is not None else a
    if a == b:  # a note over one column
        box = min(len(label) * CHAR + 12, 2 * COLUMN)
        return [svg.Rect(x=a - 6, y=y + 4, width=box, height=LINE - 6, rx=4, fill="#fffbe6", stroke="#c9b458"),
                _text(label, a, y + 17, fill=colour)]
    line_y = y + LINE - 5
    end = b - 2 if b > a else b + 2
    return [svg.Line(x1=a, y1=line_y, x2=end, y2=line_y, stroke=colour, stroke_width=1.4,
                     stroke_dasharray=[5, 4] if mark.dashed else None, marker_end=f"url(#{HEADS[colour]})"),
            _text(label, (a + b) / 2, line_y - 5, fill=colour, anchor="middle")]


def _text(value: str, x: float, y: float, size: int = 11, fill: str = INK, bold: bool = False,
          anchor: str | None = None) -> svg.Text:
    return svg.Text(text=escape(value), x=x, y=y, font_size=size, fill=fill, font_family=FONT,
                    font_weight="bold" if bold else None, text_anchor=anchor)  # type: ignore[arg-type]


def _arrowhead(name: str, colour: str) -> svg.Marker:
    return svg.Marker(id=name, viewBox=svg.ViewBoxSpec(0, 0, 10, 10), refX=10, refY=5, markerWidth=8,
                      markerHeight=8, orient="auto",
                      elements=[svg.Path(d=[svg.M(0, 0), svg.L(10, 5), svg.L(0, 10), svg.Z()], fill=colour)])


def _fit(value: str, pixels: float) -> str:
    most = int(pixels / (CHAR * 1.15))
    return value if len(value) <= most else value[: most - 1] + "…"
