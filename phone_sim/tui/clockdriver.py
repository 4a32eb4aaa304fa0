"""Drives the network's virtual clock from real time: speed, pause, step, advance.

No Textual here: the app calls ``tick`` from an interval timer with the monotonic time,
so the driver never blocks and can be tested by handing it made-up instants.
"""

from __future__ import annotations

from phone_sim.network.clock import Clock

SPEEDS = (1, 2, 10)


class ClockDriver:
    """Real time scaled by ``speed``; paused, the clock only moves by ``step``/``advance``."""

    def __init__(self, clock: Clock, speed: int = 1, paused: bool = False) -> None:
        self.clock = clock
        self.speed = speed
        self.paused = paused
        self._last: float | None = None
        self._carry = 0.0  # fractions of a millisecond not yet applied

    def tick(self, real_now: float) -> bool:
        """Advance by the real time since the last tick (times speed); True if time moved."""
        last, self._last = self._last, real_now
        if self.paused or last is None or real_now <= last:
            # paused, time stands still but what is due now still happens (a portal change
            # made from another screen may have scheduled work for this instant)
            return self.clock.settle() > 0
        elapsed = (real_now - last) * 1000.0 * self.speed + self._carry
        whole = int(elapsed + 1e-6)  # 999.9999999 ms of float arithmetic is 1000 ms
        self._carry = elapsed - whole
        if whole <= 0:
            return False
        self.clock.advance(whole)
        return True

    def resync(self) -> None:
        """Forget the last tick: real time that went by meanwhile does not count."""
        self._last = None
        self._carry = 0.0

    def toggle_pause(self) -> bool:
        self.paused = not self.paused
        self._last = None
        self._carry = 0.0
        return self.paused

    def cycle_speed(self) -> int:
        self.speed = SPEEDS[(SPEEDS.index(self.speed) + 1) % len(SPEEDS)] if self.speed in SPEEDS else SPEEDS[0]
        return self.speed

    def step(self) -> int | None:
        """Jump to the next timer and fire it (the new time), or None when none is pending."""
        return self.clock.step()

    def advance(self, ms: int) -> None:
        self.clock.advance(ms)
