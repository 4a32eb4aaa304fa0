"""Hostile files and values: each is refused with exit 2 and ``file:line: rule``.

The commands run in a child process under a timeout and an address-space limit, as a
user runs them: a FIFO that would block ``open``, ``/dev/zero``, a huge sparse file, a path
too long, giant integers, infinite durations, non-ASCII digits, absurd numbering plans,
values SQLite cannot store, company paths leading outside the scenario's folder, files
that are not ours (their content is never printed), control characters in names.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from phone_sim.network.numbering import DEFAULT_PLAN, NumberingPlan, check_plan
from phone_sim.network.printable import ascii_digits, printable
from phone_sim.scenario.stepparser import MAX_WAIT_MS, parse_duration

COMPANY = """\
name: Hostile
lines:
  - {id: A, name: Alice, number: "0601020301", options: [pabx]}
  - {id: C, name: Claire, number: "0601020303", options: [pabx]}
externals:
  - {id: B, name: Madame B, number: "0145678900"}
"""
HUGE = "9" * 5000


def phone_sim(*argv: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """``python -m phone_sim ARGV`` with at most 1 GiB of address space and 60 s."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[2]))
    return subprocess.run([sys.executable, "-m", "phone_sim", *argv], cwd=cwd, capture_output=True, text=True,
                          timeout=60, preexec_fn=limit, env=env, input=stdin)


def scenario(folder: Path, step: str, company: str = "company.yaml", name: str = "t") -> Path:
    (folder / "company.yaml").write_text(COMPANY)
    path = folder / "s.yaml"
    path.write_text(f"name: {name}\ncompany: {company}\nsteps:\n  - {step}\n")
    return path


def refused(result: subprocess.CompletedProcess[str], where: str, phrase: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Traceback" not in output
    assert where in output and re.search(phrase, output), output


# ---------------------------------------------------------------------- special files
def test_fifo_device_folder_and_huge_files_are_refused_before_reading(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "folder.yaml").mkdir()
    with (tmp_path / "huge.yaml").open("wb") as out:
        out.truncate(64 * 1024 * 1024)  # sparse: no disk used
    for name, phrase in (("pipe.yaml", r"pipe \(FIFO\)"), ("zero.yaml", "is a device"), ("huge.yaml", "too large")):
        refused(phone_sim("run", name, cwd=tmp_path), f"{name}:0:", phrase)
    refused(phone_sim("company", "check", "pipe.yaml", cwd=tmp_path), "pipe.yaml:0:", r"pipe \(FIFO\)")
    refused(phone_sim("lessons", "check", "zero.yaml", cwd=tmp_path), "zero.yaml:0:", "is a device")
    refused(phone_sim("--data", str(tmp_path / "d"), "company", "import", "huge.yaml", cwd=tmp_path),
            "huge.yaml:0:", "too large")


def test_a_company_path_to_a_fifo_or_a_device_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    scenario(tmp_path, "answer: A", company="pipe")
    refused(phone_sim("run", "s.yaml", cwd=tmp_path), "pipe:0:", r"pipe \(FIFO\)")


def test_paths_too_long(tmp_path: Path) -> None:
    long_name = "x" * 5000 + ".yaml"
    refused(phone_sim("run", long_name, cwd=tmp_path), ":0:", "too long")
    deep = "/".join(["d"] * 3000) + "/f.yaml"
    refused(phone_sim("company", "check", deep, cwd=tmp_path), ":0:", "not found|too long")
    scenario(tmp_path, "answer: A", company="y" * 5000)
    refused(phone_sim("run", "s.yaml", cwd=tmp_path), "s.yaml:2:", "too long")


# ---------------------------------------------------------------------- values
@pytest.mark.parametrize(("step", "phrase"), [
    (f"wait: {HUGE}", "not a duration"),
    (f"wait: !!int {HUGE}", "cannot read|too long"),
    ("wait: .inf", "not a duration"),
    ("wait: 1e400", "not a duration"),
    ("wait: .nan", "not a duration"),
    (f"wait: '{HUGE}s'", "not a duration"),
    ("wait: 9000000h", "at most 8784h"),
    ("wait: '٢٥s'", "not a duration"),
    ("dial: {from: A, to: '0²²²²²²²²²'}", "unknown party"),
    ("portal: {as: manager, do: set_forwarding, line: A, type: no_answer, to: '0601020303', "
     f"delay: {HUGE}}}", "far too large|must be a whole number"),
], ids=lambda value: value[:40] if isinstance(value, str) else None)
def test_hostile_values_in_steps(tmp_path: Path, step: str, phrase: str) -> None:
    scenario(tmp_path, step)
    refused(phone_sim("run", "s.yaml", cwd=tmp_path), "s.yaml:4:", phrase)


def test_durations_are_finite_bounded_and_ascii() -> None:
    assert parse_duration("1000h") == 1000 * 3_600_000
    assert parse_duration("1m30s") == 90_000
    assert parse_duration(1.5) == 1500
    for bad in (float("inf"), float("nan"), 1e400, -1, "1e400", "٢٥s", "２５s", HUGE + "s", "9000000h",
                MAX_WAIT_MS / 1000 + 1):
        assert parse_duration(bad) is None, bad


COMPANY_CASES = [
    ("lines:\n  - {id: A, number: '0²²²²²²²²²'}\n", 2, "invalid_number"),
    ("lines:\n  - {id: A, number: '٠٦٠١٠٢٠٣٠١'}\n", 2, "invalid_number"),
    ("groups:\n  - {id: G, number: '0609182236', user_code: '²²²²'}\n", 2, "invalid_code"),
    ("numbering: {national_length: 1}\nlines:\n  - {id: A, number: '0601020301'}\n", 1, "national_length"),
    (f"numbering: {{national_length: {10**12}}}\nlines: []\n", 1, "national_length"),
    ("numbering: {short_max: 99}\nlines: []\n", 1, "short_max"),
    ("numbering: {international_max: 400}\nlines: []\n", 1, "international_max"),
    ("numbering: {country_code: '٣٣'}\nlines: []\n", 1, "country_code"),
    ("numbering: {forward_prefixes: ['x6']}\nlines: []\n", 1, "forward_prefixes"),
    (f"groups:\n  - {{id: G, number: '0609182236', queue: {2**63}}}\n", 2, "queue must be"),
    (f"groups:\n  - {{id: G, number: '0609182236', inter_call_delay: {10**12}}}\n", 2, "inter_call_delay"),
    (f"groups:\n  - {{id: G, number: '0609182236', switchover_delay: {HUGE}}}\n", 2, "far too large|must be a whole number"),
    ("lines:\n  - {id: A, number: '0601020301'}\n  - {id: a, number: '0601020302'}\n", 3, "duplicate id 'a'"),
    ("lines:\n  - {id: A, name: \"\\e[2Jowned\", number: '0601020301'}\n", 2, "control characters"),
    ("name: " + "n" * 200 + "\nlines: []\n", 1, "at most 100 characters"),
]


@pytest.mark.parametrize(("body", "line", "phrase"), COMPANY_CASES, ids=[c[2][:20] for c in COMPANY_CASES])
def test_company_check_and_import_refuse_the_same_files(tmp_path: Path, body: str, line: int, phrase: str) -> None:
    (tmp_path / "c.yaml").write_text(body)
    refused(phone_sim("company", "check", "c.yaml", cwd=tmp_path), f"c.yaml:{line}:", phrase)
    refused(phone_sim("--data", str(tmp_path / "d"), "company", "import", "c.yaml", cwd=tmp_path),
            f"c.yaml:{line}:", phrase)


def test_a_valid_company_is_accepted_by_both(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(COMPANY)
    assert phone_sim("company", "check", "c.yaml", cwd=tmp_path).returncode == 0
    assert phone_sim("--data", str(tmp_path / "d"), "company", "import", "c.yaml", cwd=tmp_path).returncode == 0


def test_numbering_plans_are_bounded() -> None:
    assert check_plan(DEFAULT_PLAN) == []
    for bad in (NumberingPlan(national_length=1), NumberingPlan(national_length=10**9),
                NumberingPlan(short_min=0), NumberingPlan(short_min=7, short_max=6),
                NumberingPlan(international_max=16), NumberingPlan(country_code="0"),
                NumberingPlan(special_prefixes=("08",) * 101)):
        assert check_plan(bad), bad


def test_only_ascii_digits_are_digits() -> None:
    assert ascii_digits("0601020301")
    for text in ("0²²²²²²²²²", "٠٦", "０６", "", "06 01"):
        assert not ascii_digits(text)
    assert DEFAULT_PLAN.parse("0²²²²²²²²²").kind == "invalid"
    assert DEFAULT_PLAN.parse("+٣٣601020301").kind == "invalid"


# ---------------------------------------------------------------------- paths
def test_a_company_path_stays_inside_the_scenario_tree(tmp_path: Path) -> None:
    inner = tmp_path / "suite"
    inner.mkdir()
    (tmp_path / "outside.yaml").write_text(COMPANY)
    scenario(inner, "answer: A", company="../outside.yaml")
    result = phone_sim("run", "suite", cwd=tmp_path)
    refused(result, "s.yaml:2:", "outside the scenario's folder tree")
    assert "--allow-outside" in result.stderr
    (inner / "s.yaml").write_text("name: t\ncompany: ../outside.yaml\nsteps:\n  - expect: {A: idle}\n")
    assert phone_sim("run", "--allow-outside", "suite", cwd=tmp_path).returncode == 0
    # a symbolic link inside the tree that points outside is outside
    (inner / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    (inner / "s.yaml").write_text("name: t\ncompany: link.yaml\nsteps:\n  - expect: {A: idle}\n")
    refused(phone_sim("run", "suite", cwd=tmp_path), "s.yaml:2:", "outside")
    (inner / "s.yaml").write_text("name: t\ncompany: /etc/passwd\nsteps:\n  - expect: {A: idle}\n")
    refused(phone_sim("run", "suite/s.yaml", cwd=inner.parent), "s.yaml:2:", "outside")


def test_a_scenario_named_by_file_may_use_the_current_folder_tree(tmp_path: Path) -> None:
    (tmp_path / "companies").mkdir()
    (tmp_path / "companies" / "c.yaml").write_text(COMPANY)
    (tmp_path / "basic").mkdir()
    (tmp_path / "basic" / "s.yaml").write_text("name: t\ncompany: ../companies/c.yaml\nsteps:\n"
                                               "  - expect: {A: idle}\n")
    assert phone_sim("run", "basic/s.yaml", cwd=tmp_path).returncode == 0  # inside the current folder
    refused(phone_sim("run", str(tmp_path / "basic" / "s.yaml"), cwd=tmp_path / "basic"), "s.yaml:2:", "outside")


def test_a_lesson_company_path_stays_inside_too(tmp_path: Path) -> None:
    inner = tmp_path / "lessons"
    inner.mkdir()
    (tmp_path / "c.yaml").write_text(COMPANY)
    (inner / "l.yaml").write_text("title: {fr: t, en: t}\nusage: {fr: u, en: u}\ncompany: ../c.yaml\n"
                                  "trainee: A\ngoals:\n  - instruction: {fr: i, en: i}\n"
                                  "    hint: {fr: h, en: h}\n    cue: [dial: {from: B, to: A}]\n"
                                  "    expect: {A: {active: B}}\n    solution: [answer: A]\n")
    refused(phone_sim("lessons", "check", "lessons", cwd=tmp_path), "l.yaml:3:", "outside the lesson's folder tree")
    assert phone_sim("lessons", "check", "--allow-outside", "lessons", cwd=tmp_path).returncode == 0


# ---------------------------------------------------------------------- what is printed
SECRET = "hunter2-s3cr3t"


@pytest.mark.parametrize("text", [
    f"{SECRET}\n",
    f"root: {SECRET}\nother: x\n",
    f"- {SECRET}\n",
    f"{{{SECRET}\n",
    f"password = '{SECRET}'\n",
])
def test_errors_never_print_a_foreign_file(tmp_path: Path, text: str) -> None:
    (tmp_path / "foreign").write_text(text)
    for argv in (("run", "foreign"), ("company", "check", "foreign"), ("lessons", "check", "foreign")):
        result = phone_sim(*argv, cwd=tmp_path)
        assert result.returncode == 2
        assert SECRET not in result.stdout + result.stderr, result.stderr
    scenario(tmp_path, "answer: A", company="foreign")
    result = phone_sim("run", "s.yaml", cwd=tmp_path)
    assert result.returncode == 2 and SECRET not in result.stdout + result.stderr, result.stderr


def test_control_characters_from_files_are_escaped(tmp_path: Path) -> None:
    scenario(tmp_path, "expect: {A: idle}", name='"\\e]0;owned\\a\\e[2J"')
    result = phone_sim("run", "s.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout and "\\x1b]0;owned" in result.stdout
    odd = tmp_path / "\x1b[31mred.yaml"
    odd.write_text("name: [")
    result = phone_sim("run", odd.name, cwd=tmp_path)
    assert result.returncode == 2 and "\x1b" not in result.stderr and "\\x1b[31mred.yaml" in result.stderr
    assert printable("a\x1bb\u202ec\nd") == "a\\x1bb\\u202ec\\nd"
    assert printable("a\nb\tc", lines=True) == "a\nb\\tc"
