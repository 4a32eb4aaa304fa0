"""Parsed styles kept from one start to the next, as Python keeps compiled bytecode.

Textual parses every stylesheet (ours, and the default styles of each kind of widget)
each time the app starts: about a tenth of the start-up. The rules it gets are kept in
``<data>/cache/styles.pickle`` and read back at the next start when the very same text
is parsed with the very same theme variables and Textual version; anything else (a new
version of a style file, another theme, another Textual) is parsed as always.

The file is private (0600, in the private data folder), written atomically; one that
cannot be read, or holds anything unexpected, is ignored and written anew. Only the
entries used by the last run are kept, so it does not grow.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

import textual

from phone_sim.files import private_folder, replace_private

FILE = Path("cache") / "styles.pickle"
FORMAT = 1


class StyleCache:
    def __init__(self, data: Path) -> None:
        self.path = data / FILE
        self.known: dict[str, Any] = self._read()
        self.used: dict[str, Any] = {}
        self.changed = False

    def _read(self) -> dict[str, Any]:
        try:
            with open(self.path, "rb") as source:
                header, entries = pickle.load(source)  # noqa: S301 - the user's own private file
        except Exception:  # missing, truncated, foreign: parse as usual
            return {}
        if header != (FORMAT, textual.__version__) or not isinstance(entries, dict):
            return {}
        return entries

    def install(self, stylesheet: Any) -> None:
        """Have ``stylesheet`` (an app's) take parsed rules from the cache."""
        parse = getattr(stylesheet, "_parse_rules", None)
        if parse is None:  # another Textual: leave it alone
            return

        theme: list[Any] = [None, ""]  # the theme variables last seen, and their digest

        def cached_parse(css: str, read_from: Any, is_default_rules: bool = False,
                         tie_breaker: int = 0, scope: str = "") -> Any:
            variables = getattr(stylesheet, "_variables", {})
            if theme[0] is not variables:  # another theme: its variables digested once
                theme[:] = [variables, _digest(repr(sorted(variables.items())))]
            key = _digest(repr((css, read_from, is_default_rules, tie_breaker, scope, theme[1])))
            rules = self.known.get(key)
            if rules is None:
                rules = parse(css, read_from, is_default_rules, tie_breaker, scope)
                if any(rule.errors for rule in rules):
                    return rules  # reported by Textual as always, never kept
                self.changed = True
            self.used[key] = rules
            return rules

        stylesheet._parse_rules = cached_parse

    def save(self) -> None:
        """Keep what this run parsed (nothing written when it all came from the cache)."""
        if not self.changed and self.used.keys() == self.known.keys():
            return
        try:
            private_folder(self.path.parent)
            replace_private(self.path, pickle.dumps(((FORMAT, textual.__version__), self.used),
                                                    protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # a cache: not worth an error (read-only disk, a full one...)
            return


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
