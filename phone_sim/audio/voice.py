"""The sounds a handset makes on its own: earpiece tone, ringer, key tones and announcements.

Owns those local sounds of one handset, sample by sample, with no notion of wall or
virtual time. Everything sits at absolute sample positions, so any stretch can be
rendered (``render_at``) as often as asked; ``position`` is "now", where new sounds start,
and ``render`` renders the next ``n`` samples and moves it on. The ``Mixer`` (``mixer``)
adds the voices the handset hears.
"""

from __future__ import annotations

from collections import deque
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from phone_sim.audio import tones
from phone_sim.audio.commands import KEY_GAP_MS, PlayKey, SetRinger, SetTone, SoundCommand

Floats = npt.NDArray[np.float32]

SPEECH_GAP_MS = 300


@lru_cache(maxsize=64)
def _key_clip(key: str, duration_ms: int, rate: int) -> Floats:
    clip: Floats = tones.dtmf(key, duration_ms, rate).astype(np.float32) / np.float32(32768)
    clip.flags.writeable = False
    return clip


class Lane:
    """Clips played one after another, never on top of each other (key tones, speech)."""

    def __init__(self, gap: int) -> None:
        self.gap = gap
        self.clips: deque[tuple[int, Floats]] = deque()
        self.free_at = 0  # first sample where the next clip may start

    def add(self, at: int, clip: Floats) -> None:
        start = max(at, self.free_at)
        self.clips.append((start, clip))
        self.free_at = start + len(clip) + self.gap

    def mix_into(self, out: Floats, position: int) -> None:
        """Add the clips' samples that fall in ``out`` (which starts at ``position``)."""
        end = position + len(out)
        for start, clip in self.clips:
            if start >= end:
                break
            lo, hi = max(start, position), min(start + len(clip), end)
            if lo < hi:
                out[lo - position : hi - position] += clip[lo - start : hi - start]

    def forget(self, before: int) -> None:
        """Drop the clips that end before sample ``before``."""
        while self.clips and self.clips[0][0] + len(self.clips[0][1]) <= before:
            self.clips.popleft()

    def busy(self) -> bool:
        return bool(self.clips)

    def ends_at(self) -> int:
        """The sample after the last clip (0 with none queued)."""
        return max((start + len(clip) for start, clip in self.clips), default=0)


class Voice:
    """One handset's sound. ``position`` counts the samples rendered so far."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.position = 0
        self.tone = "none"
        self._tone_start = 0
        self.ringing = False
        self._ring_start = 0
        self.keys = Lane(tones.samples_for(KEY_GAP_MS, rate))
        self.speech = Lane(tones.samples_for(SPEECH_GAP_MS, rate))

    def set_tone(self, tone: str) -> None:
        """Change the earpiece tone; its cadence starts now. Unknown names are silence."""
        tone = tone if tone in tones.TONE_NAMES else "none"
        if tone != self.tone:
            self.tone, self._tone_start = tone, self.position

    def set_ringing(self, on: bool) -> None:
        if on != self.ringing:
            self.ringing, self._ring_start = on, self.position

    def play_key(self, key: str, duration_ms: int) -> None:
        self.keys.add(self.position, _key_clip(key, duration_ms, self.rate))

    def say(self, clip: npt.NDArray[np.int16]) -> None:
        """Speak after the key tones already queued (an announcement answers the dialling)."""
        start = max(self.position, self.keys.ends_at())
        self.speech.add(start, clip.astype(np.float32) / np.float32(32768))

    def apply(self, command: SoundCommand) -> None:
        """Apply a tone, ringer or key command (speech needs synthesis first: ``say``)."""
        if isinstance(command, SetTone):
            self.set_tone(command.tone)
        elif isinstance(command, SetRinger):
            self.set_ringing(command.on)
        elif isinstance(command, PlayKey):
            self.play_key(command.key, command.duration_ms)

    def clips_end(self) -> int:
        """The sample where the last queued key tone or speech ends (at least ``position``)."""
        return max(self.position, self.keys.ends_at(), self.speech.ends_at())

    def quiet(self) -> bool:
        """Nothing queued to play (the tone and ringer may still sound)."""
        return not (self.keys.busy() or self.speech.busy())

    def render(self, n: int) -> Floats:
        """The next ``n`` samples, as floats in full-scale units (may exceed 1 when mixed)."""
        out = np.zeros(n, dtype=np.float32)
        self.add_into(out, self.position)
        self.position += n
        self.forget(self.position)
        return out

    def silent(self) -> bool:
        """Nothing sounds now or later: no tone, no ringer, no clip queued."""
        return self.tone == "none" and not self.ringing and self.quiet()

    def add_into(self, out: Floats, start: int) -> None:
        """Add samples ``start`` to ``start + len(out)`` to ``out`` (changes nothing here)."""
        n = len(out)
        if self.tone != "none":
            out += tones.tone_slice(self.tone, start - self._tone_start, n, self.rate) / np.float32(32768)
        if self.ringing:
            out += tones.tone_slice("ringer", start - self._ring_start, n, self.rate) / np.float32(32768)
        self.keys.mix_into(out, start)
        self.speech.mix_into(out, start)

    def forget(self, before: int) -> None:
        """Drop the key tones and speech that end before sample ``before``."""
        self.keys.forget(before)
        self.speech.forget(before)
