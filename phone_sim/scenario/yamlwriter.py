"""Plain data -> YAML text, written directly (``phone-sim company export``).

PyYAML's dumper represents, serialises and emits every value through events: 40 s for a
company of 100,000 lines. The files we write have one known look (``company_to_data``):
block mappings and lists, with a few values marked to be written on one line
(``FlowMap``, ``Flow``) or always in double quotes (``Quoted``: numbers and codes). So
this module writes the text itself, line by line. A string is written plain only when
it reads back as the same string both with our loader and with a YAML 1.1 reader such
as PyYAML's (``yes``, ``off``, ``0601`` or ``1e3`` get quotes); anything else is
double-quoted with escapes. ``tests/scenario/test_yaml_writer.py`` reads back what it
writes, and compares it with PyYAML's own output.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from phone_sim.scenario.yamlevents import PLAIN_SPECIAL, plain
from phone_sim.scenario.yamlflow import PLAIN_PATTERN


class Quoted(str):
    """A string always written in double quotes (numbers, codes)."""


class Flow(list[Any]):
    """A list written on one line: [a, b]."""


class FlowMap(dict[str, Any]):
    """A mapping written on one line: {id: A, name: ...}."""


_PLAIN = re.compile(PLAIN_PATTERN)
_YAML11 = yaml.resolver.Resolver.yaml_implicit_resolvers  # what a YAML 1.1 reader would not read as a string
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0", "\x85": "\\N",
            "\u2028": "\\L", "\u2029": "\\P"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]')
_MAX_KEY = 1000  # a longer key is written as "? key" (YAML readers stop a plain key at 1024)
# First characters for which a reader may resolve a plain scalar as something other than a
# string (ours or a YAML 1.1 reader's): any other plain-looking text is written as it is.
_SPECIAL_FIRST = frozenset(PLAIN_SPECIAL | {first for first, rxs in _YAML11.items() if rxs})
_TEXTS: dict[str, str] = {}  # string -> its text, for the first few thousand short strings written
_MAX_TEXTS = 4096
_MAX_REMEMBERED = 64  # characters


def to_yaml(data: dict[str, Any]) -> str:
    """The mapping as a YAML document (block style, lists indented under their key)."""
    out: list[str] = []
    _mapping(data, "", out)
    return "\n".join(out) + "\n"


def scalar(value: Any) -> str:
    """One value as YAML text on one line."""
    kind = type(value)  # the common types first, by identity (same text as ``_any_scalar``)
    if kind is str:
        return _TEXTS.get(value) or _text(value)
    if kind is Quoted:
        return _quoted(value)
    if kind is FlowMap or kind is dict:
        return "{" + ", ".join([(_TEXTS.get(k) or _key(k)) + ": " + scalar(v) for k, v in value.items()]) + "}"
    if kind is Flow or kind is list or kind is tuple:
        return "[" + ", ".join([scalar(v) for v in value]) + "]"
    return _any_scalar(value)


def _any_scalar(value: Any) -> str:
    if isinstance(value, Quoted):
        return _quoted(value)
    if isinstance(value, str):
        return value if _plain_ok(value) else _quoted(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, FlowMap):
        return "{" + ", ".join(f"{_key(k)}: {scalar(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {scalar(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _text(value: str) -> str:
    """A string, plain if that reads back the same, else quoted; the few words written
    again and again (keys, modes, options) are remembered."""
    known = _TEXTS.get(value)
    if known is None:
        known = value if _plain_ok(value) else _quoted(value)
        if len(_TEXTS) < _MAX_TEXTS and len(value) <= _MAX_REMEMBERED:
            _TEXTS[value] = known
    return known


def _plain_ok(text: str) -> bool:
    if _PLAIN.fullmatch(text) is None:
        return False
    if text[:1] not in _SPECIAL_FIRST:  # no resolver starts with that character
        return True
    return type(plain(text)) is str and not any(rx.match(text) for _, rx in _YAML11.get(text[:1], ()))


def _float(value: float) -> str:
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text


def _quoted(text: str) -> str:
    if _NEEDS_ESCAPE.search(text) is None:
        return f'"{text}"'
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _escape(m.group()), text) + '"'


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _key(key: Any) -> str:
    if type(key) is str:
        return _text(key)
    return scalar(str(key)) if not isinstance(key, bool | int) else scalar(key)


def _block(value: Any) -> bool:
    """Written over the following lines (a non-empty list or mapping not marked as flow)."""
    return bool(value) and (isinstance(value, list) and not isinstance(value, Flow)
                            or isinstance(value, dict) and not isinstance(value, FlowMap))


def _mapping(data: dict[Any, Any], indent: str, out: list[str], first: str | None = None) -> None:
    """Entries at ``indent``; the first one after ``first`` (a list item's "- ") if given."""
    for i, (key, value) in enumerate(data.items()):
        head = first if i == 0 and first is not None else indent
        text = _key(key)
        if len(text) > _MAX_KEY:
            out.append(f"{head}? {text}")
            head, text = indent, ""
        if _block(value):
            out.append(f"{head}{text}:")
            _nested(value, indent + "  ", out)
        else:
            out.append(f"{head}{text}: {scalar(value)}")


def _nested(value: Any, indent: str, out: list[str]) -> None:
    if isinstance(value, dict):
        _mapping(value, indent, out)
        return
    for item in value:
        kind = type(item)
        if kind is FlowMap or kind is Flow or kind is str or kind is Quoted:  # on the item's line
            out.append(f"{indent}- {scalar(item)}")
        elif _block(item) and isinstance(item, dict):
            _mapping(item, indent + "  ", out, first=indent + "- ")
        elif _block(item):
            out.append(f"{indent}-")
            _nested(item, indent + "  ", out)
        else:
            out.append(f"{indent}- {scalar(item)}")
