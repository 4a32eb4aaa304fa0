"""``phone-sim`` (the TUI), ``phone-sim play FILE.yaml`` and ``phone-sim serve``.

Imported by the CLI on every run to add its subcommands, so nothing heavy is imported at
the top: Textual comes in only when the TUI opens. A company or scenario file that does
not load prints its ``file:line`` message and exits 2 before any screen opens.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from phone_sim.network.company import CompanySpec

TIMES: dict[str, float] = {}  # startup instants for bench/tui.py


def mark(name: str) -> None:
    """A start-up instant for bench/tui.py: wall clock, and the process's CPU time so far."""
    TIMES[name] = time.time()
    TIMES["cpu:" + name] = time.process_time()
DEMO_COMPANY = "demo_company.yaml"


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    play = subparsers.add_parser("play", help="replay one scenario inside the TUI, visibly (pause, step, speed)")
    play.add_argument("file", metavar="FILE.yaml", help="the scenario file")
    play.add_argument("--paused", action="store_true", help="start paused (n steps, space plays)")
    play.add_argument("--allow-outside", action="store_true",
                      help="let the scenario's company path lead outside its folder tree")
    play.set_defaults(handler=run_play)
    serve = subparsers.add_parser("serve", help="serve the TUI in a web browser on 127.0.0.1 (textual-serve)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; any other needs the token, as always)")
    serve.add_argument("--max-sessions", type=int, default=4, metavar="N",
                       help="browsers served at once (default 4); each runs its own simulator")
    serve.set_defaults(handler=run_serve)


def load_company_or_demo(path: str | None) -> CompanySpec:
    """The company file given, else the built-in demo company (raises ScenarioError)."""
    from importlib import resources

    from phone_sim.scenario.companyfile import load_company

    if path:
        return load_company(path)
    with resources.as_file(resources.files("phone_sim.data") / DEMO_COMPANY) as demo:
        return load_company(demo)


def remembered_lang(args: argparse.Namespace) -> None:
    """``--lang`` when given (remembered for next time), else the last language chosen."""
    from phone_sim.tui.errors import data_dir
    from phone_sim.tui.prefs import chosen_lang

    args.lang = chosen_lang(getattr(args, "lang", None), data_dir(getattr(args, "data", None)))


def open_tui(args: argparse.Namespace) -> int:
    """``phone-sim`` with the global options: open the phones screen."""
    mark("entered")
    remembered_lang(args)
    from phone_sim.scenario.model import ScenarioError

    if getattr(args, "company", None):
        try:
            company = load_company_or_demo(args.company)
        except ScenarioError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        return _run_app(args, company)
    return _run_app(args, *_stored_company(args))


def _stored_company(args: argparse.Namespace) -> tuple[CompanySpec, dict[str, Any]]:
    """The company of the store in the data folder (seeded with the demo on first run).

    Without the store package, or if the database cannot be opened, the demo company runs
    in memory and the log says why.
    """
    notes: list[str] = []
    lang = getattr(args, "lang", "fr") or "fr"
    try:
        from phone_sim.network.snapshot import snapshot
        from phone_sim.store import open_network

        net, store = open_network(getattr(args, "data", None), lang=lang, announce=notes.append)
        mark("store")
    except ImportError:
        return load_company_or_demo(None), {}
    except Exception as error:  # a broken or locked database must not stop the simulator
        from phone_sim.network.catalogue import text

        notes.append(text("tui.store.unavailable", lang, error=error))
        return load_company_or_demo(None), {"notes": notes}
    return snapshot(net), {"net": net, "store": store, "notes": notes}


def run_play(args: argparse.Namespace) -> int:
    """``phone-sim play FILE.yaml``."""
    mark("entered")
    remembered_lang(args)
    from phone_sim.scenario.loader import load_scenario
    from phone_sim.scenario.model import ScenarioError

    try:
        scenario = load_scenario(args.file, allow_outside=args.allow_outside)
    except ScenarioError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    _run_app(args, scenario.company, scenario=scenario, realtime=not args.paused)
    return 0


def _run_app(args: argparse.Namespace, company: CompanySpec, extra: dict[str, Any] | None = None,
             **more: Any) -> int:
    from phone_sim.tui.app import PhoneSimApp

    mark("imported")
    app = PhoneSimApp(
        company,
        lang=getattr(args, "lang", "fr") or "fr",
        record=getattr(args, "record", None),
        force=bool(getattr(args, "force", False)),
        data=getattr(args, "data", None),
        sound=getattr(args, "sound", None) or "auto",
        record_audio=getattr(args, "record_audio", None),
        dtmf_in=getattr(args, "dtmf_in", None),
        sip=getattr(args, "sip", None),
        **(extra or {}),
        **more,
    )
    try:
        result = app.run()
    finally:
        app.finish()
    return int(result or app.return_code or 0)


def run_serve(args: argparse.Namespace) -> int:
    """``phone-sim serve [--port N]``: the same TUI in a browser, one process per visitor,
    behind an access token and an origin check (``phone_sim.tui.serve``)."""
    from phone_sim.tui.serve import GuardedServer

    lang = getattr(args, "lang", "fr") or "fr"
    if not getattr(args, "company", None):
        _create_store_here(args, lang)
    command = [sys.executable, "-m", "phone_sim"] + _global_options(args)
    server = GuardedServer(" ".join(_quote(part) for part in command), host=args.host, port=args.port,
                           title="phone-sim", max_sessions=args.max_sessions, lang=lang)
    try:
        server.serve()
    except OSError as error:  # the port is taken, the address is not ours...
        print(f"error: {args.host}:{args.port}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0


def _create_store_here(args: argparse.Namespace, lang: str) -> None:
    """The first run happens in the server, so its passwords are printed on its console,
    not in the first visitor's browser."""
    try:
        from phone_sim.store import first_run_text
        from phone_sim.store.store import Store

        store = Store.open(getattr(args, "data", None))
    except Exception as error:  # the browsers' simulators will say it again, in the TUI
        print(f"warning: {error}", file=sys.stderr)
        return
    try:
        if store.created:
            print(first_run_text(store.first_passwords, lang), flush=True)
    finally:
        store.close()


def _global_options(args: argparse.Namespace) -> list[str]:
    """The options given to ``serve`` that the served TUI should get too."""
    options = []
    for name in ("company", "data"):
        value = getattr(args, name, None)
        if value:
            options += [f"--{name}", os.path.abspath(value)]
    if getattr(args, "lang", "fr") == "en":
        options += ["--lang", "en"]
    sound = getattr(args, "sound", None)
    # the browser cannot hear the server's speakers: silent unless asked otherwise
    options += ["--sound", sound if sound not in (None, "auto") else "null"]
    return options


def _quote(part: str) -> str:
    import shlex

    return shlex.quote(part)
