"""Portal changes write only the rows they touch, and leave the store as a whole rewrite would.

Random sequences of portal operations (lines' forwarding, ring lists, options, call
waiting; groups created, changed, deleted, members added, removed, connected) on the
guide's company, each committed by the store: after every accepted change the stored
company equals the live network's configuration; a refused one writes nothing; a
reopened store builds the same network. Then: a change on a 100,000-line company touches a
handful of rows, whatever the company's size (counted with SQLite's change counter).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phone_sim.network.company import CompanySpec, LineSpec
from phone_sim.store.schema import LATEST, migrate
from phone_sim.store.store import Store, _configuration

CHEAP = 2**4
LINES = ("A", "A_FIXE", "C", "MME_C", "D", "D_FIXE", "ASSIST")
NUMBERS = ("0601020301", "0601020303", "0601020306", "0601020304", "0145678900", "0601020309", "301", "")
KINDS = ("unconditional", "busy", "no_answer", "unreachable")
GROUPS = ("COM", "VENTE", "SAV")

line = st.sampled_from(LINES)
group = st.sampled_from(GROUPS)
operation = st.one_of(
    st.builds(lambda ln, k, n, d: ("set_forwarding", {"line": ln, "type": k, "to": n, "delay": d}),
              line, st.sampled_from(KINDS), st.sampled_from(NUMBERS), st.sampled_from([None, 10, 25, 7])),
    st.builds(lambda ln, k: ("clear_forwarding", {"line": ln} if k is None else {"line": ln, "type": k}),
              line, st.sampled_from((None,) + KINDS)),
    st.builds(lambda o, ln, k: (o, {"line": ln, "type": k}),
              st.sampled_from(["deactivate_forwarding", "activate_forwarding"]), line, st.sampled_from(KINDS)),
    st.builds(lambda ln, m, ns, s: ("set_ring_list", {"line": ln, "mode": m, "numbers": ns, "step": s}),
              line, st.sampled_from(["simultaneous", "sequential"]),
              st.lists(st.sampled_from(NUMBERS), min_size=1, max_size=3), st.sampled_from([15, 20, 3])),
    st.builds(lambda ln: ("clear_ring_list", {"line": ln}), line),
    st.builds(lambda o, ln, opt: (o, {"line": ln, "option": opt}), st.sampled_from(["grant", "withdraw"]), line,
              st.sampled_from(["pabx", "double_appel"])),
    st.builds(lambda ln, on: ("set_call_waiting", {"line": ln, "on": on}), line, st.booleans()),
    st.builds(lambda g, n, ms: ("create_group", {"id": g, "number": n, "name": g.title(), "user_code": "1111",
                                                 "admin_code": "2222", "members": ms, "connected": ms[:1]}),
              group, st.sampled_from(["0609182240", "0609182241", "0601020303"]),
              st.lists(st.sampled_from(LINES), max_size=3, unique=True)),
    st.builds(lambda g, q, d: ("update_group", {"group": g, "queue": q, "distribution": d, "number": "0609182242"}),
              group, st.sampled_from([0, 3]), st.sampled_from(["linear", "uniform", "bogus"])),
    st.builds(lambda g: ("delete_group", {"group": g}), group),
    st.builds(lambda o, g, ln: (o, {"group": g, "line": ln}),
              st.sampled_from(["add_member", "remove_member", "connect", "disconnect"]), group, line),
    st.builds(lambda g: ("disconnect_all", {"group": g}), group),
)


def stored(store: Store) -> Any:
    spec, live = store.load()
    return spec, live


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=25))
def test_the_store_equals_the_network_after_every_change(operations: list[tuple[str, dict[str, Any]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "db.sqlite3", cost=CHEAP)
        net = store.build_network()
        for name, params in operations:
            before = stored(store)
            revision = store.revision
            refused = net.portal.execute("manager", name, params)
            if refused is not None:
                assert stored(store) == before and store.revision == revision, (name, params, refused)
                continue
            assert stored(store) == _configuration(net), (name, params)
        again = Store(Path(folder) / "db.sqlite3", cost=CHEAP)
        assert _configuration(again.build_network()) == _configuration(net)
        accounts = {name for (name,) in store.conn.execute("SELECT name FROM accounts WHERE role = 'user'")}
        assert accounts >= {p.id for p in net.parties.values() if p.is_line and p.has("pabx")}
        again.close()
        store.close()


def test_a_change_writes_a_handful_of_rows_in_any_company(tmp_path: Path) -> None:
    """Rows written by one change (SQLite's total_changes), on companies of 100 and 100,000 lines."""
    written = []
    for count in (100, 100_000):
        spec = CompanySpec(lines=tuple(LineSpec(f"L{i}", f"Line {i}", f"06{i:08d}") for i in range(count)))
        store = Store(tmp_path / f"db{count}.sqlite3", cost=CHEAP, seed=spec)
        net = store.build_network()
        start = store.conn.total_changes
        assert net.portal.execute("manager", "set_forwarding", {"line": "L42", "type": "busy", "to": "0612345678"}) is None
        assert net.portal.execute("manager", "grant", {"line": "L43", "option": "double_appel"}) is None
        written.append(store.conn.total_changes - start)
        store.close()
    assert written[0] == written[1] <= 20, written


def test_a_database_written_whole_takes_changes_row_by_row(tmp_path: Path) -> None:
    """A database of the current schema written by the whole-company writer (every earlier
    version wrote that way) reads back, takes changes, and equals the network after each."""
    path = tmp_path / "old.sqlite3"
    store = Store(path, cost=CHEAP)
    assert migrate(store.conn) == LATEST  # already the latest schema: nothing to migrate
    net = store.build_network()
    for name, params in [("set_forwarding", {"line": "C", "type": "no_answer", "to": "0601020309", "delay": 10}),
                         ("deactivate_forwarding", {"line": "C", "type": "no_answer"}),
                         ("set_ring_list", {"line": "A", "mode": "sequential", "numbers": ["0601020303"], "step": 20}),
                         ("remove_member", {"group": "COM", "line": "C"}),
                         ("create_group", {"id": "SAV", "number": "0609182240", "name": "SAV", "members": ["D"],
                                           "connected": ["D"]}),
                         ("delete_group", {"group": "COM"})]:
        assert net.portal.execute("manager", name, params) is None, name
        assert stored(store) == _configuration(net), name
    store.close()
