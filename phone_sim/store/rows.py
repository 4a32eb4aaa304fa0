"""A company's configuration <-> rows of the current schema (``schema.LATEST``).

``write_company`` writes a whole configuration inside the caller's transaction (seeding,
``company import``); lines are upserted, not deleted and re-inserted, so the accounts that
point at them stay. ``write_rows`` writes what one portal change touches (one line's
settings, or one group and its members), so a change costs the same in a company of any
size; it leaves exactly the rows ``write_company`` would have left.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from typing import Any

from phone_sim.network.collector import collector_paused
from phone_sim.network.company import (
    DEFAULT_NO_ANSWER_DELAY,
    FORWARDING_TYPES,
    CompanySpec,
    ExternalSpec,
    Forwarding,
    GroupSpec,
    LineSpec,
    RingList,
)
from phone_sim.network.numbering import NumberingPlan
from phone_sim.network.writes import GroupRows, LineRows, Rows

CallWaiting = dict[str, bool]
Parked = dict[str, dict[str, str]]  # line -> condition -> registered but inactive destination


@dataclasses.dataclass(frozen=True, slots=True)
class LiveSettings:
    """What a line keeps beyond ``CompanySpec``: call waiting and parked forwarding."""

    call_waiting: CallWaiting = dataclasses.field(default_factory=dict)
    parked: Parked = dataclasses.field(default_factory=dict)


def plan_to_json(plan: NumberingPlan) -> str:
    return json.dumps(dataclasses.asdict(plan), sort_keys=True)


def plan_from_json(text: str) -> NumberingPlan:
    data = json.loads(text)
    fields = {f.name for f in dataclasses.fields(NumberingPlan)}
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in fields}
    return NumberingPlan(**values)


# ---------------------------------------------------------------------- reading
def read_company(conn: sqlite3.Connection) -> tuple[CompanySpec, LiveSettings]:
    with collector_paused():  # a value per line and per option: nothing in a cycle
        return _read_company(conn)


def _read_company(conn: sqlite3.Connection) -> tuple[CompanySpec, LiveSettings]:
    name, plan_text = conn.execute("SELECT name, plan FROM company WHERE id = 1").fetchone()
    options: dict[str, set[str]] = {}
    for line_id, option in conn.execute("SELECT line_id, option FROM line_options"):
        options.setdefault(line_id, set()).add(option)
    lines = []
    waiting: CallWaiting = {}
    for ident, line_name, number, short, kind, call_waiting in conn.execute(
        "SELECT id, name, number, short, kind, call_waiting FROM lines ORDER BY position"
    ):
        lines.append(LineSpec(ident, line_name, number, short, kind, frozenset(options.get(ident, ()))))
        waiting[ident] = bool(call_waiting)
    externals = tuple(
        ExternalSpec(*row)
        for row in conn.execute("SELECT id, name, number FROM externals ORDER BY position")
    )
    spec = CompanySpec(
        name=name,
        lines=tuple(lines),
        externals=externals,
        groups=_read_groups(conn),
        forwarding=_read_forwarding(conn),
        incoming=_read_ring_lists(conn),
        plan=plan_from_json(plan_text),
    )
    parked: Parked = {}
    for line_id, condition, number in conn.execute("SELECT line_id, condition, number FROM parked_forwarding"):
        parked.setdefault(line_id, {})[condition] = number
    return spec, LiveSettings(waiting, parked)


def _read_forwarding(conn: sqlite3.Connection) -> dict[str, Forwarding]:
    rows = conn.execute(
        "SELECT line_id, unconditional, busy, no_answer, unreachable, delay FROM forwarding"
        " JOIN lines ON lines.id = forwarding.line_id ORDER BY lines.position"
    )
    return {row[0]: Forwarding(*row[1:]) for row in rows}


def _read_ring_lists(conn: sqlite3.Connection) -> dict[str, RingList]:
    numbers: dict[str, list[str]] = {}
    for line_id, number in conn.execute("SELECT line_id, number FROM ring_numbers ORDER BY line_id, position"):
        numbers.setdefault(line_id, []).append(number)
    rows = conn.execute(
        "SELECT line_id, mode, step FROM ring_lists JOIN lines ON lines.id = ring_lists.line_id"
        " ORDER BY lines.position"
    )
    return {line_id: RingList(mode, tuple(numbers.get(line_id, ())), step) for line_id, mode, step in rows}


def _read_groups(conn: sqlite3.Connection) -> tuple[GroupSpec, ...]:
    members: dict[str, list[tuple[str, bool]]] = {}
    for group_id, line_id, connected in conn.execute(
        "SELECT group_id, line_id, connected FROM group_members ORDER BY group_id, position"
    ):
        members.setdefault(group_id, []).append((line_id, bool(connected)))
    groups = []
    for ident, number, name, user_code, admin_code, queue, switchover, inter_call, distribution in conn.execute(
        "SELECT id, number, name, user_code, admin_code, queue, switchover_delay, inter_call_delay,"
        " distribution FROM groups ORDER BY position"
    ):
        listed = members.get(ident, [])
        groups.append(GroupSpec(ident, number, name, user_code, admin_code, queue, switchover, inter_call,
                                distribution, tuple(m for m, _ in listed), tuple(m for m, on in listed if on)))
    return tuple(groups)


# ---------------------------------------------------------------------- writing
def write_company(conn: sqlite3.Connection, spec: CompanySpec, live: LiveSettings) -> None:
    """Make the stored configuration equal ``spec`` (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO company (id, name, plan) VALUES (1, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET name = excluded.name, plan = excluded.plan",
        (spec.name, plan_to_json(spec.plan)),
    )
    _write_lines(conn, spec, live.call_waiting)
    conn.execute("DELETE FROM externals")
    conn.executemany(
        "INSERT INTO externals (id, position, name, number) VALUES (?, ?, ?, ?)",
        [(e.id, i, e.name, e.number) for i, e in enumerate(spec.externals)],
    )
    conn.execute("DELETE FROM forwarding")
    conn.executemany(
        "INSERT INTO forwarding (line_id, unconditional, busy, no_answer, unreachable, delay)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(line_id, *(fwd.get(c) for c in FORWARDING_TYPES), fwd.delay)
         for line_id, fwd in spec.forwarding.items()],
    )
    conn.execute("DELETE FROM ring_lists")  # ring_numbers follow (ON DELETE CASCADE)
    for line_id, ring in spec.incoming.items():
        _insert_ring_list(conn, line_id, ring)
    _write_groups(conn, spec.groups)
    conn.execute("DELETE FROM parked_forwarding")
    conn.executemany(
        "INSERT INTO parked_forwarding (line_id, condition, number) VALUES (?, ?, ?)",
        [(line_id, condition, number) for line_id, numbers in live.parked.items()
         for condition, number in numbers.items()],
    )


def keeps_forwarding(fwd: Forwarding) -> bool:
    """A line has a forwarding row when a condition is set or its no-answer delay is not the
    default (a deactivated no-answer forwarding keeps its delay for when it comes back)."""
    return not fwd.is_empty() or fwd.delay != DEFAULT_NO_ANSWER_DELAY


def write_rows(conn: sqlite3.Connection, changes: tuple[Rows, ...]) -> None:
    """Write what a portal change touches (inside the caller's transaction)."""
    for change in changes:
        if isinstance(change, LineRows):
            _write_line_rows(conn, change)
        else:
            _write_group_rows(conn, change)


def _write_line_rows(conn: sqlite3.Connection, r: LineRows) -> None:
    line = r.line
    if conn.execute("UPDATE lines SET call_waiting = ? WHERE id = ?", (int(r.call_waiting), line)).rowcount != 1:
        raise sqlite3.IntegrityError(f"line {line!r} is not in the store")
    conn.execute("DELETE FROM line_options WHERE line_id = ?", (line,))
    conn.executemany("INSERT INTO line_options (line_id, option) VALUES (?, ?)",
                     [(line, option) for option in sorted(r.options)])
    if keeps_forwarding(r.forwarding):
        conn.execute("INSERT OR REPLACE INTO forwarding (line_id, unconditional, busy, no_answer, unreachable, delay)"
                     " VALUES (?, ?, ?, ?, ?, ?)",
                     (line, *(r.forwarding.get(c) for c in FORWARDING_TYPES), r.forwarding.delay))
    else:
        conn.execute("DELETE FROM forwarding WHERE line_id = ?", (line,))
    conn.execute("DELETE FROM parked_forwarding WHERE line_id = ?", (line,))
    conn.executemany("INSERT INTO parked_forwarding (line_id, condition, number) VALUES (?, ?, ?)",
                     [(line, condition, number) for condition, number in r.parked])
    conn.execute("DELETE FROM ring_lists WHERE line_id = ?", (line,))  # its numbers follow
    if r.ring_list is not None:
        _insert_ring_list(conn, line, r.ring_list)


def _write_group_rows(conn: sqlite3.Connection, r: GroupRows) -> None:
    if r.spec is None:
        conn.execute("DELETE FROM groups WHERE id = ?", (r.group,))  # its members follow
        return
    row = conn.execute("SELECT position FROM groups WHERE id = ?", (r.group,)).fetchone()
    if row is None:
        row = conn.execute("SELECT COALESCE(MAX(position) + 1, 0) FROM groups").fetchone()
    conn.execute("DELETE FROM groups WHERE id = ?", (r.group,))
    _insert_group(conn, row[0], r.spec)


def _insert_ring_list(conn: sqlite3.Connection, line_id: str, ring: RingList) -> None:
    conn.execute("INSERT INTO ring_lists (line_id, mode, step) VALUES (?, ?, ?)", (line_id, ring.mode, ring.step))
    conn.executemany("INSERT INTO ring_numbers (line_id, position, number) VALUES (?, ?, ?)",
                     [(line_id, i, n) for i, n in enumerate(ring.numbers)])


def _insert_group(conn: sqlite3.Connection, position: int, g: GroupSpec) -> None:
    conn.execute(
        "INSERT INTO groups (id, position, number, name, user_code, admin_code, queue,"
        " switchover_delay, inter_call_delay, distribution) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (g.id, position, g.number, g.name, g.user_code, g.admin_code, g.queue,
         g.switchover_delay, g.inter_call_delay, g.distribution),
    )
    conn.executemany(
        "INSERT INTO group_members (group_id, line_id, position, connected) VALUES (?, ?, ?, ?)",
        [(g.id, member, i, int(member in g.connected)) for i, member in enumerate(g.members)],
    )


def _write_lines(conn: sqlite3.Connection, spec: CompanySpec, call_waiting: CallWaiting) -> None:
    keep = [line.id for line in spec.lines]
    marks = ",".join("?" * len(keep))
    conn.execute(f"DELETE FROM lines WHERE id NOT IN ({marks})", keep)
    for position, line in enumerate(spec.lines):
        conn.execute(
            "INSERT INTO lines (id, position, name, number, short, kind, call_waiting)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET position = excluded.position,"
            " name = excluded.name, number = excluded.number, short = excluded.short,"
            " kind = excluded.kind, call_waiting = excluded.call_waiting",
            (line.id, position, line.name, line.number, line.short, line.kind,
             int(call_waiting.get(line.id, True))),
        )
    conn.execute("DELETE FROM line_options")
    conn.executemany("INSERT INTO line_options (line_id, option) VALUES (?, ?)",
                     [(line.id, option) for line in spec.lines for option in sorted(line.options)])


def _write_groups(conn: sqlite3.Connection, groups: tuple[GroupSpec, ...]) -> None:
    conn.execute("DELETE FROM groups")  # group_members follow (ON DELETE CASCADE)
    for position, g in enumerate(groups):
        _insert_group(conn, position, g)
