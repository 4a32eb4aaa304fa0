"""The lock-out holds when several processes guess at once: each try is counted, with the
check of the count, in one write transaction before the password is checked."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from phone_sim.network.refusal import Refused
from phone_sim.store.accounts import MAX_FAILURES
from phone_sim.store.store import Store

COST = 2**12  # ~10 ms a hash: long enough for the guesses to overlap
PROCESSES = 6
GUESSES = 2


def _guess(path: str, barrier: Any, results: Any) -> None:
    store = Store(path, cost=COST)
    try:
        barrier.wait(timeout=60)
        for i in range(GUESSES):
            answer = store.accounts.login("gestionnaire", f"wrong-{i}")
            results.put(answer.reason if isinstance(answer, Refused) else "logged in")
    finally:
        store.close()


def test_six_processes_guessing_at_once_get_at_most_five_tries(tmp_path: Path) -> None:
    path = tmp_path / "phone-sim.sqlite3"
    first = Store(path, cost=COST)
    password = first.first_passwords["gestionnaire"]
    first.close()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    workers = [context.Process(target=_guess, args=(str(path), barrier, results)) for _ in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    answers = [results.get(timeout=10) for _ in range(PROCESSES * GUESSES)]
    # the fifth counted try locks the account: at most four plain refusals, the rest locked
    assert answers.count("bad_credentials") <= MAX_FAILURES - 1, answers
    assert answers.count("account_locked") >= PROCESSES * GUESSES - (MAX_FAILURES - 1)
    store = Store(path, cost=COST)
    try:
        locked = store.accounts.login("gestionnaire", password)
        assert isinstance(locked, Refused) and locked.reason == "account_locked"  # even the right one
        assert store.conn.execute("SELECT locked_until > 0 FROM accounts WHERE name = 'gestionnaire'").fetchone()[0]
    finally:
        store.close()
