"""``phone-sim company export|import`` and ``phone-sim account`` on a --data directory."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
import yaml

from phone_sim.cli import main
from phone_sim.scenario.companyfile import load_company
from phone_sim.store.accounts import DEMO_MANAGER, NO_PASSWORD, Account
from phone_sim.store.store import Store, demo_company


def stored(data: Path) -> Store:
    return Store.open(data)


def test_export_writes_the_stored_company(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.yaml"
    assert main(["--data", str(tmp_path), "company", "export", str(out)]) == 0
    assert load_company(out) == demo_company()
    first = capsys.readouterr().err  # first run: every account and its random password, once
    assert "gestionnaire" in first and "reset-password" in first
    drawn = [line.split()[1] for line in first.splitlines() if line.startswith("  ")]
    assert len(drawn) == 6 and len(set(drawn)) == 6
    store = stored(tmp_path)
    assert store.accounts.login(DEMO_MANAGER, drawn[0]) == Account(DEMO_MANAGER, "manager")
    store.close()
    assert main(["--data", str(tmp_path), "company", "export", str(out)]) == 0
    assert not any(password in capsys.readouterr().err for password in drawn)


def test_export_follows_portal_changes(tmp_path: Path) -> None:
    store = stored(tmp_path)
    store.build_network().portal.execute("manager", "set_forwarding",
                                          {"line": "A", "type": "busy", "to": "0601020303"})
    store.close()
    out = tmp_path / "out.yaml"
    assert main(["--data", str(tmp_path), "company", "export", str(out)]) == 0
    assert load_company(out).forwarding["A"].busy == "0601020303"


def write_company(path: Path, edit: dict[str, object]) -> Path:
    data = yaml.safe_load((Path(__file__).parents[2] / "phone_sim/data/demo_company.yaml").read_text())
    data.update(edit)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def test_import_replaces_the_company(tmp_path: Path) -> None:
    demo = yaml.safe_load((Path(__file__).parents[2] / "phone_sim/data/demo_company.yaml").read_text())
    lines = [line for line in demo["lines"] if line["id"] != "ASSIST"]
    lines.append({"id": "E", "name": "Madame E", "number": "0601020310", "options": ["pabx"]})
    new = write_company(tmp_path / "new.yaml", {"name": "Nouvelle", "lines": lines, "forwarding": {}})
    assert main(["--data", str(tmp_path / "data"), "company", "import", str(new)]) == 0
    store = stored(tmp_path / "data")
    spec = store.company()
    assert spec.name == "Nouvelle" and [line.id for line in spec.lines][-1] == "E"
    assert spec.forwarding == {}
    assert store.conn.execute("SELECT password FROM accounts WHERE name = 'E'").fetchone() == (NO_PASSWORD,)
    assert store.conn.execute("SELECT 1 FROM accounts WHERE name = 'ASSIST'").fetchone() is None
    assert store.audit()[0].operation == "import"
    store.close()


def test_an_invalid_file_is_refused_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    main(["--data", str(data), "company", "export", str(tmp_path / "before.yaml")])
    bad = write_company(tmp_path / "bad.yaml", {"name": "Cassée", "forwarding": {"A": {"busy": "301"}}})
    assert main(["--data", str(data), "company", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:" in err and "short_number_not_allowed" in err
    main(["--data", str(data), "company", "export", str(tmp_path / "after.yaml")])
    assert (tmp_path / "after.yaml").read_text() == (tmp_path / "before.yaml").read_text()


def test_an_import_that_fails_while_writing_leaves_nothing_half_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    good = write_company(tmp_path / "good.yaml", {"name": "Nouvelle", "groups": []})
    main(["--data", str(data), "company", "export", str(tmp_path / "before.yaml")])

    def fails_after_the_lines(conn: sqlite3.Connection, groups: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("phone_sim.store.rows._write_groups", fails_after_the_lines)
    assert main(["--data", str(data), "company", "import", str(good)]) == 2
    monkeypatch.undo()
    main(["--data", str(data), "company", "export", str(tmp_path / "after.yaml")])
    assert (tmp_path / "after.yaml").read_text() == (tmp_path / "before.yaml").read_text()


def test_set_password_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("mon-nouveau-mdp\n"))
    assert main(["--data", str(tmp_path), "account", "set-password", DEMO_MANAGER, "--stdin"]) == 0
    err = capsys.readouterr().err
    assert "mon-nouveau-mdp" not in err
    store = stored(tmp_path)
    assert store.accounts.login(DEMO_MANAGER, "mon-nouveau-mdp") == Account(DEMO_MANAGER, "manager")
    store.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("court\n"))
    assert main(["--lang", "en", "--data", str(tmp_path), "account", "set-password", DEMO_MANAGER, "--stdin"]) == 1
    assert "password_too_short" in capsys.readouterr().err


def test_add_manager_and_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("adjoint-mdp\n"))
    assert main(["--data", str(tmp_path), "account", "add-manager", "adjoint", "--stdin"]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "--data", str(tmp_path), "account", "list"]) == 0
    listing = capsys.readouterr().out
    assert "adjoint" in listing and "Fleet manager" in listing and "MME_C" in listing
