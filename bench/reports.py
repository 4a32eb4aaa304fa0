"""Benchmark of the testers' reports (a script, not a test): prints figures.

Runs ``phone-sim run scenarios/`` plain and with ``--coverage --junit --ladder-out``
(ladders as Mermaid and SVG, coverage, JUnit together), alternately, as a user runs them
(a fresh process each time, start-up and loading included), and prints each one's
minimum and median wall time and the ratio of the minimums (target: at most 3x). Also
``pytest scenarios/`` on one process and with ``-n 2 --dist loadfile``. The load average
is printed beside the figures: the machine may be shared.

Usage: python bench/reports.py [--rounds N] [--no-pytest] [PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
BIN = os.path.dirname(sys.executable)


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr}")
    return elapsed


def line(name: str, times: list[float]) -> str:
    return f"{name:<52} min {min(times):6.2f} s   median {statistics.median(times):6.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="scenarios")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-pytest", action="store_true")
    args = parser.parse_args()
    phone_sim = os.path.join(BIN, "phone-sim")
    plain, full = [], []
    with tempfile.TemporaryDirectory() as tmp:
        reports = ["--coverage", "--junit", os.path.join(tmp, "out.xml"),
                   "--ladder-out", os.path.join(tmp, "ladders")]
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        for _ in range(args.rounds):  # alternate, so both see the same load
            plain.append(timed([phone_sim, "run", args.path]))
            full.append(timed([phone_sim, "run", args.path, *reports]))
        svgs = sum(1 for _, _, files in os.walk(os.path.join(tmp, "ladders")) for f in files if f.endswith(".svg"))
    print(line(f"phone-sim run {args.path}", plain))
    print(line("  + --coverage --junit --ladder-out", full))
    print(f"ratio of the minimums: {min(full) / min(plain):.2f}x (target <= 3x); {svgs} SVG ladders written")
    if not args.no_pytest:
        pytest = os.path.join(BIN, "pytest")
        one, two = [], []
        for _ in range(max(1, args.rounds // 2)):
            one.append(timed([pytest, "-q", "-p", "no:cacheprovider", args.path]))
            two.append(timed([pytest, "-q", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadfile", args.path]))
        print(line(f"pytest {args.path}", one))
        print(line(f"pytest -n 2 --dist loadfile {args.path}", two))
    print(f"load average after: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
