"""The voice steps of scenarios and lessons: ``say``, ``talk`` and ``play`` (scenario-format.md).

Owns their shape: ``say: {from: X, text: "..."}`` (``text`` may also be ``{fr: ..., en:
...}``, as lessons speak both languages), ``talk: {from: X, for: 2s}`` and ``play: {from:
X, file: clip.wav}``, the file relative to the scenario and checked when the file is
loaded (it exists and is a PCM WAV: ``file:line`` otherwise). The clip's length, read
with the standard library's ``wave``, is how long the voice lasts.
"""

from __future__ import annotations

import wave
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from phone_sim.scenario.yamlnodes import Path, check_keys, mapping, text

if TYPE_CHECKING:
    from phone_sim.scenario.stepparser import _Context

MAX_CLIP_MS = 600_000  # ten minutes: longer clips are cut there


def _speaker(ctx: _Context, data: dict[str, Any], path: Path) -> str:
    from phone_sim.scenario.stepparser import _party

    return _party(ctx, data["from"], path + ("from",), "speaker")


def say(ctx: _Context, value: Any, path: Path, fails: str | None) -> dict[str, Any]:
    where = ctx.where
    data = mapping(where, value, path, "say")
    check_keys(where, data, path, "say", ("from", "text"))
    raw = data["text"]
    if isinstance(raw, dict):
        check_keys(where, raw, path + ("text",), "text", ("fr",), ("en",))
        fr = text(where, raw["fr"], path + ("text", "fr"), "text")
        en = text(where, raw["en"], path + ("text", "en"), "text") if "en" in raw else ""
    else:
        fr, en = text(where, raw, path + ("text",), "text"), ""
    if not fr.strip():
        raise where.error(path + ("text",), "text must not be empty: write what the party says")
    return {"from": _speaker(ctx, data, path), "text": fr.strip(), "text_en": en.strip()}


def talk(ctx: _Context, value: Any, path: Path, fails: str | None) -> dict[str, Any]:
    from phone_sim.scenario.stepparser import parse_duration

    where = ctx.where
    data = mapping(where, value, path, "talk")
    check_keys(where, data, path, "talk", ("from", "for"))
    ms = parse_duration(data["for"])
    if ms is None or ms <= 0:
        raise where.error(
            path + ("for",), f"{data['for']!r} is not a duration: write 500ms, 2s, 1m30s (more than 0)"
        )
    return {"from": _speaker(ctx, data, path), "ms": ms}


def play(ctx: _Context, value: Any, path: Path, fails: str | None) -> dict[str, Any]:
    where = ctx.where
    data = mapping(where, value, path, "play")
    check_keys(where, data, path, "play", ("from", "file"))
    name = text(where, data["file"], path + ("file",), "file")
    if not name.strip():
        raise where.error(path + ("file",), "file must name a WAV file (relative to the scenario)")
    base = FilePath(where.file).parent if where.file else FilePath.cwd()
    file = (base / name).resolve()
    try:
        ms = clip_ms(file)
    except ValueError as exc:
        raise where.error(path + ("file",), f"{name}: {exc}") from None
    return {"from": _speaker(ctx, data, path), "file": str(file), "ms": ms}


def clip_ms(file: FilePath) -> int:
    """How long a PCM WAV file plays (ms); ValueError says why it cannot be played."""
    if not file.exists():
        raise ValueError("no such file")
    if not file.is_file():
        raise ValueError("not a regular file")
    try:
        with wave.open(str(file), "rb") as wav:
            rate, frames = wav.getframerate(), wav.getnframes()
            width = wav.getsampwidth()
    except PermissionError:
        raise ValueError("permission denied") from None
    except (wave.Error, EOFError) as exc:
        raise ValueError(f"not a PCM WAV file ({exc or 'truncated'})") from None
    except OSError as exc:
        raise ValueError(exc.strerror or str(exc)) from None
    if rate < 8000:
        raise ValueError(f"{rate} samples a second is too few (8000 at least)")
    if width not in (1, 2, 3, 4):
        raise ValueError(f"unsupported sample width: {width} bytes")
    if frames == 0:
        raise ValueError("the file holds no sound")
    return min(MAX_CLIP_MS, max(1, -(-frames * 1000 // rate)))
