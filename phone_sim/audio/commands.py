"""Sound commands: what the listener tells the backends, one handset at a time.

Owns the small vocabulary between the event listener and the players. Each command
carries the virtual time (ms) of the event behind it, so a recorder can place it on the
handset's timeline; a live player simply applies it now.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

KEY_MS: Final = 100  # a key press sounds this long
KEY_GAP_MS: Final = 70  # at least this much silence between two key tones (SPEC 11: 50 ms)


@dataclass(frozen=True, slots=True)
class Command:
    time: int
    party: str


@dataclass(frozen=True, slots=True)
class SetTone(Command):
    """The earpiece tone from now on: ringback, busy, waiting, music, dial or none."""

    tone: str


@dataclass(frozen=True, slots=True)
class SetRinger(Command):
    on: bool


@dataclass(frozen=True, slots=True)
class PlayKey(Command):
    """A DTMF key tone, after any key tone still sounding on this handset."""

    key: str
    duration_ms: int = KEY_MS


@dataclass(frozen=True, slots=True)
class Speak(Command):
    """A network announcement: spoken, or the special information tone."""

    code: str
    text_fr: str
    text_en: str


SoundCommand = SetTone | SetRinger | PlayKey | Speak
