"""Benchmark of the TUI (a script, not a test): prints figures.

1. Start-up: wall time from spawning ``phone-sim`` (in a 160x50 pseudo-terminal) to the
   first full screen of 6 handsets, median of N runs (target: at most 1.0 s), split into
   interpreter start + command line, store, imports of the TUI, and building and drawing
   the screen; plus the first run (the database is created and seeded) and
   ``--company FILE`` (no database). The app writes its instants to the file named by
   PHONE_SIM_STARTUP_PROBE once the phones screen has been drawn, then quits. Also the
   process's CPU time to that first screen, split the same way (target: under 0.6 s):
   unlike wall time, other jobs change it less (on 2 busy cores still by up to a third).
2. Imports alone: ``import phone_sim.tui.app`` in a fresh interpreter. With ``--against
   OTHER/bin/phone-sim``, this version and another install's started in turn, CPU time to
   the first screen of each and their ratio (side by side, so other jobs weigh on both).
3. Key press: median in-app handling time of a handset key, from the key binding to the
   handset's display updated (the core's work included), without Pilot's own waits or
   the time a message sits in a queue (target: at most 5 ms); and the time Textual takes
   to redraw the screen after it. Keys of a realistic session: dial, answer, hold, call,
   conference, hang up, refused keys.

Usage: python bench/tui.py [--runs N] [--rounds N] [--only startup|keys] [--against PHONE_SIM]
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import pty
import resource
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

ROOT = Path(__file__).resolve().parents[1]
PHONE_SIM = Path(sys.executable).parent / "phone-sim"
DEMO = ROOT / "phone_sim" / "data" / "demo_company.yaml"


# ---------------------------------------------------------------------- start-up


def start_once(args: list[str], data: Path) -> dict[str, float]:
    """Spawn phone-sim in a 160x50 pty; the instants it reports, relative to the spawn."""
    probe = Path(tempfile.mktemp(prefix="phone-sim-probe-"))
    # PYTHONDONTWRITEBYTECODE would make every start compile the sources again: an installed
    # program has its bytecode cached after the first run
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE")}
    env.update(TERM="xterm-256color", PHONE_SIM_STARTUP_PROBE=str(probe), PHONE_SIM_DATA=str(data))
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    spawned = time.time()
    child = subprocess.Popen([str(PHONE_SIM), "--sound", "null", "--data", str(data), *args],
                             stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    try:
        while child.poll() is None:  # keep reading, or the child blocks on a full pty
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        child.wait(timeout=30)
    finally:
        os.close(master)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    times = json.loads(probe.read_text())
    probe.unlink()
    result = {k: v - spawned for k, v in times.items() if isinstance(v, float) and not k.startswith("cpu:")}
    result.update({k: v for k, v in times.items() if k.startswith("cpu:")})  # CPU seconds so far
    # the child quits right after the first screen: its CPU time is the CPU of start-up,
    # a figure that other processes on the machine do not inflate
    result["cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def startup(runs: int) -> None:
    print("Start-up to the first full screen (160x50, 6 handsets), seconds")
    with tempfile.TemporaryDirectory() as tmp:
        first = start_once([], Path(tmp) / "fresh")
        stored = [start_once([], Path(tmp) / "fresh") for _ in range(runs)]
        company = [start_once(["--company", str(DEMO)], Path(tmp) / "other") for _ in range(runs)]
    med = {key: statistics.median(run[key] for run in stored) for key in stored[0]}
    print(f"  phone-sim (stored company), median of {runs}: {med['screen']:.3f} s wall, "
          f"{med['cpu']:.3f} s CPU  (target <= 1.0 s: {'OK' if med['screen'] <= 1.0 else 'MISSED'})")
    print(f"    interpreter start + command line   {med['entered']:.3f} s")
    print(f"    open the store (SQLite)            {med['store'] - med['entered']:.3f} s")
    print(f"    import Textual and the TUI         {med['imported'] - med['store']:.3f} s")
    print(f"    build and draw the phones screen   {med['screen'] - med['imported']:.3f} s")
    low = {key: min(run[key] for run in stored) for key in stored[0]}
    cpu = low["cpu:screen"]
    print(f"  CPU time to the first screen, min of {runs}: {cpu:.3f} s "
          f"(target < 0.6 s: {'OK' if cpu < 0.6 else 'MISSED'}); median {med['cpu']:.3f} s")
    print(f"    interpreter, command line, parser  {low['cpu:entered']:.3f} s")
    print(f"    open the store (SQLite)            {low['cpu:store'] - low['cpu:entered']:.3f} s")
    print(f"    import Textual and the TUI         {low['cpu:imported'] - low['cpu:store']:.3f} s")
    print(f"    build and draw the phones screen   {low['cpu:screen'] - low['cpu:imported']:.3f} s")
    cmed = {key: statistics.median(run[key] for run in company) for key in company[0]}
    print(f"  phone-sim --company FILE, median of {runs}: {cmed['screen']:.3f} s wall, {cmed['cpu']:.3f} s CPU "
          f"(imports {cmed['imported'] - cmed['entered']:.3f} s incl. loading the file)")
    print(f"  first run (database created and seeded): {first['screen']:.3f} s "
          f"(store {first['store'] - first['entered']:.3f} s)")


def against(other: Path, runs: int) -> None:
    """This phone-sim and another install's (``--against``), started in turn: CPU time to the
    first screen of each, and their ratio (measured side by side, so the load weighs on both)."""
    global PHONE_SIM
    ours, times = PHONE_SIM, {"this": [], "other": []}
    with tempfile.TemporaryDirectory() as tmp:
        for name, program in (("this", ours), ("other", other)):  # databases created, caches warm
            PHONE_SIM = program
            start_once([], Path(tmp) / name)
        for _ in range(runs):
            for name, program in (("this", ours), ("other", other)):
                PHONE_SIM = program
                times[name].append(start_once([], Path(tmp) / name)["cpu:screen"])
    PHONE_SIM = ours
    print(f"Start-up, this version and {other}, in turn ({runs} each): CPU time to the first screen")
    for name in times:
        print(f"  {name:5}  min {min(times[name]):.3f} s  median {statistics.median(times[name]):.3f} s")
    print(f"  this / other: {min(times['this']) / min(times['other']):.2f} (mins), "
          f"{statistics.median(times['this']) / statistics.median(times['other']):.2f} (medians)")


def imports_alone(runs: int) -> None:
    code = "import time; t = time.perf_counter(); import phone_sim.tui.app; print(time.perf_counter() - t)"
    samples = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                    cwd=ROOT, check=True).stdout) for _ in range(runs)]
    python = [_python_start() for _ in range(runs)]
    print(f"  imports alone: `import phone_sim.tui.app` {statistics.median(samples):.3f} s; "
          f"a bare `python -c pass` {statistics.median(python):.3f} s")


def _python_start() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


# ---------------------------------------------------------------------- key presses

ROUND = ["alt+1", *"303", "enter", "alt+3", "enter", "alt+1", "h", *"306", "enter", "alt+4", "enter",
         "alt+1", "c", "5", "escape", "h", "c", "escape", "alt+8", *"0601020301", "enter", "alt+1", "escape",
         "alt+8", "escape"]
SELECTING = {"alt+1", "alt+3", "alt+4", "alt+8"}


async def key_presses(rounds: int) -> tuple[list[float], list[float]]:
    from textual.screen import Screen

    from phone_sim.tui.app import PhoneSimApp
    from phone_sim.tui.commands import load_company_or_demo
    from phone_sim.tui.phones_screen import PhonesScreen

    handling: list[float] = []
    render: list[float] = []
    state: dict[str, float] = {}
    on_key, refresh = PhonesScreen.action_key, Screen._compositor_refresh

    def timed_key(self, key):  # the binding: the key to the network, the display updated
        started = time.perf_counter()
        try:
            return on_key(self, key)
        finally:
            handling.append(time.perf_counter() - started)
            render.append(0.0)  # until the redraw that follows is timed
            state["render"] = 1.0

    def timed_refresh(self):
        started = time.perf_counter()
        try:
            return refresh(self)
        finally:
            if state.pop("render", None):
                render[-1] = time.perf_counter() - started

    PhonesScreen.action_key = timed_key  # type: ignore[method-assign]
    Screen._compositor_refresh = timed_refresh  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        app = PhoneSimApp(load_company_or_demo(None), realtime=False, sound=None, data=tmp)
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            for _ in range(rounds):
                for key in ROUND:
                    await pilot.press(key)
                await pilot.pause()
    return handling, render


def keys(rounds: int) -> None:
    handling, render = asyncio.run(key_presses(rounds))
    ms = [h * 1000 for h in handling]
    rms = [r * 1000 for r in render]
    print(f"Key press on a handset ({len(ms)} keys: dial, answer, hold, call, conference, hang up, refusals)")
    print(f"  in-app handling, binding to display updated: median {statistics.median(ms):.2f} ms, "
          f"90th percentile {statistics.quantiles(ms, n=10)[-1]:.2f} ms, max {max(ms):.2f} ms "
          f"(target median <= 5 ms: {'OK' if statistics.median(ms) <= 5 else 'MISSED'})")
    drawn = [r for r in rms if r > 0]
    if drawn:
        total = [h + r for h, r in zip(ms, rms, strict=True)]
        print(f"  Textual's redraw of the screen that follows: median {statistics.median(drawn):.2f} ms, "
              f"max {max(drawn):.2f} ms ({len(drawn)} redraws)")
        print(f"  key to pixels (handling + that redraw): median {statistics.median(total):.2f} ms, "
              f"90th percentile {statistics.quantiles(total, n=10)[-1]:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="start-ups to time (default 5)")
    parser.add_argument("--rounds", type=int, default=4, help="rounds of the key session (default 4)")
    parser.add_argument("--only", choices=["startup", "keys"], help="run one part only")
    parser.add_argument("--against", type=Path, metavar="PHONE_SIM",
                        help="also start another install's phone-sim in turn with this one (CPU ratio)")
    options = parser.parse_args()
    if not PHONE_SIM.exists() or shutil.which("python3") is None:
        sys.exit(f"{PHONE_SIM} not found: run `make test` or scripts/setup.sh first")
    print(f"phone-sim TUI benchmark ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})")
    if options.only != "keys":
        startup(options.runs)
        imports_alone(options.runs)
        if options.against is not None:
            against(options.against, options.runs)
    if options.only != "startup":
        keys(options.rounds)


if __name__ == "__main__":
    main()
