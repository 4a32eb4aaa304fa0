"""``phone-sim diagram``: the core's machines as Mermaid state diagrams, kept current."""

from __future__ import annotations

from report_helpers import ROOT

from phone_sim.cli import main
from phone_sim.network.clock import Clock
from phone_sim.network.company import CompanySpec
from phone_sim.network.machines import machines, transitions_of
from phone_sim.network.switch import Network
from phone_sim.scenario.diagram import DEFAULT_OUT, document, mermaid_of

PAGE = ROOT / DEFAULT_OUT


def test_the_committed_page_is_what_the_machines_give() -> None:
    assert PAGE.read_text(encoding="utf-8") == document(), "docs/state-machines.md is stale: run phone-sim diagram"


def test_each_machine_is_drawn_by_transitions_with_every_transition() -> None:
    net = Network(CompanySpec(), Clock())
    for name, machine in machines(net).items():
        source = mermaid_of(name, machine)
        assert "stateDiagram-v2" in source and source.startswith("---\ntitle: ")
        for trigger, src, dest in transitions_of(machine):
            assert any(line.strip().startswith(f"{src} --> {dest}: {trigger}") for line in source.splitlines()), \
                (name, trigger, src, dest)
    hunt = mermaid_of("group_hunt", machines(net)["group_hunt"])
    assert "wait [queue_has_room]" in hunt  # guards are shown


def test_the_command_writes_and_checks(tmp_path, capsys) -> None:
    out = tmp_path / "machines.md"
    assert main(["diagram", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == document()
    assert main(["diagram", "--out", str(out), "--check"]) == 0
    out.write_text("old\n")
    assert main(["diagram", "--out", str(out), "--check"]) == 1
    assert "out of date" in capsys.readouterr().err
    assert main(["diagram", "--out", "-"]) == 0
    assert capsys.readouterr().out == document()
