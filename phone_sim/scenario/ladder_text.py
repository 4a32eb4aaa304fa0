"""Ladders as text: an ASCII ladder for the console (SIPp-like) and a Mermaid
``sequenceDiagram`` (rendered by GitHub, GitLab and most Markdown viewers)."""

from __future__ import annotations

from phone_sim.network.catalogue import text
from phone_sim.network.clock import format_ms
from phone_sim.scenario.ladder import Ladder, Mark

TIME_WIDTH = 11
MIN_WIDTH, MAX_WIDTH = 14, 22


# ---------------------------------------------------------------------- ASCII
def ascii_ladder(ladder: Ladder, lang: str = "fr") -> str:
    """One line per arrow or note (the first of an event's lines has its time), the
    label to the right of the lanes, and a caption line per scenario step."""
    columns = ladder.columns
    if not ladder.rows:
        return text("ladder.empty", lang)
    titles = [ladder.label(c.title, lang) for c in columns]
    width = max(MIN_WIDTH, min(MAX_WIDTH, max(len(t) for t in titles) + 2))
    centre = {c.key: i * width + width // 2 for i, c in enumerate(columns)}
    span = len(columns) * width
    lines = [_cells(titles, width), _cells([c.detail for c in columns], width)]
    lines.append(" " * TIME_WIDTH + _lanes(span, centre))
    for row in ladder.rows:
        if row.caption is not None:
            caption = ladder.label(row.caption, lang)
            rule = "!!" if row.failed else "--"
            lines.append(f"{format_ms(row.time):<{TIME_WIDTH}}{rule} {caption} {rule}")
            continue
        for n, mark in enumerate(row.marks):
            stamp = format_ms(row.time) if n == 0 else ""
            lanes = _draw(mark, span, centre)
            label = ladder.label(mark.label, lang)
            lines.append(f"{stamp:<{TIME_WIDTH}}{lanes}  {'! ' if mark.alert else ''}{label}".rstrip())
    return "\n".join(line.rstrip() for line in lines)


def _cells(values: list[str], width: int) -> str:
    return " " * TIME_WIDTH + "".join(v[: width - 1].center(width) for v in values)


def _lanes(span: int, centre: dict[str, int]) -> str:
    cells = [" "] * span
    for x in centre.values():
        cells[x] = "|"
    return "".join(cells)


def _draw(mark: Mark, span: int, centre: dict[str, int]) -> str:
    cells = list(_lanes(span, centre))
    a = centre.get(mark.src, 0)
    b = centre.get(mark.dst, a) if mark.dst is not None else a
    if a == b:
        cells[a] = "*"
        return "".join(cells)
    left, right = min(a, b), max(a, b)
    for x in range(left + 1, right):
        cells[x] = "-" if not mark.dashed or (x - left) % 2 else " "
    if b > a:
        cells[right - 1] = ">"
    else:
        cells[left + 1] = "<"
    return "".join(cells)


# ---------------------------------------------------------------------- Mermaid
def mermaid_ladder(ladder: Ladder, lang: str = "fr") -> str:
    """The ladder as a Mermaid ``sequenceDiagram`` (the diagram's source only)."""
    ids = {c.key: ("N" if c.kind == "network" else f"P{i}") for i, c in enumerate(ladder.columns)}
    out = ["sequenceDiagram"]
    if ladder.title:
        out.append(f"    title {_escape(ladder.title)}")
    for c in ladder.columns:
        title = _escape(ladder.label(c.title, lang))
        alias = f"{title}<br/>{_escape(c.detail)}" if c.detail else title
        out.append(f"    participant {ids[c.key]} as {alias}")
    first, last = ids[ladder.columns[0].key], ids[ladder.columns[-1].key]
    span = first if first == last else f"{first},{last}"
    for row in ladder.rows:
        stamp = format_ms(row.time)
        if row.caption is not None:
            note = f"    Note over {span}: {stamp} {_escape(ladder.label(row.caption, lang))}"
            out += ["    rect rgb(255, 215, 215)", "    " + note, "    end"] if row.failed else [note]
            continue
        for mark in row.marks:
            label = _escape(f"{stamp} {ladder.label(mark.label, lang)}")
            src = ids.get(mark.src, "N")
            dst = ids.get(mark.dst, src) if mark.dst is not None else src
            if dst == src:
                out.append(f"    Note over {src}: {label}")
                continue
            arrow = ("--" if mark.dashed else "-") + ("x" if mark.alert else ">>")
            out.append(f"    {src}{arrow}{dst}: {label}")
    return "\n".join(out) + "\n"


def mermaid_document(ladder: Ladder, lang: str = "fr", source: str = "") -> str:
    """A Markdown page holding the diagram (what ``--ladder-out`` writes as ``.md``)."""
    head = f"# {text('ladder.title', lang, name=ladder.title)}\n\n"
    where = f"`{source}`\n\n" if source else ""
    return head + where + "```mermaid\n" + mermaid_ladder(ladder, lang) + "```\n"


def _escape(value: str) -> str:
    """Mermaid reads ``;`` as the end of a statement and cuts a text at ``#`` (its entity
    codes, ``#35;``, are not decoded by every version): write both as their full-width
    look-alikes, and keep each item on one line."""
    return value.translate(_LOOK_ALIKES)


_LOOK_ALIKES = str.maketrans({"#": "\uff03", ";": "\uff1b", "\n": " "})
