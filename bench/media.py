"""Benchmark of the media plane's sound (a script, not a test): prints speeds and ratios.

- mixing: every earpiece of 6 handsets in one 6-party conference (each participant
  talking), rendered at 16 kHz on one core, in 20 ms frames (the live player, a SIP
  line) and in 2 s blocks (the WAV recorder): target >= 200x real time;
- mixing: 30 handsets in 15 two-party calls, everyone talking: target >= 50x;
- replay: ``phone-sim run scenarios/`` plain and with ``--verify-audio``, measured side by
  side in one run (best of several): target, verify-audio <= 20x plain.

The calls are built on the real network; a ``SoundListener`` on its bus feeds the mixer,
as the recorder does. Timings are CPU time (all of this process's threads), the best of
``--runs``; the load average is printed beside them (the machine is shared).

Usage: python bench/media.py [--seconds N] [--runs N] [--skip-replay]
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from phone_sim.audio.listener import SoundListener  # noqa: E402
from phone_sim.audio.mixer import Mixer  # noqa: E402
from phone_sim.handset.handset import Handset  # noqa: E402
from phone_sim.network.clock import Clock  # noqa: E402
from phone_sim.network.company import CompanySpec, LineSpec  # noqa: E402
from phone_sim.network.switch import Network  # noqa: E402

RATE = 16000
OPTIONS = frozenset({"pabx", "double_appel"})


def company(lines: int) -> CompanySpec:
    return CompanySpec(name="Bench", lines=tuple(
        LineSpec(f"L{i:02d}", f"Line {i}", f"06010{i:05d}", f"{300 + i}", "mobile", OPTIONS)
        for i in range(lines)))


def press(net: Network, phones: dict[str, Handset], party: str, keys: list[str]) -> None:
    phones[party].buffer = ""
    phones[party].press_all(keys)
    net.clock.settle()


def dial(net: Network, phones: dict[str, Handset], caller: str, callee: str) -> None:
    press(net, phones, caller, list(net.parties[callee].short or "") + ["call"])
    press(net, phones, callee, ["call"])


def conference_of_six() -> tuple[Network, Mixer]:
    net = Network(company(6), Clock())
    phones = {p: Handset(net, p) for p in net.parties}
    mixer = attach(net)
    organiser, *others = list(net.parties)
    dial(net, phones, organiser, others[0])
    for other in others[1:]:
        press(net, phones, organiser, ["hold"])
        dial(net, phones, organiser, other)
        press(net, phones, organiser, ["conf"])
    assert len(net.hears(organiser).voices) == 5, net.hears(organiser)
    for party in net.parties:
        net.speak(party, "talk")
    return net, mixer


def fifteen_calls() -> tuple[Network, Mixer]:
    net = Network(company(30), Clock())
    phones = {p: Handset(net, p) for p in net.parties}
    mixer = attach(net)
    parties = list(net.parties)
    for caller, callee in zip(parties[0::2], parties[1::2], strict=True):
        dial(net, phones, caller, callee)
    assert all(len(net.hears(p).voices) == 1 for p in parties)
    for party in parties:
        net.speak(party, "talk")
    return net, mixer


def attach(net: Network) -> Mixer:
    mixer = Mixer(RATE, parties=net.parties)
    listener = SoundListener(mixer.apply, net.tone, net.ringing, list(net.parties),
                             hears_of=lambda party: net.hears(party).voices, watch=net.media.watch)
    listener.start(net.now)
    net.bus.subscribe(listener)
    return mixer


def render(mixer: Mixer, seconds: float, frame_ms: int) -> None:
    frame = RATE * frame_ms // 1000
    for _ in range(int(seconds * 1000 // frame_ms)):
        mixer.render_all(frame)
        mixer.advance(frame)


def best_of(runs: int, work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()  # CPU time: the machine is shared, other jobs count less
        work()
        best = min(best, time.process_time() - start)
    return best


def mixing(label: str, build: Callable[[], tuple[Network, Mixer]], seconds: float, runs: int,
           target: float) -> None:
    for frame_ms in (20, 2000):
        _, mixer = build()
        wall = best_of(runs, lambda mixer=mixer, frame_ms=frame_ms: render(mixer, seconds, frame_ms))
        ratio = seconds / wall
        verdict = "met" if ratio >= target else "MISSED"
        print(f"  {label:<40} {frame_ms:>5} ms frames  {ratio:8.0f}x real time  "
              f"(target {target:.0f}x: {verdict})")


def replay(paths: list[str], runs: int) -> None:
    from phone_sim.scenario.cli_run import run
    from phone_sim.soundcheck import sound_check_factory

    def plain() -> None:
        run(paths, out=io.StringIO(), err=io.StringIO())

    def verified() -> None:
        run(paths, out=io.StringIO(), err=io.StringIO(), sound_check=sound_check_factory())

    plain()  # warm up: imports, espeak-ng's clips cached by both
    verified()
    times = {"plain": float("inf"), "verify": float("inf")}
    for _ in range(runs):  # side by side, alternating
        times["plain"] = min(times["plain"], best_of(1, plain))
        times["verify"] = min(times["verify"], best_of(1, verified))
    ratio = times["verify"] / times["plain"]
    verdict = "met" if ratio <= 20 else "MISSED"
    print(f"  phone-sim run {' '.join(paths)}: plain {times['plain']:.2f} s, --verify-audio "
          f"{times['verify']:.2f} s: {ratio:.1f}x (target <= 20x: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="virtual seconds rendered per run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-replay", action="store_true")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}, "
          f"{os.cpu_count()} cores")
    print("mixing (every earpiece, 16 kHz, one core):")
    mixing("6 handsets, one 6-party conference", conference_of_six, args.seconds, args.runs, 200)
    mixing("30 handsets in 15 calls", fifteen_calls, args.seconds, args.runs, 50)
    if not args.skip_replay:
        print("replay:")
        replay(["scenarios"], args.runs)


if __name__ == "__main__":
    main()
