"""Scenario files -> ``Scenario`` values, and the list of files a command line names.

A scenario is a mapping: ``name``, ``description``, ``company`` (inline, or a path relative
to the scenario file), ``steps`` and an optional ``xfail: reason``. Every problem raises a
``ScenarioError`` whose text starts with ``file:line:``; an error inside a company file
names that file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path as FilePath
from typing import Any

from phone_sim.network.company import CompanySpec
from phone_sim.scenario.companyfile import company_from_data, load_company
from phone_sim.scenario.model import Scenario, ScenarioError
from phone_sim.scenario.stepparser import parse_steps
from phone_sim.scenario.yamlnodes import Lines, Where, check_keys, read_yaml, text, type_name, word

SCENARIO_KEYS = ("name", "company", "steps"), ("description", "xfail")
YAML_SUFFIXES = (".yaml", ".yml")


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Load one scenario file; a company given by path is read relative to it."""
    data, lines = read_yaml(path, "scenario file")
    return scenario_from_data(data, str(path), lines, base=FilePath(path).parent)


def scenario_from_data(
    data: Any, file: str = "<scenario>", lines: Lines | None = None, base: FilePath | None = None
) -> Scenario:
    """Build a scenario from plain data; ``base`` is the folder company paths start from."""
    where = Where(file, lines or Lines())
    if not isinstance(data, dict):
        raise where.error(
            (), f"a scenario file is a mapping with name, company and steps, got {type_name(data)}"
        )
    if _looks_like_company(data):
        raise where.error((), "is a company file, not a scenario (it has lines and no steps)")
    check_keys(where, data, (), "scenario", *SCENARIO_KEYS)
    company = _company(where, data["company"], base or FilePath("."))
    return Scenario(
        name=word(where, data["name"], ("name",), "name"),
        steps=parse_steps(where, data["steps"], company),
        company=company,
        description=_description(where, data.get("description")),
        path=file,
        xfail=_xfail(where, data.get("xfail")),
    )


def _company(where: Where, value: Any, base: FilePath) -> CompanySpec:
    if isinstance(value, dict):
        return company_from_data(value, where.file, where.lines.under(("company",)))
    if not isinstance(value, str) or not value.strip():
        raise where.error(
            ("company",), f"company must be a mapping or the path of a company file, got {type_name(value)}"
        )
    path = base / value
    if not path.is_file():
        raise where.error(("company",), f"company file {value!r} not found (looked for {path})")
    return load_company(path)


def _description(where: Where, value: Any) -> str:
    return "" if value is None else text(where, value, ("description",), "description").strip()


def _xfail(where: Where, value: Any) -> str | None:
    """``xfail: "reason"`` (or ``true``): the scenario is expected to fail."""
    if value is None or value is False:
        return None
    if value is True:
        return "expected to fail"
    return word(where, value, ("xfail",), "xfail")


def _looks_like_company(data: dict[str, Any]) -> bool:
    return "steps" not in data and "lines" in data


def is_company_file(path: str | os.PathLike[str]) -> bool:
    """A YAML mapping with ``lines`` and no ``steps``; unreadable files are not."""
    try:
        data, _ = read_yaml(path)
    except ScenarioError:
        return False
    return isinstance(data, dict) and _looks_like_company(data)


def load_paths(paths: Iterable[str | os.PathLike[str]]) -> list[FilePath]:
    """The scenario files that paths name, in order, each once.

    A folder gives every ``*.yaml``/``*.yml`` below it, sorted, without hidden folders and
    without company files; a company file named explicitly is an error.
    """
    found: list[FilePath] = []
    for raw in paths:
        path = FilePath(raw)
        if path.is_dir():
            found.extend(f for f in _yaml_files(path) if not is_company_file(f))
        elif path.is_file():
            if is_company_file(path):
                raise ScenarioError(str(path), 1, "is a company file, not a scenario")
            found.append(path)
        else:
            raise ScenarioError(str(path), 0, "no such file or folder")
    return list(dict.fromkeys(found))


def _yaml_files(folder: FilePath) -> list[FilePath]:
    return sorted(
        f
        for f in folder.rglob("*")
        if f.suffix in YAML_SUFFIXES
        and f.is_file()
        and not any(part.startswith(".") for part in f.relative_to(folder).parts)
    )
