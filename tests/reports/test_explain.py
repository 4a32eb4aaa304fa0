"""``phone-sim run --explain`` and ``--list-steps``: steps as sentences, French or English."""

from __future__ import annotations

import re

from report_helpers import TRANSFER

from phone_sim.cli import main
from phone_sim.scenario.model import ACTIONS


def test_explain_tells_the_guide_transfer_in_french(capsys) -> None:
    assert main(["run", "--explain", str(TRANSFER)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == str(TRANSFER)
    steps = [line.strip() for line in lines if re.match(r"\s+\d+\. ", line)]
    assert steps[0] == "1. Madame B compose Monsieur A (0601020301) et appuie sur APPEL  (ligne 7)"
    assert steps[1] == ("2. Vérifier : Monsieur A sonne (appel de Madame B) ; Madame B appelle Monsieur A, "
                        "entend : retour d'appel  (ligne 8)")
    assert steps[6] == "7. Monsieur A compose Monsieur C (303) et appuie sur APPEL  (ligne 13)"
    assert steps[10] == "11. Monsieur A tape #1 (transfert)  (ligne 17)"
    assert len(steps) == 14


def test_explain_in_english_with_a_refusal(tmp_path, capsys) -> None:
    from report_helpers import scenario_folder

    folder = scenario_folder(tmp_path, {"abroad.yaml": """\
name: No transfer from abroad
company: company.yaml
steps:
  - move: {A: abroad}
  - wait: 1m30s
  - portal: {as: A, do: set_forwarding, line: A, type: busy, to: "309"}
    fails: short_number_not_allowed
  - keys: {A: "#43#<call>"}
"""})
    assert main(["run", "--explain", "--lang", "en", str(folder / "abroad.yaml")]) == 0
    out = capsys.readouterr().out
    assert "1. Monsieur A is now: Abroad  (line 4)" in out
    assert "2. 1 min 30 s pass" in out
    assert ("3. Monsieur A, in the portal: forwards Monsieur A's calls (busy) to Assistante — must be refused: "
            "Short number not allowed (short_number_not_allowed)") in out
    assert "4. Monsieur A keys #43# CALL" in out


def test_explain_runs_nothing_and_refuses_an_invalid_file(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nsteps: []\n")
    assert main(["run", "--explain", str(bad)]) == 2
    assert "bad.yaml" in capsys.readouterr().err


def test_list_steps_has_an_example_and_a_sentence_for_every_step(capsys) -> None:
    for lang in ("fr", "en"):
        assert main(["run", "--list-steps", "--lang", lang]) == 0
        lines = capsys.readouterr().out.splitlines()
        examples = [line for line in lines if line.startswith("- ")]
        assert [line[2:].split(":")[0] for line in examples] == list(ACTIONS)
        sentences = [line.strip() for line in lines if line.startswith("    ")]
        assert len(sentences) == len(ACTIONS) and all(sentences)
    assert "Madame B dials Monsieur A (0601020301) and presses CALL" in sentences


def test_run_without_a_path_is_a_usage_error(capsys) -> None:
    assert main(["run"]) == 2
    assert "at least one scenario" in capsys.readouterr().err
