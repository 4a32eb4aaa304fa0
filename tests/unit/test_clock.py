"""Virtual time: order at one instant, timers set while time advances, cancelling."""

from __future__ import annotations

from phone_sim.network.clock import Clock, format_ms


def test_timers_due_at_the_same_instant_fire_in_the_order_they_were_set() -> None:
    clock = Clock()
    fired: list[str] = []
    for name in "cab":
        clock.call_later(5_000, fired.append, name)
    clock.call_at(5_000, fired.append, "d")
    clock.advance(5_000)
    assert fired == ["c", "a", "b", "d"]


def test_timers_fire_in_time_order_with_now_at_their_due_time() -> None:
    clock = Clock()
    seen: list[tuple[str, int]] = []
    clock.call_later(3_000, lambda: seen.append(("late", clock.now)))
    clock.call_later(1_000, lambda: seen.append(("early", clock.now)))
    assert clock.advance(10_000) == 2
    assert seen == [("early", 1_000), ("late", 3_000)]
    assert clock.now == 10_000


def test_a_delay_is_inclusive() -> None:
    clock = Clock()
    fired: list[int] = []
    clock.call_later(30_000, lambda: fired.append(clock.now))
    clock.advance(29_999)
    assert fired == []
    clock.advance(1)
    assert fired == [30_000]


def test_a_timer_set_during_an_advance_fires_if_due_within_it() -> None:
    clock = Clock()
    fired: list[tuple[str, int]] = []

    def first() -> None:
        fired.append(("first", clock.now))
        clock.call_later(2_000, lambda: fired.append(("inside", clock.now)))
        clock.call_later(9_000, lambda: fired.append(("outside", clock.now)))

    clock.call_later(1_000, first)
    clock.advance(5_000)
    assert fired == [("first", 1_000), ("inside", 3_000)]
    clock.advance(5_000)
    assert fired[-1] == ("outside", 10_000)


def test_a_timer_set_for_now_during_an_instant_fires_after_those_already_due() -> None:
    clock = Clock()
    fired: list[str] = []

    def a() -> None:
        fired.append("a")
        clock.call_later(0, fired.append, "a-now")

    clock.call_later(1_000, a)
    clock.call_later(1_000, fired.append, "b")
    clock.advance(1_000)
    assert fired == ["a", "b", "a-now"]


def test_cancel_prevents_firing() -> None:
    clock = Clock()
    fired: list[str] = []
    keep = clock.call_later(1_000, fired.append, "keep")
    drop = clock.call_later(1_000, fired.append, "drop")
    assert clock.pending() == 2
    drop.cancel()
    assert clock.pending() == 1
    assert clock.next_due() == 1_000
    clock.advance(1_000)
    assert fired == ["keep"]
    assert keep.cancelled  # a fired timer is spent
    assert clock.pending() == 0 and clock.next_due() is None


def test_cancel_from_an_earlier_timer_at_the_same_instant() -> None:
    clock = Clock()
    fired: list[str] = []
    later = clock.call_later(500, fired.append, "later")
    clock.call_later(500, later.cancel)  # set after `later`: too late to stop it
    victim = clock.call_later(500, fired.append, "victim")
    clock.call_at(500, victim.cancel)  # set after `victim` too
    clock.advance(500)
    assert fired == ["later", "victim"]
    stopped = clock.call_later(500, fired.append, "stopped")
    clock.call_at(0, stopped.cancel)  # in the past: due now, before `stopped`
    clock.advance(500)
    assert fired == ["later", "victim"]


def test_settle_fires_what_is_due_now_without_moving_time() -> None:
    clock = Clock(start_ms=2_000)
    fired: list[str] = []
    clock.call_later(0, fired.append, "now")
    clock.call_later(1, fired.append, "soon")
    assert clock.settle() == 1
    assert fired == ["now"] and clock.now == 2_000


def test_step_jumps_to_the_next_timer() -> None:
    clock = Clock()
    fired: list[str] = []
    clock.call_later(7_000, fired.append, "x")
    clock.call_later(7_000, fired.append, "y")
    assert clock.step() == 7_000
    assert fired == ["x", "y"] and clock.now == 7_000
    assert clock.step() is None


def test_a_timer_in_the_past_is_due_now() -> None:
    clock = Clock(start_ms=10_000)
    timer = clock.call_at(1_000, lambda: None)
    assert timer.due == 10_000


def test_format_ms() -> None:
    assert format_ms(0) == "00:00.000"
    assert format_ms(61_250) == "01:01.250"
    assert format_ms(3_725_000) == "1:02:05"


def test_timers_across_slots_fire_as_one_sorted_list_would() -> None:
    """Random delays (same instant, same slot, far slots), timers set and cancelled while
    time advances, advance/step/settle/next_due: the order is (due, order set) always."""
    import random

    rng = random.Random(5)
    clock = Clock(start_ms=1_000_003)  # not on a slot boundary
    fired: list[tuple[int, int]] = []
    live: dict[int, int] = {}  # n -> due, of every timer neither fired nor cancelled
    timers: dict[int, object] = {}
    counter = iter(range(1, 1_000_000))

    def delay() -> int:
        return rng.choice((0, 0, 1, 8191, 8192, 8193, rng.randint(0, 20_000), rng.randint(0, 400_000)))

    def set_one() -> None:
        n = next(counter)
        due = clock.now + delay()
        timers[n] = clock.call_at(due, fire, n, due)
        live[n] = due

    def fire(n: int, due: int) -> None:
        assert clock.now == due
        fired.append((due, n))
        del live[n]
        for _ in range(rng.choice((0, 0, 1, 2))):
            set_one()
        if rng.random() < 0.2 and timers:
            victim = rng.choice(list(timers))
            timers[victim].cancel()  # type: ignore[attr-defined]
            live.pop(victim, None)

    for _ in range(300):
        set_one()
    while True:
        assert clock.pending() == len(live)
        assert clock.next_due() == min(live.values(), default=None)
        what = rng.random()
        if what < 0.4:
            if clock.step() is None:
                break
        elif what < 0.7:
            clock.advance(rng.randint(0, 5_000))
        elif what < 0.8:
            clock.settle()
        else:
            set_one()
    assert not live and clock.pending() == 0
    assert len(fired) > 300 and fired == sorted(fired)
