"""The store is a layer below the faces: importing all of it loads no Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import phone_sim.store

PROBE = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)\nprint('textual' in sys.modules)"


def test_the_store_loads_no_textual() -> None:
    modules = ["phone_sim.store"] + [
        info.name for info in pkgutil.walk_packages(phone_sim.store.__path__, prefix="phone_sim.store.")
    ]
    assert "phone_sim.store.store" in modules and "phone_sim.store.cli" in modules
    result = subprocess.run([sys.executable, "-c", PROBE, *modules], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_probe_sees_textual_when_it_is_loaded() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, "textual.app"], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"
