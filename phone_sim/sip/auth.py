"""Who a SIP request comes from: digest authentication against the lines' SIP secrets.

A device names a line by its id, its 10-digit number or its short number. Its requests
carry ``Authorization`` (RFC 7616); without it, or with a nonce we did not make or that
is too old, the gateway challenges (401, one ``WWW-Authenticate`` per algorithm offered:
MD5 alone by default). A wrong answer counts as a failure: five in a row lock the line's
SIP access for 15 minutes (403), whatever the next answers say. An unknown user gets 404;
a line without a SIP secret 403.

Credentials come from the store (HA1 hashes, ``phone_sim.store.sipsecrets``) or, for a
company file, from its ``sip_secret`` keys, hashed at load and kept in memory only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from aiosipua import SipRequest, parse_auth, parse_uri

from phone_sim.network.company import LineSpec
from phone_sim.network.switch import Network
from phone_sim.sip import digest
from phone_sim.store.sipsecrets import ALGORITHMS, LOCK_SECONDS, MAX_FAILURES, user_names


class Credentials(Protocol):
    def ha1(self, line_id: str, username: str, algorithm: str) -> str | None: ...
    def locked(self, line_id: str) -> bool: ...
    def failed(self, line_id: str) -> bool: ...
    def succeeded(self, line_id: str) -> None: ...
    def lines(self) -> dict[str, bool]: ...


class FileCredentials:
    """The ``sip_secret`` keys of a company file, as HA1 hashes in memory."""

    def __init__(self, lines: Iterable[LineSpec], clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._ha1: dict[tuple[str, str, str], str] = {}
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}
        for line in lines:
            if line.sip_secret is not None:
                self._locked_until[line.id] = 0.0
                for name in user_names(line):
                    for algorithm in ALGORITHMS:
                        self._ha1[(line.id, name, algorithm)] = digest.ha1(name, line.sip_secret, algorithm)

    def ha1(self, line_id: str, username: str, algorithm: str) -> str | None:
        return self._ha1.get((line_id, username, algorithm))

    def locked(self, line_id: str) -> bool:
        return self.clock() < self._locked_until.get(line_id, 0.0)

    def failed(self, line_id: str) -> bool:
        count = self._failures.get(line_id, 0) + 1
        if count >= MAX_FAILURES:
            self._failures[line_id] = 0
            self._locked_until[line_id] = self.clock() + LOCK_SECONDS
            return True
        self._failures[line_id] = count
        return False

    def succeeded(self, line_id: str) -> None:
        self._failures.pop(line_id, None)

    def lines(self) -> dict[str, bool]:
        return {line: self.locked(line) for line in sorted(self._locked_until)}


@dataclass(frozen=True, slots=True)
class Verdict:
    """``ok`` (with the line), ``challenge`` (401), ``unknown`` (404), ``forbidden`` or ``locked`` (403)."""

    outcome: str
    line: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    failure: bool = False  # a wrong secret was given (logged)


def user_of(uri: str) -> str | None:
    try:
        user = parse_uri(uri).user
    except (ValueError, IndexError):
        return None
    return user or None


class Authenticator:
    def __init__(self, net: Network, credentials: Credentials, algorithms: tuple[str, ...] = (digest.MD5,),
                 nonces: digest.Nonces | None = None) -> None:
        self.net = net
        self.credentials = credentials
        self.algorithms = algorithms
        self.nonces = nonces or digest.Nonces()

    def line_named(self, user: str | None) -> str | None:
        """The line a SIP user name designates (id, number or short number), if any."""
        if not user:
            return None
        net = self.net
        party = net.parties.get(user) or net.by_number.get(user) or net.by_short.get(user)
        if party is None:
            normalised = net.plan.normalise(user)
            party = net.by_number.get(normalised) if normalised else None
        return party.id if party is not None and party.is_line else None

    def check(self, request: SipRequest, claimed: str | None) -> Verdict:
        """Authenticate ``request``; ``claimed`` is the user its To (REGISTER) or From names."""
        claimed_line = self.line_named(claimed)
        raw = request.get_header("authorization")
        if raw is None:
            if claimed is not None and claimed_line is None:
                return Verdict("unknown")
            return self._challenge()
        answer = digest.Answer.from_params(parse_auth(raw, credentials=True).params)
        if answer is None or answer.algorithm not in self.algorithms or answer.realm != digest.REALM:
            return self._challenge()
        line = self.line_named(answer.username)
        if line is None:
            return Verdict("unknown")
        if claimed_line is not None and claimed_line != line:
            return Verdict("forbidden", line)
        if self.credentials.locked(line):
            return Verdict("locked", line)
        stored = self.credentials.ha1(line, answer.username, answer.algorithm)
        if stored is None:
            return Verdict("forbidden", line)
        freshness = self.nonces.check(answer.nonce)
        if freshness != "ok":
            return self._challenge(stale=freshness == "stale")
        if digest.verify(answer, request.method, stored):
            self.credentials.succeeded(line)
            return Verdict("ok", line)
        if self.credentials.failed(line):
            return Verdict("locked", line, failure=True)
        verdict = self._challenge()
        return Verdict("challenge", line, verdict.headers, failure=True)

    def _challenge(self, stale: bool = False) -> Verdict:
        nonce = self.nonces.make()
        return Verdict("challenge", headers=tuple(("WWW-Authenticate", digest.challenge(nonce, a, stale))
                                                 for a in self.algorithms))
