"""Voices: who is talking now, what they say, and until when (SPEC 12, the mouthpieces).

Owns the core's side of the mouthpieces. Starting a voice (a scripted line, a party's
identification tone, a WAV clip, the microphone, a SIP device) publishes
``VoiceDidStart``; it ends after its duration (a timer), when stopped, or when the same
party starts another scripted voice (a person says one thing at a time), and that
publishes ``VoiceDidStop``. The core holds no samples: the sound layer turns the events
into sound, the displays show what is said as subtitles to the parties who hear it.
The duration of a spoken line is the face's business (the speech engine's clip, or 60 ms
a character without one): the core takes it as given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from phone_sim.network.clock import Timer
from phone_sim.network.events import VoiceDidStart, VoiceDidStop

if TYPE_CHECKING:
    from phone_sim.network.switch import Network

KINDS: Final = ("say", "talk", "play", "mic", "sip")
SCRIPTED: Final = ("say", "talk", "play")  # one at a time per party; mic and sip are streams


@dataclass(slots=True)
class Speaking:
    """A voice in progress: ``until`` None = until stopped."""

    kind: str
    started: int
    until: int | None
    text: str = ""
    text_en: str = ""
    file: str = ""
    timer: Timer | None = None

    def line(self, lang: str) -> str:
        """What is said, in ``lang`` when the script gave both languages."""
        return (self.text_en or self.text) if lang == "en" else self.text


class VoiceService:
    def __init__(self, net: Network) -> None:
        self.net = net
        self.speaking: dict[str, dict[str, Speaking]] = {}  # party -> kind -> voice

    def start(self, ident: str, kind: str, duration_ms: int = 0, text: str = "", text_en: str = "",
              file: str = "") -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown voice kind {kind!r} (one of {', '.join(KINDS)})")
        if duration_ms < 0:
            raise ValueError(f"a voice cannot last {duration_ms} ms")
        voices = self.speaking.get(ident, {})
        for old in [k for k in voices if k == kind or (kind in SCRIPTED and k in SCRIPTED)]:
            self._end(ident, old, "replaced")
        now = self.net.now
        voice = Speaking(kind, now, now + duration_ms if duration_ms else None, text, text_en, file)
        if duration_ms:
            voice.timer = self.net.later(duration_ms, self._end, ident, kind, "ended")
        self.speaking.setdefault(ident, {})[kind] = voice
        self.net.publish(VoiceDidStart(now, ident, kind, duration_ms, text, text_en, file))
        self._touch(ident)

    def stop(self, ident: str, kind: str | None = None) -> None:
        """End ``ident``'s voice of ``kind`` (every voice when None); nothing if silent."""
        for old in list(self.speaking.get(ident, {})):
            if kind is None or old == kind:
                self._end(ident, old, "stopped")

    def _end(self, ident: str, kind: str, reason: str) -> None:
        voices = self.speaking.get(ident, {})
        voice = voices.pop(kind, None)
        if voice is None:
            return
        if voice.timer is not None and reason != "ended":
            voice.timer.cancel()
        if not voices:
            self.speaking.pop(ident, None)
        self.net.publish(VoiceDidStop(self.net.now, ident, kind, reason))
        self._touch(ident)

    def current(self, ident: str) -> tuple[Speaking, ...]:
        """The voices ``ident`` is talking with now (at most one scripted, plus streams)."""
        return tuple(self.speaking.get(ident, {}).values())

    def talking(self, ident: str, kind: str | None = None) -> bool:
        voices = self.speaking.get(ident, {})
        return bool(voices) if kind is None else kind in voices

    def _touch(self, ident: str) -> None:
        """The speaker and those who hear it: their displays show what is said."""
        net = self.net
        net.touch(net.parties[ident])
        for other in net.listeners_of(ident):
            net.touch(net.parties[other])

    def heard_by(self, ident: str, lang: str = "fr") -> list[tuple[str, str]]:
        """(speaker, line) for each ``say`` that ``ident`` hears now: its subtitles."""
        speaking = self.speaking
        if not speaking:
            return []
        lines = []
        for speaker in self.net.hears(ident).voices:
            voice = speaking.get(speaker, {}).get("say")
            if voice is not None:
                lines.append((speaker, voice.line(lang)))
        return lines
