"""Seeded random YAML documents for the loader's comparison tests: block and flow
collections (one-line and spread over lines), every scalar style, comments, anchors and
aliases, multi-line strings whose lines look like flow collections, then a few random
edits that make many of them invalid."""

from __future__ import annotations

import random

WORDS = ["id", "name", "number", "A", "L0", "Line 0", "pabx", "double_appel", "Madame B", "L'Oréal",
         "Société d'Études", "x-y", "a b  c", "café", "🙂 smile", "06 01 02 03 04", "+33 6 01", "0601020304",
         "303", "-5", "12", "1.5", "1e3", "3.0e+2", ".inf", "-.INF", ".nan", "0x1F", "0o17", "1_000", "~",
         "null", "Null", "true", "False", "yes", "off", "no", "on", "2001-12-14", "a#b", "a:b", "50%", "a/b",
         "(paren)", "x!", "<<", "what?", "a,b", "end.", "k=v"]
KEYS = ["id", "name", "number", "short", "options", "lines", "steps", "dial", "from", "to", "a", "b",
        "c d", "1", "null", "true", "x-y", "é"]


def _plain(rng: random.Random) -> str:
    return rng.choice(WORDS)


def _quoted(rng: random.Random, word: str) -> str:
    style = rng.randrange(4)
    if style == 0:
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if style == 1:
        return "'" + word.replace("'", "''") + "'"
    if style == 2:
        return '"' + word + '\\n\\t\\u00e9"'  # escapes: never read ahead of the parser
    return "'" + word + " '' quote'"


def scalar(rng: random.Random) -> str:
    word = _plain(rng)
    if rng.random() < 0.5:
        return _quoted(rng, word)
    return word


def key(rng: random.Random) -> str:
    word = rng.choice(KEYS)
    return _quoted(rng, word) if rng.random() < 0.15 else word


def flow(rng: random.Random, depth: int) -> str:
    """A flow collection on one line."""
    sep = rng.choice([", ", ",", " , ", ",  "])
    inner = " " if rng.random() < 0.2 else ""
    count = rng.randrange(0, 4)
    if rng.random() < 0.5:
        keys = rng.sample(KEYS, count)
        items = [f"{k}: {flow_value(rng, depth)}" for k in keys]
        return "{" + inner + sep.join(items) + inner + "}"
    return "[" + inner + sep.join(flow_value(rng, depth) for _ in range(count)) + inner + "]"


def flow_value(rng: random.Random, depth: int) -> str:
    return flow(rng, depth + 1) if depth < 3 and rng.random() < 0.25 else scalar(rng)


def block(rng: random.Random, indent: int, depth: int, out: list[str], anchors: list[str]) -> None:
    """A block mapping or sequence at ``indent``, one entry per line (or more)."""
    pad = " " * indent
    as_map = rng.random() < 0.6
    keys = rng.sample(KEYS, rng.randrange(1, 5))
    for k in keys if as_map else range(rng.randrange(1, 5)):
        head = f"{pad}{k}:" if as_map else f"{pad}-"
        _entry(rng, head, indent, depth, out, anchors)


def _entry(rng: random.Random, head: str, indent: int, depth: int, out: list[str], anchors: list[str]) -> None:
    choice = rng.random()
    anchor = ""
    if rng.random() < 0.08:
        name = f"a{len(anchors)}"
        anchor = f" &{name}"
        anchors.append(name)
    if choice < 0.3:
        out.append(f"{head}{anchor} {scalar(rng)}")
    elif choice < 0.55:
        out.append(f"{head}{anchor} {flow(rng, 0)}" + ("  # note" if rng.random() < 0.1 else ""))
    elif choice < 0.62 and anchors and not anchor:
        out.append(f"{head} *{rng.choice(anchors)}")
    elif choice < 0.7:
        out.append(f"{head}{anchor} {rng.choice(['|', '>', '|-'])}")
        for _ in range(rng.randrange(1, 3)):
            out.append(" " * (indent + 2) + rng.choice(["- {a: b}", "[1, 2]", "text", "k: {x: y}"]))
    elif choice < 0.76:
        out.append(f'{head}{anchor} "first line')
        out.append(" " * (indent + 2) + rng.choice(["- {a: b}", "[1, 2]", "k: [x]"]) + '"')
    elif choice < 0.8:
        out.append(f"{head}{anchor} {{a: 1,")
        out.append(" " * (indent + 2) + f"b: {flow(rng, 1)}}}")
    elif depth < 4:
        out.append(f"{head}{anchor}")
        block(rng, indent + rng.choice([2, 4]) if head.endswith(":") or rng.random() < 0.5 else indent + 2,
              depth + 1, out, anchors)
    else:
        out.append(f"{head}{anchor} {scalar(rng)}")
    if rng.random() < 0.05:
        out.append("" if rng.random() < 0.5 else " " * indent + "# a comment")


def document(rng: random.Random) -> str:
    out: list[str] = []
    if rng.random() < 0.1:
        out.append("---")
    if rng.random() < 0.1:
        out.append(flow(rng, 0))
    else:
        block(rng, 0, 0, out, [])
    return "\n".join(out) + "\n"


EDITS = list("{}[],:-#'\" \n&*?|>") + ["  ", "\n  ", ": ", "- "]


def mutated(rng: random.Random, text: str) -> str:
    """A few random edits (insert, delete, duplicate a line)."""
    for _ in range(rng.randrange(1, 4)):
        kind = rng.randrange(3)
        pos = rng.randrange(len(text) + 1)
        if kind == 0:
            text = text[:pos] + rng.choice(EDITS) + text[pos:]
        elif kind == 1 and text:
            text = text[:pos] + text[pos + 1:]
        else:
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
    return text


def documents(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for _ in range(count):
        doc = document(rng)
        docs.append(mutated(rng, doc) if rng.random() < 0.5 else doc)
    return docs
