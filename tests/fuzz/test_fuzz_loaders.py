"""Fuzz the loaders in CI: a seeded run of ``scripts/fuzz.py`` (a few hundred mutated
scenario, company and lesson files, each in its own child process under a timeout and an
address-space limit). Every run must end with exit 0, 1 or 2, no traceback, no timeout, no
memory blow-up, and ``company check`` must agree with ``company import``.

Other seeds and thousands of files: ``python scripts/fuzz.py --seed N --count 5000``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED = 20261201  # CI's seed; the README's figures use others
COUNT = 250
CLASSES = "value,shape,text,file,nesting,alias,long"


def test_mutated_files_never_crash_hang_or_blow_up(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "fuzz.py"), "--seed", str(SEED), "--count", str(COUNT),
         "--classes", CLASSES, "--timeout", "30", "--max-rss", "200", "--max-steps", "20000", "--json"],
        capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr[-3000:]
    report = json.loads(result.stdout)
    outcomes = report["outcomes"]
    assert len({o["case"] for o in outcomes}) == COUNT
    assert {o["code"] for o in outcomes} <= {0, 1, 2}, "exit codes other than 0/1/2"
    assert {o["klass"] for o in outcomes} == set(CLASSES.split(","))
    failures = [f"case {o['case']} ({o['klass']}/{o['kind']}) {' '.join(o['argv'])[:60]}: {o['problem']}\n"
                f"{o['output'][-600:]}" for o in outcomes if o["problem"]]
    assert not failures, "\n".join(failures[:10])
