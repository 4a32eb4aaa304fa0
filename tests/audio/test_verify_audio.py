"""``phone-sim run --verify-audio``: every ``hears:`` checked against the rendered sound
(identification tones, ``phone_sim/soundcheck.py``). Each scenario of ``scenarios/media``
passes so (the plain run is the pytest plugin's); a wrong voice path in the sound is
reported even when the media plane is right; the command line takes the option."""

from __future__ import annotations

from pathlib import Path

import pytest

from phone_sim.audio.probe import EarpieceProbe
from phone_sim.audio.speech import Speech
from phone_sim.cli import main
from phone_sim.network.switch import Network
from phone_sim.scenario.loader import load_scenario
from phone_sim.scenario.model import Expectation
from phone_sim.scenario.runner import run_scenario
from phone_sim.soundcheck import sound_check, sound_check_factory

MEDIA = Path(__file__).parents[2] / "scenarios" / "media"
FILES = sorted(p for p in MEDIA.glob("*.yaml") if p.name != "company.yaml")


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_each_media_scenario_passes_against_the_sound(path: Path) -> None:
    heard: list[tuple[str, str | None]] = []
    make = sound_check_factory()

    def counting(net: Network):  # type: ignore[no-untyped-def]
        check = make(net)

        def counted(ident: str, exp: Expectation) -> str | None:
            why = check(ident, exp)
            heard.append((ident, why))
            return why

        return counted

    result = run_scenario(load_scenario(path), sound_check=counting)
    assert result.ok, result.report()
    assert heard  # every file of the suite has hears: expectations, all checked


def test_the_suite_checks_talking_parties_in_the_sound() -> None:
    """Not only silence: across the suite, many checks find identification tones."""
    found = 0
    for path in FILES:
        probes: list[EarpieceProbe] = []

        def make(net: Network, probes: list[EarpieceProbe] = probes):  # type: ignore[no-untyped-def]
            probes.append(EarpieceProbe(speech=Speech(8000, engine=None)))
            check = sound_check(net, probes[-1])

            def counted(ident: str, exp: Expectation) -> str | None:
                nonlocal found
                found += len(exp.heard_voices & {p for p in net.parties if net.voices.talking(p, "talk")})
                return check(ident, exp)

            return counted

        assert run_scenario(load_scenario(path), sound_check=make).ok
    assert found >= 30


def network_with_a_call():  # type: ignore[no-untyped-def]
    from phone_sim.handset.handset import Handset
    from phone_sim.network.clock import Clock

    scenario = load_scenario(FILES[0])
    net = Network(scenario.company, Clock())
    probe = EarpieceProbe(speech=Speech(8000, engine=None))
    check = sound_check(net, probe)
    a, c = Handset(net, "A"), Handset(net, "C")
    a.press_all(list(net.parties["C"].number) + ["call"])
    c.press("call")
    net.clock.settle()
    net.speak("A", "talk", 1000)
    net.speak("C", "talk", 1000)
    return net, probe, check


def test_a_voice_path_missing_in_the_sound_is_reported() -> None:
    net, probe, check = network_with_a_call()
    assert net.hears("C").voices == ("A",)
    assert check("C", Expectation(hears=("A",), any_calls=True)) is None
    probe.mixer.set_heard("C", [])  # the sound no longer carries A to C (a mixing bug)
    why = check("C", Expectation(hears=("A",), any_calls=True))
    assert why is not None and "missing A" in why, why


def test_an_extra_voice_in_the_sound_is_reported() -> None:
    net, probe, check = network_with_a_call()
    b_talks = next(p for p in net.parties if p not in ("A", "C"))
    net.speak(b_talks, "talk", 1000)  # talking, but in no call with A
    assert check("A", Expectation(hears=("C",), any_calls=True)) is None
    probe.mixer.set_heard("A", ["C", b_talks])  # the sound leaks a third voice into A's ear
    why = check("A", Expectation(hears=("C",), any_calls=True))
    assert why is not None and f"also {b_talks}" in why, why


def test_the_command_line_takes_verify_audio(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(FILES[4]), "--verify-audio"]) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out
