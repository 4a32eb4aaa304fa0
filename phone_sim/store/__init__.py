"""Durable storage: the company, portal accounts and audit log in SQLite (SPEC 10).

A layer between the core and the faces: it imports the network (and, to read the demo
company and company files, the YAML loader of ``phone_sim.scenario``), never Textual.
``open_network`` is what a face calls at start when no company file is given. The
package imports its modules lazily so that ``phone-sim --help`` stays quick.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from phone_sim.network.clock import Clock
    from phone_sim.network.switch import Network
    from phone_sim.store.store import Store

__all__ = ["Account", "AuditRow", "Store", "StoreConflict", "StoreError", "data_dir", "database_path",
           "first_run_text", "open_network"]

_LAZY = {
    "Account": "phone_sim.store.accounts",
    "AuditRow": "phone_sim.store.store",
    "Store": "phone_sim.store.store",
    "StoreConflict": "phone_sim.store.store",
    "StoreError": "phone_sim.store.store",
    "data_dir": "phone_sim.store.paths",
    "database_path": "phone_sim.store.paths",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(name)
    return getattr(__import__(module, fromlist=[name]), name)


def first_run_text(passwords: dict[str, str], lang: str = "fr") -> str:
    """The accounts the first run created and their random passwords, said once."""
    from phone_sim.network.catalogue import text
    from phone_sim.store.accounts import DEMO_MANAGER

    width = max(map(len, passwords), default=0)
    rows = "\n".join(f"  {name:<{width}}  {password}  ({text('portal.role.manager' if name == DEMO_MANAGER else 'portal.role.user', lang)})"
                     for name, password in passwords.items())
    return text("store.first_run", lang, accounts=rows)


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr)


def open_network(data: str | os.PathLike[str] | None = None, *, clock: Clock | None = None,
                 lang: str = "fr", announce: Callable[[str], None] = _to_stderr) -> tuple[Network, Store]:
    """Open (or create and seed) the store in ``data`` and build the network on it.

    ``data`` is the ``--data`` directory; without it ``PHONE_SIM_DATA``, then the user's
    data directory. On first run the demo credentials are announced once.
    """
    from phone_sim.store.store import Store

    store = Store.open(data)
    if store.created:
        announce(first_run_text(store.first_passwords, lang))
    return store.build_network(clock), store
