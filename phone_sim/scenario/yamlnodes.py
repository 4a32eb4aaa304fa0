"""YAML with line numbers: plain Python data plus the line of every key and value.

Scenario and company files are written by people, so every error must name the file and
the line. ``parse_yaml`` reads the parser's event stream into plain data and a ``Lines``
index that answers the line of each value by its path, e.g. ``("steps", 3, "dial",
"to")`` (``yamlevents`` builds both, with no recursion, nesting and alias limits, and
only the standard tags; ``yamlflow`` reads one-line flow collections ahead of the parser
so that a 100,000-line company loads in about a second). ``Where`` turns a path and a
message into a ``ScenarioError``; the small readers below check types with clear messages.

The loader resolves plain scalars the YAML 1.2 way for the things people type here:
``off``/``yes``/``no`` stay words (``off`` is a handset state), and numbers with a leading
``0`` or ``+`` stay text (``0601020304`` is a phone number, not an octal integer).
"""

from __future__ import annotations

import codecs
import difflib
import functools
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from phone_sim.files import FileRefused, read_bytes
from phone_sim.network.collector import collector_paused
from phone_sim.scenario.model import ScenarioError
from phone_sim.scenario.yamlevents import (
    ALIAS_LIMIT,
    PARSER,
    AliasBomb,
    Block,
    Missed,
    Refusal,
    Shadow,
    build,
)
from phone_sim.scenario.yamlflow import flow_spots

Path = tuple[str | int, ...]

__all__ = ["AliasBomb", "Lines", "Path", "Where", "parse_yaml", "read_yaml"]


@dataclass(frozen=True)
class Lines:
    """1-based line of each value and of each mapping key, by path; an unknown path
    answers with the line of its nearest known ancestor (0 when none is known).

    ``held`` is a refusal the parse found but holds back (an alias bomb) so that the
    readers' own errors, such as an unknown key, come first: ``release`` raises it.
    """

    root: Shadow | None = None
    prefix: Path = ()
    held: ScenarioError | None = None

    def value(self, path: Path) -> int:
        found, _ = self._find(self.prefix + tuple(path))
        return found

    def key(self, path: Path) -> int:
        _, key = self._find(self.prefix + tuple(path))
        return key or self.value(path)

    def under(self, prefix: Path) -> Lines:
        return Lines(self.root, self.prefix + tuple(prefix), self.held)

    def moved(self, old: Path, new: Path) -> Lines:
        """The same lines with the values under ``old`` seen under ``new`` (whose own
        ancestors answer with the line of ``old``)."""
        shadow = self._node(self.prefix + tuple(old))
        line = self.value(old)
        node: Shadow = line if shadow is None else shadow
        key_line = self.key(old)
        for part in reversed(new):
            kids: Any = {part: node} if isinstance(part, str) else [line] * part + [node]
            node = Block(line, kids, {part: key_line} if isinstance(part, str) else None)
            key_line = line
        return Lines(node, (), self.held)

    def release(self) -> None:
        if self.held is not None:
            raise self.held

    def _node(self, full: Path) -> Shadow | None:
        node = self.root
        for part in full:
            if not isinstance(node, Block):
                return node
            node = _child(node, part)
        return node

    def _find(self, full: Path) -> tuple[int, int]:
        """The line of ``full`` (or of its nearest ancestor within the prefix), and the
        line of its key when ``full`` names a mapping entry."""
        node = self.root
        found = 0
        start = len(self.prefix)
        for depth, part in enumerate(full):
            if node is None:
                return found, 0
            if not isinstance(node, Block):
                return node, node
            if depth >= start:
                found = node.line
            child = _child(node, part)
            if child is None:
                return found, 0
            if depth == len(full) - 1:
                key = node.keys.get(part, 0) if node.keys is not None and isinstance(part, str) else 0
                return (child if isinstance(child, int) else child.line), key
            node = child
        if node is None:
            return 0, 0
        return (node if isinstance(node, int) else node.line), 0


def _child(block: Block, part: str | int) -> Shadow | None:
    kids = block.kids
    if isinstance(kids, dict):
        return kids.get(part) if isinstance(part, str) else None
    if isinstance(part, int) and not isinstance(part, bool) and 0 <= part < len(kids):
        return kids[part]  # type: ignore[no-any-return]
    return None


@dataclass(frozen=True)
class Where:
    """A file and its line index: makes errors that start with ``file:line:``."""

    file: str
    lines: Lines = field(default_factory=Lines)

    def error(self, path: Path, message: str, *, key: bool = False) -> ScenarioError:
        line = self.lines.key(path) if key else self.lines.value(path)
        return ScenarioError(self.file, line, message)

    def under(self, prefix: Path) -> Where:
        return Where(self.file, self.lines.under(prefix))


def parse_yaml(text: str, file: str) -> tuple[Any, Lines]:
    """Plain data and its line index; invalid YAML raises a ScenarioError at its line."""
    text = text.removeprefix("\ufeff")
    with collector_paused():
        try:
            try:
                fast = _fast(text, file)
                if fast is not None:
                    return fast
            except (Missed, Refusal, yaml.YAMLError):
                pass  # parse the original text: its own errors, at their own lines
            return _parsed(text, [], file)
        except Refusal as exc:
            raise ScenarioError(file, exc.line, exc.message) from None
        except yaml.MarkedYAMLError as exc:
            raise ScenarioError(file, *_yaml_problem(exc)) from None
        except yaml.reader.ReaderError as exc:
            raise ScenarioError(file, _reader_line(text, exc), f"invalid YAML: {_reader_problem(exc)}") from None
        except yaml.YAMLError as exc:
            raise ScenarioError(file, 0, f"invalid YAML: {exc}") from None


def _fast(text: str, file: str) -> tuple[Any, Lines] | None:
    """With the one-line flow collections read ahead; None when there are none."""
    fast_text, spots = flow_spots(text)
    return _parsed(fast_text, spots, file) if spots else None


def _parsed(text: str, spots: list[Any], file: str) -> tuple[Any, Lines]:
    parser = PARSER(text)
    try:
        data, shadow, bomb = build(iter(parser.get_event, None), spots)
    finally:
        parser.dispose()
    held = None
    if bomb is not None:
        held = ScenarioError(file, bomb.line, f"alias *{bomb.name} refused: it would add {bomb.adds} values, "
                                              f"past the {ALIAS_LIMIT:,} that aliases may add in all (an alias bomb?)")
    return data, Lines(shadow, (), held)


def _yaml_problem(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    """The line of the problem, and a message that also points at where the broken
    construct began (an unclosed bracket is found a line or more after it opens)."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else 0
    context = exc.context or ""
    if context and exc.context_mark is not None and exc.context_mark.line + 1 != line:
        context += f" (from line {exc.context_mark.line + 1})"
    problem = ": ".join(p for p in (context, exc.problem) if p)
    return line, f"invalid YAML: {problem}"


def _reader_line(text: str, exc: yaml.reader.ReaderError) -> int:
    """libyaml counts the position in UTF-8 bytes, PyYAML's own reader in characters."""
    if PARSER is yaml.SafeLoader:
        return text.count("\n", 0, exc.position) + 1
    return text.encode("utf-8", "surrogatepass")[: exc.position].count(b"\n") + 1


def _reader_problem(exc: yaml.reader.ReaderError) -> str:
    character = exc.character
    if isinstance(character, str):
        character = ord(character)
    if isinstance(character, int):
        return f"unacceptable character #x{character:04x}: {exc.reason}"
    return str(exc.reason)


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _encoding(raw: bytes) -> tuple[str, int]:
    """The encoding and the length of its byte order mark, the way YAML tells them: a
    mark, else the zero bytes around a first ASCII character, else UTF-8."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return codec, len(bom)
    head = raw[:4]
    if len(head) == 4 and head[:3] == b"\0\0\0" and head[3]:
        return "utf-32-be", 0
    if len(head) == 4 and head[0] and head[1:] == b"\0\0\0":
        return "utf-32-le", 0
    if len(head) >= 2 and not head[0] and head[1]:
        return "utf-16-be", 0
    if len(head) >= 2 and head[0] and not head[1]:
        return "utf-16-le", 0
    return "utf-8", 0


def decode(raw: bytes, name: str, what: str = "file") -> str:
    """The text of a file in UTF-8, -16 or -32; bytes that are not name their line."""
    encoding, skip = _encoding(raw)
    try:
        return raw[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8":
            raise ScenarioError(name, 0, f"cannot read {what}: not {encoding.upper()} text") from None
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ScenarioError(name, line, f"cannot read {what}: byte {raw[exc.start]:#04x} at column {column} "
                                        "is not UTF-8 text (save the file as UTF-8)") from None


def read_yaml(path: str | os.PathLike[str], what: str = "file") -> tuple[Any, Lines]:
    """Read and parse one file; a missing, unreadable or empty file is a ScenarioError."""
    name = str(path)
    try:
        raw = read_bytes(path, what)  # regular files only, size-capped, never blocks
    except FileRefused as exc:
        raise ScenarioError(name, exc.line, str(exc)) from None
    text = decode(raw, name, what)
    del raw  # a big file: one copy at a time
    data, lines = parse_yaml(text, name)
    if data is None:
        raise ScenarioError(name, 1, f"the {what} is empty")
    return data, lines


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a close choice, else the list of choices when short."""
    options = sorted(set(choices))
    text = str(word)
    by_case = [c for c in options if c.lower() == text.lower()]
    close = by_case or difflib.get_close_matches(text, options, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    if 0 < len(options) <= 15:
        return f" (known: {', '.join(options)})"
    return ""


def type_name(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return shown(value)


def kind_name(value: object) -> str:
    """What a value is, without quoting it (for a whole file, which may be anyone's)."""
    if isinstance(value, str):
        return "a text"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "a number"
    return type_name(value)


def not_ours(where: Where, data: Mapping[str, Any], keys: Iterable[str], what: str) -> None:
    """A mapping with none of our keys, nor a misspelling of one, is some other file: say
    so without quoting it (its keys may be someone's secrets)."""
    keys = tuple(keys)
    if not any(key in keys or difflib.get_close_matches(str(key), keys, n=1, cutoff=0.6) for key in data):
        raise where.error((), f"not {what}: it has none of the keys {', '.join(keys)}")


MAX_WHOLE = 10**15  # beyond any count, delay or digit string a file has a use for
_SHOWN_CHARS = 60


def shown(value: object) -> str:
    """A value from a file as an error quotes it: escaped (repr), and short."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= MAX_WHOLE:
        return f"a number of about {int(abs(value).bit_length() * 0.30103) + 1} digits"
    if isinstance(value, (dict, list)):
        return type_name(value)
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS - 5] + "…" + text[-4:]


def mapping(where: Where, value: Any, path: Path, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise where.error(path, f"{what} must be a mapping, got {type_name(value)}")
    return value


def check_keys(
    where: Where,
    data: Mapping[str, Any],
    path: Path,
    what: str,
    required: Iterable[str] = (),
    optional: Iterable[str] = (),
) -> None:
    """Unknown keys (with a suggestion), then missing required keys."""
    required = tuple(required)
    allowed = _allowed(required, tuple(optional))
    if not data.keys() <= allowed:
        for key in data:
            if key not in allowed:
                raise where.error(
                    path + (key,), f"unknown key {key!r} in {what}{did_you_mean(key, allowed)}", key=True
                )
    for key in required:
        if key not in data:
            raise where.error(path, f"missing key {key!r} in {what}")


@functools.lru_cache(maxsize=256)
def _allowed(required: tuple[str, ...], optional: tuple[str, ...]) -> frozenset[str]:
    return frozenset(required) | frozenset(optional)


def text(where: Where, value: Any, path: Path, what: str) -> str:
    """A string; a YAML integer (``303``) is taken as its digits."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < MAX_WHOLE:
        return str(value)
    raise where.error(path, f"{what} must be a string, got {type_name(value)}")


def word(where: Where, value: Any, path: Path, what: str) -> str:
    """A non-empty string (an id, a name, a mode)."""
    result = text(where, value, path, what)
    if not result.strip():
        raise where.error(path, f"{what} must not be empty")
    return result


def whole(where: Where, value: Any, path: Path, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error(path, f"{what} must be a whole number, got {type_name(value)}")
    if abs(value) >= MAX_WHOLE:
        raise where.error(path, f"{what} is far too large: {shown(value)}")
    return value


def sequence(where: Where, value: Any, path: Path, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise where.error(path, f"{what} must be a list, got {type_name(value)}")
    return value


def texts(where: Where, value: Any, path: Path, what: str) -> tuple[str, ...]:
    """A list of strings (a single string is not a list: it is an error)."""
    items = sequence(where, value, path, what)
    if all(type(item) is str for item in items):  # the common case, checked in one pass
        return tuple(items)
    return tuple(text(where, item, path + (i,), f"{what}[{i}]") for i, item in enumerate(items))
