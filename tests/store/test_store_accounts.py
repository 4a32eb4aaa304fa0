"""Portal accounts: salted scrypt hashes, never the password in clear; lock-out after five."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from phone_sim.network.refusal import Refused
from phone_sim.store.accounts import (
    DEMO_MANAGER,
    DEMO_MANAGER_PASSWORD,
    DEMO_USER_PASSWORD,
    LOCK_SECONDS,
    Account,
    hash_password,
    verify_password,
)
from phone_sim.store.store import Store


def reason(result: object) -> str:
    assert isinstance(result, Refused), result
    return result.reason


def test_hashes_are_salted_scrypt_and_verify() -> None:
    first, second = hash_password("secret-1", 16), hash_password("secret-1", 16)
    assert first.startswith("scrypt$16$8$1$") and "secret-1" not in first
    assert first != second  # a fresh salt each time
    assert verify_password("secret-1", first) and verify_password("secret-1", second)
    assert not verify_password("secret-2", first)
    assert not verify_password("secret-1", "plain-text")


def test_no_password_is_stored_in_clear(store: Store, db_path: Path) -> None:
    store.accounts.set_password("A", "tres-secret-42")
    store.accounts.login(DEMO_MANAGER, "mauvais-essai")
    stored = b"".join(p.read_bytes() for p in db_path.parent.iterdir() if p.is_file())
    for password in (DEMO_MANAGER_PASSWORD, DEMO_USER_PASSWORD, "tres-secret-42", "mauvais-essai"):
        assert password.encode() not in stored


def test_demo_accounts_log_in(store: Store) -> None:
    assert store.accounts.login(DEMO_MANAGER, DEMO_MANAGER_PASSWORD) == Account(DEMO_MANAGER, "manager")
    assert store.accounts.login("mme_c", DEMO_USER_PASSWORD) == Account("MME_C", "user", "MME_C")
    assert reason(store.accounts.login("A_FIXE", DEMO_USER_PASSWORD)) == "bad_credentials"  # no pabx: no account
    assert reason(store.accounts.login("personne", DEMO_USER_PASSWORD)) == "bad_credentials"
    assert reason(store.accounts.login(DEMO_MANAGER, DEMO_USER_PASSWORD)) == "bad_credentials"


def test_five_wrong_passwords_lock_the_account_for_15_minutes(store: Store, clock: Any) -> None:
    for _ in range(4):
        assert reason(store.accounts.login("A", "faux")) == "bad_credentials"
    assert reason(store.accounts.login("A", "faux")) == "account_locked"
    assert reason(store.accounts.login("A", DEMO_USER_PASSWORD)) == "account_locked"  # even the right one
    assert isinstance(store.accounts.login("C", DEMO_USER_PASSWORD), Account)  # other accounts are not locked
    clock.advance(LOCK_SECONDS - 1)
    assert reason(store.accounts.login("A", DEMO_USER_PASSWORD)) == "account_locked"
    clock.advance(1)
    assert store.accounts.login("A", DEMO_USER_PASSWORD) == Account("A", "user", "A")


def test_a_right_password_resets_the_count(store: Store) -> None:
    for _ in range(4):
        store.accounts.login("A", "faux")
    assert isinstance(store.accounts.login("A", DEMO_USER_PASSWORD), Account)
    for _ in range(4):
        assert reason(store.accounts.login("A", "faux")) == "bad_credentials"


def test_the_lock_survives_a_restart(store: Store, reopen: Callable[[], Store]) -> None:
    for _ in range(5):
        store.accounts.login(DEMO_MANAGER, "faux")
    assert reason(reopen().accounts.login(DEMO_MANAGER, DEMO_MANAGER_PASSWORD)) == "account_locked"


def test_set_password_changes_it_and_lifts_the_lock(store: Store) -> None:
    for _ in range(5):
        store.accounts.login(DEMO_MANAGER, "faux")
    assert store.accounts.set_password(DEMO_MANAGER, "nouveau-mdp") is None
    assert reason(store.accounts.login(DEMO_MANAGER, DEMO_MANAGER_PASSWORD)) == "bad_credentials"
    assert isinstance(store.accounts.login(DEMO_MANAGER, "nouveau-mdp"), Account)
    assert reason(store.accounts.set_password(DEMO_MANAGER, "court")) == "password_too_short"
    assert reason(store.accounts.set_password("personne", "assez-long")) == "unknown_account"


def test_more_managers_can_be_added(store: Store) -> None:
    assert store.accounts.add_manager("adjoint", "mdp-adjoint") is None
    assert store.accounts.login("adjoint", "mdp-adjoint") == Account("adjoint", "manager")
    assert reason(store.accounts.add_manager("ADJOINT", "mdp-adjoint")) == "duplicate_account"
    assert [a.name for a, _ in store.accounts.every() if a.is_manager] == ["adjoint", DEMO_MANAGER]


def test_a_line_granted_pabx_gets_an_account_and_loses_the_portal_without_it(store: Store) -> None:
    net = store.build_network()
    assert net.portal.execute("manager", "grant", {"line": "A_FIXE", "option": "pabx"}) is None
    assert store.accounts.login("A_FIXE", DEMO_USER_PASSWORD) == Account("A_FIXE", "user", "A_FIXE")
    assert net.portal.execute("manager", "withdraw", {"line": "D", "option": "pabx"}) is None
    assert reason(store.accounts.login("D", DEMO_USER_PASSWORD)) == "no_pabx_option"
