"""SIP secrets in the store: digest hashes only, the CLI to set them, lock-out, migration."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from phone_sim.cli import main
from phone_sim.store.db import connect
from phone_sim.store.schema import LATEST, migrate, version
from phone_sim.store.sipsecrets import ha1
from phone_sim.store.store import Store

CHEAP = 2**4


def test_the_demo_lines_may_register_and_no_secret_is_stored_in_clear(tmp_path: Path) -> None:
    store = Store.open(tmp_path, cost=CHEAP)
    assert set(store.sip.lines()) == {"A", "A_FIXE", "C", "MME_C", "D", "D_FIXE", "ASSIST"}
    assert store.sip.ha1("A", "0601020301", "MD5") == ha1("0601020301", "sip-demo-A")
    assert store.sip.ha1("A", "301", "SHA-256") == ha1("301", "sip-demo-A", "SHA-256")
    store.close()
    for path in tmp_path.iterdir():
        assert b"sip-demo" not in path.read_bytes(), path


def test_set_sip_secret_from_stdin_replaces_the_hashes_and_lifts_a_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(tmp_path, cost=CHEAP)
    for _ in range(5):
        store.sip.failed("C")
    assert store.sip.locked("C")
    store.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("nouveau-secret\n"))
    assert main(["--data", str(tmp_path), "account", "set-sip-secret", "303", "--stdin"]) == 0
    assert "C" in capsys.readouterr().err
    store = Store.open(tmp_path, cost=CHEAP)
    assert not store.sip.locked("C")
    assert store.sip.ha1("C", "C", "MD5") == ha1("C", "nouveau-secret")
    store.close()


def test_set_sip_secret_refuses_an_unknown_line_and_a_short_secret(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("abc\n"))
    assert main(["--data", str(tmp_path), "account", "set-sip-secret", "A", "--stdin"]) == 1
    assert "invalid_sip_secret" in capsys.readouterr().err
    assert main(["--data", str(tmp_path), "account", "set-sip-secret", "NOBODY", "--stdin"]) == 1
    assert "unknown_line" in capsys.readouterr().err
    assert main(["--data", str(tmp_path), "account", "set-sip-secret", "A", "--remove"]) == 0
    store = Store.open(tmp_path, cost=CHEAP)
    assert "A" not in store.sip.lines()
    store.close()


def test_account_list_names_the_sip_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(tmp_path), "--lang", "en", "account", "list"]) == 0
    assert "SIP lines (a device may register): A, ASSIST" in capsys.readouterr().out


def test_a_version_2_database_gains_the_sip_tables_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    conn = connect(path)
    migrate(conn, target=2)
    conn.execute("INSERT INTO company (id, name, plan) VALUES (1, 'Ancienne', '{}')")
    conn.execute("INSERT INTO lines VALUES ('A', 0, 'Monsieur A', '0601020301', '301', 'mobile', 1)")
    conn.close()
    store = Store(path, cost=CHEAP)
    assert version(store.conn) == LATEST and not store.created
    assert [line.id for line in store.load()[0].lines] == ["A"]
    assert store.sip.lines() == {}
    from phone_sim.network.company import LineSpec

    assert store.sip.set_secret(LineSpec("A", "Monsieur A", "0601020301", "301"), "secret-A") is None
    assert store.sip.ha1("A", "A", "MD5") == ha1("A", "secret-A")
    with pytest.raises(sqlite3.IntegrityError):  # hashes belong to a line
        store.conn.execute("INSERT INTO sip_secrets VALUES ('ZZ', 0, 0, 'x')")
    store.close()


def test_import_keeps_existing_secrets_and_takes_the_files_ones(tmp_path: Path) -> None:
    store = Store.open(tmp_path, cost=CHEAP)
    spec = store.company()
    from dataclasses import replace

    lines = tuple(replace(line, sip_secret="fichier-C") if line.id == "C" else line for line in spec.lines)
    store.replace_company(replace(spec, lines=lines))
    assert store.sip.ha1("C", "C", "MD5") == ha1("C", "fichier-C")
    assert store.sip.ha1("A", "A", "MD5") == ha1("A", "sip-demo-A")
    store.close()
