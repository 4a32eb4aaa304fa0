"""Lesson files -> ``Lesson`` values, with ``file:line`` errors (``ScenarioError``).

A lesson reuses the scenario vocabulary: the company (inline or a path relative to the
lesson file) is read by ``phone_sim.scenario.companyfile``; ``setup``, cues and solutions
are scenario steps parsed by ``phone_sim.scenario.stepparser.parse_steps``; a goal's
``expect`` is a scenario ``expect`` step. ``parse_steps`` locates its errors under the
path ``("steps", i)``: ``_rebased`` gives it a line index where that path points at the
lesson's own list, so every error still names the lesson file and the right line.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from importlib import resources
from pathlib import Path as FilePath
from typing import Any

from phone_sim.network.catalogue import REASONS
from phone_sim.network.company import FORWARDING_TYPES, RING_MODES, CompanySpec
from phone_sim.network.printable import printable
from phone_sim.scenario.loader import company_at, default_root, load_paths, root_of
from phone_sim.scenario.model import ScenarioError, Step
from phone_sim.scenario.stepparser import parse_steps
from phone_sim.scenario.yamlnodes import (
    Lines,
    Path,
    Where,
    check_keys,
    did_you_mean,
    kind_name,
    mapping,
    not_ours,
    read_yaml,
    sequence,
    shown,
    text,
    whole,
    word,
)
from phone_sim.training.model import Checks, Cue, Goal, Lesson, RingListCheck, Settings, Text

LESSON_KEYS = ("title", "usage", "company", "trainee", "goals"), ("setup", "done", "handsets")
GOAL_KEYS = ("instruction", "hint", "solution"), ("id", "expect", "settings", "refused", "cue")
SETTINGS_KEYS = ("forwarding", "ring_list", "connected")
SCRIPTED_ONLY = ("expect",)  # what setup and cue steps may not do
TRAINEE_PARTY_KEYS = ("party", "from")


def bundled_folder() -> FilePath:
    """The lessons shipped with phone-sim."""
    return FilePath(str(resources.files("phone_sim.training") / "lessons"))


def load_lessons(paths: Iterable[str | os.PathLike[str]] | None = None, allow_outside: bool = False) -> list[Lesson]:
    """Every lesson that ``paths`` name (files or folders), the bundled ones by default.

    A lesson's company file stays inside the folder named (see ``scenario.loader``)."""
    named = [bundled_folder()] if paths is None else list(paths)
    files = load_paths(named)
    return [load_lesson(f, root_of(f, named), allow_outside) for f in files]


def load_lesson(path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None,
                allow_outside: bool = False) -> Lesson:
    data, lines = read_yaml(path, "lesson file")
    limit = None if allow_outside else FilePath(root) if root is not None else default_root(path)
    lesson = lesson_from_data(data, str(path), lines, base=FilePath(path).parent,
                              ident=FilePath(path).stem, root=limit)
    lines.release()  # an alias bomb, once the file's other errors are reported
    return lesson


def lesson_from_data(data: Any, file: str = "<lesson>", lines: Lines | None = None,
                     base: FilePath | None = None, ident: str = "lesson", root: FilePath | None = None) -> Lesson:
    where = Where(file, lines or Lines())
    if not isinstance(data, dict):
        raise where.error((), f"a lesson file is a mapping with title, usage, company, trainee and goals, "
                              f"got {kind_name(data)}")
    if "steps" in data and "goals" not in data:
        raise where.error((), "is a scenario (it has steps), not a lesson (a lesson has goals)")
    not_ours(where, data, LESSON_KEYS[0], "a lesson file")
    check_keys(where, data, (), "lesson", *LESSON_KEYS)
    company = company_at(where, data["company"], base or FilePath("."), root, "lesson")
    trainee = _trainee(where, data["trainee"], company)
    setup = _steps(where, data.get("setup"), company, ("setup",), "setup", optional=True)
    _scripted(where, setup, "setup")
    items = sequence(where, data["goals"], ("goals",), "goals")
    if not items:
        raise where.error(("goals",), "goals is empty: a lesson needs at least one goal")
    goals = tuple(_goal(where, item, ("goals", i), company, trainee) for i, item in enumerate(items))
    lesson = Lesson(
        id=ident,
        title=bilingual(where, data["title"], ("title",), "title"),
        usage=bilingual(where, data["usage"], ("usage",), "usage"),
        company=company,
        trainee=trainee,
        goals=goals,
        setup=setup,
        done=bilingual(where, data["done"], ("done",), "done") if data.get("done") is not None else None,
        path=file,
    )
    cast = _handsets(where, data.get("handsets"), company, trainee) or _cast(lesson)
    return replace(lesson, cast=cast)


# -- pieces ---------------------------------------------------------------------------


def bilingual(where: Where, value: Any, path: Path, what: str) -> Text:
    """``{fr: ..., en: ...}``: every text of a lesson exists in both languages."""
    data = mapping(where, value, path, what)
    check_keys(where, data, path, what, ("fr", "en"))
    fr = word(where, data["fr"], path + ("fr",), f"{what} (fr)")
    en = word(where, data["en"], path + ("en",), f"{what} (en)")
    return Text(printable(" ".join(fr.split())), printable(" ".join(en.split())))


def _trainee(where: Where, value: Any, company: CompanySpec) -> str:
    ident = word(where, value, ("trainee",), "trainee")
    lines = [line.id for line in company.lines]
    if ident in lines:
        return ident
    if ident in {ext.id for ext in company.externals}:
        raise where.error(("trainee",), f"trainee {ident!r} is an external: the trainee plays a line "
                                        "of the company")
    raise where.error(("trainee",), f"unknown trainee {ident!r}{did_you_mean(ident, lines)}")


def _rebased(where: Where, old: Path, new: Path) -> Where:
    """The same file, with the values under ``old`` seen under ``new``."""
    return Where(where.file, where.lines.moved(old, new))


def _steps(where: Where, value: Any, company: CompanySpec, path: Path, what: str,
           optional: bool = False) -> tuple[Step, ...]:
    if value is None and optional:
        return ()
    items = sequence(where, value, path, what)
    if not items:
        if optional:
            return ()
        raise where.error(path, f"{what} is empty: give at least one step")
    return parse_steps(_rebased(where, path, ("steps",)), items, company)


def _scripted(where: Where, steps: tuple[Step, ...], what: str) -> None:
    for step in steps:
        if step.action in SCRIPTED_ONLY:
            raise ScenarioError(where.file, step.line, f"{what} steps are moves, not checks: "
                                                       f"an {step.action} belongs in a goal")
        if step.fails is not None:
            raise ScenarioError(where.file, step.line, f"{what} steps cannot say 'fails': "
                                                       "a refused scripted move is simply ignored")


def _checks(where: Where, value: Any, company: CompanySpec, path: Path) -> Checks:
    """A scenario ``expect`` mapping, parsed by the scenario step parser."""
    mapping(where, value, path, path[-1] if isinstance(path[-1], str) else "expect")
    (step,) = parse_steps(_rebased(where, path, ("steps", 0, "expect")), [{"expect": value}], company)
    checks: Checks = step.args["checks"]
    return checks


def _goal(where: Where, value: Any, path: Path, company: CompanySpec, trainee: str) -> Goal:
    data = mapping(where, value, path, "a goal")
    check_keys(where, data, path, "goal", *GOAL_KEYS)
    if not any(key in data for key in ("expect", "settings", "refused")):
        raise where.error(path, "a goal needs something to check: expect, settings or refused")
    solution = _steps(where, data["solution"], company, path + ("solution",), "solution")
    _trainee_moves(where, solution, trainee)
    refused = None
    if data.get("refused") is not None:
        refused = word(where, data["refused"], path + ("refused",), "refused")
        if refused not in REASONS:
            raise where.error(path + ("refused",), f"unknown reason code {refused!r}"
                                                   f"{did_you_mean(refused, REASONS)}")
    index = path[-1]
    return Goal(
        id=word(where, data["id"], path + ("id",), "id") if "id" in data else f"goal-{int(index) + 1}",
        instruction=bilingual(where, data["instruction"], path + ("instruction",), "instruction"),
        hint=bilingual(where, data["hint"], path + ("hint",), "hint"),
        solution=solution,
        expect=_checks(where, data["expect"], company, path + ("expect",)) if "expect" in data else (),
        settings=_settings(where, data.get("settings"), company, path + ("settings",)),
        refused=refused,
        cues=_cues(where, data.get("cue"), company, path + ("cue",)),
        line=where.lines.value(path),
    )


def _trainee_moves(where: Where, steps: tuple[Step, ...], trainee: str) -> None:
    """A solution proves the trainee can reach the goal: only the trainee's moves (and
    waiting, and the portal as the trainee or the fleet manager) may appear in it."""
    for step in steps:
        actor = step.args.get("as") if step.action == "portal" else next(
            (step.args[k] for k in TRAINEE_PARTY_KEYS if k in step.args), trainee)
        if actor not in (trainee, "manager"):
            raise ScenarioError(where.file, step.line, f"a solution holds the trainee's moves only: this "
                                                       f"{step.action} is {actor}'s (put it in a cue)")


def _cues(where: Where, value: Any, company: CompanySpec, path: Path) -> tuple[Cue, ...]:
    """Plain steps run when the goal starts; ``{when: EXPECT, do: [steps]}`` items run
    each time their condition becomes true."""
    if value is None:
        return ()
    items = sequence(where, value, path, "cue")
    at_start = [i for i, item in enumerate(items) if not (isinstance(item, dict) and "when" in item)]
    cues: list[Cue] = []
    if at_start:
        steps = tuple(_one_step(where, items[i], company, path + (i,)) for i in at_start)
        cues.append(Cue(steps, (), where.lines.value(path + (at_start[0],))))
    for i, item in enumerate(items):
        if i in at_start:
            continue
        at = path + (i,)
        check_keys(where, item, at, "conditional cue", ("when", "do"))
        when = _checks(where, item["when"], company, at + ("when",))
        steps = _steps(where, item["do"], company, at + ("do",), "do")
        _scripted(where, steps, "cue")
        cues.append(Cue(steps, when, where.lines.value(at)))
    return tuple(cues)


def _one_step(where: Where, item: Any, company: CompanySpec, path: Path) -> Step:
    (step,) = parse_steps(_rebased(where, path, ("steps", 0)), [item], company)
    _scripted(where, (step,), "cue")
    return step


def _settings(where: Where, value: Any, company: CompanySpec, path: Path) -> Settings:
    if value is None:
        return Settings()
    data = mapping(where, value, path, "settings")
    check_keys(where, data, path, "settings", optional=SETTINGS_KEYS)
    lines = {line.id for line in company.lines}
    forwarding: list[tuple[str, str, str | None]] = []
    for line, conditions in mapping(where, data.get("forwarding", {}), path + ("forwarding",),
                                    "forwarding").items():
        at = path + ("forwarding", line)
        _known(where, line, lines, at, "line")
        for condition, number in mapping(where, conditions, at, "forwarding").items():
            if condition not in FORWARDING_TYPES:
                raise where.error(at + (condition,), f"unknown forwarding type {condition!r}"
                                                     f"{did_you_mean(condition, FORWARDING_TYPES)}", key=True)
            forwarding.append((line, condition, _number(where, number, company, at + (condition,))))
    rings: list[tuple[str, RingListCheck | None]] = []
    for line, spec in mapping(where, data.get("ring_list", {}), path + ("ring_list",), "ring_list").items():
        at = path + ("ring_list", line)
        _known(where, line, lines, at, "line")
        rings.append((line, None if spec is None else _ring_list(where, spec, company, at)))
    connected: list[tuple[str, tuple[str, ...]]] = []
    groups = {group.id for group in company.groups}
    for group, members in mapping(where, data.get("connected", {}), path + ("connected",),
                                  "connected").items():
        at = path + ("connected", group)
        _known(where, group, groups, at, "group")
        items = sequence(where, members, at, "connected")
        for i, item in enumerate(items):
            _known(where, item, lines, at + (i,), "line")
        connected.append((group, tuple(items)))
    return Settings(tuple(forwarding), tuple(rings), tuple(connected))


def _ring_list(where: Where, value: Any, company: CompanySpec, at: Path) -> RingListCheck:
    spec = mapping(where, value, at, "ring_list")
    check_keys(where, spec, at, "ring_list", optional=("mode", "numbers", "step"))
    mode = spec.get("mode")
    if mode is not None and mode not in RING_MODES:
        raise where.error(at + ("mode",), f"unknown mode {mode!r}{did_you_mean(mode, RING_MODES)}")
    numbers = None
    if "numbers" in spec:
        items = sequence(where, spec["numbers"], at + ("numbers",), "numbers")
        numbers = tuple(str(_number(where, n, company, at + ("numbers", i))) for i, n in enumerate(items))
    step = whole(where, spec["step"], at + ("step",), "step") if "step" in spec else None
    return RingListCheck(mode, numbers, step)


def _known(where: Where, ident: Any, known: set[str], at: Path, what: str) -> None:
    if not isinstance(ident, str) or ident not in known:
        hint = did_you_mean(ident, known) if isinstance(ident, str) else ""
        raise where.error(at, f"unknown {what} {shown(ident)}{hint}", key=True)


def _number(where: Where, value: Any, company: CompanySpec, at: Path) -> str | None:
    if value is None:
        return None
    raw = text(where, value, at, "number")
    number = company.plan.normalise(raw)
    if number is None:
        raise where.error(at, f"{raw!r} is not a national or international number")
    return number


def _handsets(where: Where, value: Any, company: CompanySpec, trainee: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = sequence(where, value, ("handsets",), "handsets")
    known = {p.id for p in company.lines} | {p.id for p in company.externals}
    for i, item in enumerate(items):
        _known(where, item, known, ("handsets", i), "handset")
    return tuple(dict.fromkeys([trainee, *items]))


def _cast(lesson: Lesson) -> tuple[str, ...]:
    """The trainee, then every handset the lesson names, in the order it names them."""
    company = lesson.company
    by_number = {line.number: line.id for line in company.lines}
    by_number.update({line.short: line.id for line in company.lines if line.short})
    by_number.update({ext.number: ext.id for ext in company.externals})
    found = [lesson.trainee]

    def add_steps(steps: tuple[Step, ...]) -> None:
        for step in steps:
            found.extend(str(step.args[k]) for k in ("party", "from") if k in step.args)
            if step.action == "dial":
                to = step.args["to"]
                found.append(by_number.get(company.plan.normalise(to) or to, to))

    def add_checks(checks: Checks) -> None:
        for ident, exp in checks:
            found.append(ident)
            found.extend(p for _, parties in exp.calls for p in parties)

    add_steps(lesson.setup)
    for goal in lesson.goals:
        for cue in goal.cues:
            add_checks(cue.when)
            add_steps(cue.steps)
        add_checks(goal.expect)
        add_steps(goal.solution)
    parties = {p.id for p in company.lines} | {p.id for p in company.externals}
    return tuple(ident for ident in dict.fromkeys(found) if ident in parties)
