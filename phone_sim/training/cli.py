"""``phone-sim lessons``: play lessons in the TUI, check lesson files, the trainer's report.

    phone-sim lessons [--from PATH]... [--trainee NAME]   pick a lesson and play it
    phone-sim lessons check PATH...                       validate, then play the solutions headless
    phone-sim lessons report [--csv] [--trainee NAME]     the trainees' results
    phone-sim lessons list [--from PATH]...               the lessons found

``check`` exits 2 when a file is invalid (``file:line`` messages, nothing is played), 1
when a lesson's solution does not complete it, 0 when every lesson passed. Imported on
every run of ``phone-sim``: nothing heavy at the top.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lessons = subparsers.add_parser("lessons", help="guided lessons: play, check a lesson file, report")
    _common(lessons)
    lessons.add_argument("--from", dest="sources", action="append", metavar="PATH",
                         help="lesson files or folders (default: the bundled lessons); repeatable")
    lessons.add_argument("--trainee", metavar="NAME", help="the trainee's name (asked when not given)")
    _allow_outside(lessons)
    lessons.set_defaults(handler=run_tui)
    sub = lessons.add_subparsers(dest="lessons_command", metavar="COMMAND")
    check = sub.add_parser("check", help="validate lesson files and play their solutions headless "
                                         "(exit 0 pass, 1 fail, 2 invalid)")
    check.add_argument("paths", nargs="+", metavar="PATH", help="lesson files or folders")
    _allow_outside(check)
    check.set_defaults(handler=run_check)
    report = sub.add_parser("report", help="the trainees' results")
    _common(report)
    report.add_argument("--csv", action="store_true", help="CSV on standard output, one line per goal")
    report.add_argument("--trainee", metavar="NAME", help="only this trainee")
    report.set_defaults(handler=run_report)
    listing = sub.add_parser("list", help="the lessons found")
    listing.add_argument("--from", dest="sources", action="append", metavar="PATH",
                         help="lesson files or folders (default: the bundled lessons)")
    _common(listing)
    listing.set_defaults(handler=run_list)


def _allow_outside(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-outside", action="store_true", default=argparse.SUPPRESS,
                        help="let a lesson's company path lead outside the lesson's folder tree")


def _common(parser: argparse.ArgumentParser) -> None:
    """``--data`` and ``--lang`` after the command too (SUPPRESS keeps the global value)."""
    parser.add_argument("--data", metavar="DIR", default=argparse.SUPPRESS,
                        help="data directory (default: PHONE_SIM_DATA or the user's)")
    parser.add_argument("--lang", choices=["fr", "en"], default=argparse.SUPPRESS, help="language")


def run_check(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    from phone_sim.network.printable import printable
    from phone_sim.scenario.loader import load_paths, root_of
    from phone_sim.scenario.model import ScenarioError
    from phone_sim.training.check import check_lesson
    from phone_sim.training.loader import load_lesson

    try:
        files = load_paths(args.paths)
    except ScenarioError as exc:
        print(f"error: {exc}", file=err)
        return 2
    if not files:
        print("error: no lesson file found in " + printable(", ".join(args.paths)), file=err)
        return 2
    lessons, invalid = [], False
    for file in files:
        try:
            lessons.append(load_lesson(file, root_of(file, args.paths), getattr(args, "allow_outside", False)))
        except ScenarioError as exc:
            print(f"error: {exc}", file=err)
            invalid = True
    if invalid:
        return 2
    failed = 0
    for lesson in lessons:
        result = check_lesson(lesson)
        print(f"{'PASS' if result.ok else 'FAIL'} {printable(lesson.path)}  {lesson.title.en} "
              f"({len(lesson.goals)} goals)", file=out)
        if not result.ok:
            failed += 1
            print(printable(result.report(), lines=True), file=out)
    print(f"\n{len(lessons) - failed} passed, {failed} failed", file=out)
    return 1 if failed else 0


def run_report(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    from phone_sim.network.catalogue import text
    from phone_sim.network.printable import printable
    from phone_sim.training.progress import Progress

    progress = Progress.open(getattr(args, "data", None))
    try:
        if args.csv:
            progress.write_csv(out, args.trainee)
            return 0
        lang = getattr(args, "lang", "fr") or "fr"
        runs = progress.runs(args.trainee)
        if not runs:
            print(text("lesson.report.empty", lang), file=out)
            return 0
        for row in runs:
            state = text("lesson.report.completed" if row["completed"] else "lesson.report.unfinished", lang)
            print(f"{row['started']}  {printable(row['trainee']):<16} {printable(row['title']):<40} {state:<10} "
                  f"{row['goals_done']}/{row['goals']}  {row['virtual_ms'] / 1000:>6.0f} s  "
                  f"{text('lesson.report.hints', lang)} {row['hints']}  "
                  f"{text('lesson.report.refusals', lang)} {row['refusals']}", file=out)
        return 0
    finally:
        progress.close()


def run_list(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    from phone_sim.network.printable import printable
    from phone_sim.scenario.model import ScenarioError
    from phone_sim.training.loader import load_lessons

    lang = getattr(args, "lang", "fr") or "fr"
    try:
        lessons = load_lessons(args.sources)
    except ScenarioError as exc:
        print(f"error: {exc}", file=err)
        return 2
    for lesson in lessons:
        print(f"{printable(lesson.id):<36} {lesson.title.get(lang)}  ({len(lesson.goals)})", file=out)
    return 0


def run_tui(args: argparse.Namespace) -> int:
    from phone_sim.scenario.model import ScenarioError
    from phone_sim.training.loader import load_lessons

    try:
        lessons = load_lessons(args.sources, getattr(args, "allow_outside", False))
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not lessons:
        print("error: no lesson found", file=sys.stderr)
        return 2
    from phone_sim.tui.commands import remembered_lang
    from phone_sim.tui.lessons.app import LessonApp

    remembered_lang(args)
    app = LessonApp(lessons, lang=args.lang, trainee=args.trainee,
                    data=getattr(args, "data", None) or os.environ.get("PHONE_SIM_DATA"),
                    sound=getattr(args, "sound", None), record_audio=getattr(args, "record_audio", None))
    app.run()
    return 0
