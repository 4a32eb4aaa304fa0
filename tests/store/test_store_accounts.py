"""Portal accounts: salted scrypt hashes, never the password in clear; no shared default
password; lock-out after five; every answer costs one hash; corrupted hashes refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from phone_sim.network.refusal import Refused
from phone_sim.store import accounts as accounts_module
from phone_sim.store.accounts import (
    DEFAULT_COST,
    DEMO_MANAGER,
    LOCK_SECONDS,
    NO_PASSWORD,
    Account,
    generate_password,
    hash_password,
    hash_passwords,
    needs_upgrade,
    verify_password,
)
from phone_sim.store.store import Store

CHEAP = 2**4


def reason(result: object) -> str:
    assert isinstance(result, Refused), result
    return result.reason


def password(store: Store, name: str) -> str:
    return store.first_passwords[name]


def test_hashes_are_salted_scrypt_and_verify() -> None:
    first, second = hash_password("secret-1", 16), hash_password("secret-1", 16)
    assert first.startswith("scrypt$16$8$1$") and "secret-1" not in first
    assert first != second  # a fresh salt each time
    assert verify_password("secret-1", first) and verify_password("secret-1", second)
    assert not verify_password("secret-2", first)
    assert not verify_password("secret-1", "plain-text", decoy_cost=CHEAP)


def test_the_default_cost_is_owasps() -> None:
    assert DEFAULT_COST == 2**17
    stored = hash_password("un-vrai-mot-de-passe")  # 128 MiB: maxmem must allow it
    assert stored.startswith("scrypt$131072$8$1$")
    assert verify_password("un-vrai-mot-de-passe", stored)
    assert needs_upgrade(hash_password("x", 2**14), DEFAULT_COST) and not needs_upgrade(stored, DEFAULT_COST)


@pytest.mark.parametrize("stored", [
    "", "!", "scrypt", "scrypt$16$8$1$c2FsdA==", "scrypt$x$8$1$c2FsdHNhbHQ=$" + "A" * 44,
    "scrypt$15$8$1$c2FsdHNhbHQ=$" + "A" * 44,  # N not a power of two
    "scrypt$1073741824$8$1$c2FsdHNhbHQ=$" + "A" * 44,  # 1 TiB of memory asked
    "scrypt$16$8$999999$c2FsdHNhbHQ=$" + "A" * 44,
    "scrypt$16$8$1$not-base64!$" + "A" * 44, "scrypt$16$8$1$c2FsdHNhbHQ=$short",
    "md5$16$8$1$c2FsdHNhbHQ=$" + "A" * 44, "scrypt$１６$8$1$c2FsdHNhbHQ=$" + "A" * 44,
])
def test_a_corrupted_hash_is_a_refusal_not_an_exception(stored: str) -> None:
    assert verify_password("anything", stored, decoy_cost=CHEAP) is False


def test_a_corrupted_hash_in_the_database_refuses_the_login(store: Store) -> None:
    store.conn.execute("UPDATE accounts SET password = 'scrypt$16$8$1$!!$??' WHERE name = 'A'")
    assert reason(store.accounts.login("A", password(store, "A"))) == "bad_credentials"


def test_no_password_is_stored_in_clear(store: Store, db_path: Path) -> None:
    store.accounts.set_password("A", "tres-secret-42")
    store.accounts.login(DEMO_MANAGER, "mauvais-essai")
    stored = b"".join(p.read_bytes() for p in db_path.parent.iterdir() if p.is_file())
    for secret in (*store.first_passwords.values(), "tres-secret-42", "mauvais-essai"):
        assert secret.encode() not in stored


def test_every_account_has_its_own_random_password(store: Store, reopen: Callable[[], Store]) -> None:
    assert set(store.first_passwords) == {DEMO_MANAGER, "A", "C", "MME_C", "D", "ASSIST"}
    assert len(set(store.first_passwords.values())) == len(store.first_passwords)
    again = reopen()
    assert again.first_passwords == {} and not again.created  # said once, at the first run
    assert again.accounts.login(DEMO_MANAGER, password(store, DEMO_MANAGER)) == Account(DEMO_MANAGER, "manager")
    assert again.accounts.login("mme_c", password(store, "MME_C")) == Account("MME_C", "user", "MME_C")
    assert reason(again.accounts.login("A", password(store, "C"))) == "bad_credentials"
    assert reason(again.accounts.login("personne", password(store, "A"))) == "bad_credentials"
    assert reason(again.accounts.login("A_FIXE", password(store, "A"))) == "bad_credentials"  # no pabx


def test_generated_passwords_are_long_and_differ() -> None:
    drawn = {generate_password() for _ in range(200)}
    assert len(drawn) == 200 and all(len(p) == 19 and p.count("-") == 3 for p in drawn)


def test_five_wrong_passwords_lock_the_account_for_15_minutes(store: Store, clock: Any) -> None:
    right = password(store, "A")
    for _ in range(4):
        assert reason(store.accounts.login("A", "faux")) == "bad_credentials"
    assert reason(store.accounts.login("A", "faux")) == "account_locked"
    assert reason(store.accounts.login("A", right)) == "account_locked"  # even the right one
    assert isinstance(store.accounts.login("C", password(store, "C")), Account)  # others are not locked
    clock.advance(LOCK_SECONDS - 1)
    assert reason(store.accounts.login("A", right)) == "account_locked"
    clock.advance(1)
    assert store.accounts.login("A", right) == Account("A", "user", "A")


def test_a_right_password_resets_the_count(store: Store) -> None:
    for _ in range(4):
        store.accounts.login("A", "faux")
    assert isinstance(store.accounts.login("A", password(store, "A")), Account)
    for _ in range(4):
        assert reason(store.accounts.login("A", "faux")) == "bad_credentials"


def test_the_lock_survives_a_restart(store: Store, reopen: Callable[[], Store]) -> None:
    for _ in range(5):
        store.accounts.login(DEMO_MANAGER, "faux")
    assert reason(reopen().accounts.login(DEMO_MANAGER, password(store, DEMO_MANAGER))) == "account_locked"


def test_every_answer_costs_one_hash(store: Store, monkeypatch: pytest.MonkeyPatch, clock: Any) -> None:
    """A locked account, an unknown name, a corrupted hash and a wrong password cost the
    same work as a right password: one scrypt hash of the same cost each."""
    real = accounts_module._scrypt
    calls: list[int] = []

    def counting(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        calls.append(n)
        return real(password, salt, n, r, p)

    monkeypatch.setattr(accounts_module, "_scrypt", counting)
    for _ in range(5):
        store.accounts.login("C", "faux")
    store.conn.execute("UPDATE accounts SET password = 'scrypt$zz' WHERE name = 'D'")
    answers = {}
    for case, (name, given) in {"wrong": ("A", "faux"), "locked": ("C", password(store, "C")),
                                "unknown": ("personne", "faux"), "corrupted": ("D", password(store, "D")),
                                "right": ("MME_C", password(store, "MME_C"))}.items():
        calls.clear()
        answers[case] = store.accounts.login(name, given)
        assert calls == [CHEAP], (case, calls)
    assert reason(answers["locked"]) == "account_locked" and isinstance(answers["right"], Account)


def test_an_old_hash_is_upgraded_at_the_next_login(db_path: Path, clock: Any) -> None:
    old = Store(db_path, wall_clock=clock, cost=CHEAP)
    right = password(old, "A")
    old.close()
    newer = Store(db_path, wall_clock=clock, cost=CHEAP * 2)
    (before,) = newer.conn.execute("SELECT password FROM accounts WHERE name = 'A'").fetchone()
    assert before.startswith(f"scrypt${CHEAP}$")
    assert reason(newer.accounts.login("A", "faux")) == "bad_credentials"  # a wrong one changes nothing
    assert newer.conn.execute("SELECT password FROM accounts WHERE name = 'A'").fetchone()[0] == before
    assert newer.accounts.login("A", right) == Account("A", "user", "A")
    (after,) = newer.conn.execute("SELECT password FROM accounts WHERE name = 'A'").fetchone()
    assert after.startswith(f"scrypt${CHEAP * 2}$") and verify_password(right, after)
    newer.close()


def test_set_password_changes_it_and_lifts_the_lock(store: Store) -> None:
    for _ in range(5):
        store.accounts.login(DEMO_MANAGER, "faux")
    assert store.accounts.set_password(DEMO_MANAGER, "nouveau-mdp") is None
    assert reason(store.accounts.login(DEMO_MANAGER, password(store, DEMO_MANAGER))) == "bad_credentials"
    assert isinstance(store.accounts.login(DEMO_MANAGER, "nouveau-mdp"), Account)
    assert reason(store.accounts.set_password(DEMO_MANAGER, "court")) == "password_too_short"
    assert reason(store.accounts.set_password("personne", "assez-long")) == "unknown_account"


def test_more_managers_can_be_added(store: Store) -> None:
    assert store.accounts.add_manager("adjoint", "mdp-adjoint") is None
    assert store.accounts.login("adjoint", "mdp-adjoint") == Account("adjoint", "manager")
    assert reason(store.accounts.add_manager("ADJOINT", "mdp-adjoint")) == "duplicate_account"
    assert [a.name for a, _, _ in store.accounts.every() if a.is_manager] == ["adjoint", DEMO_MANAGER]


def test_a_line_granted_pabx_gets_no_usable_password_until_one_is_set(store: Store) -> None:
    net = store.build_network()
    assert net.portal.execute("manager", "grant", {"line": "A_FIXE", "option": "pabx"}) is None
    (stored,) = store.conn.execute("SELECT password FROM accounts WHERE name = 'A_FIXE'").fetchone()
    assert stored == NO_PASSWORD
    for guess in ("", "!", NO_PASSWORD, password(store, "A")):
        assert reason(store.accounts.login("A_FIXE", guess)) == "bad_credentials"
    assert [usable for a, _, usable in store.accounts.every() if a.name == "A_FIXE"] == [False]
    assert store.accounts.set_password("A_FIXE", "mot-de-passe-fixe") is None
    assert store.accounts.login("A_FIXE", "mot-de-passe-fixe") == Account("A_FIXE", "user", "A_FIXE")
    assert net.portal.execute("manager", "withdraw", {"line": "D", "option": "pabx"}) is None
    assert reason(store.accounts.login("D", password(store, "D"))) == "no_pabx_option"


def test_passwords_hashed_together_each_verify_in_their_own_place() -> None:
    clear = [generate_password() for _ in range(5)]
    hashed = hash_passwords(clear, cost=1024)
    assert len(hashed) == 5 and len(set(hashed)) == 5  # each its own salt
    for i, password in enumerate(clear):
        assert verify_password(password, hashed[i], decoy_cost=1024)
        assert not verify_password(password, hashed[(i + 1) % 5], decoy_cost=1024)
    assert hash_passwords([], cost=1024) == []


def test_the_first_run_gives_every_account_its_own_password(tmp_path: Path) -> None:
    store = Store(tmp_path / "phone-sim.db")
    try:
        first = store.first_passwords
        assert DEMO_MANAGER in first and len(set(first.values())) == len(first) >= 2
        for name, password in first.items():
            assert isinstance(store.accounts.login(name, password), Account), name
    finally:
        store.close()
