"""Benchmark of sound (a script, not a test): prints speeds as multiples of real time.

- synthesis: 60 s of each tone (cadence loop built from scratch, caches cleared) and
  60 s of DTMF key presses, at 8 and 16 kHz;
- detection: the DTMF receiver on 60 s of key presses (whole file, and fed in 20 ms
  chunks as from a microphone) and on 60 s of music on hold (no keys);
- recording: a 10-minute virtual session of three handsets rendered to WAV;
- the listener: events per second turned into queued commands.

Target: every sound path at least 100x real time.

Usage: python bench/audio.py [--seconds N]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from queue import SimpleQueue

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import numpy as np  # noqa: E402

from phone_sim.audio import tones  # noqa: E402
from phone_sim.audio.dtmf import DtmfDetector, dtmf_tones  # noqa: E402
from phone_sim.audio.listener import SoundListener  # noqa: E402
from phone_sim.audio.speech import Speech  # noqa: E402
from phone_sim.audio.system import SoundSystem  # noqa: E402
from phone_sim.network.events import EventBus, HandsetDidChange, KeyWasPressed  # noqa: E402

TARGET = 100.0
_results: list[float] = []


def best_of(runs: int, work: Callable[..., object], *args: object) -> float:
    """The fastest of ``runs`` timings of ``work(*args)`` (seconds)."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work(*args)
        best = min(best, time.perf_counter() - start)
    return best


def report(label: str, audio_seconds: float, wall_seconds: float) -> None:
    ratio = audio_seconds / wall_seconds
    _results.append(ratio)
    print(f"  {label:<44} {wall_seconds * 1000:9.1f} ms  {ratio:9.0f}x real time")


def cold_tone(name: str, seconds: float, rate: int) -> object:
    tones._period.cache_clear()  # build the cadence loop, not just copy it
    return tones.tone_seconds(name, seconds, rate)


def streamed(signal: np.ndarray, rate: int) -> object:
    """The receiver fed 20 ms at a time, as from a microphone."""
    detector = DtmfDetector(rate)
    chunk = tones.samples_for(20, rate)
    return [detector.feed(signal[i : i + chunk]) for i in range(0, len(signal), chunk)]


def synthesis(seconds: float) -> None:
    print(f"Synthesis ({seconds:.0f} s of sound each, cadence caches cleared)")
    for rate in tones.RATES:
        for name in sorted(tones.TONE_NAMES - {"none"}):
            report(f"{name} at {rate} Hz", seconds, best_of(3, cold_tone, name, seconds, rate))
        keys = "0123456789*#ABCD" * int(seconds * 5 / 16 + 1)
        presses = keys[: int(seconds * 5)]  # 100 ms on, 100 ms off: 5 keys a second
        wall = best_of(3, tones.dtmf_sequence, presses, 100, 100, rate)
        report(f"DTMF key presses at {rate} Hz", seconds, wall)


def detection(seconds: float) -> None:
    print(f"Detection ({seconds:.0f} s of sound each)")
    for rate in tones.RATES:
        presses = ("0601020304#*" * int(seconds))[: int(seconds * 5)]
        signal = tones.dtmf_sequence(presses, 100, 100, rate)
        found = "".join(t.key for t in dtmf_tones(signal, rate))
        assert found == presses, "the receiver missed keys: the figure would mean nothing"
        report(f"DTMF, whole signal, at {rate} Hz", seconds, best_of(3, dtmf_tones, signal, rate))
        report(f"DTMF, 20 ms chunks, at {rate} Hz", seconds, best_of(3, streamed, signal, rate))
        music = tones.tone_seconds("music", seconds, rate)
        report(f"music on hold (no keys) at {rate} Hz", seconds, best_of(3, dtmf_tones, music, rate))


def recording(minutes: float) -> None:
    print(f"Recording ({minutes:.0f} virtual minutes, 3 handsets, 16 kHz WAV)")
    end_ms = int(minutes * 60_000)

    def session() -> None:
        with tempfile.TemporaryDirectory() as directory:
            sound = SoundSystem("wav", record_dir=directory, speech=Speech(16000, engine=None))
            tone = {"A": "ringback", "B": "music", "C": "busy"}
            bus = EventBus()
            sound.attach(bus, tone.__getitem__, lambda party: party == "C", list(tone))
            for ms in range(0, end_ms, 1000):
                bus.publish(KeyWasPressed(ms, "A", "5"))
            bus.publish(HandsetDidChange(end_ms // 2, "B"))
            sound.close(end_ms=end_ms)

    report("session rendered to three WAV files", minutes * 60, best_of(1, session))


def listener_rate(count: int) -> None:
    print(f"Listener ({count:,} events)")
    queue: SimpleQueue[object] = SimpleQueue()
    tone = {"A": "none"}
    listener = SoundListener(queue.put, tone.__getitem__, lambda party: False, ["A"])
    events = [KeyWasPressed(i, "A", "7") if i % 2 else HandsetDidChange(i, "A") for i in range(count)]

    def feed() -> None:
        for event in events:
            listener(event)

    wall = best_of(3, feed)
    print(f"  {count / wall:,.0f} events a second ({wall / count * 1e6:.2f} µs each, a queue put included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="sound per measure (default 60)")
    args = parser.parse_args()
    synthesis(args.seconds)
    detection(args.seconds)
    recording(10)
    listener_rate(100_000)
    slowest = min(_results)
    verdict = "met" if slowest >= TARGET else "MISSED"
    print(f"Slowest path: {slowest:.0f}x real time (target {TARGET:.0f}x: {verdict})")


if __name__ == "__main__":
    main()
