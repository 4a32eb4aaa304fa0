"""A group's queue of waiting callers, oldest first, at a cost independent of its length.

Callers are kept in arrival order (the hunt's key: arrival time, then sequence). An
arrival is an append; a departure (answered, hung up, dispatched) leaves a tombstone in
its slot, and tombstones are swept from the front, or all at once when they outnumber
the living; so arrival, departure and "who is the oldest" cost O(1) amortised. A caller
who comes back to the queue (nobody free after ringing) keeps their original place: that
rare insertion in the middle costs O(length).

The entry list is only ever appended to in place; sweeping, compacting and inserting in
the middle make a new list, so an iteration in progress (``__iter__``) goes on over the
queue as it was when it started, as a copy would, without the copy.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from phone_sim.network.grouphunt import GroupHunt

_KEY = itemgetter(0)
_SWEEP = 64  # tombstones tolerated before the list is rebuilt


class HuntQueue:
    """The callers waiting for one group (``GroupHunt``s), oldest first."""

    __slots__ = ("_entries", "_head", "_live")

    def __init__(self) -> None:
        self._entries: list[list[Any]] = []  # [key, hunt]; hunt None = a caller who left
        self._head = 0  # entries before it are all tombstones
        self._live = 0

    def __len__(self) -> int:
        return self._live

    def __bool__(self) -> bool:
        return self._live > 0

    def __iter__(self) -> Iterator[GroupHunt]:
        """The waiting callers, oldest first, as the queue was when iteration started."""
        entries, start, end = self._entries, self._head, len(self._entries)
        for i in range(start, end):
            hunt = entries[i][1]
            if hunt is not None:
                yield hunt

    def add(self, hunt: GroupHunt) -> int:
        """Queue ``hunt`` at its place by arrival; its position (1 = the next served)."""
        entry = [hunt.key, hunt]
        hunt.queue_entry = entry
        entries = self._entries
        self._live += 1
        if len(entries) == self._head or entries[-1][0] < hunt.key:
            entries.append(entry)
            return self._live
        at = bisect.bisect_left(entries, hunt.key, lo=self._head, key=_KEY)
        self._entries = entries[self._head:at] + [entry] + entries[at:]
        position = 1 + sum(1 for e in self._entries[:at - self._head] if e[1] is not None)
        self._head = 0
        return position

    def discard(self, hunt: GroupHunt) -> None:
        entry = hunt.queue_entry
        if entry is None or entry[1] is not hunt:
            return
        entry[1] = None
        hunt.queue_entry = None
        self._live -= 1
        self._sweep()

    def _sweep(self) -> None:
        entries, head = self._entries, self._head
        while head < len(entries) and entries[head][1] is None:
            head += 1
        dead = len(entries) - head - self._live
        if head == len(entries):
            self._entries, self._head = [], 0
        elif dead > _SWEEP and dead > self._live:
            self._entries, self._head = [e for e in entries[head:] if e[1] is not None], 0
        elif head > _SWEEP and 2 * head > len(entries):
            self._entries, self._head = entries[head:], 0
        else:
            self._head = head
