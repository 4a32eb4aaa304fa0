"""Virtual time: a heap of timers in integer milliseconds (SimPy-like).

The core never reads the wall clock. Headless replay jumps from timer to timer; the TUI
advances the same clock from a real-time driver with a speed factor.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any


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
        self._heap: list[tuple[int, int, Timer]] = []
        self._seq = 0

    def call_at(self, due_ms: int, fn: Callable[..., Any], *args: Any) -> Timer:
        timer = Timer(max(due_ms, self.now), fn, args)
        self._seq += 1
        heapq.heappush(self._heap, (timer.due, self._seq, timer))
        return timer

    def call_later(self, delay_ms: int, fn: Callable[..., Any], *args: Any) -> Timer:
        return self.call_at(self.now + delay_ms, fn, *args)

    def next_due(self) -> int | None:
        """When the next live timer is due, or None."""
        heap = self._heap
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
        return heap[0][0] if heap else None

    def advance_to(self, target_ms: int) -> int:
        """Fire every timer due at or before ``target_ms`` in time order; return how many."""
        fired = 0
        heap = self._heap
        while heap and heap[0][0] <= target_ms:
            due, _, timer = heapq.heappop(heap)
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
        return sum(1 for _, _, t in self._heap if not t.cancelled)


def format_ms(ms: int) -> str:
    """Virtual time as ``mm:ss.mmm`` (or ``h:mm:ss`` past an hour)."""
    seconds, milli = divmod(ms, 1000)
    minutes, sec = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{sec:02d}"
    return f"{minutes:02d}:{sec:02d}.{milli:03d}"
