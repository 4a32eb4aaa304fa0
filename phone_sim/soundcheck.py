"""``phone-sim run --verify-audio``: each ``hears:`` expectation checked against the sound.

Owns joining the replay and the sound, two layers that stay independent of each other
(the scenario layer renders no sound; the sound layer knows no scenario): it lives at
the faces' level, as the command line does. For each scenario an ``EarpieceProbe``
follows the network's bus from before the first step; at each ``hears:`` that holds in
the media plane, 200 ms of that handset's earpiece is rendered from the state of that
instant and the identification tones of the parties talking with ``talk:`` are sought
in it: each listed one must be found, every other one must be absent
(scenario-format.md, ``hears``). Spoken lines (``say:``) are mixed as text-only clips
unless ``speech`` is asked for (espeak-ng, slower): the identification tones are what
proves a voice path.

    run_scenario(scenario, sound_check=sound_check_factory())
"""

from __future__ import annotations

from collections.abc import Callable

from phone_sim.audio.probe import PROBE_RATE, EarpieceProbe
from phone_sim.audio.speech import Speech
from phone_sim.network.switch import Network
from phone_sim.scenario.model import Expectation
from phone_sim.scenario.runner import SoundCheck


def sound_check_factory(speech: bool = False) -> Callable[[Network], SoundCheck]:
    """What ``run_scenario(sound_check=...)`` takes: one probe per scenario's network."""
    engine = "espeak-ng" if speech else None
    return lambda net: sound_check(net, EarpieceProbe(PROBE_RATE, Speech(PROBE_RATE, engine=engine)))


def sound_check(net: Network, probe: EarpieceProbe) -> SoundCheck:
    probe.attach(net.bus, net.tone, net.ringing, list(net.parties), net.now,
                 hears_of=lambda party: net.hears(party).voices, watch=net.media.watch)

    def check(ident: str, exp: Expectation) -> str | None:
        talking = [p for p in net.parties if p != ident and net.voices.talking(p, "talk")]
        if not talking:
            return None  # no identification tone to look for: the media plane's check stands
        heard = probe.heard(ident, net.now, among=talking)
        expected = exp.heard_voices.intersection(talking)
        if heard == expected:
            return None
        missing, extra = sorted(expected - heard), sorted(heard - expected)
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"also {', '.join(extra)}"] if extra else [])
        return (f"{ident}'s earpiece sounds with {_names(heard)} talking, expected {_names(expected)} "
                f"(identification tones; {'; '.join(parts)})")

    return check


def _names(parties: frozenset[str] | set[str]) -> str:
    return "[" + ", ".join(sorted(parties)) + "]"
