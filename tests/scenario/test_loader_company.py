"""Company files: shape, defaults, numbers normalised with the plan, rules at their line,
and ``dump_company`` writing back what ``load_company`` reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from phone_sim.network.company import CompanySpec, Forwarding, GroupSpec, RingList
from phone_sim.network.numbering import DEFAULT_PLAN
from phone_sim.scenario.companyfile import company_from_data, company_to_data, dump_company, load_company
from phone_sim.scenario.model import ScenarioError
from phone_sim.scenario.yamlnodes import parse_yaml

GUIDE_COMPANY = Path(__file__).parents[2] / "scenarios" / "guide" / "company.yaml"

RICH = """\
name: Rich
numbering:
  forward_prefixes: ["01", "06"]
lines:
  - {id: A, name: Monsieur A, number: 06 01 02 03 01, short: 301, options: [pabx, double_appel]}
  - {id: C, number: "+33 6 01 02 03 03", options: [pabx]}
  - {id: FIXE, number: "01.45.02.03.01", kind: fixed}
externals:
  - {id: UK, name: London office, number: "+44 20 7123 4567"}
  - {id: B, number: 0145678900}
groups:
  - {id: COM, number: "0609182236", members: [A, C], connected: [C]}
forwarding:
  A: {busy: "06 01 02 03 03", no_answer: "0145020301", delay: 10}
  C: {unconditional: "0601020301", busy: null}
incoming:
  A: {mode: sequential, numbers: ["0145020301", "+33601020301"], step: 20}
  C: {mode: simultaneous, numbers: ["0601020303"], enabled: false}
"""


def load_text(text: str, file: str = "company.yaml") -> CompanySpec:
    data, lines = parse_yaml(text, file)
    return company_from_data(data, file, lines)


def test_guide_company() -> None:
    spec = load_company(GUIDE_COMPANY)
    assert spec.name == "Transports Dupont"
    assert [line.id for line in spec.lines] == ["A", "A_FIXE", "C", "D", "E", "G", "ASSIST"]
    a_fixe = spec.lines[1]
    assert (a_fixe.number, a_fixe.short, a_fixe.kind, a_fixe.options) == (
        "0145020301",
        "401",
        "fixed",
        frozenset(),
    )
    assert spec.lines[0].options == frozenset({"pabx", "double_appel"})
    assert [(e.id, e.number) for e in spec.externals] == [("B", "0145678900"), ("F", "0298765432")]
    assert spec.groups == (
        GroupSpec(
            id="COM",
            number="0609182236",
            name="Com",
            user_code="1703",
            admin_code="2202",
            queue=1,
            switchover_delay=12,
            inter_call_delay=30,
            distribution="linear",
            members=("C", "E", "G"),
            connected=("C", "E", "G"),
        ),
    )
    assert spec.forwarding == {} and spec.incoming == {} and spec.plan == DEFAULT_PLAN


def test_numbers_are_normalised_and_short_numbers_kept() -> None:
    spec = load_text(RICH)
    assert [line.number for line in spec.lines] == ["0601020301", "0601020303", "0145020301"]
    assert spec.lines[0].short == "301"
    assert [e.number for e in spec.externals] == ["+442071234567", "0145678900"]
    assert spec.forwarding["A"] == Forwarding(busy="0601020303", no_answer="0145020301", delay=10)
    assert spec.forwarding["C"] == Forwarding(unconditional="0601020301")
    assert spec.incoming == {"A": RingList("sequential", ("0145020301", "0601020301"), 20)}


def test_defaults() -> None:
    spec = load_text(RICH)
    c = spec.lines[1]
    assert (c.name, c.kind, c.short) == ("C", "mobile", None)
    group = spec.groups[0]
    assert (group.name, group.user_code, group.admin_code, group.queue) == ("COM", "0000", "0000", 0)
    assert (group.switchover_delay, group.inter_call_delay, group.distribution) == (15, 0, "linear")
    assert load_text("lines: []").name == "Company"


def test_numbering_override_applies_to_the_rules() -> None:
    spec = load_text(RICH)
    assert spec.plan.forward_prefixes == ("01", "06")
    text = RICH.replace('no_answer: "0145020301"', 'no_answer: "0298765432"')
    with pytest.raises(ScenarioError) as info:
        load_text(text)
    assert info.value.line == 14
    assert "[prefix_not_allowed]" in info.value.message


def test_unquoted_codes_and_numbers_keep_their_digits() -> None:
    text = """\
lines:
  - {id: A, number: 0601020301, options: [pabx]}
groups:
  - {id: COM, number: 0609182236, user_code: 0042, admin_code: 1703, members: [A]}
"""
    spec = load_text(text)
    assert spec.lines[0].number == "0601020301"
    assert (spec.groups[0].user_code, spec.groups[0].admin_code) == ("0042", "1703")


def test_every_broken_rule_is_reported_in_file_order() -> None:
    text = """\
lines:
  - {id: A, number: "0601020301", short: "0301"}
  - {id: A, number: "0601020302"}
forwarding:
  A: {busy: "309"}
"""
    with pytest.raises(ScenarioError) as info:
        load_text(text, "acme.yaml")
    lines = str(info.value).splitlines()
    assert [line.split(": ")[0] for line in lines] == ["acme.yaml:2", "acme.yaml:3", "acme.yaml:5"]
    assert "[invalid_number]" in lines[0]
    assert "duplicate id 'A' [invalid_value]" in lines[1]
    assert "[short_number_not_allowed]" in lines[2]


@pytest.mark.parametrize(
    ("text", "line", "phrase"),
    [
        ("- {id: A}", 1, "a company must be a mapping, got a list"),
        ("lines:\n  - {id: A}", 2, "missing key 'number' in line"),
        ("lines:\n  - {id: A, number: '0601020301', colour: red}", 2, "unknown key 'colour' in line"),
        ("lines:\n  - {id: A, number: '0601020301', options: pabx}", 2, "options must be a list"),
        ("groups:\n  - {id: G, number: '0609182236', queue: many}", 2, "queue must be a whole number"),
        ("forwarding:\n  A: {bussy: '0601020303'}", 2, "(did you mean 'busy'?)"),
        ("incoming:\n  A: {mode: sequential}", 2, "missing key 'numbers' in ring list"),
        ("incoming:\n  A: {numbers: [], enabled: maybe}", 2, "enabled must be true or false"),
        ("numbering:\n  forward_prefix: ['06']", 2, "(did you mean 'forward_prefixes'?)"),
    ],
)
def test_shape_errors(text: str, line: int, phrase: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load_text(text)
    assert info.value.line == line
    assert phrase in info.value.message


def test_plain_data_without_lines_reports_line_zero() -> None:
    with pytest.raises(ScenarioError) as info:
        company_from_data({"lines": [{"id": "A", "number": "12"}]}, "store")
    assert str(info.value).startswith("store:0: lines.A.number: ")


def test_missing_company_file() -> None:
    with pytest.raises(ScenarioError) as info:
        load_company(GUIDE_COMPANY.with_name("nope.yaml"))
    assert info.value.line == 0 and "not found" in info.value.message


@pytest.mark.parametrize("source", ["guide", "rich"])
def test_dump_round_trips(source: str) -> None:
    spec = load_company(GUIDE_COMPANY) if source == "guide" else load_text(RICH)
    text = dump_company(spec)
    assert load_text(text) == spec
    assert dump_company(load_text(text)) == text


def test_dump_reads_like_the_format() -> None:
    text = dump_company(load_text(RICH))
    assert (
        '  - {id: A, name: Monsieur A, number: "0601020301", short: "301", options: [pabx, double_appel]}'
        in text
    )
    assert 'numbering:\n  forward_prefixes: ["01", "06"]\n' in text
    assert '  A: {busy: "0601020303", no_answer: "0145020301", delay: 10}' in text
    assert '  A: {mode: sequential, numbers: ["0145020301", "0601020301"], step: 20}' in text
    assert "incoming:\n  A:" in text and "  C:" not in text.split("incoming:")[1]


def test_company_to_data_leaves_out_empty_sections() -> None:
    data = company_to_data(CompanySpec(name="Empty"))
    assert data == {"name": "Empty", "lines": []}
    assert load_text(dump_company(CompanySpec(name="Empty"))) == CompanySpec(name="Empty")
