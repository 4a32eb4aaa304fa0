"""Sound commands: what the listener tells the backends, one handset at a time.

Owns the small vocabulary between the event listener and the players. Each command
carries the virtual time (ms) of the event behind it, so a recorder can place it on the
handset's timeline; a live player simply applies it now. ``SetTone``, ``SetRinger``,
``PlayKey`` and ``Speak`` are the handset's own sounds; ``SetHeard`` says whose voices its
earpiece carries; ``StartVoice``, ``StopVoice`` and ``Feed`` fill its mouthpiece.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np

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


@dataclass(frozen=True, slots=True)
class SetHeard(Command):
    """The parties whose voices (and in-band DTMF) reach this earpiece from now on."""

    voices: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StartVoice(Command):
    """This party starts talking (``kind``: say, talk, play, mic, sip), replacing a
    scripted voice still running; ``duration_ms`` 0 = until ``StopVoice``."""

    kind: str
    duration_ms: int = 0
    text_fr: str = ""
    text_en: str = ""
    file: str = ""


@dataclass(frozen=True, slots=True)
class StopVoice(Command):
    """This party's voice of ``kind`` ends now: ``reason`` stopped or replaced cuts a
    scripted voice short; ended (its duration is over) lets a clip finish as recorded."""

    kind: str = ""
    reason: str = "stopped"


@dataclass(frozen=True, slots=True, eq=False)
class Feed(Command):
    """Samples of a streamed voice (microphone, SIP) for this party's mouthpiece."""

    samples: np.ndarray = field(repr=False)
    rate: int


SoundCommand = SetTone | SetRinger | PlayKey | Speak | SetHeard | StartVoice | StopVoice | Feed
