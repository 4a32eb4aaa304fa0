"""One-line flow collections read ahead of the YAML parser, so that big files load fast.

A company file of 100,000 lines is mostly lines such as
``- {id: L0, name: Line 0, number: "0600000000", options: [pabx, double_appel]}``, and
turning each into a dozen parser events costs more than all the rest of the load. So
``flow_spots`` reads such lines first: a flow collection that ends its line and holds only
plain keys and plain, single- or double-quoted scalars on that line (no escapes, comments,
anchors, tags, aliases or tabs) is built here, and replaced in the text by ``{}`` or ``[]``.
PyYAML still parses the whole file and must meet a flow collection at each replaced place
(not, say, inside a multi-line string); when it does not, or when the file has any error,
the original text is parsed again without this help (``yamlnodes.parse_yaml``), so values,
lines and errors never depend on it.

Lines of one shape share a *template*: a regular expression spelling out the keys and the
punctuation with one group per scalar, and a function made from the shape that builds the
value from the groups. Only a new shape is tokenised.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import chain
from typing import Any

from phone_sim.scenario.yamlevents import PLAIN_SPECIAL, Spot, plain

_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")  # YAML line breaks besides \n: line numbers would differ
_MAX_LENGTH = 4000
_MAX_DEPTH = 8
_MAX_SHAPES = 256

# Characters that may appear in the scalars read here: printable for YAML, without tab,
# line breaks or BOM; a plain scalar neither starts with an indicator nor holds
# ': # , [ ] { } ?' (PyYAML's own scanner ends a flow plain scalar at '?', libyaml does not).
_NOT_TEXT = r"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff"
_DOUBLE = rf'"[^{_NOT_TEXT}"\\]*"'
_SINGLE = rf"'(?:[^{_NOT_TEXT}']|'')*'"
_PLAIN = rf"[^{_NOT_TEXT} \-?:,\[\]{{}}#&*!|>'\"%@`\\](?:[^{_NOT_TEXT}:,\[\]{{}}#?]*[^{_NOT_TEXT} :,\[\]{{}}#?])?"
PLAIN_PATTERN = _PLAIN  # for the writer: what is written plain reads back the same here
_TOKEN = re.compile(
    rf"(?P<open>[{{\[])|(?P<close>[}}\]])|(?P<comma>,)|(?P<colon>:(?= ))|(?P<space> +)"
    rf"|(?P<double>{_DOUBLE})|(?P<single>{_SINGLE})|(?P<plain>{_PLAIN})"
)
_GROUPS = {  # the same patterns, capturing the scalar's text
    "double": rf'"([^{_NOT_TEXT}"\\]*)"',
    "single": rf"'((?:[^{_NOT_TEXT}']|'')*)'",
    "plain": rf"({_PLAIN})",
}
_VALUES = {"double": "{0}", "single": "{0}.replace(\"''\", \"'\")", "plain": "({0} if {0}[0] not in S else P({0}))"}
# A line that may end with a flow collection, found by its "\n" (a fast search; the first
# line by itself): its indentation, "- " entries and a plain key (possessive: no
# backtracking on odd lines), then the rest of the line.
_LINE_HEAD = r"( *+(?:- ++)*+(?:[\w.+-]++(?: ++[\w.+-]++)*+: ++)?+)([{\[][^\n]*+)"
_CANDIDATE = re.compile("\n" + _LINE_HEAD)
_FIRST_CANDIDATE = re.compile(_LINE_HEAD)


class _Template:
    """Lines of one shape: ``regex`` has a group per scalar, ``make(*groups)`` builds the value."""

    __slots__ = ("regex", "make", "is_map", "depth")

    def __init__(self, regex: str, make: Callable[..., Any], is_map: bool, depth: int) -> None:
        self.regex = re.compile(regex)
        self.make, self.is_map, self.depth = make, is_map, depth


_SHAPES: dict[str, _Template | None] = {}  # shared by every file read


def flow_spots(text: str) -> tuple[str, list[Spot]]:
    """The text with its one-line flow collections emptied, and those collections."""
    if any(c in text for c in _OTHER_BREAKS):
        return text, []
    spots: list[Spot] = []
    pieces: list[str] = []
    done = 0
    line = 0
    recent: list[_Template] = []
    first = _FIRST_CANDIDATE.match(text)
    for candidate in chain([first] if first else [], _CANDIDATE.finditer(text)):
        start, end = candidate.span(2)
        while text[end - 1] == " ":
            end -= 1
        if end - start > _MAX_LENGTH:
            continue
        for template in recent:
            match = template.regex.fullmatch(text, start, end)
            if match is not None:
                break
        else:
            found = _template(text[start:end])
            if found is None:
                continue
            template = found
            match = template.regex.fullmatch(text, start, end)
            assert match is not None
            recent.insert(0, template)
            del recent[3:]
        line += text.count("\n", done, start)
        spots.append((line, start - candidate.start(1), template.is_map, template.depth,
                      template.make(*match.groups())))
        pieces.append(text[done:start])
        pieces.append("{}" if template.is_map else "[]")
        done = end
    if not spots:
        return text, []
    pieces.append(text[done:])
    return "".join(pieces), spots


def _template(flow: str) -> _Template | None:
    """The template of this collection's shape, or None when it is not read here."""
    tokens = _tokens(flow)
    if tokens is None:
        return None
    # the shape: punctuation, spaces and keys (a plain scalar right before a colon) as written
    shape = "".join(text if kind not in _GROUPS or after == "colon" else f"\0{kind[0]}"
                    for (kind, text), (after, _) in zip(tokens, tokens[1:] + [("", "")], strict=True))
    if shape not in _SHAPES:
        template = _compile(tokens)
        if len(_SHAPES) >= _MAX_SHAPES:
            return template
        _SHAPES[shape] = template
    return _SHAPES[shape]


def _tokens(flow: str) -> list[tuple[str, str]] | None:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(flow):
        match = _TOKEN.match(flow, pos)
        if match is None:
            return None
        tokens.append((match.lastgroup or "", match.group()))
        pos = match.end()
    return tokens


def _compile(tokens: list[tuple[str, str]]) -> _Template | None:  # noqa: C901 - one small state machine
    """Check the tokens against the grammar read here, and make the template.

    ``{key: value, ...}`` with plain keys, each once; ``[value, ...]``; values are scalars
    or collections; spaces anywhere but between a key and its colon. An explicit stack of
    open collections (no recursion); the function is Python source made from the shape.
    """
    regex: list[str] = []
    code: list[str] = []
    stack: list[set[str] | None] = []  # per open collection: a mapping's keys so far, or None
    expect = "value"  # value | key | colon | next (a comma or a close) | end
    empty = False  # just after an opening: a close is allowed
    depth = groups = 0
    for kind, text in tokens:
        if kind == "space":
            if expect == "colon":
                return None
            regex.append(re.escape(text))
            continue
        if kind == "close" and stack and (expect == "next" or empty):
            if (stack.pop() is not None) != (text == "}"):
                return None
            expect = "next" if stack else "end"
        elif kind == "open" and expect == "value":
            if len(stack) >= _MAX_DEPTH:
                return None
            stack.append(set() if text == "{" else None)
            depth = max(depth, len(stack))
            expect = "key" if text == "{" else "value"
        elif kind == "comma" and expect == "next":
            expect = "value" if stack[-1] is None else "key"
            text = ", "
        elif kind == "plain" and expect == "key":
            keys = stack[-1]
            if keys is None or text in keys:
                return None
            keys.add(text)
            expect = "colon"
            code.append(repr(text))
            regex.append(re.escape(text))
            empty = False
            continue
        elif kind == "colon" and expect == "colon":
            expect = "value"
            text = ": "
        elif kind in _GROUPS and expect == "value":
            code.append(_VALUES[kind].format(f"g{groups}"))
            regex.append(_GROUPS[kind])
            groups += 1
            expect = "next"
            empty = False
            continue
        else:
            return None
        empty = kind == "open"
        code.append(text)
        regex.append(re.escape(text if kind not in ("comma", "colon") else text[0]))
    if expect != "end":
        return None
    source = f"lambda {', '.join(f'g{i}' for i in range(groups))}: {''.join(code)}"
    make = eval(source, {"__builtins__": {}, "S": PLAIN_SPECIAL, "P": plain})
    return _Template("".join(regex), make, tokens[0][1] == "{", depth - 1)
