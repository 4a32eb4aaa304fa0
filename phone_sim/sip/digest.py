"""HTTP digest authentication for SIP, server side (RFC 3261 §22, RFC 7616, RFC 8760).

Owns the hashes (HA1 of ``user:realm:secret``, the response check) and the nonces. A
secret is never kept: the store and the company files give HA1 values only. Nonces are
stateless: the time they were made and an HMAC of it under a key drawn at start, so a
nonce from another run, or a forged one, is refused, and an old one is ``stale`` (the
device retries with a fresh nonce, silently, and that does not count as a failure).

The response is checked against the ``uri`` the device put in its Authorization header,
not against the Request-URI: SIPp 3.6 computes its digest over ``sip:IP:PORT`` whatever
it dials, and the uri parameter is what its response covers.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from phone_sim.store.sipsecrets import ALGORITHMS, REALM, ha1

__all__ = ["ALGORITHMS", "MD5", "REALM", "SHA256", "Answer", "Nonces", "challenge", "ha1", "parse_algorithms",
           "verify"]

MD5 = "MD5"
SHA256 = "SHA-256"
NONCE_LIFETIME_S = 300.0


def _h(algorithm: str, data: str) -> str:
    return ALGORITHMS[algorithm](data.encode("utf-8")).hexdigest()


def parse_algorithms(value: str) -> tuple[str, ...]:
    """``md5``, ``sha256`` or ``both`` (SHA-256 offered first, then MD5) -> algorithm names."""
    choice = value.strip().lower()
    if choice == "md5":
        return (MD5,)
    if choice in ("sha256", "sha-256"):
        return (SHA256,)
    if choice == "both":
        return (SHA256, MD5)
    raise ValueError(f"digest algorithm {value!r}: md5, sha256 or both")


class Nonces:
    """Makes and checks stateless nonces (time + HMAC under a per-run key)."""

    def __init__(self, clock: Callable[[], float] = time.time, lifetime_s: float = NONCE_LIFETIME_S) -> None:
        self._key = os.urandom(32)
        self._clock = clock
        self.lifetime_s = lifetime_s

    def make(self) -> str:
        stamp = f"{int(self._clock() * 1000):x}"
        return f"{stamp}.{self._mac(stamp)}"

    def check(self, nonce: str) -> str:
        """``ok``, ``stale`` (ours but too old) or ``bad`` (not made by this gateway)."""
        stamp, _, mac = nonce.partition(".")
        if not stamp or not hmac.compare_digest(mac, self._mac(stamp)):
            return "bad"
        try:
            made = int(stamp, 16) / 1000
        except ValueError:
            return "bad"
        age = self._clock() - made
        return "ok" if -1.0 <= age <= self.lifetime_s else "stale"

    def _mac(self, stamp: str) -> str:
        return hmac.new(self._key, stamp.encode("ascii", "replace"), hashlib.sha256).hexdigest()[:24]


def challenge(nonce: str, algorithm: str, stale: bool = False, realm: str = REALM) -> str:
    """One WWW-Authenticate value."""
    value = f'Digest realm="{realm}", nonce="{nonce}", algorithm={algorithm}, qop="auth"'
    return value + ", stale=true" if stale else value


@dataclass(frozen=True, slots=True)
class Answer:
    """The parts of an Authorization header a check needs."""

    username: str
    realm: str
    nonce: str
    uri: str
    response: str
    algorithm: str = MD5
    qop: str = ""
    nc: str = ""
    cnonce: str = ""

    @classmethod
    def from_params(cls, params: dict[str, str]) -> Answer | None:
        """From parsed Authorization parameters; None when a mandatory one is missing."""
        try:
            algorithm = params.get("algorithm", MD5).upper()
            if algorithm not in ALGORITHMS:
                return None
            return cls(params["username"], params.get("realm", ""), params["nonce"], params["uri"],
                       params["response"].lower(), algorithm, params.get("qop", "").lower(),
                       params.get("nc", ""), params.get("cnonce", ""))
        except KeyError:
            return None


def verify(answer: Answer, method: str, stored_ha1: str) -> bool:
    """Is ``answer.response`` right for this method, given the stored HA1?"""
    ha2 = _h(answer.algorithm, f"{method}:{answer.uri}")
    if answer.qop == "auth":
        expected = _h(answer.algorithm, f"{stored_ha1}:{answer.nonce}:{answer.nc}:{answer.cnonce}:auth:{ha2}")
    elif not answer.qop:
        expected = _h(answer.algorithm, f"{stored_ha1}:{answer.nonce}:{ha2}")
    else:
        return False  # auth-int is not offered
    return hmac.compare_digest(expected, answer.response)
