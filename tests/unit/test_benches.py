"""The benchmarks still run (small): their figures are printed by bench/, never timed here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from phone_sim.scenario.simulate import SimConfig, run

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_simpy_model_of_the_call_centre_day_accounts_for_every_call() -> None:
    pytest.importorskip("simpy")
    sys.path.insert(0, str(BENCH))
    try:
        from simpy_centre import run_simpy
    finally:
        sys.path.remove(str(BENCH))
    cfg = SimConfig(calls=400, hours=0.2)
    ref = run_simpy(cfg)
    assert ref.placed == 400 and ref.answered + ref.abandoned + ref.busy == ref.placed
    ours = run(cfg)  # the same day on the network: outcomes of the same order
    answered = sum(g.answered for g in ours.groups.values())
    assert abs(answered - ref.answered) < 0.15 * ref.placed, (answered, ref.answered)


def test_scaling_runs_one_dimension() -> None:
    out = subprocess.run([sys.executable, str(BENCH / "scaling.py"), "--child", "queue length", "1"],
                         check=True, capture_output=True, text=True).stdout
    assert '"units": 4000' in out
