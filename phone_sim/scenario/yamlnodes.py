"""YAML with line numbers: plain Python data plus the line of every key and value.

Scenario and company files are written by people, so every error must name the file and
the line. ``parse_yaml`` composes the YAML node tree (which keeps source marks) and turns it
into plain data and a ``Lines`` index keyed by the path of each value, e.g.
``("steps", 3, "dial", "to")``. ``Where`` turns a path and a message into a
``ScenarioError``; the small readers below check types with clear messages.

The loader resolves plain scalars the YAML 1.2 way for the things people type here:
``off``/``yes``/``no`` stay words (``off`` is a handset state), and numbers with a leading
``0`` or ``+`` stay text (``0601020304`` is a phone number, not an octal integer).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from phone_sim.files import FileRefused, read_text
from phone_sim.scenario.model import ScenarioError

Path = tuple[str | int, ...]

_DROPPED_TAGS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp"}


_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """SafeLoader with YAML 1.2-like booleans and decimal-only integers (C parser when present)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# At most 18 digits: a longer run of digits is text (the readers then say what is wrong),
# never a giant integer that Python refuses to convert or SQLite cannot store.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^-?(?:0|[1-9][0-9]{0,17})$"), list("-0123456789")
)


@dataclass(frozen=True)
class Lines:
    """1-based line of each value and of each mapping key, by path; an unknown path
    answers with the line of its nearest known ancestor (0 when none is known)."""

    values: Mapping[Path, int] = field(default_factory=dict)
    keys: Mapping[Path, int] = field(default_factory=dict)
    prefix: Path = ()

    def value(self, path: Path) -> int:
        full = self.prefix + tuple(path)
        while True:
            if full in self.values:
                return self.values[full]
            if len(full) <= len(self.prefix):
                return 0
            full = full[:-1]

    def key(self, path: Path) -> int:
        full = self.prefix + tuple(path)
        return self.keys.get(full) or self.value(path)

    def under(self, prefix: Path) -> Lines:
        return Lines(self.values, self.keys, self.prefix + tuple(prefix))


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
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            values: dict[Path, int] = {}
            keys: dict[Path, int] = {}
            data = _convert(loader, root, (), values, keys) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise ScenarioError(file, *_yaml_problem(exc)) from exc
    except yaml.YAMLError as exc:
        raise ScenarioError(file, 0, f"invalid YAML: {exc}") from exc
    return data, Lines(values, keys)


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


def _convert(
    loader: _Loader, node: yaml.Node, path: Path, values: dict[Path, int], keys: dict[Path, int]
) -> Any:
    values[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _marked("a key must be a plain word, not a list or a mapping", key_node)
            key = str(key_node.value)
            if key in result:
                raise _marked(f"duplicate key {key!r}", key_node)
            keys[path + (key,)] = key_node.start_mark.line + 1
            result[key] = _convert(loader, value_node, path + (key,), values, keys)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, item, path + (i,), values, keys) for i, item in enumerate(node.value)]
    if node.tag == _STR:  # the common case, without the constructor's bookkeeping
        return node.value
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError):  # !!int with 5,000 digits, a broken !!binary...
        raise _marked(f"cannot read this {node.tag.rsplit(':', 1)[-1]} value", node) from None


_STR = "tag:yaml.org,2002:str"


def _marked(problem: str, node: yaml.Node) -> yaml.MarkedYAMLError:
    return yaml.MarkedYAMLError(problem=problem, problem_mark=node.start_mark)


def read_yaml(path: str | os.PathLike[str], what: str = "file") -> tuple[Any, Lines]:
    """Read and parse one file; a missing, unreadable or empty file is a ScenarioError."""
    name = str(path)
    try:
        text = read_text(path, what)  # regular files only, size-capped, never blocks
    except FileRefused as exc:
        raise ScenarioError(name, exc.line, str(exc)) from None
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
    allowed = set(required) | set(optional)
    for key in data:
        if key not in allowed:
            raise where.error(
                path + (key,), f"unknown key {key!r} in {what}{did_you_mean(key, allowed)}", key=True
            )
    for key in required:
        if key not in data:
            raise where.error(path, f"missing key {key!r} in {what}")


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
    return tuple(text(where, item, path + (i,), f"{what}[{i}]") for i, item in enumerate(items))
