"""The registrar: which device is a line's handset now (SPEC 13).

One device per line: a new registration replaces the one before. A binding lasts the
expiry the device asks for (``Contact;expires=`` or ``Expires``), between 10 s and one
hour (3600 s when it does not say); ``Expires: 0`` or ``Contact: *`` removes it. The
gateway reaches the device at the address its REGISTER came from (over the same TCP
connection, or to the UDP source), which on a loopback set-up is its Contact.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiosipua import SipRequest, parse_address, stringify_uri

Addr = tuple[str, int]
DEFAULT_EXPIRES = 3600
MIN_EXPIRES = 10
MAX_EXPIRES = 3600


@dataclass(frozen=True, slots=True)
class Binding:
    line: str
    contact: str  # the device's Contact URI
    addr: Addr  # where its requests came from
    transport: str  # udp | tcp
    user_agent: str
    expires_at: float  # time.monotonic()

    def describe(self) -> str:
        """``SIP baresip 127.0.0.1:5070`` (what the line's handset shows)."""
        agent = self.user_agent.split()[0] if self.user_agent else "?"
        return f"SIP {agent} {self.addr[0]}:{self.addr[1]}"

    def expires_in(self, now: float | None = None) -> int:
        return max(0, round(self.expires_at - (time.monotonic() if now is None else now)))


class Registrar:
    def __init__(self, on_change: Callable[[str, Binding | None, Binding | None], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.bindings: dict[str, Binding] = {}
        self.on_change = on_change  # (line, old, new)
        self.clock = clock
        self._timers: dict[str, asyncio.TimerHandle] = {}

    def binding(self, line: str) -> Binding | None:
        binding = self.bindings.get(line)
        if binding is not None and binding.expires_at <= self.clock():
            self._remove(line)
            return None
        return binding

    def register(self, line: str, request: SipRequest, addr: Addr, transport: str) -> tuple[int, str, dict[str, str]]:
        """Apply a REGISTER already authenticated for ``line``: (status, phrase, headers)."""
        raw_contacts = request.headers.get("contact")
        expires_header = request.get_header("expires")
        if not raw_contacts:  # a query
            return 200, "OK", self._contact_headers(line)
        if any(c.strip() == "*" for c in raw_contacts):
            if (expires_header or "").strip() != "0":
                return 400, "Contact * needs Expires: 0", {}
            self._remove(line)
            return 200, "OK", {}
        try:
            contact = parse_address(raw_contacts[0])
        except (ValueError, IndexError):
            return 400, "Bad Contact", {}
        wanted = contact.params.get("expires") or expires_header
        try:
            expires = DEFAULT_EXPIRES if wanted is None else int(str(wanted).strip())
        except ValueError:
            return 400, "Bad Expires", {}
        uri = stringify_uri(contact.uri)
        if expires <= 0:
            current = self.bindings.get(line)
            if current is not None and current.contact == uri:
                self._remove(line)
            return 200, "OK", {}
        if expires < MIN_EXPIRES:
            return 423, "Interval Too Brief", {"Min-Expires": str(MIN_EXPIRES)}
        expires = min(expires, MAX_EXPIRES)
        binding = Binding(line, uri, addr, transport, request.get_header("user-agent") or "",
                          self.clock() + expires)
        old = self.bindings.get(line)
        self.bindings[line] = binding
        self._arm(line, expires)
        if self.on_change is not None and (old is None or (old.contact, old.addr) != (uri, addr)):
            self.on_change(line, old, binding)
        return 200, "OK", self._contact_headers(line)

    def remove_all(self) -> None:
        for line in list(self.bindings):
            self._remove(line)

    def _contact_headers(self, line: str) -> dict[str, str]:
        binding = self.binding(line)
        if binding is None:
            return {}
        return {"Contact": f"<{binding.contact}>;expires={binding.expires_in(self.clock())}"}

    def _arm(self, line: str, seconds: float) -> None:
        timer = self._timers.pop(line, None)
        if timer is not None:
            timer.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop (unit tests): expiry is checked when the binding is read
        self._timers[line] = loop.call_later(seconds, self._expire, line)

    def _expire(self, line: str) -> None:
        self._timers.pop(line, None)
        binding = self.bindings.get(line)
        if binding is not None and binding.expires_at <= self.clock() + 0.05:
            self._remove(line)

    def _remove(self, line: str) -> None:
        timer = self._timers.pop(line, None)
        if timer is not None:
            timer.cancel()
        old = self.bindings.pop(line, None)
        if old is not None and self.on_change is not None:
            self.on_change(line, old, None)
