"""YAML text -> plain Python data and the line of every value, from the parser's event stream.

PyYAML's composer builds a node object for every value and the old loader then walked that
tree recursively: slow on big files (a node per value), and deep nesting or an alias bomb
blew the stack or the memory. Here one loop reads libyaml's events (PyYAML's own parser
when libyaml is missing) and builds the values with an explicit stack:

- nesting deeper than ``MAX_DEPTH`` is refused at its line, whatever the parser accepts;
- an alias shares the anchored value (no copy); the values aliases add are counted and
  past ``ALIAS_LIMIT`` an alias is replaced by an ``AliasBomb`` marker: the readers then
  report any unknown key first, and the loader refuses the bomb after them;
- only the standard tags (``!!str !!int !!float !!bool !!null !!seq !!map``) are accepted;
- duplicate keys and keys that are lists or mappings are refused at their line.

Errors keep the order and the text the composing loader gave: YAML syntax errors and
composer errors (undefined alias, second document) anywhere in the file come before the
errors about values, which come in file order. ``Shadow`` values record lines (see
``yamlnodes.Lines``): an ``int`` is the line of a scalar, or of a collection whose keys and
values all sit on that line; a ``Block`` holds the lines of a collection's children.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode

MAX_DEPTH = 100
ALIAS_LIMIT = 100_000
MAX_DIGITS = 4300  # Python's own limit for turning text into an int

PARSER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it
_TAG = "tag:yaml.org,2002:"
_DROPPED_TAGS = {_TAG + t for t in ("bool", "int", "timestamp", "merge", "value")}


class _Resolver(yaml.resolver.Resolver):
    """YAML 1.2-like plain scalars: ``off``/``yes``/``no`` stay words, numbers with a
    leading ``0`` or ``+`` stay text (``0601020304`` is a phone number), ``<<`` and ``=``
    are words."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver(
    _TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# At most 18 digits: a longer run of digits is text (the readers then say what is wrong),
# never a giant integer that Python refuses to convert or SQLite cannot store.
_Resolver.add_implicit_resolver(_TAG + "int", re.compile(r"^-?(?:0|[1-9][0-9]{0,17})$"), list("-0123456789"))
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    first: resolvers for first, resolvers in _Resolver.yaml_implicit_resolvers.items() if resolvers
}
PLAIN_SPECIAL = frozenset(first for first in _RESOLVERS if first)  # first letters worth a look


class Block(NamedTuple):
    """Lines of a collection: its own, and its children's (a dict for a mapping, with the
    lines of its keys in ``keys``; a list for a sequence)."""

    line: int
    kids: Any
    keys: dict[str, int] | None


Shadow = int | Block


class AliasBomb:
    """Stands where an alias would have pushed the values aliases add past ``ALIAS_LIMIT``."""

    def __init__(self, name: str, size: int, line: int) -> None:
        self.name, self.size, self.line = name, size, line

    @property
    def adds(self) -> str:
        return f"more than {ALIAS_LIMIT:,}" if self.size > ALIAS_LIMIT else f"{self.size:,}"

    def __repr__(self) -> str:
        return f"*{self.name} (an alias that would add {self.adds} values)"


class Refusal(Exception):
    """A problem at a line (1-based), reported as ``file:line: message``."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(line, message)
        self.line, self.message = line, message


class _Held(Refusal):
    """A problem with a value: reported once the rest of the file parsed without error."""


class Missed(Exception):
    """A pre-parsed flow collection was not where the parser put one: parse without them."""


# -- scalars ------------------------------------------------------------------------


def plain(value: str, line: int = 0) -> Any:
    """A plain (unquoted, untagged) scalar as our resolver reads it."""
    for tag, rx in _RESOLVERS.get(value[:1], ()):
        if rx.match(value):
            return _construct(tag, value, line)
    return value


def _scalar(event: ScalarEvent, line: int) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        return plain(event.value, line) if event.implicit[0] else event.value
    return _construct(tag, event.value, line)


_SCALAR_TAGS = {_TAG + kind for kind in ("str", "null", "bool", "int", "float")}


def _check_scalar_tag(tag: str | None, line: int) -> None:
    if tag is not None and tag != "!" and tag not in _SCALAR_TAGS:
        raise _Held(line, f"the tag {_shown(tag)} is not allowed (only !!str, !!int, !!float, !!bool, "
                          "!!null, !!seq and !!map)")


def _construct(tag: str, value: str, line: int) -> Any:
    if tag == _TAG + "str":
        return value
    _check_scalar_tag(tag, line)
    kind = tag[len(_TAG):]
    if kind == "int" and len(value) > MAX_DIGITS:
        digits = sum(c.isdigit() for c in value)
        if digits > MAX_DIGITS:
            raise _Held(line, f"number {value[:12]}... has {digits:,} digits: too long (at most {MAX_DIGITS:,})")
    try:
        return getattr(_CONSTRUCTOR, f"construct_yaml_{kind}")(ScalarNode(tag, value))
    except (ValueError, KeyError, IndexError) as exc:
        raise _Held(line, f"{value!r} is not a valid {_shown(tag)} value") from exc


_CONSTRUCTOR = SafeConstructor()


def _shown(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def _collection_tag(tag: str | None, kind: str, line: int) -> None:
    if tag is not None and tag != "!" and tag != _TAG + kind:
        raise _Held(line, f"the tag {_shown(tag)} is not allowed on a {'mapping' if kind == 'map' else 'list'} "
                          f"(only !!{kind})")


# -- the builder ---------------------------------------------------------------------


class _Frame:
    """An open collection: its value, its children's lines (None while all sit on its own
    line), and for a mapping the key waiting for its value."""

    __slots__ = ("is_map", "value", "line", "kids", "keys", "anchor", "key", "key_line")

    def __init__(self, is_map: bool, line: int, anchor: str | None) -> None:
        self.is_map = is_map
        self.value: Any = {} if is_map else []
        self.line = line
        self.kids: Any = None
        self.keys: dict[str, int] | None = None
        self.anchor = anchor
        self.key: str | None = None
        self.key_line = 0


class _Anchor(NamedTuple):
    line: int
    value: Any = None
    shadow: Shadow = 0
    raw: str | None = None  # a scalar's text, for an alias used as a key
    done: bool = False


_NOTHING = object()
Spot = tuple[int, int, bool, int, Any]  # 0-based line, column, is a mapping, depth, value


def build(events: Iterator[Any], spots: list[Spot] | None = None) -> tuple[Any, Shadow, AliasBomb | None]:
    """The document's value, its shadow (``None, 0`` for an empty stream) and the first
    alias replaced by an ``AliasBomb``, if any.

    ``spots`` are flow collections parsed beforehand, in file order, each replaced in the
    text by ``{}`` or ``[]``: the parser must meet each at that very place, else ``Missed``
    is raised (and so is any error: the caller parses the original text again).
    """
    builder = _Builder(events, spots or [])
    value, shadow = builder.run()
    return value, shadow, builder.bomb


class _Builder:
    def __init__(self, events: Iterator[Any], spots: list[Spot]) -> None:
        self.events = events
        self.spots = spots
        self.anchors: dict[str, _Anchor] = {}
        self.sizes: dict[int, int] = {}  # id of an anchored value -> its expanded size (capped)
        self.added = 0  # values added by aliases so far
        self.bomb: AliasBomb | None = None
        self.documents = 0
        self.root_line = 0

    def run(self) -> tuple[Any, Shadow]:
        try:
            return self._loop()
        except _Held as exc:
            if self.spots:
                raise
            held = Refusal(exc.line, exc.message)  # leaves the half-built values to be freed
        self._drain()
        raise held

    def _drain(self) -> None:
        """Read the rest of the stream: its YAML and composer errors come first."""
        for event in self.events:
            cls = event.__class__
            if cls is AliasEvent:
                if event.anchor not in self.anchors:
                    raise yaml.composer.ComposerError(None, None, "found undefined alias", event.start_mark)
                continue
            if cls is DocumentStartEvent:
                self._document(event)
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                self._anchor_start(anchor, event.start_mark.line + 1)

    def _document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            raise yaml.composer.ComposerError("expected a single document in the stream", _mark(self.root_line),
                                              "but found another document", event.start_mark)

    def _loop(self) -> tuple[Any, Shadow]:  # noqa: C901 - one loop over every event, kept flat for speed
        stack: list[_Frame] = []
        frame: _Frame | None = None
        root: Any = _NOTHING
        root_shadow: Shadow = 0
        spots = self.spots
        spot_index = 0
        spot_line, spot_col = (spots[0][0], spots[0][1]) if spots else (-1, -1)
        events = self.events
        for event in events:
            cls = event.__class__
            if cls is ScalarEvent:
                line = event.start_mark.line + 1
                if event.anchor is not None:
                    self._anchor_start(event.anchor, line)
                if frame is not None and frame.is_map and frame.key is None:
                    _check_scalar_tag(event.tag, line)
                    self._key(frame, event.value, line)
                    if event.anchor is not None:
                        self._anchor_done(event.anchor, _scalar(event, line), line, event.value)
                    continue
                value = _scalar(event, line)
                shadow: Shadow = line
                if event.anchor is not None:
                    self._anchor_done(event.anchor, value, line, event.value)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                mark = event.start_mark
                line = mark.line + 1
                is_map = cls is MappingStartEvent
                if event.anchor is not None:
                    self._anchor_start(event.anchor, line)
                if frame is not None and frame.is_map and frame.key is None:
                    self._refuse_key(line)
                depth = len(stack) + (frame is not None) + 1
                if mark.line == spot_line and mark.column == spot_col:
                    _, _, spot_is_map, spot_depth, value = spots[spot_index]
                    end = next(events)
                    if (spot_is_map is not is_map or depth + spot_depth > MAX_DEPTH
                            or end.__class__ is not (MappingEndEvent if is_map else SequenceEndEvent)):
                        raise Missed
                    spot_index += 1
                    spot_line, spot_col = (spots[spot_index][0], spots[spot_index][1]) \
                        if spot_index < len(spots) else (-1, -1)
                    shadow = line
                else:
                    if depth > MAX_DEPTH:
                        raise Refusal(line, f"nesting deeper than {MAX_DEPTH} levels of lists and mappings")
                    _collection_tag(event.tag, "map" if is_map else "seq", line)
                    if frame is not None:
                        stack.append(frame)
                    elif root is _NOTHING and not self.root_line:
                        self.root_line = line
                    frame = _Frame(is_map, line, event.anchor)
                    continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                assert frame is not None
                done = frame
                value = done.value
                line = done.line
                shadow = line if done.kids is None else Block(line, done.kids, done.keys)
                if done.anchor is not None:
                    self._anchor_done(done.anchor, value, shadow, None)
                frame = stack.pop() if stack else None
            elif cls is AliasEvent:
                line = event.start_mark.line + 1
                found = self._alias(event.anchor, line)
                if frame is not None and frame.is_map and frame.key is None:
                    if found.raw is None:
                        self._refuse_key(found.line)
                    self._key(frame, found.raw, found.line)  # type: ignore[arg-type]
                    continue
                value, shadow = self._expanded(event.anchor, found, line)
            elif cls is DocumentStartEvent:
                self._document(event)
                continue
            else:
                continue
            # a finished value: it goes into the open collection, or it is the document
            if frame is None:
                if root is _NOTHING:
                    root, root_shadow = value, shadow
                    self.root_line = self.root_line or line
                continue
            fline = frame.line
            if frame.is_map:
                key = frame.key
                frame.value[key] = value
                if frame.kids is None and (shadow != fline or frame.key_line != fline):
                    frame.kids = dict.fromkeys(frame.value, fline)
                    frame.keys = dict.fromkeys(frame.value, fline)
                if frame.kids is not None:
                    frame.kids[key] = shadow
                    frame.keys[key] = frame.key_line  # type: ignore[index]
                frame.key = None
            else:
                frame.value.append(value)
                if frame.kids is None and shadow != fline:
                    frame.kids = [fline] * (len(frame.value) - 1)
                if frame.kids is not None:
                    frame.kids.append(shadow)
        if spot_index != len(spots):
            raise Missed
        return (None, 0) if root is _NOTHING else (root, root_shadow)

    # -- keys ---------------------------------------------------------------------------

    def _key(self, frame: _Frame, key: str, line: int) -> None:
        if key in frame.value:
            raise _Held(line, f"invalid YAML: duplicate key {key!r}")
        frame.key = key
        frame.key_line = line

    def _refuse_key(self, line: int) -> None:
        raise _Held(line, "invalid YAML: a key must be a plain word, not a list or a mapping")

    # -- anchors and aliases -----------------------------------------------------------

    def _anchor_start(self, name: str, line: int) -> None:
        first = self.anchors.get(name)
        if first is not None:
            raise yaml.composer.ComposerError("found duplicate anchor; first occurrence", _mark(first.line),
                                              "second occurrence", _mark(line))
        self.anchors[name] = _Anchor(line)

    def _anchor_done(self, name: str, value: Any, shadow: Shadow, raw: str | None) -> None:
        self.anchors[name] = _Anchor(self.anchors[name].line, value, shadow, raw, True)

    def _alias(self, name: str, line: int) -> _Anchor:
        found = self.anchors.get(name)
        if found is None:
            raise yaml.composer.ComposerError(None, None, "found undefined alias", _mark(line))
        if not found.done:
            raise _Held(line, f"the alias *{name} is inside the collection it names (a loop)")
        return found

    def _expanded(self, name: str, found: _Anchor, line: int) -> tuple[Any, Shadow]:
        """The anchored value, or a marker when it would add too many values."""
        size = self._size(found.value)
        if self.added + size > ALIAS_LIMIT:
            bomb = AliasBomb(name, size, line)
            self.bomb = self.bomb or bomb
            return bomb, line
        self.added += size
        return found.value, found.shadow

    def _size(self, value: Any) -> int:
        """Values in ``value`` once every alias in it is expanded (at most ALIAS_LIMIT + 1)."""
        if not isinstance(value, dict | list):
            return 1
        known = self.sizes.get(id(value))
        if known is not None:
            return known
        total = 0
        todo = [value]
        while todo and total <= ALIAS_LIMIT:
            item = todo.pop()
            total += 1
            for child in item.values() if isinstance(item, dict) else item:
                if isinstance(child, dict | list):
                    seen = self.sizes.get(id(child))
                    if seen is None:
                        todo.append(child)
                    else:
                        total += seen
                else:
                    total += 1
        total = min(total, ALIAS_LIMIT + 1)
        self.sizes[id(value)] = total
        return total


def _mark(line: int) -> yaml.Mark:
    """A parser mark at a 1-based line, for the composer's errors."""
    return yaml.Mark("<yaml>", 0, line - 1, 0, None, 0)
