"""Voices in the core: a party talks (VoiceDidStart), for as long as said (VoiceDidStop),
one scripted voice at a time; the scenario steps say/talk/play drive it."""

from __future__ import annotations

from pathlib import Path

import pytest

from phone_sim.network import events as ev
from phone_sim.network.clock import Clock
from phone_sim.network.company import CompanySpec, ExternalSpec, LineSpec
from phone_sim.network.eventtext import log_line
from phone_sim.network.switch import Network
from phone_sim.scenario.loader import load_scenario
from phone_sim.scenario.runner import Session, run_scenario, unspoken_ms

PABX = frozenset({"pabx", "double_appel"})


def network() -> tuple[Network, list[ev.Event]]:
    company = CompanySpec(
        name="Voices",
        lines=(LineSpec("A", "Monsieur A", "0601020301", "301", "mobile", PABX),),
        externals=(ExternalSpec("B", "Madame B", "0145678900"),),
    )
    net = Network(company, Clock())
    seen: list[ev.Event] = []
    net.bus.subscribe(seen.append)
    return net, seen


def voices(seen: list[ev.Event]) -> list[tuple[str, ...]]:
    out = []
    for event in seen:
        if isinstance(event, ev.VoiceDidStart):
            out.append(("start", str(event.time), event.party, event.kind, str(event.duration_ms)))
        elif isinstance(event, ev.VoiceDidStop):
            out.append(("stop", str(event.time), event.party, event.kind, event.reason))
    return out


def test_a_voice_lasts_its_duration_and_a_new_one_replaces_it() -> None:
    net, seen = network()
    net.speak("B", "say", 1500, text="Bonjour")
    assert net.voices.talking("B", "say") and not net.voices.talking("A")
    net.clock.advance(1000)
    net.speak("B", "talk", 2000)  # B now talks with her tone: the line is cut
    net.clock.advance(5000)
    assert voices(seen) == [
        ("start", "0", "B", "say", "1500"),
        ("stop", "1000", "B", "say", "replaced"),
        ("start", "1000", "B", "talk", "2000"),
        ("stop", "3000", "B", "talk", "ended"),
    ]
    assert not net.voices.talking("B")


def test_a_microphone_runs_beside_a_script_until_stopped() -> None:
    net, seen = network()
    net.speak("A", "mic")
    net.speak("A", "talk", 500)
    net.clock.advance(10_000)
    assert [kind for kind in ("mic", "talk") if net.voices.talking("A", kind)] == ["mic"]
    net.stop_speaking("A", "mic")
    net.stop_speaking("A")  # silent already: nothing more
    assert voices(seen)[-1] == ("stop", "10000", "A", "mic", "stopped")
    assert len(voices(seen)) == 4


def test_voices_touch_the_speaker_and_bad_values_are_programming_errors() -> None:
    net, seen = network()
    net.speak("B", "say", 100, text="Allô")
    assert ev.HandsetDidChange(0, "B") in seen
    with pytest.raises(ValueError):
        net.speak("B", "shout", 100)
    with pytest.raises(ValueError):
        net.speak("B", "talk", -1)


def test_the_log_says_what_is_said_in_both_languages() -> None:
    start = ev.VoiceDidStart(2500, "B", "say", 1200, "Bonjour Monsieur A", "Hello Mr A")
    names = {"B": "Madame B"}
    assert log_line(start, "fr", names) == "00:02.500  Madame B : « Bonjour Monsieur A »"
    assert log_line(start, "en", names) == "00:02.500  Madame B: “Hello Mr A”"
    assert log_line(ev.VoiceDidStart(0, "A", "talk", 2000), "en") == (
        "00:00.000  A talks (their identification tone, 2 s)")
    assert log_line(ev.VoiceDidStop(0, "A", "talk"), "en") is None


SCENARIO = """
name: Voices in a scenario
company:
  lines: [{id: A, name: Monsieur A, number: "0601020301", short: "301", options: [pabx, double_appel]}]
  externals: [{id: B, name: Madame B, number: "0145678900"}]
steps:
  - dial: {from: B, to: A}
  - answer: A
  - say: {from: B, text: {fr: Bonjour, en: Hello}}
  - wait: 1s
  - talk: {from: A, for: 2s}
  - play: {from: B, file: clip.wav}
  - wait: 5s
"""


def test_scenario_steps_make_the_parties_talk(tmp_path: Path) -> None:
    import wave

    with wave.open(str(tmp_path / "clip.wav"), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(8000)
        clip.writeframes(b"\0\0" * 4000)  # half a second
    path = tmp_path / "voices.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    scenario = load_scenario(path)
    seen: list[ev.Event] = []
    result = run_scenario(scenario, on_network=lambda net: net.bus.subscribe(seen.append))
    assert result.ok, result.report()
    starts = [e for e in seen if isinstance(e, ev.VoiceDidStart)]
    assert [(e.party, e.kind, e.duration_ms, e.time) for e in starts] == [
        ("B", "say", unspoken_ms("Bonjour"), 0), ("A", "talk", 2000, 1000), ("B", "play", 500, 1000)]
    assert starts[0].text_en == "Hello" and starts[2].file == str(tmp_path / "clip.wav")


def test_a_face_tells_the_session_how_long_a_spoken_line_lasts() -> None:
    net, seen = network()
    session = Session(net, say_ms=lambda fr, en: 4321)
    from phone_sim.scenario.model import Step

    session.act(Step("say", {"from": "B", "text": "Bonjour", "text_en": ""}))
    assert voices(seen) == [("start", "0", "B", "say", "4321")]
