"""Call detail records: one line per call, built from the event stream like any face.

``CdrCollector(bus)`` listens for calls starting, being forwarded, queued, answered,
transferred and ending, and keeps a ``CallRecord`` for each ended call.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from typing import TextIO

from phone_sim.network import events as ev


@dataclass(frozen=True, slots=True)
class CallRecord:
    call_id: int
    caller: str
    dialled: str
    started_ms: int
    answered_by: str | None = None
    answered_ms: int | None = None
    ended_ms: int | None = None
    reason: str = ""
    released_by: str | None = None
    forwarded_via: tuple[str, ...] = ()
    queued: bool = False
    transferred_by: str | None = None

    @property
    def talk_ms(self) -> int:
        """Time from answer to end (0 for an unanswered call)."""
        if self.answered_ms is None or self.ended_ms is None:
            return 0
        return self.ended_ms - self.answered_ms


@dataclass
class CdrCollector:
    """Subscribe to a network's bus; ``records`` grows as calls end."""

    records: list[CallRecord] = field(default_factory=list)
    _open: dict[int, CallRecord] = field(default_factory=dict)

    def __call__(self, event: ev.Event) -> None:
        match event:
            case ev.CallDidStart(time=t, call_id=cid, caller=caller, dialled=dialled):
                self._open[cid] = CallRecord(cid, caller, dialled, t)
            case ev.CallDidForward(call_id=cid, from_party=who):
                self._update(cid, lambda r: replace(r, forwarded_via=r.forwarded_via + (who,)))
            case ev.CallDidQueue(call_id=cid):
                self._update(cid, lambda r: replace(r, queued=True))
            case ev.CallDidAnswer(time=t, call_id=cid, party=party):
                self._update(cid, lambda r: replace(r, answered_by=party, answered_ms=t))
            case ev.CallDidTransfer(by=by, call_id=cid):
                self._update(cid, lambda r: replace(r, transferred_by=by))
            case ev.CallDidEnd(time=t, call_id=cid, reason=reason, released_by=by):
                record = self._open.pop(cid, None)
                if record is not None:
                    self.records.append(replace(record, ended_ms=t, reason=reason, released_by=by))

    def _update(self, call_id: int, change: object) -> None:
        record = self._open.get(call_id)
        if record is not None and callable(change):
            self._open[call_id] = change(record)

    @property
    def in_progress(self) -> int:
        return len(self._open)

    def with_open_calls(self) -> list[CallRecord]:
        """Ended calls, then the calls still in progress (reason ``in_progress``)."""
        return self.records + [replace(r, reason="in_progress") for r in self._open.values()]


def write_csv(records: Iterable[CallRecord], out: TextIO, source: str | None = None,
              header: bool = True) -> int:
    """Write records as CSV; ``source`` adds a first column (e.g. the scenario file)."""
    names = [f.name for f in fields(CallRecord)] + ["talk_ms"]
    if source is not None:
        names.insert(0, "source")
    writer = csv.DictWriter(out, fieldnames=names)
    if header:
        writer.writeheader()
    count = 0
    for record in records:
        row: dict[str, object] = asdict(record)
        if source is not None:
            row["source"] = source
        row["forwarded_via"] = " ".join(record.forwarded_via)
        row["talk_ms"] = record.talk_ms
        writer.writerow(row)
        count += 1
    return count
