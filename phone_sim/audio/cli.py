"""The sound commands of the command line: ``phone-sim dtmf decode FILE.wav``.

Owns only argument wiring and exit codes; the work is in ``dtmf``. The main CLI adds
these commands with ``add_commands(subparsers)`` and runs ``args.handler(args)``, which
returns the exit code. ``python -m phone_sim.audio.cli`` runs them on their own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK = 0
EXIT_INVALID = 2


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``dtmf decode`` to a parser's subcommands."""
    dtmf = subparsers.add_parser("dtmf", help="DTMF tools", description="DTMF tools.")
    actions = dtmf.add_subparsers(dest="dtmf_action", metavar="ACTION", required=True)
    decode = actions.add_parser(
        "decode",
        help="print the keys heard in a WAV file",
        description="Print the DTMF keys heard in a PCM WAV file (any rate from 8 kHz).",
    )
    decode.add_argument("file", metavar="FILE.wav", type=Path)
    decode.add_argument(
        "--times", action="store_true", help="one line per key: its start in ms, then the key"
    )
    decode.set_defaults(handler=run_decode)


def run_decode(args: argparse.Namespace) -> int:
    """Print the keys (one line, or one line per key with ``--times``); 2 on a bad file."""
    # imported here: numpy takes 0.2 s, and every `phone-sim` start builds this parser
    from phone_sim.audio.dtmf import dtmf_keys_from_wav
    from phone_sim.audio.wavio import WavError

    try:
        keys = list(dtmf_keys_from_wav(args.file))
    except WavError as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return EXIT_INVALID
    if args.times:
        for time_ms, key in keys:
            print(f"{time_ms}\t{key}")
    else:
        print("".join(key for _, key in keys))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="phone-sim")
    add_commands(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    args = parser.parse_args(argv)
    result: int = args.handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
