"""``phone-sim run --explain FILE...`` and ``phone-sim run --list-steps``: scenarios and
the step vocabulary as sentences, French or English (``--lang``)."""

from __future__ import annotations

import sys
from importlib import resources
from typing import TextIO

from phone_sim.scenario.cli_run import load_all
from phone_sim.scenario.companyfile import load_company
from phone_sim.scenario.explain import Explainer, list_steps

DEMO_COMPANY = "demo_company.yaml"


def explain_command(paths: list[str], vocabulary: bool, lang: str = "fr", out: TextIO | None = None,
                    err: TextIO | None = None) -> int:
    """Exit 0; 2 when a file is invalid (nothing printed for the others)."""
    out = out or sys.stdout
    err = err or sys.stderr
    if vocabulary:
        with resources.as_file(resources.files("phone_sim.data") / DEMO_COMPANY) as demo:
            company = load_company(demo)
        print("\n".join(list_steps(company, lang)), file=out)
        if not paths:
            return 0
        print(file=out)
    if not paths:
        print("error: --explain needs at least one scenario file or folder", file=err)
        return 2
    scenarios = load_all(paths, err)
    if scenarios is None:
        return 2
    for n, scenario in enumerate(scenarios):
        if n:
            print(file=out)
        print(f"{scenario.path}", file=out)
        print("\n".join("  " + line for line in Explainer(scenario.company).lines(scenario, lang)), file=out)
    return 0
