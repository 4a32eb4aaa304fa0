"""The ``phone-sim`` command line (argparse; heavy imports only when a command needs them)."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn


def build_parser() -> argparse.ArgumentParser:
    parser = _global_parser()
    _commands(parser)
    return parser


def _global_parser(add_help: bool = True) -> argparse.ArgumentParser:
    """The options of ``phone-sim`` itself (the TUI), without the commands."""
    parser = (argparse.ArgumentParser if add_help else _GlobalParser)(
        prog="phone-sim",
        description="Simulator of the operator offer 'Option PABX mobile': handsets on one network.",
        add_help=add_help,
    )
    parser.add_argument("--company", metavar="FILE", help="open the TUI on this company file")
    parser.add_argument("--data", metavar="DIR", help="data directory (default: PHONE_SIM_DATA or the user's)")
    parser.add_argument("--lang", choices=["fr", "en"], default=None,
                        help="language (default fr; the TUI and lessons remember the last one chosen)")
    parser.add_argument("--record", metavar="FILE", help="record the TUI session as a scenario file")
    parser.add_argument("--force", action="store_true",
                        help="let --record and --record-audio replace files that already exist")
    parser.add_argument("--record-audio", metavar="DIR", help="write one WAV per handset into DIR")
    parser.add_argument("--sound", choices=["auto", "pyaudio", "wav", "null"], default="auto",
                        help="sound backend (default auto)")
    parser.add_argument("--dtmf-in", metavar="WAV|mic", help="take the selected handset's keys from a WAV or the mic")
    parser.add_argument("--sip", nargs="?", const="127.0.0.1:5060", metavar="ADDR:PORT",
                        help="run the SIP gateway in the TUI: softphones register as lines (default 127.0.0.1:5060)")
    return parser


def _commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="replay scenario files headless (exit 0 pass, 1 fail, 2 invalid)")
    run.add_argument("paths", nargs="*", metavar="PATH", help="scenario files or folders")
    run.add_argument("-v", "--verbose", action="store_true", help="also report expected failures")
    run.add_argument("--cdr", metavar="FILE.csv", help="write every call's detail record to a CSV file")
    run.add_argument("--allow-outside", action="store_true",
                     help="let a scenario's company path lead outside the scenario's folder tree")
    run.add_argument("--verify-audio", action="store_true",
                     help="also render the earpieces and check each hears: against the sound")
    from phone_sim.scenario.run_options import add_report_options

    add_report_options(run)
    _optional_commands(sub)


def _optional_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Commands contributed by other packages, when they are installed."""
    for module_name in ("phone_sim.tui.commands", "phone_sim.audio.cli", "phone_sim.store.cli",
                        "phone_sim.training.cli", "phone_sim.scenario.simulate",
                        "phone_sim.scenario.diagram", "phone_sim.sip.cli"):
        try:
            module = __import__(module_name, fromlist=["add_commands"])
        except ImportError:
            continue
        module.add_commands(sub)


def _sound_check(args: argparse.Namespace) -> Callable[[Any], Any] | None:
    """``--verify-audio``: the check of ``hears`` against the sound (needs numpy)."""
    if not args.verify_audio:
        return None
    try:
        from phone_sim.soundcheck import sound_check_factory
    except ImportError as exc:
        print(f"error: --verify-audio needs the sound extra (pip install 'phone-sim[audio]'): {exc}",
              file=sys.stderr)
        raise SystemExit(2) from exc
    return sound_check_factory()


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)  # whatever phone-sim or a library writes is the user's alone
    # start-up allocates a great many objects that all live on (modules, widgets, styles):
    # the cyclic collector would walk them again and again, a tenth of the TUI's start-up.
    # The TUI turns it back on once its first screen is drawn; commands do at once.
    gc.disable()
    try:
        return _main(argv)
    finally:
        gc.enable()


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line. Without a command (the TUI, the common case) the commands'
    modules are not even imported: the global options alone decide."""
    tokens = list(sys.argv[1:] if argv is None else argv)
    if not {"-h", "--help"} & set(tokens):
        try:
            args, rest = _global_parser(add_help=False).parse_known_args(tokens)
        except _NotForTheTUI:
            rest = ["?"]  # a bad option: the whole parser says what is wrong, with every command
        if not rest:
            args.command = None
            return args
    return build_parser().parse_args(tokens)


class _NotForTheTUI(Exception):
    pass


class _GlobalParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotForTheTUI(message)


def _main(argv: Sequence[str] | None) -> int:
    args = parse(argv)
    if args.command is not None:
        gc.enable()
    if args.command == "run":
        from phone_sim.scenario.run_options import run_command

        return run_command(args, _sound_check(args))
    handler = getattr(args, "handler", None)
    if handler is not None:
        return int(handler(args) or 0)
    try:
        from phone_sim.tui.commands import open_tui
    except ImportError:
        print("The TUI is not installed yet; try `phone-sim run scenarios/`.", file=sys.stderr)
        return 2
    return int(open_tui(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
