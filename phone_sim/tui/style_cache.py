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

import contextlib
import hashlib
import os
import pickle
import secrets
from pathlib import Path
from typing import Any

import textual

from phone_sim.files import create_private, private_folder

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

        def cached_parse(css: str, read_from: Any, is_default_rules: bool = False,
                         tie_breaker: int = 0, scope: str = "") -> Any:
            key = _key(stylesheet, css, read_from, is_default_rules, tie_breaker, scope)
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
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
            try:
                with create_private(temporary, binary=True) as out:
                    pickle.dump(((FORMAT, textual.__version__), self.used), out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.path)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
        except Exception:  # a cache: not worth an error (read-only disk, a full one...)
            return


_digests: dict[int, tuple[Any, str]] = {}


def _key(stylesheet: Any, css: str, read_from: Any, is_default_rules: bool, tie_breaker: int, scope: str) -> str:
    variables = getattr(stylesheet, "_variables", {})
    known = _digests.get(id(stylesheet))
    if known is None or known[0] is not variables:  # new theme variables: digest them once
        digest = hashlib.sha256(repr(sorted(variables.items())).encode("utf-8", "surrogatepass")).hexdigest()
        known = _digests[id(stylesheet)] = (variables, digest)
    text = repr((css, read_from, is_default_rules, tie_breaker, scope, known[1]))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
