"""SIP messages that parse each header once, and transaction keys made once per Via.

aiosipua's messages parse a header again at each access (``via``, ``from_addr``,
``to_addr``, ``cseq``, ``contact``), and a request is read by our guards, the gateway,
the library's UAS and its dialog: five or more parses of the same text. ``Request`` and
``Response`` are the library's classes whose accessors keep what they parsed for as long
as the header's text is the same (a header set again is parsed again). What they return
is shared between readers: read it, never change it in place (``parse_via`` and
``parse_address`` give a copy to change).

``via_key`` is the transaction key of a top Via (branch, sent-by), kept for the few
thousand most recent Via values: a request and each response to it carry the same text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aiosipua import SipMessage, SipRequest, SipResponse
from aiosipua.headers import Address, CSeq, Via, parse_address, parse_cseq, parse_via

T = TypeVar("T")
_VIA_KEYS: dict[str, tuple[str, str] | None] = {}
MAX_VIA_KEYS = 4096


class _Parsed:
    """Accessors that keep their parse (mixed into aiosipua's request and response)."""

    headers: Any

    def _kept(self, name: str, raw: object, parse: Callable[[], T]) -> T:
        memo: dict[str, tuple[object, Any]] | None = self.__dict__.get("_parsed")
        if memo is None:
            memo = self.__dict__["_parsed"] = {}
        hit = memo.get(name)
        if hit is not None and hit[0] == raw:
            return hit[1]  # type: ignore[no-any-return]
        value = parse()
        memo[name] = (raw, value)
        return value

    def _via(self) -> list[Via]:
        raw = tuple(self.headers.get("via"))
        return self._kept("via", raw, lambda: [parse_via(v) for v in raw])

    def _from(self) -> Address | None:
        raw = self.headers.get_first("from")
        return self._kept("from", raw, lambda: parse_address(raw) if raw else None)

    def _to(self) -> Address | None:
        raw = self.headers.get_first("to")
        return self._kept("to", raw, lambda: parse_address(raw) if raw else None)

    def _cseq(self) -> CSeq | None:
        raw = self.headers.get_first("cseq")
        return self._kept("cseq", raw, lambda: parse_cseq(raw) if raw else None)

    def _contact(self) -> list[Address]:
        raw = tuple(self.headers.get("contact"))
        return self._kept("contact", raw, lambda: [parse_address(v) for v in raw])

    via = property(_via, SipMessage.via.fset)  # type: ignore[attr-defined]
    from_addr = property(_from, SipMessage.from_addr.fset)  # type: ignore[attr-defined]
    to_addr = property(_to, SipMessage.to_addr.fset)  # type: ignore[attr-defined]
    cseq = property(_cseq, SipMessage.cseq.fset)  # type: ignore[attr-defined]
    contact = property(_contact, SipMessage.contact.fset)  # type: ignore[attr-defined]


class Request(_Parsed, SipRequest):
    """An incoming request (see the module's docstring)."""


class Response(_Parsed, SipResponse):
    """An incoming response."""


def kept(message: SipRequest | SipResponse) -> Request | Response:
    """The same message, with accessors that keep their parse."""
    if isinstance(message, Request | Response):
        return message
    if isinstance(message, SipRequest):
        return Request(headers=message.headers, body=message.body, method=message.method, uri=message.uri)
    return Response(headers=message.headers, body=message.body, status_code=message.status_code,
                    reason_phrase=message.reason_phrase)


def parse(data: bytes) -> Request | Response:
    """aiosipua's parse, as a message that keeps its parses (ValueError and the like as it raises)."""
    return kept(SipMessage.parse(data))


def top_via(message: SipRequest | SipResponse) -> Via:
    """The top Via, parsed once for a kept message (IndexError without one; only read it)."""
    raw = message.headers.get("via")[0]
    if isinstance(message, _Parsed):
        return message._kept("via0", raw, lambda: parse_via(raw))  # noqa: SLF001
    return parse_via(raw)


def via_key(raw: str, parsed: Via | None = None) -> tuple[str, str] | None:
    """(branch, ``host:port``) of a top Via value; None without a branch."""
    try:
        return _VIA_KEYS[raw]
    except KeyError:
        pass
    via = parsed if parsed is not None else parse_via(raw)
    key = (via.branch, f"{via.host}:{via.port}") if via.branch else None
    if len(_VIA_KEYS) >= MAX_VIA_KEYS:
        _VIA_KEYS.clear()
    _VIA_KEYS[raw] = key
    return key
