"""Text from files, made safe to print: control characters shown as escapes, not obeyed.

A name or a message read from a file reaches terminals (``phone-sim run``, errors), the
TUI and logs. An escape sequence in it (``\\x1b[2J`` clears the screen, ``\\x1b]0;...``
retitles the window) or a bidirectional override (``\\u202e`` reverses what follows) must
be shown, not obeyed. ``printable`` writes every such character as a Python escape.
Also: ``ascii_digits``, the check ``str.isdigit`` is not (``"²".isdigit()`` is True).
"""

from __future__ import annotations

import unicodedata

# C0, DEL and C1 controls, and the bidirectional formatting characters (Trojan Source)
_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_ESCAPES: dict[int, str] = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))}
_ESCAPES.update({c: f"\\u{c:04x}" for c in (*_BIDI, 0x2028, 0x2029, 0xFEFF)})
_ESCAPES.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"})
_KEEP_LINES = {**_ESCAPES}
del _KEEP_LINES[0x0A]


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` with control and bidi-override characters escaped; ``lines`` keeps ``\\n``."""
    return str(text).translate(_KEEP_LINES if lines else _ESCAPES)


def has_control(text: str) -> bool:
    """Whether ``text`` holds a character ``printable`` would escape (or any other
    unassigned or format character a name has no use for)."""
    if text.isprintable():  # the common case in one pass: every escaped character is unprintable
        return False
    return any(ord(c) in _ESCAPES or (unicodedata.category(c) in _BAD_CATEGORIES and c not in _JOINERS)
               for c in text)


_BAD_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn")
_JOINERS = "\u200c\u200d"  # zero-width (non-)joiners: part of some scripts and emoji


def ascii_digits(text: str) -> bool:
    """Only the digits 0-9, at least one (``str.isdigit`` also takes ``²`` and ``٣``)."""
    return text.isascii() and text.isdigit()
