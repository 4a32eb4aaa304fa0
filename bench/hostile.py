"""Hostile files, one of each kind: exit code, wall time and peak memory of the command a
user runs on it (targets: exit 2 with ``file:line``, within 1 s, under 200 MB), and two
long virtual runs (target: cost proportional to what changes).

    python bench/hostile.py

Each case runs in a process forked from this one (phone-sim already imported, as
``scripts/fuzz.py`` does), so the figures are the loader's and the runner's, not the
interpreter's start.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from fuzz import run_child  # noqa: E402

COMPANY = """name: Bench
lines:
  - {id: A, number: "0601020301", options: [pabx]}
  - {id: C, number: "0601020303", options: [pabx]}
externals:
  - {id: B, number: "0145678900"}
groups:
  - {id: COM, number: "0609182236", switchover_delay: 5, members: [A, C], connected: [A]}
"""
HUGE = "9" * 5000


def scenario(step: str) -> str:
    return f"name: bench\ncompany: company.yaml\nsteps:\n  - {step}\n"


def cases(folder: Path) -> list[tuple[str, list[str], str | None, str]]:
    """(what, argv, file name, text or a special marker)."""
    os.mkfifo(folder / "fifo.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    with (folder / "sparse.yaml").open("wb") as out:
        out.truncate(2 * 1024**3)
    alias = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    alias += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    return [
        ("FIFO", ["run", "fifo.yaml"], None, ""),
        ("/dev/zero", ["run", "zero.yaml"], None, ""),
        ("2 GiB sparse file", ["run", "sparse.yaml"], None, ""),
        ("path of 5,000 characters", ["run", "p" * 5000 + ".yaml"], None, ""),
        ("5,000-digit integer", ["run", "s.yaml"], "s.yaml", scenario(f"wait: {HUGE}")),
        ("wait: .inf", ["run", "s.yaml"], "s.yaml", scenario("wait: .inf")),
        ("wait: 1e400", ["run", "s.yaml"], "s.yaml", scenario("wait: 1e400")),
        ("non-ASCII digits", ["company", "check", "c.yaml"], "c.yaml",
         "lines:\n  - {id: A, number: '0²²²²²²²²²'}\n"),
        ("absurd numbering plan", ["company", "check", "c.yaml"], "c.yaml",
         f"numbering: {{national_length: {10**12}}}\nlines: []\n"),
        ("queue SQLite cannot store", ["--data", "d", "company", "import", "c.yaml"], "c.yaml",
         f"groups:\n  - {{id: G, number: '0609182236', queue: {2**70}}}\n"),
        ("company path outside", ["run", "s.yaml"], "s.yaml",
         "name: b\ncompany: /etc/passwd\nsteps:\n  - answer: A\n"),
        ("nesting 100,000 deep", ["run", "s.yaml"], "s.yaml",
         "name: deep\ncompany: " + "[" * 100_000 + "]" * 100_000 + "\nsteps: []\n"),
        ("alias bomb (9^12)", ["run", "s.yaml"], "s.yaml", "\n".join(alias) + "\nsteps: *a11\n"),
        ("group call, 1 free member, wait 1000h", ["run", "s.yaml"], "s.yaml",
         "name: long\ncompany: company.yaml\nsteps:\n  - dial: {from: B, to: COM}\n  - wait: 1000h\n"
         "  - expect: {A: {ringing: B}}\n"),
        ("200,000 wait steps", ["run", "s.yaml"], "s.yaml",
         "name: waits\ncompany: company.yaml\nsteps:\n  - dial: {from: B, to: COM}\n"
         + "  - wait: 1s\n" * 200_000 + "  - expect: {A: {ringing: B}}\n"),
    ]


def main() -> None:
    os.environ.setdefault("PHONE_SIM_TEST_SCRYPT_COST", "16")
    import phone_sim.cli  # noqa: F401  -- imported once, before forking
    import phone_sim.scenario.cli_run  # noqa: F401
    import phone_sim.store.cli  # noqa: F401

    print(f"load average {os.getloadavg()[0]:.1f}; each case forked from a warm interpreter")
    print(f"{'case':<40} {'exit':>4} {'ms':>8} {'MB':>6}  first line of the message")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "company.yaml").write_text(COMPANY)
        for what, argv, name, text in cases(folder):
            if name is not None:
                (folder / name).write_text(text)
            best = None
            for _ in range(3):  # min of three: the machine is shared
                code, seconds, rss, output = run_child(argv, folder, 120.0, 1024)
                best = (code, seconds, rss, output) if best is None or seconds < best[1] else best
            code, seconds, rss, output = best
            line = next((x for x in output.splitlines() if x.strip()), "")[:70]
            print(f"{what:<40} {code:>4} {seconds * 1000:>8.0f} {rss:>6.0f}  {line}")
            time.sleep(0.05)


if __name__ == "__main__":
    main()
