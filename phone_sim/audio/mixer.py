"""The mixer: every party's mouthpiece and earpiece on one timeline of samples (SPEC 12).

Owns mixing. Each party has a **mouthpiece** (what it says: one scripted voice at a time,
a ``say``/``play`` clip or a ``talk`` identification tone, plus a streamed input for a
microphone or a SIP device) and an **earpiece** (what it hears: the mouthpieces of the
parties the network routes to it, plus its own tone, ringer, key tones and
announcements, from ``voice.Voice``). Earpieces are summed in floating point, then
limited: below ``KNEE`` nothing changes, above it a smooth curve approaches full scale,
so a sum never wraps around nor clips hard, and each source keeps its own level.
Nothing is delayed: a voice is heard at the sample it is said.

One timeline: ``position`` is "now" in samples; everything sits at absolute positions,
so a stretch may be rendered as often as wanted (``render`` changes nothing) and
``advance`` moves on. The recorder renders every earpiece up to each event's virtual
time; the live player every 20 ms of wall time; a scenario check 200 ms from the state
of an instant. The mixer is thread-safe (one lock): a SIP gateway may feed it from its
RTP thread and pull from another.

Use (the SIP gateway: one mixer at 8 kHz, 20 ms frames)::

    mixer = Mixer(8000, parties=net.parties, clips=VoiceClips(Speech(8000, lang)))
    listener = SoundListener(mixer.apply, tone_of, ringing_of, parties, hears_of=..., watch=net.media.watch)
    bus.subscribe(listener); listener.start(net.now)   # commands apply at once
    every 20 ms:
        frame = mixer.render(line, 160)       # float32 in [-1, 1]: RTP out of `line`
        mixer.advance(160)                    # once per tick, after every line's pull
    on RTP in:
        mixer.feed(line, samples, 8000)       # float or int16 samples, any rate

``feed(party, samples, rate, at_ms=None)`` streams a voice: the chunk continues the
previous one when that ends within ``FEED_JOIN_MS`` of where this one would go (so
jitter never makes a gap or an overlap); otherwise it starts ``at_ms`` (virtual time),
or now. A stream more than ``FEED_MAX_AHEAD_MS`` ahead of now drops samples rather than
lag for ever. ``render_all(n)`` renders several earpieces at once (one matrix product:
a conference's voices summed once, each participant's own taken out), which is what
makes conferences cheap.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from threading import RLock
from typing import Final

import numpy as np
import numpy.typing as npt

from phone_sim.audio import tones
from phone_sim.audio.clips import VoiceClips
from phone_sim.audio.commands import (
    Feed,
    PlayKey,
    SetHeard,
    SetRinger,
    SetTone,
    SoundCommand,
    Speak,
    StartVoice,
    StopVoice,
)
from phone_sim.audio.ident import ident_frequency, ident_tone
from phone_sim.audio.voice import Voice

Floats = npt.NDArray[np.float32]

SCRIPTED: Final = ("say", "talk", "play")  # one at a time; mic and sip voices are streams
KNEE: Final = 0.7  # full-scale amplitude up to which the limiter changes nothing
FEED_JOIN_MS: Final = 120
FEED_MAX_AHEAD_MS: Final = 500
_HEADROOM: Final = 1.0 - KNEE


def limit(signal: Floats) -> Floats:
    """Soft limiting in place: unchanged up to KNEE, then a tanh curve below full scale."""
    magnitude = np.abs(signal)
    over = magnitude > KNEE
    if over.any():
        loud = magnitude[over]
        signal[over] = np.sign(signal[over]) * (KNEE + _HEADROOM * np.tanh((loud - KNEE) / _HEADROOM))
    return signal


@dataclass(slots=True)
class _Script:
    """A scripted voice: a clip (say, play) or an identification tone (talk)."""

    start: int
    end: int
    clip: Floats | None = None
    freq: float = 0.0


class Mouthpiece:
    """What one party says: a scripted voice and a streamed input, at absolute samples."""

    def __init__(self, rate: int, freq: float) -> None:
        self.rate = rate
        self.freq = freq  # its identification tone
        self.script: _Script | None = None
        self.chunks: deque[tuple[int, Floats]] = deque()  # the stream: (start, samples)
        self.stream_end = 0
        self._last_in = 0.0  # last sample fed (for resampling continuity)

    def sounds(self, start: int, end: int) -> bool:
        """Anything to say between samples ``start`` and ``end``?"""
        script = self.script
        if script is not None and script.start < end and script.end > start:
            return True
        return bool(self.chunks) and self.chunks[0][0] < end and self.stream_end > start

    def add_into(self, out: Floats, start: int) -> None:
        end = start + len(out)
        script = self.script
        if script is not None:
            lo, hi = max(start, script.start), min(end, script.end)
            if lo < hi:
                if script.clip is None:
                    out[lo - start : hi - start] += ident_tone(script.freq, lo - script.start, hi - lo, self.rate)
                else:
                    out[lo - start : hi - start] += script.clip[lo - script.start : hi - script.start]
        for at, chunk in self.chunks:
            if at >= end:
                break
            lo, hi = max(start, at), min(end, at + len(chunk))
            if lo < hi:
                out[lo - start : hi - start] += chunk[lo - at : hi - at]

    def forget(self, before: int) -> None:
        if self.script is not None and self.script.end <= before:
            self.script = None
        while self.chunks and self.chunks[0][0] + len(self.chunks[0][1]) <= before:
            self.chunks.popleft()

    def feed(self, samples: Floats, at: int, now: int) -> None:
        join = tones.samples_for(FEED_JOIN_MS, self.rate)
        start = self.stream_end if abs(self.stream_end - at) <= join else at
        # a stream slower than the timeline (RTP paced a little late) would join in the
        # past, where nothing is rendered any more: it goes on from now instead
        start = max(start, now)
        ahead = start - now - tones.samples_for(FEED_MAX_AHEAD_MS, self.rate)
        if ahead > 0:  # the stream runs faster than the timeline: drop, never lag
            samples = samples[ahead:]
            start += ahead
        if len(samples):
            self.chunks.append((start, samples))
            self.stream_end = start + len(samples)

    def resampled(self, samples: npt.ArrayLike, rate: int) -> Floats:
        """Float samples at this mouthpiece's rate (linear, continuous across chunks)."""
        array = np.asarray(samples).reshape(-1)
        scale = np.float32(32768) if array.dtype.kind in "iu" else np.float32(1)
        values = np.array(array, dtype=np.float32) / scale  # a copy: the caller may reuse its buffer
        if rate == self.rate or len(values) == 0:
            return values
        n = int(round(len(values) * self.rate / rate))
        source = np.concatenate([[self._last_in], values])
        positions = (np.arange(1, n + 1) * rate / self.rate).astype(np.float64)
        self._last_in = float(values[-1])
        out: Floats = np.interp(positions, np.arange(len(source)), source).astype(np.float32)
        return out


class _Plan:
    """How to sum the speakers' rows into the listeners' rows, for one routing.

    A listener hearing one voice adds that row; listeners that hear the same group of
    speakers but themselves (a conference) share the group's sum, minus their own row;
    any other listener sums its rows. So a conference of six costs one sum of six rows
    and six subtractions, not thirty additions (and no BLAS call for tiny matrices).
    """

    def __init__(self, listeners: tuple[str, ...], speakers: tuple[str, ...],
                 heard: dict[str, frozenset[str]]) -> None:
        index = {speaker: j for j, speaker in enumerate(speakers)}
        wanted = [[index[q] for q in heard.get(listener, ()) if q in index] for listener in listeners]
        groups: dict[frozenset[int], int] = {}
        for i, rows in enumerate(wanted):
            own = index.get(listeners[i])
            if len(rows) > 1 and own is not None:
                group = frozenset(rows) | {own}
                groups[group] = groups.get(group, 0) + 1
        self.groups = [sorted(group) for group, count in groups.items() if count > 1]
        group_of = {frozenset(rows): g for g, rows in enumerate(self.groups)}
        self.steps: list[tuple[int, int, list[int] | int]] = []  # (listener, kind, rows)
        for i, rows in enumerate(wanted):
            own = index.get(listeners[i])
            group = group_of.get(frozenset(rows) | {own}) if own is not None and len(rows) > 1 else None
            if not rows:
                continue
            if len(rows) == 1:
                self.steps.append((i, 1, rows[0]))
            elif group is not None and own is not None:
                self.steps.append((i, 2, [group, own]))
            else:
                self.steps.append((i, 3, sorted(rows)))

    def mix(self, said: Floats, out: Floats) -> None:
        sums = [said[rows].sum(axis=0) for rows in self.groups]
        for i, kind, rows in self.steps:
            if kind == 1:
                out[i] += said[rows]  # type: ignore[index]
            elif kind == 2:
                group, own = rows  # type: ignore[misc]
                out[i] += sums[group]
                out[i] -= said[own]
            else:
                out[i] += said[rows].sum(axis=0)


class Mixer:
    """Every party's earpiece and mouthpiece, at one rate, on one timeline."""

    def __init__(self, rate: int = tones.DEFAULT_RATE, parties: Iterable[str] = (),
                 clips: VoiceClips | None = None) -> None:
        self.rate = rate
        self.position = 0
        self.clips = clips  # None: say/play/Speak commands need their samples given
        self._index: dict[str, int] = {}
        self._local: dict[str, Voice] = {}
        self._mouths: dict[str, Mouthpiece] = {}
        self._heard: dict[str, frozenset[str]] = {}
        self._plans: dict[tuple[tuple[str, ...], tuple[str, ...]], _Plan] = {}
        self._lock = RLock()
        for party in parties:
            self.add_party(party)

    # ------------------------------------------------------------------ parties
    def add_party(self, party: str) -> int:
        """Make room for ``party`` (its order gives its identification tone); its index."""
        with self._lock:
            index = self._index.get(party)
            if index is None:
                index = self._index[party] = len(self._index)
                voice = self._local[party] = Voice(self.rate)
                voice.position = self.position
                self._mouths[party] = Mouthpiece(self.rate, ident_frequency(index))
                self._heard[party] = frozenset()
            return index

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(self._index)

    def frequency(self, party: str) -> float:
        """The identification tone ``party`` talks with."""
        return self._mouths[party].freq if party in self._mouths else ident_frequency(self.add_party(party))

    def local(self, party: str) -> Voice:
        """The handset's own sounds (tone, ringer, keys, announcements), positioned at now."""
        self.add_party(party)
        voice = self._local[party]
        voice.position = self.position
        return voice

    # ------------------------------------------------------------------ routing and voices
    def set_heard(self, party: str, voices: Iterable[str]) -> None:
        """The parties whose mouthpieces ``party``'s earpiece carries from now on."""
        with self._lock:
            self.add_party(party)
            heard = frozenset(voices) - {party}
            for other in heard:
                self.add_party(other)
            if heard != self._heard[party]:
                self._heard[party] = heard
                self._plans.clear()

    def heard(self, party: str) -> frozenset[str]:
        return self._heard.get(party, frozenset())

    def talk(self, party: str, duration_ms: int = 0) -> None:
        """``party`` talks with its identification tone from now (0: until stopped)."""
        with self._lock:
            self.add_party(party)
            mouth = self._mouths[party]
            mouth.script = _Script(self.position, self._end(duration_ms), None, mouth.freq)

    def start_clip(self, party: str, clip: Floats) -> None:
        """``party`` says ``clip`` from now, to its end (unless stopped or replaced)."""
        with self._lock:
            self.add_party(party)
            end = self.position + len(clip)
            self._mouths[party].script = _Script(self.position, end, np.asarray(clip, dtype=np.float32))

    def stop_voice(self, party: str) -> None:
        """``party``'s scripted voice ends now (its stream goes on while fed)."""
        with self._lock:
            mouth = self._mouths.get(party)
            if mouth is not None and mouth.script is not None:
                mouth.script.end = min(mouth.script.end, self.position)

    def feed(self, party: str, samples: npt.ArrayLike, rate: int, at_ms: int | None = None) -> None:
        """Stream samples (int16 or float, any rate) into ``party``'s mouthpiece."""
        with self._lock:
            self.add_party(party)
            mouth = self._mouths[party]
            at = self.position if at_ms is None else tones.samples_for(at_ms, self.rate)
            mouth.feed(mouth.resampled(samples, rate), at, self.position)

    def talking(self, party: str) -> bool:
        """Is ``party`` saying anything now?"""
        mouth = self._mouths.get(party)
        return mouth is not None and mouth.sounds(self.position, self.position + 1)

    def _end(self, duration_ms: int) -> int:
        return self.position + tones.samples_for(duration_ms, self.rate) if duration_ms > 0 else 1 << 62

    # ------------------------------------------------------------------ commands
    def apply(self, command: SoundCommand) -> None:
        """Apply a listener's command now (say/play/Speak synthesised here when ``clips``)."""
        with self._lock:
            party = command.party
            if isinstance(command, SetHeard):
                self.set_heard(party, command.voices)
            elif isinstance(command, StartVoice):
                self._start_voice(command)
            elif isinstance(command, StopVoice):
                if command.kind in SCRIPTED and command.reason != "ended":
                    self.stop_voice(party)
            elif isinstance(command, Feed):
                self.feed(party, command.samples, command.rate)
            elif isinstance(command, Speak):
                if self.clips is not None:
                    self.local(party).say(self.clips.speech.clip(command.text_fr, command.text_en))
            elif isinstance(command, SetTone | SetRinger | PlayKey):
                self.local(party).apply(command)

    def _start_voice(self, command: StartVoice) -> None:
        if command.kind == "talk":
            self.talk(command.party, command.duration_ms)
            return
        clip = self.clips.clip(command) if self.clips is not None else None
        if clip is not None:
            self.start_clip(command.party, clip)
        else:  # spoken with no engine, a stream, or an unreadable file: silence
            self.stop_voice(command.party)

    # ------------------------------------------------------------------ rendering
    def render(self, party: str, n: int) -> Floats:
        """The next ``n`` samples of ``party``'s earpiece (limited); ``position`` stays."""
        return self.render_all(n, (party,))[0]

    def render_all(self, n: int, parties: Sequence[str] | None = None) -> Floats:
        """Earpieces of ``parties`` (default: all, in order) as rows, from ``position``."""
        with self._lock:
            chosen = tuple(self._index) if parties is None else tuple(parties)
            for party in chosen:
                if party not in self._index:
                    self.add_party(party)
            start, end = self.position, self.position + n
            out = np.zeros((len(chosen), n), dtype=np.float32)
            speakers = tuple(q for q, mouth in self._mouths.items() if mouth.sounds(start, end))
            if speakers:
                plan = self._plan_for(chosen, speakers)
                if plan.steps:
                    said = np.zeros((len(speakers), n), dtype=np.float32)
                    for row, speaker in zip(said, speakers, strict=True):
                        self._mouths[speaker].add_into(row, start)
                    plan.mix(said, out)
            for row, party in zip(out, chosen, strict=True):
                local = self._local[party]
                if not local.silent():
                    local.add_into(row, start)
            return limit(out)

    def render_held(self, party: str, n: int) -> Floats:
        """Like ``render``, with every identification tone sounding now held for the ``n``
        samples (a check of "the state at this instant": nobody stops mid-measure)."""
        with self._lock:
            now, held = self.position, []
            for mouth in self._mouths.values():
                script = mouth.script
                if script is not None and script.clip is None and script.start <= now < script.end:
                    held.append((script, script.end))
                    script.end = max(script.end, now + n)
            try:
                return self.render(party, n)
            finally:
                for script, end in held:
                    script.end = end

    def _plan_for(self, listeners: tuple[str, ...], speakers: tuple[str, ...]) -> _Plan:
        key = (listeners, speakers)
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) > 256:
                self._plans.clear()
            plan = self._plans[key] = _Plan(listeners, speakers, self._heard)
        return plan

    def advance(self, n: int) -> None:
        """Move "now" on by ``n`` samples, forgetting what is over."""
        with self._lock:
            self.position += n
            for mouth in self._mouths.values():
                mouth.forget(self.position)
            for local in self._local.values():
                local.position = self.position
                local.forget(self.position)

    def advance_to(self, sample: int) -> None:
        if sample > self.position:
            self.advance(sample - self.position)

    def quiet(self) -> bool:
        """No key tone, announcement or voice still to play (tones may go on)."""
        return all(v.quiet() for v in self._local.values()) and not any(
            m.sounds(self.position, 1 << 62) for m in self._mouths.values())

    def clips_end(self) -> int:
        """The sample where the last queued clip ends (at least ``position``)."""
        ends = [v.clips_end() for v in self._local.values()]
        for mouth in self._mouths.values():
            if mouth.script is not None and mouth.script.end < 1 << 61:
                ends.append(mouth.script.end)
            ends.append(mouth.stream_end)
        return max([self.position, *ends])
