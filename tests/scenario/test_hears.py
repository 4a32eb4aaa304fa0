"""The ``hears:`` expectation (scenario-format.md): parsing, matching, failure messages,
and the seam a face uses to check it against the rendered sound."""

from __future__ import annotations

from pathlib import Path

import pytest

from phone_sim.network.switch import Network
from phone_sim.scenario.loader import load_scenario
from phone_sim.scenario.model import Expectation, Scenario
from phone_sim.scenario.runner import ScenarioResult, run_scenario

COMPANY = """\
company:
  name: Test
  lines:
    - {id: A, number: "0601020301", short: "301", options: [pabx, double_appel]}
    - {id: C, number: "0601020303", short: "303", options: [pabx, double_appel]}
    - {id: D, number: "0601020304", short: "304", options: [pabx, double_appel]}
  externals:
    - {id: B, number: "0145678900"}
steps:
  - dial: {from: A, to: C}
  - answer: C
  - dial: {from: A, to: D}
  - answer: D
"""


def scenario(tmp_path: Path, steps: str) -> Scenario:
    path = tmp_path / "hears.yaml"
    path.write_text("name: Hears\n" + COMPANY + steps, encoding="utf-8")
    return load_scenario(path)


def run(tmp_path: Path, steps: str) -> ScenarioResult:
    return run_scenario(scenario(tmp_path, steps))


def test_parsed_into_voices_and_sources(tmp_path: Path) -> None:
    step = scenario(tmp_path, "  - expect: {C: {hears: [music]}, A: {active: D, held: C, hears: [D]}}\n").steps[-1]
    checks = dict(step.args["checks"])
    assert checks["C"] == Expectation(hears=("music",), any_calls=True)
    assert checks["C"].heard_voices == frozenset() and checks["C"].heard_sources == {"music"}
    assert checks["A"].heard_voices == {"D"} and checks["A"].heard_sources is None
    assert not checks["A"].any_calls


@pytest.mark.parametrize("expect", [
    "{A: {active: D, held: C, hears: [D]}}",
    "{C: {active: A, hears: [music]}}",
    "{C: {hears: []}}",  # voices only: C hears no voice (music is not compared)
    "{D: {hears: [A]}, B: {hears: []}}",
    "{B: {hears: [], tone: none}}",
    "{A: {hears: D}}",  # one name needs no list
])
def test_matching_expectations_pass(tmp_path: Path, expect: str) -> None:
    result = run(tmp_path, f"  - expect: {expect}\n")
    assert result.ok, result.report()


@pytest.mark.parametrize(("expect", "message"), [
    ("{A: {hears: [C, D]}}", "A hears [D], expected [C, D] (not [C])"),
    ("{A: {hears: []}}", "A hears [D], expected [] (also [D])"),
    ("{C: {hears: [A]}}", "C hears [music], expected [A] (not [A])"),  # sources shown, not compared
    ("{C: {hears: [ringback]}}", "C hears [music], expected [ringback] (not [ringback]; also [music])"),
    ("{D: {hears: [A, music]}}", "D hears [A], expected [A, music] (not [music])"),
    ("{B: {hears: [A]}}", "B hears [], expected [A] (not [A])"),
])
def test_failures_say_what_was_heard_and_expected(tmp_path: Path, expect: str, message: str) -> None:
    result = run(tmp_path, f"  - expect: {expect}\n")
    assert not result.ok and result.failed is not None
    assert result.failed.message == message
    assert "hears:" in result.failed.expected and "hears:" in result.failed.observed
    assert message in result.report()


def test_call_states_still_checked_beside_hears(tmp_path: Path) -> None:
    result = run(tmp_path, "  - expect: {A: {active: C, hears: [D]}}\n")
    assert not result.ok and result.failed is not None and result.failed.message == "A's calls differ"


def test_sound_check_is_called_for_each_hears_that_holds(tmp_path: Path) -> None:
    seen: list[tuple[str, tuple[str, ...] | None, int]] = []
    networks: list[Network] = []

    def factory(net: Network):  # type: ignore[no-untyped-def]
        networks.append(net)

        def check(ident: str, exp: Expectation) -> str | None:
            seen.append((ident, exp.hears, net.now))
            return "D's tone is missing in A's earpiece" if ident == "A" else None

        return check

    ok = scenario(tmp_path, "  - wait: 1s\n  - expect: {C: {hears: [music]}, D: {hears: [A], tone: none}}\n")
    assert run_scenario(ok, sound_check=factory).ok
    assert seen == [("C", ("music",), 1000), ("D", ("A",), 1000)]
    seen.clear()
    bad = scenario(tmp_path, "  - expect: {A: {hears: [D]}}\n  - expect: {A: {hears: [C]}}\n")
    result = run_scenario(bad, sound_check=factory)
    assert not result.ok and result.failed is not None and result.failed.index == 4
    assert result.failed.message == "D's tone is missing in A's earpiece"
    # a hears that fails in the media plane is reported as such; the sound is not rendered
    result = run_scenario(scenario(tmp_path, "  - expect: {C: {hears: [A]}}\n"), sound_check=factory)
    assert result.failed is not None and result.failed.message.startswith("C hears [music]")
    assert seen == [("A", ("D",), 0)]
