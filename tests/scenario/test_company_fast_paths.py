"""The fast paths of big company files give what the general code gives: the same values,
and the same first error at the same ``file:line`` (these paths are what loads
a 100,000-line company in under 2 s).

Each fast path is compared with the code it stands in for, run on the same input with the
fast path switched off: a line read without building key paths (``_line``, against the
reading it replaced, kept below), numbers already written as national ones (``parse``),
text without control characters (``has_control``), the writer's common types and its
remembered strings (``scalar``), frozen values built without ``dataclasses``' own
``__init__`` (``quick_init``), the cyclic collector paused while a company is built.
"""

from __future__ import annotations

import dataclasses
import gc
import inspect
import random
import unicodedata
from collections.abc import Callable
from typing import Any, cast

import pytest

from phone_sim.network import printable
from phone_sim.network.collector import PROMOTE_FROM, collector_paused
from phone_sim.network.company import CompanySpec, ExternalSpec, Forwarding, GroupSpec, LineSpec, RingList
from phone_sim.network.frozen import quick_init
from phone_sim.network.numbering import DEFAULT_PLAN, Number, NumberingPlan
from phone_sim.network.switch import Network
from phone_sim.scenario import companyfile, yamlwriter
from phone_sim.scenario.companyfile import company_from_data, company_to_data, dump_company
from phone_sim.scenario.model import ScenarioError
from phone_sim.scenario.yamlnodes import Path, Where, check_keys, mapping, parse_yaml, text, texts, word

GOOD = 3000  # lines before the one under test: a big file, by the shape of its lines


def reference_line(where: Where, item: Any, path: Path, plan: NumberingPlan) -> LineSpec:
    """How a line was read before (every value through ``text``/``word``/``texts`` at its path)."""

    def number(value: Any, at: Path) -> str:
        raw = text(where, value, at, str(at[-1]))
        return plan.normalise(raw) or raw

    data = mapping(where, item, path, "a line")
    check_keys(where, data, path, "line", *companyfile.LINE_KEYS)
    ident = word(where, data["id"], path + ("id",), "id")
    short = data.get("short")
    secret = data.get("sip_secret")
    return LineSpec(
        id=ident,
        name=word(where, data.get("name", ident), path + ("name",), "name"),
        number=number(data["number"], path + ("number",)),
        short=None if short is None else text(where, short, path + ("short",), "short"),
        kind=cast(Any, word(where, data.get("kind", "mobile"), path + ("kind",), "kind")),
        options=frozenset(texts(where, data.get("options", []), path + ("options",), "options")),
        sip_secret=None if secret is None else text(where, secret, path + ("sip_secret",), "sip_secret"),
    )


def reference_has_control(value: str) -> bool:
    """``has_control`` without its first, one-pass answer."""
    return any(ord(c) in printable._ESCAPES
               or (unicodedata.category(c) in printable._BAD_CATEGORIES and c not in printable._JOINERS)
               for c in value)


def outcome(source: str) -> CompanySpec | str:
    """The company, or its error as ``file:line: message``."""
    try:
        data, lines = parse_yaml(source, "big.yaml")
        return company_from_data(data, "big.yaml", lines)
    except ScenarioError as exc:
        return str(exc)


def both(source: str, monkeypatch: pytest.MonkeyPatch) -> tuple[CompanySpec | str, CompanySpec | str]:
    fast = outcome(source)
    with monkeypatch.context() as patch:
        patch.setattr(companyfile, "_line", reference_line)
        patch.setattr("phone_sim.network.validation.has_control", reference_has_control)
        patch.setattr(NumberingPlan, "_national_as_given", lambda self, raw: False)
        slow = outcome(source)
    return fast, slow


def big_file(last: str, *, head: str = "", tail: str = "") -> str:
    good = "".join(f'  - {{id: L{i}, name: Line {i}, number: "06{i:08d}", options: [pabx, double_appel]}}\n'
                   for i in range(GOOD))
    return f"name: Big\n{head}lines:\n{good}{last}\n{tail}"


LAST_LINES = [
    '  - {id: Z, name: Zed, number: "0699999999", short: "301", kind: fixed, sip_secret: s3cret-42}',
    '  - {id: Z, number: 06 99 99 99 99, options: [pabx]}',  # no name: the id; a number with spaces
    "  - {id: 42, name: 7, number: 0699999999, short: 301}",  # integers taken as their digits
    '  - {id: Z, name: Zed, number: "0699999999", colour: blue}',  # unknown key
    '  - {id: Z, name: Zed, numbre: "0699999999"}',  # unknown key, close to one
    '  - {id: Z, name: Zed}',  # missing number
    '  - {name: Zed, number: "0699999999"}',  # missing id
    '  - {id: "", number: "0699999999"}',
    '  - {id: "  ", number: "0699999999"}',
    '  - {id: [Z], number: "0699999999"}',
    '  - {id: Z, name: null, number: "0699999999"}',
    '  - {id: Z, name: "", number: "0699999999"}',
    '  - {id: Z, name: {a: 1}, number: "0699999999"}',
    '  - {id: Z, number: [1]}',
    '  - {id: Z, number: 1.5}',
    '  - {id: Z, number: true}',
    '  - {id: Z, number: "0699999999", short: [1]}',
    '  - {id: Z, number: "0699999999", kind: 3}',
    '  - {id: Z, number: "0699999999", kind: ""}',
    '  - {id: Z, number: "0699999999", options: pabx}',
    '  - {id: Z, number: "0699999999", options: [pabx, 3]}',
    '  - {id: Z, number: "0699999999", options: [pabx, [x]]}',
    '  - {id: Z, number: "0699999999", options: null}',
    '  - {id: Z, number: "0699999999", sip_secret: 1234}',
    '  - {id: Z, number: "0699999999", sip_secret: [x]}',
    "  - [Z, 0699999999]",  # not a mapping
    "  - Z",
    "  - null",
    # the rules, checked once the company is built
    '  - {id: L7, name: Again, number: "0699999999"}',  # duplicate id
    '  - {id: l7, name: Again, number: "0699999999"}',  # duplicate id, but for case
    '  - {id: Z, name: Zed, number: "0600000007"}',  # number in use
    '  - {id: Z, name: "Zed\\x1b[2J", number: "0699999999"}',  # control characters
    '  - {id: "Z\\u202e", number: "0699999999"}',
    '  - {id: " Z", number: "0699999999"}',
    '  - {id: Z, name: "Zed\\u00a0Zed", number: "0699999999"}',  # no-break space: allowed
    '  - {id: Z, name: "Zed\\u200dZed", number: "0699999999"}',  # zero-width joiner: allowed
    '  - {id: Z, name: "' + "x" * 101 + '", number: "0699999999"}',
    '  - {id: "' + "x" * 65 + '", number: "0699999999"}',
    '  - {id: Z, number: "0099999999"}',
    '  - {id: Z, number: "069999999"}',
    '  - {id: Z, number: "06999999999"}',
    '  - {id: Z, number: "301"}',
    '  - {id: Z, number: "+33699999999"}',
    '  - {id: Z, number: "+442071234567"}',
    '  - {id: Z, number: "٠٦٩٩٩٩٩٩٩٩"}',  # Arabic-Indic digits: not 0-9
    '  - {id: Z, number: "0699999999", short: "0301"}',
    '  - {id: Z, number: "0699999999", kind: cordless}',
    '  - {id: Z, number: "0699999999", options: [pabx, voicemail, double_appel, fax]}',
    '  - {id: Z, number: "0699999999", sip_secret: "ab"}',
]


@pytest.mark.parametrize("last", LAST_LINES)
def test_the_last_line_of_a_big_file_reads_as_before(last: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = both(big_file(last), monkeypatch)
    assert fast == slow
    if isinstance(fast, str):
        assert fast.startswith(f"big.yaml:{GOOD + 3}: ")  # the line itself (the file's line 3,003)


def test_several_broken_rules_each_at_their_line(monkeypatch: pytest.MonkeyPatch) -> None:
    source = big_file('  - {id: L9, name: "Bad\\x07", number: "0600000009", options: [fax]}',
                      tail="forwarding:\n  L1: {busy: '0812345678'}\nincoming:\n  L2: {numbers: ['0799999999']}\n")
    fast, slow = both(source, monkeypatch)
    assert fast == slow
    assert isinstance(fast, str) and fast.count("\n") >= 4
    assert fast.startswith(f"big.yaml:{GOOD + 3}: lines.L9.id: duplicate id 'L9'")


def test_a_rich_big_company_round_trips_through_the_writer() -> None:
    rng = random.Random(16)
    lines = tuple(LineSpec(f"L{i}", f"Line {i}" if i % 7 else f"Ligne n°{i} (yes)", f"06{i:08d}",
                           str(300 + i) if i < 500 else None, "fixed" if i % 11 == 0 else "mobile",
                           frozenset(rng.sample(["pabx", "double_appel"], rng.randrange(3))),
                           f"secret-{i}" if i % 13 == 0 else None)
                  for i in range(4000))
    mobiles = [line.id for line in lines if line.kind == "mobile" and "pabx" in line.options]
    spec = CompanySpec(
        name="Rich",
        lines=lines,
        externals=tuple(ExternalSpec(f"X{i}", f"Office {i}", f"+4420712{i:05d}") for i in range(50)),
        groups=tuple(GroupSpec(f"G{i}", f"07{i:08d}", f"Group {i}", queue=i % 5, distribution="circular",
                               members=tuple(mobiles[i * 3:i * 3 + 3]), connected=tuple(mobiles[i * 3:i * 3 + 1]))
                     for i in range(100)),
        forwarding={lines[i].id: Forwarding(busy=f"06{i + 1:08d}", delay=10) for i in range(1, 300, 3)},
        incoming={lines[i].id: RingList(mode="sequential", numbers=(f"06{i + 2:08d}",), step=20) for i in range(2, 300, 7)},
    )
    file = dump_company(spec)
    assert outcome(file) == spec
    assert yamlwriter.to_yaml(company_to_data(spec)) == file


@pytest.mark.parametrize("value", [
    "Line 1", "yes", "0601", "", " a", "L'Oréal", "new\nline", "pabx", "~", "x" * 2000,
    yamlwriter.Quoted("pabx"), yamlwriter.Quoted(""), 7, True, None, 1.5, float("nan"),
    ["a", yamlwriter.Quoted("b"), 3], ("a",), yamlwriter.Flow(["yes", "no"]), yamlwriter.FlowMap(a="b", yes=1),
    {"id": "x", "number": yamlwriter.Quoted("06")}, {3: "a", True: "b"}, [{"a": ["b"]}],
])
def test_the_writer_s_common_types_are_written_as_any_value(value: object) -> None:
    yamlwriter._TEXTS.clear()
    first = yamlwriter.scalar(value)
    assert first == yamlwriter._any_scalar(value)
    assert yamlwriter.scalar(value) == first  # remembered strings: the same text again


def test_a_remembered_plain_string_is_still_quoted_when_marked_so() -> None:
    assert yamlwriter.scalar("pabx") == "pabx"
    assert yamlwriter.scalar(yamlwriter.Quoted("pabx")) == '"pabx"'
    assert yamlwriter.scalar([yamlwriter.Quoted("pabx"), "pabx"]) == '["pabx", pabx]'


def test_has_control_answers_as_character_by_character_for_every_code_point() -> None:
    for code in range(0x110000):
        char = chr(code)
        if char.isprintable():  # the fast answer: no control character
            assert not reference_has_control(char), hex(code)
    for value in ["", "Line 1", "Zed\u00a0Zed", "a\u200db", "a\x1bb", "a\u202eb", "\ufeff", "é", "🙂", "a\u2028"]:
        assert printable.has_control(value) == reference_has_control(value), repr(value)


@pytest.mark.parametrize("plan", [DEFAULT_PLAN, NumberingPlan(country_code="44", national_length=11, short_min=3)])
def test_a_number_of_digits_alone_parses_as_with_separators(plan: NumberingPlan) -> None:
    rng = random.Random(3)
    samples = ["0", "00", "06", "0601020304", "0001020304", "6601020304", "06010203045", "06010203",
               "301", "3", "1234567", "01234567890", "0699999999"]
    samples += ["".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 14))) for _ in range(2000)]
    for digits in samples:
        general = plan.parse(digits[0] + "." + digits[1:])  # a separator: the general path
        assert plan.parse(digits) == general, digits
        assert plan.normalise(digits) == (general.digits if general.kind in ("national", "international") else None)


def test_quick_init_takes_the_same_arguments_as_the_dataclass_init() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Plain:
        id: str
        short: str | None = None
        options: frozenset[str] = frozenset()
        secret: str | None = dataclasses.field(default=None, repr=False, compare=False)

    expected = inspect.signature(Plain)
    made = Plain("a", options=frozenset("x"), secret="s")
    quick = quick_init(Plain)
    assert inspect.signature(quick) == expected
    again = quick("a", options=frozenset("x"), secret="s")
    assert again == made and again.secret == "s" and repr(again) == repr(made) and hash(again) == hash(made)
    with pytest.raises(dataclasses.FrozenInstanceError):
        again.id = "b"  # type: ignore[misc]
    with pytest.raises(TypeError):
        quick()  # type: ignore[call-arg]
    for kind in (LineSpec, ExternalSpec, Forwarding, RingList, GroupSpec, Number):
        assert [p.name for p in inspect.signature(kind).parameters.values()] == [
            f.name for f in dataclasses.fields(kind)]


def test_quick_init_refuses_a_class_it_could_not_build_the_same_way() -> None:
    @dataclasses.dataclass(frozen=True)
    class Listed:
        items: list[str] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError):
        quick_init(Listed)


@pytest.mark.parametrize("build", [
    lambda: dump_company(CompanySpec(lines=(LineSpec("A", "A", "0601020304"),))),
    lambda: outcome(big_file("")),
    lambda: Network(CompanySpec(lines=(LineSpec("A", "A", "0601020304"),))),
])
def test_the_collector_is_paused_while_building_and_left_as_it_was(build: Callable[[], object]) -> None:
    assert gc.isenabled()
    build()
    assert gc.isenabled()
    gc.disable()
    try:
        build()
        assert not gc.isenabled()
    finally:
        gc.enable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_big_build_goes_to_the_oldest_generation_and_a_small_one_changes_nothing() -> None:
    def oldest(value: object) -> bool:
        return any(o is value for o in gc.get_objects(generation=2))

    gc.collect()
    with collector_paused():
        small = [[] for _ in range(1000)]
    assert not oldest(small[-1])  # left to the young collections, as without the pause
    with collector_paused():
        big = [[] for _ in range(PROMOTE_FROM + 1000)]
    assert oldest(big[-1]) and gc.get_freeze_count() == 0  # moved on at once
    with pytest.raises(ValueError), collector_paused():
        failed = [[] for _ in range(PROMOTE_FROM + 1000)]
        raise ValueError(failed)
    assert gc.isenabled()
    del small, big
