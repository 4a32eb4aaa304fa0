"""Scenario values: what a loaded scenario file is (frozen dataclasses).

The loader builds these from YAML (with the line of every step); the runner, the TUI
player, the recorder and lessons consume them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from phone_sim.network.company import CompanySpec
from phone_sim.network.printable import printable

CALL_STATES = ("calling", "ringing", "waiting", "active", "held", "conference")
PLAIN_STATES = ("idle", "off", "dialing")
TONES = ("ringback", "busy", "waiting", "music", "dial", "none")
# network sources a `hears:` list may name beside party ids (busy and dial are additions)
HEARD_SOURCES = ("music", "ringback", "waiting", "announcement", "prompt", "busy", "dial")

ACTIONS = (
    "dial", "keys", "answer", "reject", "hangup", "hold", "swap", "conference", "transfer",
    "switch_off", "switch_on", "move", "wait", "portal", "expect", "say", "talk", "play",
)
PORTAL_ACTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # do: (required keys, optional keys) besides `as` and `do`
    "set_forwarding": (("line", "type", "to"), ("delay",)),
    "clear_forwarding": (("line",), ("type",)),
    "set_ring_list": (("line", "mode", "numbers"), ("step",)),
    "clear_ring_list": (("line",), ()),
    "grant": (("line", "option"), ()),
    "withdraw": (("line", "option"), ()),
    "create_group": (("id", "number", "name"), (
        "user_code", "admin_code", "queue", "switchover_delay", "inter_call_delay",
        "distribution", "members", "connected")),
    "update_group": (("group",), (
        "number", "name", "user_code", "admin_code", "queue", "switchover_delay",
        "inter_call_delay", "distribution")),
    "delete_group": (("group",), ()),
    "add_member": (("group", "line"), ()),
    "remove_member": (("group", "line"), ()),
    "connect": (("group", "line"), ()),
    "disconnect": (("group", "line"), ()),
    "disconnect_all": (("group",), ()),
}


@dataclass(frozen=True, slots=True)
class Expectation:
    """What must be true of one handset now.

    ``plain`` is idle/off/dialing, or None when ``calls`` is given. ``calls`` maps a call
    state to the party ids in that state (a conference or a held conference lists
    several). An empty ``calls`` with ``plain`` None means "no call" (idle), except in a
    mapping that says only what the handset hears: then the calls are not checked.
    ``hears`` is the ``hears:`` list (party ids and names of HEARD_SOURCES), None when absent.
    """

    plain: str | None = None
    calls: tuple[tuple[str, tuple[str, ...]], ...] = ()
    tone: str | None = None
    display: str | None = None
    forwarded_from: str | None = None
    hears: tuple[str, ...] | None = None
    any_calls: bool = False  # the mapping named no call state but `hears`: calls not checked

    @property
    def heard_voices(self) -> frozenset[str]:
        return frozenset(name for name in self.hears or () if name not in HEARD_SOURCES)

    @property
    def heard_sources(self) -> frozenset[str] | None:
        """The sources the list names; None when it names none (then they are not compared)."""
        named = frozenset(name for name in self.hears or () if name in HEARD_SOURCES)
        return named or None


@dataclass(frozen=True, slots=True)
class Step:
    """One scenario step. ``action`` is a key of ACTIONS; ``args`` depends on it:

    dial: {"from": id, "to": str}            keys: {"party": id, "keys": tuple of keys}
    answer/reject/hangup/hold/swap/conference/transfer/switch_off/switch_on: {"party": id}
    move: {"party": id, "location": str}     wait: {"ms": int}
    portal: {"as": "manager" | id, "do": str, **params}
    expect: {"checks": tuple of (id, Expectation)}
    say: {"from": id, "text": str, "text_en": str}   talk: {"from": id, "ms": int}
    play: {"from": id, "file": absolute path, "ms": the clip's length}
    Keys are "0"-"9", "*", "#", "call", "end", "hold", "conf".
    """

    action: str
    args: dict[str, Any]
    line: int = 0
    fails: str | None = None
    file: str = ""


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    steps: tuple[Step, ...]
    company: CompanySpec
    description: str = ""
    path: str = ""
    xfail: str | None = None  # a reason when the scenario is expected to fail
    extra: dict[str, Any] = field(default_factory=dict)


class ScenarioError(Exception):
    """A file that cannot be loaded: names the file, the line and the rule.

    The text is printable: control characters of a file name or of a value quoted from a
    file are escaped (a message of several errors keeps its line breaks).
    """

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{printable(file)}:{line}: {printable(message, lines=True)}")
        self.file = file
        self.line = line
        self.message = message
