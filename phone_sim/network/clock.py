"""Virtual time: timers in integer milliseconds (SimPy-like).

The core never reads the wall clock. Headless replay jumps from timer to timer; the TUI
advances the same clock from a real-time driver with a speed factor.

Timers fire in (due time, order set) order. They are kept in slots of 8,192 ms: the
current slot's timers in a small heap, each later slot's in a list (appended as set) with
a heap of the slot numbers. Setting a timer for a later slot is an append, and firing one
works on a heap of the few timers due within seconds, however many are pending (one heap
of them all grew in depth and cache misses with the number of calls up).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

SLOT_BITS = 13  # a slot is 2**13 = 8,192 ms of virtual time

_Entry = tuple[int, int, "Timer"]


class Timer:
    """A pending call; ``cancel()`` makes it a no-op."""

    __slots__ = ("due", "fn", "args", "cancelled")

    def __init__(self, due: int, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.due = due
        self.fn = fn
        self.args = args
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class Clock:
    """Timers due at the same instant fire in the order they were set."""

    def __init__(self, start_ms: int = 0) -> None:
        self.now = start_ms
        self._seq = 0
        self._slot = start_ms >> SLOT_BITS  # every timer of this slot or before is in _near
        self._near: list[_Entry] = []  # a heap of (due, seq, timer)
        self._far: dict[int, list[_Entry]] = {}  # later slots: their entries, in the order set
        self._slots: list[int] = []  # a heap of _far's keys

    def call_at(self, due_ms: int, fn: Callable[..., Any], *args: Any) -> Timer:
        if due_ms < self.now:
            due_ms = self.now
        timer = Timer(due_ms, fn, args)
        self._seq += 1
        slot = due_ms >> SLOT_BITS
        if slot <= self._slot:
            heapq.heappush(self._near, (due_ms, self._seq, timer))
            return timer
        bucket = self._far.get(slot)
        if bucket is None:
            self._far[slot] = [(due_ms, self._seq, timer)]
            heapq.heappush(self._slots, slot)
        else:
            bucket.append((due_ms, self._seq, timer))
        return timer

    def call_later(self, delay_ms: int, fn: Callable[..., Any], *args: Any) -> Timer:
        return self.call_at(self.now + delay_ms, fn, *args)

    def _load(self, until_ms: int | None) -> bool:
        """The near heap is empty: move the next slot into it, if it starts by ``until_ms``."""
        slots = self._slots
        if not slots or (until_ms is not None and slots[0] << SLOT_BITS > until_ms):
            return False
        slot = heapq.heappop(slots)
        near = self._near
        near.extend(self._far.pop(slot))
        heapq.heapify(near)
        self._slot = slot
        return True

    def next_due(self) -> int | None:
        """When the next live timer is due, or None."""
        near = self._near
        while True:
            if not near and not self._load(None):
                return None
            if not near[0][2].cancelled:
                return near[0][0]
            heapq.heappop(near)

    def advance_to(self, target_ms: int) -> int:
        """Fire every timer due at or before ``target_ms`` in time order; return how many."""
        fired = 0
        near = self._near
        while True:
            if not near and not self._load(target_ms):
                break
            if near[0][0] > target_ms:
                break
            due, _, timer = heapq.heappop(near)
            if timer.cancelled:
                continue
            self.now = due
            timer.cancelled = True
            timer.fn(*timer.args)
            fired += 1
        if target_ms > self.now:
            self.now = target_ms
        return fired

    def advance(self, delta_ms: int) -> int:
        return self.advance_to(self.now + delta_ms)

    def settle(self) -> int:
        """Fire what is due now, without moving time."""
        return self.advance_to(self.now)

    def step(self) -> int | None:
        """Jump to the next timer and fire everything due then; the new time, or None."""
        due = self.next_due()
        if due is None:
            return None
        self.advance_to(due)
        return due

    def pending(self) -> int:
        entries = [self._near, *self._far.values()]
        return sum(1 for bucket in entries for _, _, t in bucket if not t.cancelled)


def format_ms(ms: int) -> str:
    """Virtual time as ``mm:ss.mmm`` (or ``h:mm:ss`` past an hour)."""
    seconds, milli = divmod(ms, 1000)
    minutes, sec = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{sec:02d}"
    return f"{minutes:02d}:{sec:02d}.{milli:03d}"
