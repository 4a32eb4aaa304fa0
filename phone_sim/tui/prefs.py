"""Choices remembered from one session to the next: the language, the trainee's name, the
last handset chosen. A small JSON file in the data directory, private (0600), written
whole and renamed into place so that a crash leaves the old one or the new one.

A missing, unreadable or malformed file is an empty one: remembering is a convenience,
never a reason not to start. No Textual here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

FILE = "preferences.json"
KEYS = {"lang": str, "trainee": str, "handset": str}  # what is kept, and its type


class Prefs:
    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / FILE
        self.values: dict[str, Any] = self._read()

    def _read(self) -> dict[str, Any]:
        try:
            if not self.path.is_file() or self.path.stat().st_size > 64 * 1024:
                return {}
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(raw, dict):
            return {}
        return {key: value for key, value in raw.items() if key in KEYS and isinstance(value, KEYS[key])}

    def get(self, key: str, default: str | None = None) -> str | None:
        value = self.values.get(key)
        return value if isinstance(value, str) else default

    def set(self, key: str, value: str) -> None:
        """Remember ``value`` (written at once; a disk that refuses is not an error)."""
        if self.values.get(key) == value:
            return
        self.values[key] = value
        try:
            self._write()
        except OSError:
            pass

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{FILE}.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as out:
                json.dump(self.values, out, ensure_ascii=False, indent=1, sort_keys=True)
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


def chosen_lang(given: str | None, data_dir: Path) -> str:
    """``--lang`` when given (and remembered), else the language chosen last time, else French."""
    prefs = Prefs(data_dir)
    if given in ("fr", "en"):
        prefs.set("lang", given)
        return given
    remembered = prefs.get("lang")
    return remembered if remembered in ("fr", "en") else "fr"
