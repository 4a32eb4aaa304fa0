"""Scenario files -> Scenario values: the guide's examples, every action, ids, paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from phone_sim.scenario.companyfile import load_company
from phone_sim.scenario.loader import load_paths, load_scenario
from phone_sim.scenario.model import ACTIONS, Expectation, Scenario, ScenarioError, Step
from phone_sim.scenario.stepparser import _PARSERS, parse_duration, parse_keys

ROOT = Path(__file__).parents[2]
GUIDE = ROOT / "scenarios" / "guide"
SHARED_EXAMPLES = ROOT.parent / "shared" / "spec" / "examples"

COMPANY = """\
company:
  name: Test
  lines:
    - {id: A, number: "0601020301", short: "301", options: [pabx, double_appel]}
    - {id: C, number: "0601020303", short: "303", options: [pabx, double_appel]}
  externals:
    - {id: B, number: "0145678900"}
  groups:
    - {id: COM, number: "0609182236", members: [A, C], connected: [A]}
"""


def scenario(tmp_path: Path, steps: str, head: str = "name: Test\n") -> Scenario:
    path = tmp_path / "test.yaml"
    path.write_text(head + COMPANY + "steps:\n" + steps, encoding="utf-8")
    return load_scenario(path)


def one_step(tmp_path: Path, step: str) -> Step:
    return scenario(tmp_path, f"  - {step}\n").steps[0]


def error(tmp_path: Path, steps: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        scenario(tmp_path, steps)
    return info.value


# -- the guide's examples ----------------------------------------------------------------


def test_guide_folder_holds_the_five_scenarios_and_skips_the_company() -> None:
    assert [p.name for p in load_paths([GUIDE])] == [
        "01-transfer-guide.yaml",
        "02-conference-guide.yaml",
        "03-forwarding-no-answer.yaml",
        "04-ring-list-cascade.yaml",
        "05-group-linear.yaml",
    ]


@pytest.mark.skipif(not SHARED_EXAMPLES.is_dir(), reason="no shared/ beside the repository")
def test_guide_copies_match_the_shared_examples() -> None:
    for example in SHARED_EXAMPLES.glob("*.yaml"):
        assert (GUIDE / example.name).read_text() == example.read_text(), example.name


@pytest.mark.parametrize("path", sorted(GUIDE.glob("0*.yaml")), ids=lambda p: p.stem)
def test_guide_scenario_loads(path: Path) -> None:
    loaded = load_scenario(path)
    assert loaded.company == load_company(GUIDE / "company.yaml")
    assert loaded.path == str(path) and loaded.xfail is None
    assert all(step.file == str(path) and step.line > 0 for step in loaded.steps)
    assert [step.action for step in loaded.steps if step.action not in ACTIONS] == []


def test_transfer_example() -> None:
    loaded = load_scenario(GUIDE / "01-transfer-guide.yaml")
    # "#1" after a space starts a YAML comment: the name stops before it.
    assert loaded.name == "Transfer a received call with"
    assert loaded.description.startswith("Madame B calls Monsieur A")
    first, second = loaded.steps[:2]
    assert first == Step(
        "dial", {"from": "B", "to": "0601020301"}, 7, None, str(GUIDE / "01-transfer-guide.yaml")
    )
    assert second.args["checks"] == (
        ("A", Expectation(calls=(("ringing", ("B",)),))),
        ("B", Expectation(calls=(("calling", ("A",)),), tone="ringback")),
    )
    assert [(s.line, s.action) for s in loaded.steps[-4:]] == [
        (17, "transfer"),
        (18, "expect"),
        (19, "hangup"),
        (20, "expect"),
    ]
    assert loaded.steps[-1].args["checks"][0] == ("A", Expectation(plain="idle"))


def test_conference_and_held_expectations() -> None:
    steps = load_scenario(GUIDE / "02-conference-guide.yaml").steps
    assert steps[5].args["checks"] == (("A", Expectation(calls=(("active", ("C",)), ("held", ("B",))))),)
    assert steps[7].line == 11
    assert steps[7].args["checks"][2] == ("C", Expectation(calls=(("conference", ("A", "B")),)))


def test_forwarding_example_portal_wait_and_fails() -> None:
    steps = load_scenario(GUIDE / "03-forwarding-no-answer.yaml").steps
    assert steps[0].args == {
        "as": "E",
        "do": "set_forwarding",
        "line": "E",
        "type": "no_answer",
        "to": "0601020309",
    }
    assert [s.args["ms"] for s in steps if s.action == "wait"] == [24000, 1000]
    assert steps[6].args["checks"][1] == (
        "ASSIST",
        Expectation(calls=(("ringing", ("B",)),), forwarded_from="E"),
    )
    assert (steps[-1].fails, steps[-1].args["to"], steps[-1].line) == ("short_number_not_allowed", "309", 14)


def test_ring_list_example_block_portal() -> None:
    step = load_scenario(GUIDE / "04-ring-list-cascade.yaml").steps[0]
    assert step.line == 4
    assert step.args == {
        "as": "manager",
        "do": "set_ring_list",
        "line": "A",
        "mode": "sequential",
        "numbers": ("0145020301", "0601020301", "0601020309"),
        "step": 15,
    }


def test_group_example_calls_the_group() -> None:
    steps = load_scenario(GUIDE / "05-group-linear.yaml").steps
    assert steps[1].args["checks"][0] == ("B", Expectation(calls=(("calling", ("COM",)),)))


def test_every_action_has_a_parser() -> None:
    assert set(_PARSERS) == set(ACTIONS)


# -- steps ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        ("A", "A"),
        ("COM", "COM"),
        ("303", "303"),
        ("303", "303"),
        ("0601020303", "0601020303"),
        ('"06 01 02 03 03"', "06 01 02 03 03"),
        ('"+44 20 7123 4567"', "+44 20 7123 4567"),
        ('"*#43#"', "*#43#"),
        ("'0601'", "0601"),
    ],
)
def test_dial_keeps_to_as_written(tmp_path: Path, to: str, expected: str) -> None:
    fails = ", fails: invalid_number" if to == "'0601'" else ""
    step = scenario(tmp_path, f"  - {{dial: {{from: B, to: {to}}}{fails}}}\n").steps[0]
    assert step.args == {"from": "B", "to": expected}


def test_unquoted_leading_zero_number_is_not_octal(tmp_path: Path) -> None:
    assert one_step(tmp_path, "dial: {from: B, to: 0601020301}").args["to"] == "0601020301"


def test_party_actions(tmp_path: Path) -> None:
    steps = scenario(
        tmp_path, "".join(f"  - {a}: A\n" for a in ("answer", "reject", "switch_off", "transfer"))
    )
    assert [(s.action, s.args) for s in steps.steps] == [
        (a, {"party": "A"}) for a in ("answer", "reject", "switch_off", "transfer")
    ]


def test_keys_and_move(tmp_path: Path) -> None:
    assert one_step(tmp_path, 'keys: {A: "**21*0601020303# <CALL>"}').args == {
        "party": "A",
        "keys": tuple("**21*0601020303#") + ("call",),
    }
    assert one_step(tmp_path, "keys: {B: 21}").args == {"party": "B", "keys": ("2", "1")}
    assert one_step(tmp_path, "move: {B: white_zone}").args == {"party": "B", "location": "white_zone"}


def test_parse_keys() -> None:
    assert parse_keys("#1") == ("#", "1")
    assert parse_keys(" <hold> <Conf><end>0 ") == ("hold", "conf", "end", "0")
    for bad, named in (("12a", "'a'"), ("<call", "'<'"), ("<dial>", "'<dial>'"), ("  ", "empty")):
        with pytest.raises(ValueError, match=named):
            parse_keys(bad)


@pytest.mark.parametrize(
    ("value", "ms"),
    [
        ("500ms", 500),
        ("25s", 25000),
        ("2m", 120000),
        ("1m30s", 90000),
        ("1m 30s", 90000),
        ("1h", 3600000),
        ("1.5s", 1500),
        (25, 25000),
        (0.25, 250),
        ("12", 12000),
        ("0s", 0),
        ("1s500ms", 1500),
    ],
)
def test_durations(value: object, ms: int) -> None:
    assert parse_duration(value) == ms


@pytest.mark.parametrize("value", ["25 sec", "30s1m", "1m1m", "-5s", "", "s", -1, True, None, [1]])
def test_bad_durations(value: object) -> None:
    assert parse_duration(value) is None


def test_expectations(tmp_path: Path) -> None:
    step = one_step(
        tmp_path, "expect: {A: off, B: {display: 303}, C: {held: [B, COM], active: A, tone: music}}"
    )
    assert step.args["checks"] == (
        ("A", Expectation(plain="off")),
        ("B", Expectation(plain=None, calls=(), display="303")),
        ("C", Expectation(calls=(("active", ("A",)), ("held", ("B", "COM"))), tone="music")),
    )


def test_portal_params_and_groups_created_by_earlier_steps(tmp_path: Path) -> None:
    steps = scenario(
        tmp_path,
        "  - portal: {as: manager, do: create_group, id: NEW, number: '0609000001', name: New,\n"
        "             user_code: 0042, queue: 2, members: [A], connected: [A]}\n"
        "  - portal: {as: A, do: connect, group: NEW, line: A}\n"
        "  - expect: {B: {calling: NEW}}\n"
        "  - portal: {as: manager, do: grant, line: ZZ, option: pabx}\n"
        "    fails: unknown_line\n"
        "  - portal: {as: manager, do: delete_group, group: OLD}\n"
        "    fails: unknown_group\n"
        "    note: the group never existed\n",
    ).steps
    assert steps[0].args == {
        "as": "manager",
        "do": "create_group",
        "id": "NEW",
        "number": "0609000001",
        "name": "New",
        "user_code": "0042",
        "queue": 2,
        "members": ("A",),
        "connected": ("A",),
    }
    assert steps[1].args == {"as": "A", "do": "connect", "group": "NEW", "line": "A"}
    assert steps[3].args["line"] == "ZZ" and steps[4].args["group"] == "OLD"


def test_a_group_whose_creation_fails_does_not_exist_later(tmp_path: Path) -> None:
    found = error(
        tmp_path,
        "  - portal: {as: manager, do: create_group, id: NEW, number: '0609182236', name: New}\n"
        "    fails: number_in_use\n"
        "  - portal: {as: manager, do: delete_group, group: NEW}\n",
    )
    assert (found.line, found.message) == (14, "unknown group 'NEW' (known: COM)")


@pytest.mark.parametrize(
    ("steps", "line", "message"),
    [
        ("  - {answer: A, comment: x, note: y, hangup: A}\n", 12, "step has two actions: answer, hangup"),
        ("  - {}\n", 12, "step has no action"),
        ("  - answer: [A]\n", 12, "party must be a string, got a list"),
        ("  - dial: {from: COM, to: A}\n", 12, "'COM' is a group, not a handset"),
        ("  - dial: {from: B, to: ASIST}\n", 12, "unknown party 'ASIST'"),
        ("  - dial: {from: B, to: A, via: C}\n", 12, "unknown key 'via' in dial"),
        ("  - keys: {A: '1', B: '2'}\n", 12, "keys names exactly one handset"),
        ("  - portal: {as: B, do: clear_ring_list, line: A}\n", 12, "unknown portal user 'B'"),
        ("  - portal: {do: clear_ring_list, line: A}\n", 12, "missing key 'as' in portal"),
        (
            "  - portal: {as: manager, do: set_ring_list, line: A, mode: sequential, numbers: '0601'}\n",
            12,
            "numbers must be a list",
        ),
        (
            "  - portal: {as: manager, do: set_forwarding, line: A, type: busy, to: '0601020303', delay: 5s}\n",
            12,
            "delay must be a whole number",
        ),
        ("  - expect: {}\n", 12, "expect names no handset"),
        ("  - expect: {A: sleeping}\n", 12, "unknown state 'sleeping'"),
        ("  - expect: {A: {ringing: []}}\n", 12, "ringing lists no party"),
        ("  - expect: {A: {ringin: B}}\n", 12, "(did you mean 'ringing'?)"),
        ("  - wait: 1s\n    fails: busy\n", 13, "a wait step cannot fail"),
        ("  - answer: a\n", 12, "(did you mean 'A'?)"),
    ],
)
def test_step_errors(tmp_path: Path, steps: str, line: int, message: str) -> None:
    found = error(tmp_path, steps)
    assert found.line == line, str(found)
    assert message in found.message


def test_top_level(tmp_path: Path) -> None:
    loaded = scenario(
        tmp_path, "  - answer: A\n", head="name: T\ndescription: |\n  Two\n  lines\nxfail: not yet\n"
    )
    assert (loaded.name, loaded.description, loaded.xfail) == ("T", "Two\nlines", "not yet")
    assert scenario(tmp_path, "  - answer: A\n", head="name: T\nxfail: true\n").xfail == "expected to fail"
    with pytest.raises(ScenarioError, match=r"test.yaml:12: steps is empty"):
        scenario(tmp_path, "  []\n")


def test_missing_scenario_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "none.yaml")
    assert (info.value.line, info.value.message) == (0, "scenario file not found")


# -- load_paths ---------------------------------------------------------------------------


def test_load_paths(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("b/2.yaml", "b/1.yml", "a.yaml", ".hidden/x.yaml", "notes.txt", "broken.yaml"):
        (tmp_path / name).write_text(
            "name: x\nsteps: []\n" if name != "broken.yaml" else "a: [", encoding="utf-8"
        )
    (tmp_path / "company.yaml").write_text("lines: []\n", encoding="utf-8")
    found = load_paths([tmp_path, tmp_path / "a.yaml"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.yaml",
        "b/1.yml",
        "b/2.yaml",
        "broken.yaml",
    ]
    with pytest.raises(ScenarioError, match=r"company.yaml:1: is a company file, not a scenario"):
        load_paths([tmp_path / "company.yaml"])
    with pytest.raises(ScenarioError, match=r"nowhere:0: no such file or folder"):
        load_paths([tmp_path / "nowhere"])


def test_loading_a_company_file_as_a_scenario_says_so() -> None:
    with pytest.raises(ScenarioError, match="is a company file, not a scenario"):
        load_scenario(GUIDE / "company.yaml")
