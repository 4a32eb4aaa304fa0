"""Scenario files -> ``Scenario`` values, and the list of files a command line names.

A scenario is a mapping: ``name``, ``description``, ``company`` (inline, or a path relative
to the scenario file), ``steps`` and an optional ``xfail: reason``. Every problem raises a
``ScenarioError`` whose text starts with ``file:line:``; an error inside a company file
names that file.

A company path written in a file must stay inside the scenario's folder tree (``root``):
the folder named on the command line that holds the scenario, else the current folder
when the scenario is below it, else the scenario's own folder. ``allow_outside`` (the
``--allow-outside`` option) lifts that; paths typed on the command line are never limited.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path as FilePath
from typing import Any

from phone_sim.files import inside, is_folder, is_regular, stat_or_none, stat_problem
from phone_sim.network.company import CompanySpec
from phone_sim.network.printable import printable
from phone_sim.scenario.companyfile import company_from_data, load_company
from phone_sim.scenario.model import Scenario, ScenarioError
from phone_sim.scenario.stepparser import parse_steps
from phone_sim.scenario.yamlnodes import (
    Lines,
    Where,
    check_keys,
    kind_name,
    not_ours,
    read_yaml,
    shown,
    text,
    type_name,
    word,
)

SCENARIO_KEYS = ("name", "company", "steps"), ("description", "xfail")
YAML_SUFFIXES = (".yaml", ".yml")


def load_scenario(path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None,
                  allow_outside: bool = False) -> Scenario:
    """Load one scenario file; a company given by path is read relative to it, inside
    ``root`` (by default ``default_root(path)``) unless ``allow_outside``."""
    data, lines = read_yaml(path, "scenario file")
    limit = None if allow_outside else FilePath(root) if root is not None else default_root(path)
    scenario = scenario_from_data(data, str(path), lines, base=FilePath(path).parent, root=limit)
    lines.release()  # an alias bomb, once the file's other errors are reported
    return scenario


def default_root(path: str | os.PathLike[str]) -> FilePath:
    """The current folder when ``path`` is below it, else the file's own folder."""
    here = FilePath.cwd()
    return here if inside(FilePath(path), here) else FilePath(path).parent


def root_of(path: str | os.PathLike[str], named: Iterable[str | os.PathLike[str]]) -> FilePath:
    """The folder named on the command line that holds ``path``, else ``default_root``."""
    for raw in named:
        if is_folder(raw) and inside(FilePath(path), FilePath(raw)):
            return FilePath(raw)
    return default_root(path)


def scenario_from_data(
    data: Any, file: str = "<scenario>", lines: Lines | None = None, base: FilePath | None = None,
    root: FilePath | None = None,
) -> Scenario:
    """Build a scenario from plain data; ``base`` is the folder company paths start from
    and ``root`` the folder they must stay in (None: anywhere)."""
    where = Where(file, lines or Lines())
    if not isinstance(data, dict):
        raise where.error(
            (), f"a scenario file is a mapping with name, company and steps, got {kind_name(data)}"
        )
    if _looks_like_company(data):
        raise where.error((), "is a company file, not a scenario (it has lines and no steps)")
    not_ours(where, data, ("name", "company", "steps"), "a scenario file")
    check_keys(where, data, (), "scenario", *SCENARIO_KEYS)
    company = company_at(where, data["company"], base or FilePath("."), root, "scenario")
    return Scenario(
        name=printable(word(where, data["name"], ("name",), "name")),
        steps=parse_steps(where, data["steps"], company),
        company=company,
        description=_description(where, data.get("description")),
        path=file,
        xfail=_xfail(where, data.get("xfail")),
    )


def company_at(where: Where, value: Any, base: FilePath, root: FilePath | None, owner: str) -> CompanySpec:
    """``company:`` of a scenario or a lesson: inline, or a company file inside ``root``."""
    if isinstance(value, dict):
        return company_from_data(value, where.file, where.lines.under(("company",)))
    if not isinstance(value, str) or not value.strip():
        raise where.error(
            ("company",), f"company must be a mapping or the path of a company file, got {type_name(value)}"
        )
    path = base / value
    if stat_or_none(path) is None:
        problem = stat_problem(path, "company file")
        if problem is None or "not found" in problem:
            problem = f"company file {shown(value)} not found (looked for {path})"
        raise where.error(("company",), problem)
    if root is not None and not inside(path, root):
        raise where.error(("company",), f"company file {shown(value)} is outside the {owner}'s folder tree "
                                        f"({root}): keep it inside, or run with --allow-outside")
    return load_company(path)


def _description(where: Where, value: Any) -> str:
    return "" if value is None else printable(text(where, value, ("description",), "description").strip(), lines=True)


def _xfail(where: Where, value: Any) -> str | None:
    """``xfail: "reason"`` (or ``true``): the scenario is expected to fail."""
    if value is None or value is False:
        return None
    if value is True:
        return "expected to fail"
    return printable(word(where, value, ("xfail",), "xfail"))


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
        if is_folder(path):
            found.extend(f for f in _yaml_files(path) if not is_company_file(f))
        elif stat_or_none(path) is not None:  # the loader says what is wrong with a FIFO or a device
            if is_company_file(path):
                raise ScenarioError(str(path), 1, "is a company file, not a scenario")
            found.append(path)
        else:
            problem = stat_problem(path, "file or folder")
            raise ScenarioError(str(path), 0, "no such file or folder" if problem is None or "not found" in problem
                                else problem)
    return list(dict.fromkeys(found))


def _yaml_files(folder: FilePath) -> list[FilePath]:
    return sorted(
        f
        for f in folder.rglob("*")
        if f.suffix in YAML_SUFFIXES
        and is_regular(f)
        and not any(part.startswith(".") for part in f.relative_to(folder).parts)
    )
