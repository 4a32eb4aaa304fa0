"""``phone-sim sip``: the SIP gateway, headless, in real time (scenario-format.md, SPEC 13).

Runs the stored company (or ``--company FILE``), listens on UDP and TCP (127.0.0.1:5060
unless ``--listen`` says otherwise; any other address prints a warning), prints one line
per SIP transaction and per network event, and stops cleanly on Ctrl+C or SIGTERM
(BYE to the calls in progress, CANCEL to the ringing ones). Exit 2 on an invalid company
file, a bad address or an address in use.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import TYPE_CHECKING, Any

from phone_sim.network.catalogue import text

if TYPE_CHECKING:
    from phone_sim.sip.gateway import Gateway

DEFAULT_LISTEN = "127.0.0.1:5060"


def add_commands(sub: Any) -> None:
    sip = sub.add_parser("sip", help="the SIP gateway: real softphones register as company lines (headless)")
    sip.add_argument("--company", dest="sip_company", metavar="FILE", help="run this company file instead of the store")
    sip.add_argument("--listen", metavar="ADDR:PORT", default=DEFAULT_LISTEN,
                     help=f"address for UDP and TCP (default {DEFAULT_LISTEN}; port 0: a free one)")
    sip.add_argument("--digest", choices=["md5", "sha256", "both"], default="md5",
                     help="digest algorithms offered (default md5: what Debian's SIPp and baresip accept)")
    sip.set_defaults(handler=run_sip)


def parse_listen(value: str) -> tuple[str, int]:
    """``ADDR:PORT``, ``ADDR``, ``:PORT`` or ``[v6]:PORT`` -> (host, port); ValueError if bad."""
    value = value.strip()
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    elif value.count(":") == 1:
        host, _, port_text = value.partition(":")
    else:
        host, port_text = value, ""
    host = host or "127.0.0.1"
    port = int(port_text) if port_text else 5060
    if not 0 <= port <= 65535:
        raise ValueError(f"port {port} out of range")
    import ipaddress

    if host != "localhost":
        ipaddress.ip_address(host)
    return ("127.0.0.1" if host == "localhost" else host), port


def run_sip(args: argparse.Namespace) -> int:
    lang = str(getattr(args, "lang", "fr") or "fr")
    try:
        host, port = parse_listen(args.listen)
    except ValueError as error:
        print(f"{text('sip.bad_listen', lang)}: {args.listen}: {error}", file=sys.stderr)
        return 2
    built = _network(args, lang)
    if isinstance(built, int):
        return built
    net, credentials, store = built
    from phone_sim.sip import digest
    from phone_sim.sip.gateway import Gateway, GatewayError, Options, is_loopback

    if not is_loopback(host):
        print(text("sip.not_loopback", lang, host=host), file=sys.stderr)
    options = Options(host, port, digest.parse_algorithms(args.digest), lang)
    gateway = Gateway(net, credentials, options, transaction_log=lambda line: print(line, flush=True))
    try:
        return asyncio.run(_serve(gateway, lang))
    except GatewayError as error:
        print(f"{text('sip.cannot_listen', lang)}: {error}", file=sys.stderr)
        return 2
    finally:
        if store is not None:
            store.close()


def _network(args: argparse.Namespace, lang: str) -> tuple[Any, Any, Any] | int:
    """(network, credentials, store or None), or the exit code after an error."""
    from phone_sim.network.switch import Network
    from phone_sim.scenario.model import ScenarioError

    if args.sip_company:
        from phone_sim.scenario.companyfile import load_company
        from phone_sim.sip.auth import FileCredentials

        try:
            spec = load_company(args.sip_company)
        except ScenarioError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        return Network(spec), FileCredentials(spec.lines), None
    import sqlite3

    from phone_sim.store import open_network
    from phone_sim.store.db import SyncSettingError
    from phone_sim.store.schema import SchemaError

    try:
        net, store = open_network(getattr(args, "data", None), lang=lang)
    except (OSError, sqlite3.Error, SchemaError, SyncSettingError) as error:  # an unusable data folder
        print(f"{text('store.error', lang)}: {error}", file=sys.stderr)
        return 2
    return net, store.sip, store


async def _serve(gateway: Gateway, lang: str) -> int:
    await gateway.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    lines = ", ".join(sorted(line for line, locked in gateway.auth.credentials.lines().items() if not locked))
    print(text("sip.listening", lang, host=gateway.host, port=gateway.port,
               algorithms=", ".join(gateway.options.algorithms), lines=lines or "-"), flush=True)
    try:
        await stop.wait()
    finally:
        print(text("sip.stopping", lang), flush=True)
        await gateway.stop()
    return 0
