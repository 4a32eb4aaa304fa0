"""The layer table of ARCHITECTURE.md, checked at run time.

import-linter (`lint-imports`) reads the source; this test imports the packages in a fresh
interpreter and looks at what really got loaded, the way Harlequin guards its core.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

# package -> third-party packages it must never load, even indirectly
FORBIDDEN = {
    "phone_sim.network": ("textual", "yaml", "pyaudio", "numpy"),
    "phone_sim.handset": ("textual", "pyaudio"),
    "phone_sim.scenario": ("textual",),
    "phone_sim.audio": ("textual",),
}

_PROBE = """
import importlib, sys
for name in sys.argv[2:]:
    importlib.import_module(name)
forbidden = sys.argv[1].split(",")
loaded = sorted({m.split(".")[0] for m in sys.modules} & set(forbidden))
print(",".join(loaded))
"""


def modules_of(package_name: str) -> list[str]:
    """The package and every module below it, found on disk so new modules are covered."""
    package = importlib.import_module(package_name)
    found = [package_name]
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
        found.append(info.name)
    return found


def loaded_forbidden(modules: list[str], forbidden: tuple[str, ...]) -> list[str]:
    """Import `modules` in a fresh interpreter; return which of `forbidden` were loaded."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, ",".join(forbidden), *modules],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"importing {' '.join(modules)} failed:\n{result.stderr}", pytrace=False)
    return [name for name in result.stdout.strip().split(",") if name]


@pytest.mark.parametrize("package_name", sorted(FORBIDDEN))
def test_package_does_not_load_forbidden_libraries(package_name: str) -> None:
    modules = modules_of(package_name)
    assert loaded_forbidden(modules, FORBIDDEN[package_name]) == []


def test_core_discovery_finds_the_core_modules() -> None:
    # Guards against an empty walk making the test above pass vacuously.
    assert "phone_sim.network.clock" in modules_of("phone_sim.network")


def test_probe_reports_an_indirect_import() -> None:
    # `fractions` loads `decimal` itself: the probe must see indirect imports.
    assert loaded_forbidden(["fractions"], ("decimal", "textual")) == ["decimal"]
