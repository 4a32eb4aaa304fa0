"""Stateful property test of the sound of the media plane (SPEC 12): the calls
machine of ``test_calls_stateful`` (its rules and its media-plane invariant) with every party talking
with its identification tone from the start (rules stop and restart them), and an
``EarpieceProbe`` following the network's events as the recorder does. After every step,
for every handset, 200 ms of its earpiece rendered from that instant hold exactly the
identification tones of the talking parties that the media plane says it hears: none
missing, none extra, whatever tones, ringers, music, DTMF or announcements are mixed in.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule
from test_calls_stateful import IDS, CallsMachine

from phone_sim.audio.probe import EarpieceProbe
from phone_sim.audio.speech import Speech


class AudioMachine(CallsMachine):
    def __init__(self) -> None:
        super().__init__()
        net = self.net
        self.probe = EarpieceProbe(speech=Speech(8000, engine=None))
        self.probe.attach(net.bus, net.tone, net.ringing, list(net.parties), net.now,
                          hears_of=lambda party: net.hears(party).voices, watch=net.media.watch)
        for ident in IDS:
            net.speak(ident, "talk")  # until stopped

    @rule(ident=st.sampled_from(IDS))
    def stop_talking(self, ident: str) -> None:
        self.net.stop_speaking(ident, "talk")

    @rule(ident=st.sampled_from(IDS), ms=st.sampled_from((0, 0, 300, 5_000)))
    def talk(self, ident: str, ms: int) -> None:
        self.net.speak(ident, "talk", ms)

    # the bookkeeping invariants are TestCalls' (2,000 examples): not repeated here, where
    # the time goes to rendering; the media plane's own check stays
    def check_legs_and_calls(self) -> None: ...
    def check_views(self) -> None: ...
    def check_displays(self) -> None: ...
    def check_conference_size(self) -> None: ...
    def check_nothing_left_behind(self) -> None: ...

    @invariant()
    def check_sound(self) -> None:
        net = self.net
        talking = [p for p in net.parties if net.voices.talking(p, "talk")]
        for ident in net.parties:
            others = [p for p in talking if p != ident]
            expected = set(net.hears(ident).voices) & set(others)
            heard = self.probe.heard(ident, net.now, among=others)
            assert heard == expected, (f"{ident}'s earpiece holds {sorted(heard)}, the media plane says "
                                       f"{sorted(expected)} of the talking {others}; calls {net.view(ident).calls}")


AudioMachine.TestCase.settings = settings(
    max_examples=250,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestAudio = AudioMachine.TestCase
