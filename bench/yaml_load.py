"""Benchmark of the YAML layer (a script, not a test): prints figures.

- a company of 100,000 lines written as YAML (``dump_company``; target: export <= 2 s) and
  PyYAML's dumper on the same data, for the ratio;
- that 8.4 MB file read: PyYAML's event stream alone, PyYAML composing its node tree, the
  composing loader phone-sim used before, our loader without and with the one-line flow
  collections read ahead, then parse + build + validate + network (target: <= 2 s);
- ``phone-sim company export`` of the same company from the SQLite store (target <= 2 s);
- hostile files (alias bomb, deep nesting, huge scalar and integer, tags, a big file with an
  error on its last line): each through ``phone-sim run``/``company import`` in its own
  process, with its exit code, wall time and peak memory (targets: exit 2, < 1 s, < 200 MB).

Every time is the best of ``--runs`` (CPU time and wall time; the machine may be shared:
the load average is printed, and the old/new ratios are measured in the same run).

Usage: python bench/yaml_load.py [--lines N] [--runs N] [--no-reference] [--no-hostile]
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests" / "scenario"))  # the composing loader, kept as reference

import yaml  # noqa: E402
from yaml_reference import reference_dump, reference_parse  # noqa: E402

from bench.core import company  # noqa: E402
from phone_sim.network.clock import Clock  # noqa: E402
from phone_sim.network.switch import Network  # noqa: E402
from phone_sim.network.validation import validate_company  # noqa: E402
from phone_sim.scenario import yamlnodes  # noqa: E402
from phone_sim.scenario.companyfile import company_from_data, company_to_data, dump_company, load_company  # noqa: E402
from phone_sim.scenario.yamlnodes import parse_yaml  # noqa: E402


def best(runs: int, work: Callable[[], Any]) -> tuple[float, float, Any]:
    """(CPU seconds, wall seconds, result), each time the best of ``runs``."""
    cpu = wall = float("inf")
    result = None
    for _ in range(runs):
        gc.collect()
        c0, w0 = time.process_time(), time.perf_counter()
        result = work()
        cpu, wall = min(cpu, time.process_time() - c0), min(wall, time.perf_counter() - w0)
        result = None if _ < runs - 1 else result
    return cpu, wall, result


def row(label: str, cpu: float, wall: float, note: str = "") -> None:
    print(f"  {label:<58} {wall:7.2f} s wall  {cpu:7.2f} s CPU  {note}", flush=True)


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def writing(spec: Any, runs: int, reference: bool, reference_lines: int) -> str:
    print("Writing the company as YAML")
    cpu, wall, text = best(runs, lambda: dump_company(spec))
    row(f"dump_company, {len(spec.lines):,} lines", cpu, wall, f"{len(text) / 2**20:.1f} MB (target <= 2 s)")
    if reference:
        part = company(reference_lines)
        data = company_to_data(part)
        rcpu, rwall, _ = best(1, lambda: reference_dump(data))
        ncpu, nwall, _ = best(runs, lambda: dump_company(part))
        row(f"PyYAML's dumper (the old dump_company), {reference_lines:,} lines", rcpu, rwall,
            f"-> {rwall / nwall:.0f}x our writer on the same lines ({nwall:.3f} s)")
    return text


def reading(path: Path, text: str, runs: int, reference: bool) -> None:
    print(f"Reading it back ({len(text) / 2**20:.1f} MB, {text.count(chr(10)):,} lines)")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    cpu, wall, _ = best(runs, lambda: sum(1 for _ in yaml.parse(text, Loader=loader)))
    row("PyYAML's event stream alone (libyaml)", cpu, wall)
    figures = {}
    if reference:
        cpu, wall, _ = best(1, lambda: yaml.compose(text, Loader=loader))
        row("PyYAML composing its node tree", cpu, wall)
        figures["old"] = best(1, lambda: reference_parse(text))
        row("the composing loader (before): data + lines", *figures["old"][:2])
    spots = yamlnodes.flow_spots
    yamlnodes.flow_spots = lambda t: (t, [])
    try:
        figures["events"] = best(runs, lambda: parse_yaml(text, str(path)))
    finally:
        yamlnodes.flow_spots = spots
    row("our loader, from the event stream only", *figures["events"][:2])
    figures["new"] = best(runs, lambda: parse_yaml(text, str(path)))
    row("our loader (one-line flow collections read ahead)", *figures["new"][:2],
        f"-> {figures['old'][1] / figures['new'][1]:.0f}x faster than before" if reference else "")
    data, lines = figures["new"][2]
    cpu, wall, spec = best(runs, lambda: company_from_data(data, str(path), lines))
    row("  then building the CompanySpec and checking its rules", cpu, wall)
    cpu, wall, _ = best(runs, lambda: validate_company(spec))
    row("    of which validate_company", cpu, wall)
    cpu, wall, _ = best(runs, lambda: Network(spec, Clock()))
    row("  then building the Network", cpu, wall)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu, wall, _ = best(runs, lambda: Network(load_company(path), Clock()))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    row("file -> network: read, build, validate, network", cpu, wall,
        f"(target <= 2 s); max RSS {rss / 1024:,.0f} MB (grew {(rss - rss0) / 1024:,.0f} MB here)")


def exporting(spec: Any, runs: int) -> None:
    from phone_sim.store.cli import export_company
    from phone_sim.store.db import transaction
    from phone_sim.store.rows import LiveSettings, write_company
    from phone_sim.store.store import Store

    print("phone-sim company export (store -> file)")
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(folder)
        with transaction(store.conn):
            write_company(store.conn, spec, LiveSettings())
        store.close()
        out = Path(folder) / "export.yaml"
        args = argparse.Namespace(data=folder, file=str(out), lang="en")
        devnull = open(os.devnull, "w")  # noqa: SIM115 - the command's "exported" line
        saved, sys.stderr = sys.stderr, devnull
        try:
            cpu, wall, _ = best(runs, lambda: export_company(args))
        finally:
            sys.stderr = saved
            devnull.close()
        row(f"export of {len(spec.lines):,} lines", cpu, wall, f"{out.stat().st_size / 2**20:.1f} MB (target <= 2 s)")


def _laughs(levels: int) -> str:
    rows = ["  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    rows += [f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(rows) + "\n"


def hostile_files(big_text: str) -> dict[str, tuple[str, str]]:
    """name -> (command, content)."""
    company_head = "name: Hostile\nlines:\n  - {id: A, number: '0601020301'}\n"
    steps = "".join(f"  - {{wait: 1s, note: {r.split(': ', 1)[1]}}}\n" for r in _laughs(12).splitlines())
    return {
        "billion laughs under a misspelt key": ("import", company_head + "grups:\n" + _laughs(12)),
        "billion laughs in ignored notes": ("run", "name: n\ncompany: {lines: [{id: A, number: '0601020301'}]}\n"
                                                   "steps:\n" + steps),
        "flow nesting 5,000,000 deep": ("run", "a: " + "[" * 5_000_000 + "\n"),
        "block nesting 3,000 deep": ("run", "".join("  " * i + f"k{i}:\n" for i in range(3000))),
        "scalar of 10 MB": ("run", "name: " + "x" * 10_000_000 + "\nsteps: [\n"),
        "integer of 100,000 digits": ("import", company_head + "groups: [{id: G, number: '0609182236', queue: "
                                      + "9" * 100_000 + "}]\n"),
        "python tag": ("import", company_head + "externals: !!python/object/apply:os.system ['echo hi']\n"),
        "not UTF-8": ("import", company_head + "externals: [{id: B, name: caf\udce9, number: '0145678900'}]\n"),
        "100,000 lines, a YAML error on the last": ("import", big_text + "  - {id: X, name: [oops}\n"),
        "100,000 lines, a rule broken on the last": ("import", big_text.replace('number: "0600099999"',
                                                                                 'number: "0600000000"')),
    }


_CHILD = """import atexit, runpy, sys
def peak():
    status = open("/proc/self/status").read()
    print("peak-kB", status.split("VmHWM:")[1].split()[0], file=sys.stderr)
atexit.register(peak)
sys.argv = ["phone-sim", *sys.argv[1:]]
runpy.run_module("phone_sim", run_name="__main__")
"""


def command(args: list[str]) -> tuple[int, float, float, list[str]]:
    """Exit code, wall seconds, peak memory (MB, its own: VmHWM) and the error lines."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CHILD, *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, errors="replace")
    wall = time.perf_counter() - start
    lines = proc.stderr.strip().splitlines()
    peaks = [int(line.split()[1]) for line in lines if line.startswith("peak-kB ")]
    return proc.returncode, wall, (peaks[-1] / 1024 if peaks else 0.0), [x for x in lines if "peak-kB" not in x]


def hostile(big_text: str) -> None:
    print("Hostile files, each in its own process (python -m phone_sim ...)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.yaml"
        path.write_text("name: n\ncompany: {lines: [{id: A, number: '0601020301'}]}\nsteps: [wait: 1s]\n")
        _, wall, peak, _ = command(["run", str(path)])
        print(f"  {'(a valid one-step scenario, for comparison)':<42} exit 0  {wall:5.2f} s  {peak:5.0f} MB")
        for name, (kind, content) in hostile_files(big_text).items():
            path.write_bytes(content.encode("utf-8", "surrogateescape"))
            args = ["run", str(path)] if kind == "run" else ["--data", folder, "company", "import", str(path)]
            code, wall, peak, error = command(args)
            said = error[-1].split(": ", 1)[-1].replace(str(path), "FILE")[:70] if error else ""
            print(f"  {name:<42} exit {code}  {wall:5.2f} s  {peak:5.0f} MB  {said}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--reference-lines", type=int, default=10_000, help="lines for PyYAML's (slow) dumper")
    ap.add_argument("--no-reference", action="store_true", help="skip the old loader and dumper (slow)")
    ap.add_argument("--no-hostile", action="store_true")
    args = ap.parse_args()
    print(f"load average {load_average()} ({os.cpu_count()} CPUs); libyaml: {yaml.__with_libyaml__}")
    spec = company(args.lines)
    text = writing(spec, args.runs, not args.no_reference, args.reference_lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "company.yaml"
        path.write_text(text, encoding="utf-8")
        reading(path, text, args.runs, not args.no_reference)
    exporting(spec, args.runs)
    if not args.no_hostile:
        hostile(text)
    print(f"load average {load_average()}")


if __name__ == "__main__":
    main()
