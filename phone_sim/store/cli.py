"""``phone-sim company export|import FILE.yaml`` and ``phone-sim account ...``.

Import is validated by the company-file loader (errors name the file and line) and then
written in one transaction: a file with any error is refused whole, nothing half-imported.
Passwords are read without echo (``getpass``) or, with ``--stdin``, from one line of
standard input (for scripts); they are never printed.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from phone_sim.network.catalogue import text

if TYPE_CHECKING:
    from phone_sim.network.refusal import Refused
    from phone_sim.store.store import Store


def add_commands(sub: Any) -> None:
    company = sub.add_parser("company", help="export or import the stored company (YAML)")
    company_sub = company.add_subparsers(dest="company_command", metavar="ACTION", required=True)
    export = company_sub.add_parser("export", help="write the stored company to FILE.yaml ('-' for stdout)")
    export.add_argument("file", metavar="FILE.yaml")
    export.set_defaults(handler=export_company)
    imp = company_sub.add_parser("import", help="replace the stored company by FILE.yaml (validated)")
    imp.add_argument("file", metavar="FILE.yaml")
    imp.set_defaults(handler=import_company)
    check = company_sub.add_parser("check", help="validate FILE.yaml as import and --company do "
                                                 "(exit 0 valid, 2 invalid); nothing is stored")
    check.add_argument("file", metavar="FILE.yaml")
    check.set_defaults(handler=check_company)

    account = sub.add_parser("account", help="portal accounts: list, set a password, add a manager")
    account_sub = account.add_subparsers(dest="account_command", metavar="ACTION", required=True)
    listing = account_sub.add_parser("list", help="list the portal accounts")
    listing.set_defaults(handler=list_accounts)
    for name, helptext, handler in (
        ("set-password", "change the password of account NAME", set_password),
        ("add-manager", "create a fleet-manager account NAME", add_manager),
    ):
        cmd = account_sub.add_parser(name, help=helptext)
        cmd.add_argument("name", metavar="NAME")
        cmd.add_argument("--stdin", action="store_true", help="read the password from one line of stdin")
        cmd.set_defaults(handler=handler)
    reset = account_sub.add_parser("reset-password", help="give account NAME a new random password, "
                                                          "printed once (and lift any lock)")
    reset.add_argument("name", metavar="NAME")
    reset.set_defaults(handler=reset_password)
    sip = account_sub.add_parser("set-sip-secret", help="let a SIP device register as line LINE with a secret")
    sip.add_argument("name", metavar="LINE", help="the line's id, number or short number")
    sip.add_argument("--stdin", action="store_true", help="read the secret from one line of stdin")
    sip.add_argument("--remove", action="store_true", help="remove the line's SIP secret (no device may register)")
    sip.set_defaults(handler=set_sip_secret)


def _open(args: argparse.Namespace) -> Store:
    import sqlite3

    from phone_sim.network.printable import printable
    from phone_sim.store import first_run_text
    from phone_sim.store.db import SyncSettingError
    from phone_sim.store.schema import SchemaError
    from phone_sim.store.store import Store

    try:
        store = Store.open(getattr(args, "data", None))
    except (OSError, sqlite3.Error, SchemaError, SyncSettingError) as exc:  # an unusable data folder: say so, exit 2
        print(f"{text('store.error', _lang(args))}: {printable(str(exc))}", file=sys.stderr)
        raise SystemExit(2) from None
    if store.created:
        print(first_run_text(store.first_passwords, _lang(args)), file=sys.stderr)
    return store


def _lang(args: argparse.Namespace) -> str:
    return str(getattr(args, "lang", "fr") or "fr")


def _fail(args: argparse.Namespace, refused: Refused) -> int:
    print(f"{text('store.error', _lang(args))}: {refused.message(_lang(args))} [{refused.reason}]",
          file=sys.stderr)
    return 1


def export_company(args: argparse.Namespace) -> int:
    from phone_sim.scenario.companyfile import dump_company

    store = _open(args)
    try:
        spec = store.company()
    finally:
        store.close()
    data = dump_company(spec)
    if args.file == "-":
        sys.stdout.write(data)
        return 0
    from phone_sim.files import write_private
    from phone_sim.network.printable import printable

    try:
        write_private(args.file, data)
    except OSError as exc:
        print(f"{text('store.error', _lang(args))}: {printable(args.file)}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(text("store.exported", _lang(args), file=printable(args.file)), file=sys.stderr)
    return 0


def check_company(args: argparse.Namespace) -> int:
    from phone_sim.network.printable import printable
    from phone_sim.scenario.companyfile import load_company
    from phone_sim.scenario.model import ScenarioError

    try:
        spec = load_company(args.file)
    except ScenarioError as exc:
        print(f"{text('store.check_refused', _lang(args))}: {exc}", file=sys.stderr)
        return 2
    print(text("store.checked", _lang(args), file=printable(args.file), lines=len(spec.lines),
               groups=len(spec.groups)), file=sys.stderr)
    return 0


def import_company(args: argparse.Namespace) -> int:
    from phone_sim.scenario.companyfile import load_company
    from phone_sim.scenario.model import ScenarioError

    try:
        spec = load_company(args.file)
    except ScenarioError as exc:
        print(f"{text('store.import_refused', _lang(args))}: {exc}", file=sys.stderr)
        return 2
    store = _open(args)
    from phone_sim.store.store import StoreError

    try:
        store.replace_company(spec, who="import")
    except StoreError as exc:
        print(f"{text('store.import_refused', _lang(args))}: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    from phone_sim.network.printable import printable

    print(text("store.imported", _lang(args), file=printable(args.file), lines=len(spec.lines),
               groups=len(spec.groups)),
          file=sys.stderr)
    return 0


def _new_password(args: argparse.Namespace) -> str | None:
    if args.stdin:
        return sys.stdin.readline().rstrip("\r\n")
    lang = _lang(args)
    first = getpass.getpass(text("store.new_password", lang, name=args.name) + " ")
    again = getpass.getpass(text("store.repeat_password", lang) + " ")
    if first != again:
        print(text("store.passwords_differ", lang), file=sys.stderr)
        return None
    return first


def set_password(args: argparse.Namespace) -> int:
    return _with_new_password(args, "set_password", "store.password_changed")


def add_manager(args: argparse.Namespace) -> int:
    return _with_new_password(args, "add_manager", "store.manager_added")


def _with_new_password(args: argparse.Namespace, operation: str, done_key: str) -> int:
    """Ask for a new password, give it to ``accounts.<operation>(name, password)``."""
    store = _open(args)
    try:
        password = _new_password(args)
        if password is None:
            return 1
        refused = getattr(store.accounts, operation)(args.name, password)
    finally:
        store.close()
    if refused is not None:
        return _fail(args, refused)
    print(text(done_key, _lang(args), name=args.name), file=sys.stderr)
    return 0


def set_sip_secret(args: argparse.Namespace) -> int:
    """The line's SIP secret, stored as digest hashes (phone_sim/store/sipsecrets.py)."""
    from phone_sim.network.refusal import Refused

    lang = _lang(args)
    store = _open(args)
    try:
        spec, _ = store.load()
        line = next((line for line in spec.lines if args.name in (line.id, line.number, line.short)), None)
        if line is None:
            return _fail(args, Refused("unknown_line", args.name))
        if args.remove:
            store.sip.remove(line.id)
            print(text("store.sip_secret_removed", lang, name=line.id), file=sys.stderr)
            return 0
        secret = _new_password(args)
        if secret is None:
            return 1
        refused = store.sip.set_secret(line, secret)
    finally:
        store.close()
    if refused is not None:
        return _fail(args, refused)
    print(text("store.sip_secret_set", lang, name=line.id), file=sys.stderr)
    return 0


def reset_password(args: argparse.Namespace) -> int:
    from phone_sim.store.accounts import generate_password

    store = _open(args)
    try:
        password = generate_password()
        refused = store.accounts.set_password(args.name, password)
    finally:
        store.close()
    if refused is not None:
        return _fail(args, refused)
    print(text("store.password_drawn", _lang(args), name=args.name, password=password))
    return 0


def list_accounts(args: argparse.Namespace) -> int:
    from phone_sim.network.printable import printable

    lang = _lang(args)
    store = _open(args)
    try:
        for account, locked, usable in store.accounts.every():
            role = text(f"portal.role.{account.role}", lang)
            state = f"  ({text('account_locked', lang)})" if locked else ""
            state += "" if usable else f"  ({text('store.no_password', lang)})"
            line = f"  {printable(account.line)}" if account.line else ""
            print(f"{printable(account.name):<20} {role}{line}{state}")
        sip_lines = store.sip.lines()
        if sip_lines:
            print(text("store.sip_lines", lang, lines=", ".join(
                f"{line} ({text('sip_locked', lang)})" if locked else line for line, locked in sip_lines.items())))
    finally:
        store.close()
    return 0
