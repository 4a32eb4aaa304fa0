"""``dump_company`` writes the YAML itself: the same text PyYAML's dumper gave for the
files of the repository, and text that reads back the same (with our loader and with a
YAML 1.1 reader) for any names and ids, however odd."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from yaml_reference import reference_dump

from phone_sim.network.company import CompanySpec, ExternalSpec, Forwarding, GroupSpec, LineSpec, RingList
from phone_sim.scenario.companyfile import company_to_data, dump_company, load_company
from phone_sim.scenario.yamlnodes import parse_yaml
from phone_sim.scenario.yamlwriter import FlowMap, Quoted, scalar, to_yaml

ROOT = Path(__file__).parents[2]
COMPANIES = sorted(p for p in ROOT.rglob("*.yaml") if not {".venv", "bad"} & set(p.parts) and "lines:" in p.read_text("utf-8")
                   and "steps:" not in p.read_text("utf-8") and "goals:" not in p.read_text("utf-8"))

ODD = ["", " ", "a ", " a", "yes", "No", "off", "ON", "y", "~", "null", "NULL", "true", "0601", "0x1F", "1e3",
       "1.5", ".inf", "-.5", "12:30", "1_000", "2001-12-14", "<<", "=", "-", "- a", "-a", "?", "? a", ":", "a: b",
       "a:b", "a #b", "a#b", "#a", "[a]", "{a}", "a,b", "*a", "&a", "!a", "|", ">", "%a", "@a", "`a", "'a'",
       '"a"', "L'Oréal", 'say "hi"', "back\\slash", "tab\there", "new\nline", "cr\rhere", "nul\0", "bell\x07",
       "nel\x85", "ls\u2028", "ps\u2029", "bom\ufeff", "del\x7f", "é", "🙂", "\u00a0nbsp", "ends:", "x" * 3000]


def read_back(text: str) -> object:
    return parse_yaml(text, "f.yaml")[0]


@pytest.mark.parametrize("path", COMPANIES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_same_text_as_pyyaml_wrote_for_the_repository_companies(path: Path) -> None:
    spec = load_company(path)
    assert dump_company(spec) == reference_dump(company_to_data(spec))
    assert load_company_text(dump_company(spec)) == spec


def load_company_text(text: str) -> CompanySpec:
    from phone_sim.scenario.companyfile import company_from_data

    data, lines = parse_yaml(text, "f.yaml")
    return company_from_data(data, "f.yaml", lines)


@pytest.mark.parametrize("word", ODD, ids=repr)
def test_any_string_reads_back_the_same(word: str) -> None:
    data = {"name": word, "lines": [FlowMap(id=word, number=Quoted(word), options=[word, word])],
            "forwarding": {word: FlowMap(busy=Quoted(word))}, "plain": [word, {word: word}]}
    text = to_yaml(data)
    assert read_back(text) == data
    assert yaml.safe_load(text) == data  # a YAML 1.1 reader too (yes/off/0601 are quoted)


def test_scalars_are_written_plain_when_that_reads_back() -> None:
    assert [scalar(w) for w in ("Line 0", "L'Oréal", "pabx", "a-b", "Mr Smith (Londres)")] == [
        "Line 0", "L'Oréal", "pabx", "a-b", "Mr Smith (Londres)"]
    assert [scalar(w) for w in ("yes", "0601", "a: b", "new\nline")] == ['"yes"', '"0601"', '"a: b"', '"new\\nline"']
    assert scalar(12) == "12" and scalar(True) == "true" and scalar(None) == "null" and scalar(1e20) == "1.0e+20"


def test_a_random_company_round_trips() -> None:
    rng = random.Random(7)

    def word() -> str:
        return "".join(rng.choice("aZé 0:#-'\"\\\n\t,[]{}?!&*|>%@`~🙂") for _ in range(rng.randrange(1, 12)))

    lines = tuple(LineSpec(f"L{i}{word()}", word(), f"06{i:08d}", word() if i % 3 else None,
                           "fixed" if i % 5 == 0 else "mobile", frozenset({"pabx", word()}))
                  for i in range(200))
    spec = CompanySpec(
        name=word(), lines=lines, externals=(ExternalSpec("X" + word(), word(), "+442071234567"),),
        groups=(GroupSpec("G" + word(), "0609182236", word(), members=(lines[1].id, lines[2].id)),),
        forwarding={lines[1].id: Forwarding(busy="0601020303", delay=7)},
        incoming={lines[2].id: RingList(mode="sequential", numbers=("0601020303",), step=10)})
    text = dump_company(spec)
    assert read_back(text) == company_to_data(spec) == yaml.safe_load(text)
