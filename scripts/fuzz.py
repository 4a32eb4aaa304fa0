#!/usr/bin/env python3
"""Fuzz the file loaders: mutated scenario, company and lesson files, each in a child process.

    python scripts/fuzz.py --seed 7 --count 3000          # thousands of fresh files
    python scripts/fuzz.py --seed 1 --count 300 --json    # what CI runs (tests/fuzz)

A seeded generator takes the repository's own scenarios, companies and lessons, mutates
them (hostile values, wrong types, renamed and missing keys, broken YAML text, special
files, deep nesting, alias bombs) and runs the command a user would run on each:
``phone-sim run``, ``phone-sim company check`` and ``company import`` (which must agree),
``phone-sim lessons check``. Each case runs in a process forked from this one (phone-sim
already imported, so a case costs milliseconds, not an interpreter start) under an address
space limit and a timeout. A case fails on: an exit code other than 0, 1 or 2, a
traceback on its output, a timeout, more resident memory than ``--max-rss`` MB, or
``company check`` and ``company import`` disagreeing. The report prints counts, timings
and the failures (with the case's files kept under ``--keep``).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ("value", "shape", "text", "file", "nesting", "alias", "long")
WEIGHTS = {"value": 30, "shape": 25, "text": 20, "file": 10, "nesting": 5, "alias": 5, "long": 5}
HUGE = "9" * 5000


# ---------------------------------------------------------------------- seeds
def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def seeds() -> dict[str, list[Any]]:
    """Scenarios, companies and lessons of the repository, companies inlined."""
    found: dict[str, list[Any]] = {"scenario": [], "company": [], "lesson": []}
    for path in sorted((ROOT / "scenarios").rglob("*.y*ml")):
        data = _load(path)
        if not isinstance(data, dict):
            continue
        if "steps" in data:
            if isinstance(data.get("company"), str):
                data["company"] = _load(path.parent / data["company"])
            found["scenario"].append(data)
        elif "lines" in data:
            found["company"].append(data)
    found["company"].append(_load(ROOT / "phone_sim" / "data" / "demo_company.yaml"))
    lessons = ROOT / "phone_sim" / "training" / "lessons"
    for path in sorted(lessons.glob("*.yaml")):
        data = _load(path)
        if isinstance(data, dict) and "goals" in data:
            if isinstance(data.get("company"), str):
                data["company"] = _load(path.parent / data["company"])
            found["lesson"].append(data)
    return found


# ---------------------------------------------------------------------- mutations
def hostile_values(rng: random.Random, case: Path) -> list[Any]:
    return [
        int(HUGE), -int(HUGE), 2**63, 2**64 + 7, -(2**63) - 1, -1, 0, 10**18,
        float("inf"), float("-inf"), float("nan"), 1e308, 1e-320, 0.5,
        HUGE, HUGE + "s", "1e400", "1e400s", ".inf", "1000h", "8760h1ms", "99999999999999h",
        "-5s", "0.0000001ms", "1m30s30s", "5 s", "٢٥s", "２５s",
        "0²²²²²²²²²", "²²²", "٠٦٠١٠٢٠٣٠١", "０６０１０２０３０１", "06" + "1" * 4000, "+" + "3" * 300,
        "0601020301\x00", "\x1b[2J\x1b[31mred", "A\u202eevil", "\r\nfake: line", "", " ", "\t",
        "x" * rng.choice((300, 70_000)), "é" * 1000,
        "/dev/zero", "/dev/urandom", "/etc/passwd", "/proc/self/environ", "../../../../etc/passwd",
        "a/" * 3000 + "c.yaml", "b" * 300 + ".yaml", str(case / "fifo"), str(case),
        None, True, False, [], {}, [[[]]], {"a": {"b": {}}}, ["A"] * 50,
    ]


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, prefix + (index,))


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data


def mutate_data(rng: random.Random, data: Any, case: Path, rounds: int) -> Any:
    """A few edits at random places: a hostile value, a missing or renamed key, a copy."""
    data = copy.deepcopy(data)
    for _ in range(rounds):
        path = rng.choice(list(_paths(data)))
        parent = _get(data, path[:-1]) if path else None
        move = rng.random()
        if move < 0.55 or not path:
            data = _set(data, path, rng.choice(hostile_values(rng, case)))
        elif move < 0.7 and isinstance(parent, dict):
            del parent[path[-1]]
        elif move < 0.8 and isinstance(parent, dict):
            key = path[-1]
            new = rng.choice([str(key) + "s", str(key).upper(), str(key)[:-1] or "x", "\x1b]0;t\x07", HUGE])
            parent[new] = parent.pop(key)
        elif move < 0.9 and isinstance(parent, list):
            parent.extend([copy.deepcopy(parent[path[-1]])] * rng.choice((1, 5, 300)))
        else:
            data = _set(data, path, [_get(data, path)] if rng.random() < 0.5 else {"x": _get(data, path)})
    return data


def mutate_text(rng: random.Random, text: str) -> bytes:
    """Byte-level damage to a YAML text."""
    raw = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(raw) + 1)
        move = rng.randrange(9)
        if move == 0:
            del raw[at:]
        elif move == 1 and raw:
            raw[min(at, len(raw) - 1)] = rng.randrange(256)
        elif move == 2:
            raw[at:at] = rng.choice([b"\t", b": ", b"- ", b"{", b"[", b"]", b"'", b'"', b"&a ", b"*a", b"!!python/object:os.system ", b"%YAML 1.1\n---\n", b"? ", b"|"])
        elif move == 3:
            raw[at:at] = bytes([0xFF, 0xFE, 0x00, 0xC3])
        elif move == 4:
            raw[:0] = b"\xef\xbb\xbf"
        elif move == 5:
            lines = bytes(raw).split(b"\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i] * rng.choice((1, 2)))
            raw = bytearray(b"\n".join(lines))
        elif move == 6:
            lines = bytes(raw).split(b"\n")
            del lines[rng.randrange(len(lines))]
            raw = bytearray(b"\n".join(lines))
        elif move == 7:
            lines = bytes(raw).split(b"\n")
            i = rng.randrange(len(lines))
            lines[i] = b" " * rng.choice((1, 3, 17)) + lines[i]
            raw = bytearray(b"\n".join(lines))
        else:
            raw[at:at] = b"\x00\x1b[2J"
    return bytes(raw)


def nesting_text(rng: random.Random, kind: str) -> str:
    depth = rng.choice((100, 5_000, 100_000))
    inner = "[" * depth + "]" * depth if rng.random() < 0.5 else "{a: " * depth + "1" + "}" * depth
    if kind == "scenario":
        return f"name: deep\ncompany: {inner}\nsteps: []\n"
    if kind == "lesson":
        return f"title: {inner}\n"
    return f"name: deep\nlines: {inner}\n"


def alias_text(rng: random.Random, kind: str) -> str:
    levels = rng.choice((9, 12, 30))
    out = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    out += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    root = {"scenario": "steps", "company": "lines", "lesson": "goals"}[kind]
    out.append(f"{root}: *a{levels - 1}" if rng.random() < 0.5 else f"boom: *a{levels - 1}")
    return "\n".join(out) + "\n"


def long_text(rng: random.Random, company: Any, max_steps: int) -> str:
    """A group call nobody answers for a long virtual time (one member free: nothing can
    change; two: they ring in turn, every switchover a change), or very many wait steps."""
    if rng.random() < 0.5:
        company = copy.deepcopy(company)
        alone = rng.random() < 0.7
        company["groups"][0]["connected"] = ["A"] if alone else ["A", "C"]
        wait = rng.choice(("1000h", "8760h")) if alone else rng.choice(("1h", "10h"))
        steps = [{"dial": {"from": "B", "to": "COM"}}, {"wait": wait}, {"expect": {"B": "idle"}}]
        data = {"name": "long", "company": company, "steps": steps}
        return yaml.safe_dump(data, sort_keys=False)
    steps = "\n".join("  - wait: 1s" for _ in range(rng.choice((max_steps // 10, max_steps))))
    return "name: many waits\ncompany:\n" + _indent(yaml.safe_dump(company, sort_keys=False)) + "steps:\n" + steps + "\n"


def _indent(text: str) -> str:
    return "".join("  " + line + "\n" for line in text.splitlines())


LONG_COMPANY = {
    "name": "Long", "lines": [
        {"id": "A", "number": "0601020301", "options": ["pabx"]},
        {"id": "C", "number": "0601020303", "options": ["pabx"]}],
    "externals": [{"id": "B", "number": "0145678900"}],
    "groups": [{"id": "COM", "number": "0609182236", "queue": 1, "switchover_delay": 5,
                "distribution": "linear", "members": ["A", "C"], "connected": ["A", "C"]}],
}


# ---------------------------------------------------------------------- cases
@dataclass
class Case:
    ident: int
    kind: str  # scenario | company | lesson
    klass: str
    folder: Path
    file: str  # the path given on the command line (may be odd on purpose)


def make_case(rng: random.Random, ident: int, pool: dict[str, list[Any]], root: Path,
              classes: tuple[str, ...], max_steps: int = 200_000) -> Case:
    klass = rng.choices(classes, [WEIGHTS[c] for c in classes])[0]
    kind = rng.choice(("scenario", "scenario", "company", "company", "lesson"))
    folder = root / f"case-{ident:05d}"
    folder.mkdir()
    os.mkfifo(folder / "fifo")
    target = folder / f"{kind}.yaml"
    seed = rng.choice(pool[kind])
    file = target.name
    if klass == "value":
        _write(target, yaml.safe_dump(mutate_data(rng, seed, folder, rng.randint(1, 3)), sort_keys=False,
                                      allow_unicode=rng.random() < 0.5))
    elif klass == "shape":
        data = copy.deepcopy(seed)
        if kind != "company" and rng.random() < 0.5:  # the company as a file next to it
            _write(folder / "company.yaml", yaml.safe_dump(mutate_data(rng, data["company"], folder, 1)))
            data["company"] = rng.choice(["company.yaml", "./company.yaml", "../" + folder.name + "/company.yaml",
                                          "fifo", "/dev/zero", "/etc/passwd", "../../../../../etc/hostname",
                                          "x/" * 2000, "company.yaml\x00"])
        _write(target, yaml.safe_dump(mutate_data(rng, data, folder, rng.randint(2, 6)), sort_keys=False))
    elif klass == "text":
        target.write_bytes(mutate_text(rng, yaml.safe_dump(seed, sort_keys=False, allow_unicode=True)))
    elif klass == "file":
        file = _special_file(rng, folder, target, seed)
    elif klass == "nesting":
        _write(target, nesting_text(rng, kind))
    elif klass == "alias":
        _write(target, alias_text(rng, kind))
    else:
        kind = "scenario"
        target = folder / "scenario.yaml"
        file = target.name
        _write(target, long_text(rng, LONG_COMPANY, max_steps))
    return Case(ident, kind, klass, folder, file)


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _special_file(rng: random.Random, folder: Path, target: Path, seed: Any) -> str:
    move = rng.randrange(9)
    if move == 0:
        return "fifo"
    if move == 1:
        target.symlink_to("/dev/zero")
    elif move == 2:
        target.mkdir()
    elif move == 3:
        with target.open("wb") as out:  # sparse: huge, costs no disk
            out.truncate(rng.choice((64, 2048)) * 1024 * 1024)
    elif move == 4:
        target.write_bytes(b"")
    elif move == 5:
        return "x" * rng.choice((300, 5000)) + ".yaml"
    elif move == 6:
        return "/".join(["d"] * 3000) + "/f.yaml"
    elif move == 7:
        shutil.copyfile(sys.executable if Path(sys.executable).stat().st_size < 2**24 else "/bin/ls", target)
    else:
        target.symlink_to("fifo")
    return target.name


def commands(case: Case) -> list[list[str]]:
    data = str(case.folder / "data")
    if case.kind == "scenario":
        return [["run", case.file]]
    if case.kind == "lesson":
        return [["lessons", "check", case.file]]
    return [["company", "check", case.file], ["--data", data, "company", "import", case.file]]


# ---------------------------------------------------------------------- running
@dataclass
class Outcome:
    case: int
    klass: str
    kind: str
    argv: list[str]
    code: int
    seconds: float
    rss_mb: float
    problem: str = ""
    output: str = field(default="", repr=False)


def run_child(argv: list[str], cwd: Path, timeout: float, as_limit_mb: int) -> tuple[int, float, float, str]:
    """Fork, run ``phone-sim ARGV`` in the child; (exit code, seconds, max RSS MB, output)."""
    out_path = cwd / f"out-{len(list(cwd.glob('out-*')))}.txt"
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        _child(argv, cwd, out_path, timeout, as_limit_mb)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    output = out_path.read_text(encoding="utf-8", errors="replace")
    return code, seconds, usage.ru_maxrss / 1024, output


def _child(argv: list[str], cwd: Path, out_path: Path, timeout: float, as_limit_mb: int) -> None:
    code = 70
    try:
        fd = os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.chdir(cwd)
        limit = as_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        sys.set_int_max_str_digits(sys.int_info.default_max_str_digits)  # the parent lifted it
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        sys.stdout = os.fdopen(1, "w", encoding="utf-8", errors="backslashreplace")
        sys.stderr = os.fdopen(2, "w", encoding="utf-8", errors="backslashreplace")
        from phone_sim.cli import main

        try:
            code = main(argv)
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException:  # what `python -m phone_sim` would show
            import traceback

            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def judge(case: Case, argv: list[str], code: int, seconds: float, rss: float, output: str,
          timeout: float, max_rss: float) -> str:
    if code < 0:
        return "timeout" if -code == signal.SIGALRM or seconds >= timeout else f"killed by signal {-code}"
    if "Traceback (most recent call last)" in output:
        return "traceback"
    if code not in (0, 1, 2):
        return f"exit {code}"
    if rss > max_rss:
        return f"memory {rss:.0f} MB"
    if "\x1b" in output:
        return "escape sequence printed"
    return ""


def fuzz(seed: int, count: int, classes: tuple[str, ...], timeout: float, max_rss: float,
         as_limit_mb: int, keep: Path | None, progress: Callable[[int, int], None] | None = None,
         max_steps: int = 200_000) -> list[Outcome]:
    import phone_sim.cli  # noqa: F401  -- imported once, before forking
    import phone_sim.scenario.cli_run  # noqa: F401
    import phone_sim.store.cli  # noqa: F401
    import phone_sim.training.cli  # noqa: F401

    sys.set_int_max_str_digits(0)  # the generator writes 5,000-digit integers
    os.environ.setdefault("PHONE_SIM_TEST_SCRYPT_COST", "16")  # a first run hashes six passwords: not what we fuzz
    rng = random.Random(seed)
    pool = seeds()
    outcomes: list[Outcome] = []
    root = Path(tempfile.mkdtemp(prefix=f"phone-sim-fuzz-{seed}-"))
    try:
        for ident in range(count):
            case = make_case(rng, ident, pool, root, classes, max_steps)
            codes = []
            for argv in commands(case):
                code, seconds, rss, output = run_child(argv, case.folder, timeout, as_limit_mb)
                problem = judge(case, argv, code, seconds, rss, output, timeout, max_rss)
                codes.append(code)
                outcomes.append(Outcome(ident, case.klass, case.kind, argv, code, seconds, rss, problem, output[-2000:]))
            if case.kind == "company" and len(set(c == 0 for c in codes)) > 1 and not outcomes[-1].problem:
                outcomes[-1].problem = f"company check exit {codes[0]} but import exit {codes[1]}"
            if any(o.problem for o in outcomes[-len(codes):]) and keep is not None:
                shutil.copytree(case.folder, keep / case.folder.name, symlinks=True, dirs_exist_ok=True,
                                ignore=lambda d, names: [n for n in names if n == "fifo" or
                                                         (Path(d) / n).is_fifo()])
            shutil.rmtree(case.folder, ignore_errors=True)
            if progress is not None:
                progress(ident + 1, count)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return outcomes


def report(outcomes: list[Outcome], seed: int, wall: float) -> str:
    failures = [o for o in outcomes if o.problem]
    times = sorted(o.seconds for o in outcomes)
    rss = sorted(o.rss_mb for o in outcomes)
    by_class: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_class.setdefault(o.klass, []).append(o)
    lines = [f"seed {seed}: {len({o.case for o in outcomes})} files, {len(outcomes)} runs in {wall:.1f} s "
             f"(load average {os.getloadavg()[0]:.1f})",
             "exit codes: " + ", ".join(f"{c}: {n}" for c, n in sorted(_count(o.code for o in outcomes).items())),
             f"time per run: median {times[len(times) // 2] * 1000:.0f} ms, 99th percentile "
             f"{times[int(len(times) * 0.99)] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms",
             f"max resident memory: median {rss[len(rss) // 2]:.0f} MB, max {rss[-1]:.0f} MB"]
    for klass, items in sorted(by_class.items()):
        worst = max(items, key=lambda o: o.seconds)
        lines.append(f"  {klass:<8} {len(items):>5} runs, {sum(bool(o.problem) for o in items)} failed, "
                     f"max {worst.seconds * 1000:.0f} ms, max {max(o.rss_mb for o in items):.0f} MB")
    lines.append(f"failures: {len(failures)}")
    for o in failures[:30]:
        tail = o.output.strip().splitlines()[-1:] or [""]
        lines.append(f"  case {o.case} ({o.klass}/{o.kind}) {' '.join(o.argv)[:80]}: {o.problem}: {tail[0][:160]}")
    return "\n".join(lines)


def _count(values: Iterator[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=int(time.time()) % 100_000)
    parser.add_argument("--count", type=int, default=1000, help="files to generate")
    parser.add_argument("--classes", default=",".join(CLASSES), help=f"comma-separated, of {','.join(CLASSES)}")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per run before it counts as a hang")
    parser.add_argument("--max-rss", type=float, default=200.0, help="MB of resident memory allowed per run")
    parser.add_argument("--as-limit", type=int, default=1024, help="address-space limit per run, MB")
    parser.add_argument("--max-steps", type=int, default=200_000, help="wait steps of the longest 'long' files")
    parser.add_argument("--keep", type=Path, help="copy the files of failing cases into this folder")
    parser.add_argument("--json", action="store_true", help="print the outcomes as JSON (for the CI test)")
    args = parser.parse_args(argv)
    classes = tuple(c for c in args.classes.split(",") if c)
    unknown = set(classes) - set(CLASSES)
    if unknown:
        parser.error(f"unknown classes: {', '.join(sorted(unknown))}")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty() and done % 50 == 0:
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    outcomes = fuzz(args.seed, args.count, classes, args.timeout, args.max_rss, args.as_limit, args.keep, progress,
                    args.max_steps)
    wall = time.perf_counter() - started
    if args.json:
        print(json.dumps({"seed": args.seed, "wall": wall, "outcomes": [asdict(o) for o in outcomes]}))
    else:
        print("\r", end="", file=sys.stderr)
        print(report(outcomes, args.seed, wall))
    return 1 if any(o.problem for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
