"""The YAML parse layer: values and lines from the event stream, and every limit.

Each class of hostile or odd input gets a ``file:line: rule`` refusal (never a traceback);
the loader gives the same data, lines and errors as the composing loader it replaced
(``yaml_reference``) on thousands of generated documents, and the same with or without
the one-line flow collections read ahead of the parser.
"""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from yaml_docs import documents
from yaml_reference import ReferenceError_, reference_lines, reference_parse

from phone_sim.scenario import yamlnodes
from phone_sim.scenario.companyfile import load_company
from phone_sim.scenario.loader import load_scenario
from phone_sim.scenario.model import ScenarioError
from phone_sim.scenario.yamlevents import ALIAS_LIMIT, MAX_DEPTH
from phone_sim.scenario.yamlnodes import Lines, parse_yaml, read_yaml
from phone_sim.training.loader import load_lesson

ROOT = Path(__file__).parents[2]


def refusal(text: str) -> tuple[int, str]:
    with pytest.raises(ScenarioError) as info:
        parse_yaml(text, "f.yaml")
    assert str(info.value).startswith(f"f.yaml:{info.value.line}: ")
    return info.value.line, info.value.message


def paths(data: Any) -> list[tuple[str | int, ...]]:
    """Every path in ``data``, and paths just beside them that do not exist."""
    out: list[tuple[str | int, ...]] = []
    todo: list[tuple[tuple[str | int, ...], Any]] = [((), data)]
    while todo:
        path, value = todo.pop()
        out += [path, path + ("absent",), path + (99,)]
        if isinstance(value, dict):
            todo += [(path + (k,), v) for k, v in value.items()]
        elif isinstance(value, list):
            todo += [(path + (i,), v) for i, v in enumerate(value)]
    return out


def outcome(text: str) -> tuple[Any, ...]:
    try:
        data, lines = parse_yaml(text, "f.yaml")
    except ScenarioError as exc:
        return ("refused", exc.line, exc.message)
    return ("read", repr(data), [(lines.value(p), lines.key(p)) for p in paths(data)], str(lines.held))


# -- nesting ---------------------------------------------------------------------------


def test_nesting_up_to_the_limit_is_read() -> None:
    data, _ = parse_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH, "f.yaml")
    for _ in range(MAX_DEPTH - 1):
        data = data[0]
    assert data == []


def test_nesting_past_the_limit_is_refused_at_its_line() -> None:
    assert refusal("a:\n  " + "[" * MAX_DEPTH + "]" * MAX_DEPTH) == (  # the mapping is the first level
        2, f"nesting deeper than {MAX_DEPTH} levels of lists and mappings")


def test_deep_block_nesting_is_refused_without_recursion() -> None:
    text = "".join("  " * i + f"k{i}:\n" for i in range(5000))
    assert refusal(text) == (MAX_DEPTH + 1, f"nesting deeper than {MAX_DEPTH} levels of lists and mappings")


def test_nesting_as_deep_as_the_parser_allows() -> None:
    line, message = refusal("[" * 200_000 + "]" * 200_000)  # libyaml stops this one itself
    assert line == 1 and message.startswith(("invalid YAML", "nesting deeper"))


# -- aliases ---------------------------------------------------------------------------


def laughs(levels: int = 9, head: str = "") -> str:
    """The "billion laughs": each level lists the one before nine times."""
    lines = [head + "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_aliases_share_the_anchored_value_and_its_lines() -> None:
    data, lines = parse_yaml("base: &b\n  - {id: A}\n  - id: B\nuse: *b\n", "f.yaml")
    assert data["use"] == [{"id": "A"}, {"id": "B"}] and data["use"] is data["base"]
    assert lines.value(("use", 1, "id")) == 3 and lines.key(("use",)) == 4 and lines.held is None


def test_an_alias_bomb_is_held_until_the_rest_of_the_file_is_checked(tmp_path: Path) -> None:
    data, lines = parse_yaml("bomb:\n" + laughs(), "f.yaml")
    assert lines.held is not None and "alias bomb" in lines.held.message
    assert lines.held.line == 7 and f"past the {ALIAS_LIMIT:,} that aliases may add" in lines.held.message
    assert len(repr(data)) < 10_000_000  # nothing was expanded


def test_an_unknown_key_above_a_bomb_is_reported_first(tmp_path: Path) -> None:
    path = tmp_path / "company.yaml"
    path.write_text("name: Bomb\ngrups:\n" + laughs(), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_company(path)
    assert (info.value.line, info.value.message) == (
        2, "unknown key 'grups' in company (did you mean 'groups'?)")


def test_a_bomb_in_an_ignored_note_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    steps = "".join(f"  - {{wait: 1s, note: {item.split(': ', 1)[1]}}}\n" for item in laughs().splitlines())
    path.write_text("name: n\ncompany: {lines: [{id: A, number: '0601020301'}]}\nsteps:\n" + steps
                    + "  - wait: 1s\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert "alias bomb" in info.value.message and info.value.line == 9


def test_a_bomb_where_a_value_is_read_names_the_alias() -> None:
    with pytest.raises(ScenarioError) as info:
        from phone_sim.scenario.companyfile import company_from_data

        data, lines = parse_yaml("x:\n" + laughs(5) + "lines: *l4\n", "f.yaml")
        company_from_data({"lines": data["lines"]}, "f.yaml", lines)
    assert (info.value.line, info.value.message) == (
        7, "lines must be a list, got *l4 (an alias that would add 66,430 values)")


def test_a_loop_of_aliases_is_refused() -> None:
    assert refusal("a: &r [1, *r]\n") == (1, "the alias *r is inside the collection it names (a loop)")


def test_undefined_and_duplicate_anchors_keep_the_parser_words() -> None:
    assert refusal("a: 1\nb: *nope\n") == (2, "invalid YAML: found undefined alias")
    assert refusal("a: &x 1\nb: &x 2\n") == (
        2, "invalid YAML: found duplicate anchor; first occurrence (from line 1): second occurrence")


# -- tags ------------------------------------------------------------------------------


@pytest.mark.parametrize("text, line, tag", [
    ("a: !foo x\n", 1, "!foo"),
    ("a: 1\nb: !!python/object:os.system x\n", 2, "!!python/object:os.system"),
    ("a: !!binary aGVsbG8=\n", 1, "!!binary"),
    ("a: !!timestamp 2001-12-14\n", 1, "!!timestamp"),
    ("a:\n  - !!set {x, y}\n", 2, "!!set"),
    ("a: !!omap [x: 1]\n", 1, "!!omap"),
    ("a: !x {b: 1}\n", 1, "!x"),
    ("!weird k: v\n", 1, "!weird"),
])
def test_tags_other_than_the_standard_ones_are_refused(text: str, line: int, tag: str) -> None:
    got_line, message = refusal(text)
    assert got_line == line and f"the tag {tag} is not allowed" in message


def test_standard_tags_are_read() -> None:
    data, _ = parse_yaml("a: !!str 0601\nb: !!int '12'\nc: !!float 1\nd: !!null ''\ne: !!map {x: !!bool true}\n"
                         "f: !!seq [1]\ng: ! 12\n", "f.yaml")
    assert data == {"a": "0601", "b": 12, "c": 1.0, "d": None, "e": {"x": True}, "f": [1], "g": 12}


def test_a_standard_tag_on_a_wrong_value_is_refused() -> None:
    assert refusal("a: 1\nb: !!int abc\n") == (2, "'abc' is not a valid !!int value")
    assert refusal("a: !!bool maybe\n") == (1, "'maybe' is not a valid !!bool value")


# -- keys --------------------------------------------------------------------------------


def test_duplicate_keys_are_refused_at_the_second(tmp_path: Path) -> None:
    assert refusal("a: 1\nb: 2\na: 3\n") == (3, "invalid YAML: duplicate key 'a'")
    assert refusal("x:\n  - {a: 1, a: 2}\n") == (2, "invalid YAML: duplicate key 'a'")


def test_a_syntax_error_later_in_the_file_comes_before_a_duplicate_key() -> None:
    line, message = refusal("a: 1\na: 2\nb: [\n")
    assert line == 4 and message.startswith("invalid YAML: while parsing a flow node")


def test_a_list_as_a_key_is_refused() -> None:
    assert refusal("? [a]\n: 1\n") == (1, "invalid YAML: a key must be a plain word, not a list or a mapping")


# -- scalars ------------------------------------------------------------------------------


def test_a_huge_scalar_is_read() -> None:
    data, lines = parse_yaml("a: 1\nb: " + "x" * 5_000_000 + "\nc: 2\n", "f.yaml")
    assert len(data["b"]) == 5_000_000 and lines.value(("c",)) == 3


def test_a_run_of_more_than_18_digits_is_text_and_a_tagged_one_too_long_is_refused() -> None:
    data, _ = parse_yaml("a: 123456789012345678\nb: 1234567890123456789\nc: [" + "7" * 5000 + "]\n", "f.yaml")
    assert data == {"a": 123456789012345678, "b": "1234567890123456789", "c": ["7" * 5000]}
    line, message = refusal("a: 1\nb: !!int " + "7" * 5000 + "\n")
    assert line == 2 and "has 5,000 digits: too long" in message


def test_a_tagged_integer_too_long_in_a_flow_line_names_its_line() -> None:
    line, message = refusal("a: 1\nb:\n  - {queue: !!int " + "7" * 5000 + "}\n")
    assert line == 3 and "has 5,000 digits: too long" in message


def test_a_key_longer_than_the_parser_allows_is_refused_at_its_line() -> None:
    line, message = refusal("a: 1\n" + "k" * 2000 + ": 1\n")
    assert line in (2, 3) and message.startswith("invalid YAML")


# -- encodings ---------------------------------------------------------------------------


TEXT = "name: Société\nsteps: [{dial: {from: A, to: '0601020303'}}]\n"


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf_encodings_with_a_byte_order_mark(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "f.yaml"
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    path.write_bytes(bom + TEXT.encode(codec))
    data, lines = read_yaml(path)
    assert data == parse_yaml(TEXT, "x")[0] and lines.value(("steps", 0, "dial", "to")) == 2


def test_bytes_that_are_not_utf8_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"name: x\nsteps:\n  - note: caf\xe9\n")
    with pytest.raises(ScenarioError) as info:
        read_yaml(path)
    assert (info.value.line, info.value.message) == (
        3, "cannot read file: byte 0xe9 at column 14 is not UTF-8 text (save the file as UTF-8)")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_32_without_a_byte_order_mark_are_told_by_their_zero_bytes(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(TEXT.encode(codec))
    assert read_yaml(path)[0] == parse_yaml(TEXT, "x")[0]


def test_a_zero_byte_in_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"name: x\nsteps: \0\n")
    with pytest.raises(ScenarioError) as info:
        read_yaml(path)
    assert info.value.line == 2 and "control characters are not allowed" in info.value.message


def test_a_control_character_names_its_line() -> None:
    assert refusal("a: é\nb: ok\nc: \x07\n") == (
        3, "invalid YAML: unacceptable character #x0007: control characters are not allowed")


# -- big files ---------------------------------------------------------------------------


def company_text(count: int) -> str:
    rows = "".join(f'  - {{id: L{i}, name: Line {i}, number: "06{i:08d}", options: [pabx]}}\n'
                   for i in range(count))
    return "name: Big\nlines:\n" + rows


def test_a_big_company_reads_its_lines_ahead_and_keeps_every_line_number() -> None:
    text = company_text(20_000)
    fast_text, spots = yamlnodes.flow_spots(text)
    assert len(spots) == 20_000 and len(fast_text) < len(text) / 5
    data, lines = parse_yaml(text, "f.yaml")
    assert data["lines"][19_999] == {"id": "L19999", "name": "Line 19999", "number": "0600019999",
                                     "options": ["pabx"]}
    assert lines.value(("lines", 12_345, "number")) == 12_348
    assert lines.key(("lines", 12_345, "options", 0)) == 12_348


def test_an_error_at_the_end_of_a_big_file_names_its_line() -> None:
    text = company_text(20_000) + "  - {id: X, name: [unclosed}\n"
    line, message = refusal(text)
    assert line == 20_003 and message.startswith("invalid YAML")


def test_a_flow_line_inside_a_multiline_string_is_left_to_the_parser() -> None:
    text = 'd: "x\n  - {a: b}\n  y"\nl:\n  - {a: b}\ne: |\n  [1, 2]\n'
    assert parse_yaml(text, "f.yaml")[0] == {"d": "x - {a: b} y", "l": [{"a": "b"}], "e": "[1, 2]\n"}


# -- the same as before -------------------------------------------------------------------


def test_the_broken_files_give_the_same_errors_as_before() -> None:
    """Every fixture of tests/scenario/bad and tests/training/bad: same file, line and text
    as the composing loader gave (recorded in bad_errors.json)."""
    recorded = json.loads((Path(__file__).parent / "bad_errors.json").read_text(encoding="utf-8"))
    loaders = {"companies": load_company, "training": load_lesson}
    for name, expected in recorded.items():
        path = ROOT / name
        load = loaders.get(path.parent.name) or loaders.get(path.parents[1].name) or load_scenario
        with pytest.raises(ScenarioError) as info:
            load(path)
        got = {"file": Path(info.value.file).relative_to(ROOT).as_posix(), "line": info.value.line,
               "message": info.value.message.replace(f"{ROOT}{os.sep}", "")}
        assert got == expected, name
    assert len(recorded) >= 80


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_the_same_values_lines_and_errors_as_the_composing_loader(seed: int) -> None:
    compared = 0
    for text in documents(seed, 600):
        try:
            data, values, keys = reference_parse(text)
            expected: tuple[Any, ...] = (
                "read", repr(data), [reference_lines(values, keys, p) for p in paths(data)], "None")
        except ReferenceError_ as exc:
            if "tag:yaml.org,2002:merge" in exc.message:
                continue  # a plain '<<' value: the old loader refused it, it is a word now
            expected = ("refused", exc.line, exc.message)
        except RecursionError:
            continue  # the old loader crashed on a loop of aliases
        assert outcome(text) == expected, text
        compared += 1
    assert compared > 500


@pytest.mark.parametrize("parser", ["libyaml", "python"])
@pytest.mark.parametrize("seed", [21, 22])
def test_reading_flow_lines_ahead_changes_nothing(seed: int, parser: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With libyaml's parser, and with PyYAML's own (used when PyYAML lacks libyaml)."""
    if parser == "python":
        monkeypatch.setattr(yamlnodes, "PARSER", yaml.SafeLoader)
    texts = documents(seed, 600) + [laughs(), "a: !foo x\n", "[" * 150 + "]" * 150, "a: é\nb: \x07\n"]
    used = sum(bool(yamlnodes.flow_spots(t)[1]) for t in texts)
    fast = [outcome(t) for t in texts]
    monkeypatch.setattr(yamlnodes, "flow_spots", lambda text: (text, []))
    assert [outcome(t) for t in texts] == fast
    assert used > 300


def test_every_yaml_file_of_the_repository_reads_the_same_both_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [p for p in ROOT.rglob("*.yaml") if ".venv" not in p.parts and "node_modules" not in p.parts]
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    fast = [outcome(t) for t in texts]
    monkeypatch.setattr(yamlnodes, "flow_spots", lambda text: (text, []))
    assert [outcome(t) for t in texts] == fast and len(files) > 100


# -- lines ---------------------------------------------------------------------------------


def test_lines_under_a_prefix_and_moved() -> None:
    _, lines = parse_yaml("a: 1\nlesson:\n  setup:\n    - dial: {from: A, to: B}\n    - wait: 1s\n", "f.yaml")
    setup = lines.under(("lesson",))
    assert setup.value(("setup", 1, "wait")) == 5 and setup.key(("setup",)) == 3
    assert setup.value(("nothing", "here")) == 3
    moved = lines.moved(("lesson", "setup"), ("steps",))
    assert moved.value(("steps", 0, "dial", "to")) == 4 and moved.key(("steps",)) == 3
    assert moved.value(()) == 4 and moved.value(("other",)) == 4
    assert Lines().value(("x",)) == 0 and Lines().key(("x",)) == 0
