"""Hostile YAML through the real commands, each in a process capped at 200 MB of address
space: exit 2 with ``file:line: rule``, no traceback, whichever command reads the file.
(How long each takes is measured by ``bench/yaml_load.py``; the CPU cap here only stops a
hang from hanging the suite.)"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest

MEMORY = 200 * 2**20
CPU_SECONDS = 20


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def laughs(levels: int) -> str:
    rows = ["  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    rows += [f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(rows) + "\n"


COMPANY = "name: Hostile\nlines:\n  - {id: A, number: '0601020301'}\n"
HOSTILE = {  # name -> (file content, line of the refusal, words of the rule)
    "billion-laughs": (COMPANY + "x:\n" + laughs(9) + "groups:\n  - id: G\n    number: '0609182236'\n"
                       "    members: *l8\n", 4, "unknown key 'x'"),
    "laughs-in-a-note": ("name: n\ncompany: {lines: [{id: A, number: '0601020301'}]}\nsteps:\n"
                         + "".join(f"  - {{wait: 1s, note: {r.split(': ', 1)[1]}}}\n" for r in laughs(12).splitlines()),
                         9, "alias bomb"),
    "deep-flow": ("a: " + "[" * 5_000_000 + "\n", 1, "invalid YAML"),
    "deep-block": ("".join("  " * i + f"k{i}:\n" for i in range(3000)), 101, "nesting deeper than 100"),
    "deep-mixed": ("a:\n" + "".join("  " * i + "- k:\n" for i in range(1, 2000)), 51, "nesting deeper than 100"),
    "long-integer": (COMPANY + "groups:\n  - {id: G, number: '0609182236', queue: " + "9" * 100_000 + "}\n",
                     5, "queue must be a whole number"),
    "long-tagged-integer": (COMPANY + "groups:\n  - {id: G, number: '0609182236', queue: !!int " + "9" * 100_000
                            + "}\n", 5, "digits: too long"),
    "huge-scalar": ("name: " + "x" * 10_000_000 + "\nlines: [\n", 3, "invalid YAML"),
    "python-tag": (COMPANY + "externals: !!python/object/apply:os.system ['echo hi']\n", 4, "the tag"),
    "duplicate-key": (COMPANY + "name: Again\n", 4, "duplicate key 'name'"),
    "not-utf8": (COMPANY + "externals: [{id: B, name: caf\udce9, number: '0145678900'}]\n", 4, "not UTF-8"),
}


COMPANY_FILES = ("billion-laughs", "long-integer", "long-tagged-integer", "python-tag", "duplicate-key", "not-utf8")
SCENARIOS = ("laughs-in-a-note",)


def _write(tmp_path: Path, name: str) -> Path:
    text, _, _ = HOSTILE[name]
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return path


COMMANDS = {
    "run": lambda path, data: ["run", str(path)],
    "import": lambda path, data: ["--data", str(data), "company", "import", str(path)],
    "lessons-check": lambda path, data: ["lessons", "check", str(path)],
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_hostile_yaml_is_refused_in_bounded_memory(tmp_path: Path, name: str, command: str) -> None:
    if name in COMPANY_FILES and command != "import" or name in SCENARIOS and command != "run":
        pytest.skip("run and lessons check read scenarios and lessons, import a company file")
    path = _write(tmp_path, name)
    args = COMMANDS[command](path, tmp_path / "data")
    result = subprocess.run([sys.executable, "-m", "phone_sim", *args], capture_output=True, text=True,
                            preexec_fn=_limits, timeout=120)
    _, line, words = HOSTILE[name]
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert f"{path}:{line}: " in result.stderr and words in result.stderr, result.stderr
