"""The event bus: subscription order, listeners that ask for some kinds only, ``wants``."""

from __future__ import annotations

from phone_sim.network import events as ev
from phone_sim.network.clock import Clock
from phone_sim.network.company import CompanySpec, LineSpec
from phone_sim.network.switch import Network


def test_listeners_are_called_in_subscription_order_typed_or_not() -> None:
    bus = ev.EventBus()
    seen: list[tuple[str, str]] = []
    bus.subscribe(lambda e: seen.append(("all", type(e).__name__)))
    stop = bus.subscribe(lambda e: seen.append(("calls", type(e).__name__)), (ev.CallDidStart, ev.CallDidEnd))
    bus.subscribe(lambda e: seen.append(("last", type(e).__name__)))
    bus.publish(ev.CallDidStart(0, 1, "A", "B"))
    bus.publish(ev.HandsetDidChange(0, "A"))
    assert seen == [("all", "CallDidStart"), ("calls", "CallDidStart"), ("last", "CallDidStart"),
                    ("all", "HandsetDidChange"), ("last", "HandsetDidChange")]
    stop()
    stop()  # twice: harmless
    seen.clear()
    bus.publish(ev.CallDidStart(0, 2, "A", "B"))
    assert seen == [("all", "CallDidStart"), ("last", "CallDidStart")]


def test_wants_follows_subscriptions() -> None:
    bus = ev.EventBus()
    assert not bus.wants(ev.HandsetDidChange)
    stop_typed = bus.subscribe(lambda e: None, (ev.CallDidStart,))
    assert bus.wants(ev.CallDidStart) and not bus.wants(ev.HandsetDidChange)
    stop_all = bus.subscribe(lambda e: None)
    assert bus.wants(ev.HandsetDidChange)
    stop_all()
    assert not bus.wants(ev.HandsetDidChange) and bus.wants(ev.CallDidStart)
    stop_typed()
    assert not bus.wants(ev.CallDidStart)
    bus.subscribe(lambda e: None, (ev.Event,))  # a base class: every kind
    assert bus.wants(ev.HandsetDidChange)


def test_the_switch_builds_handset_notices_only_for_a_listener_that_wants_them() -> None:
    line = LineSpec("A", "A", "0600000001", None, "mobile", frozenset({"pabx"}))
    other = LineSpec("B", "B", "0600000002", None, "mobile", frozenset({"pabx"}))
    net = Network(CompanySpec(name="c", lines=(line, other)), Clock())
    typed: list[ev.Event] = []
    net.bus.subscribe(typed.append, (ev.CallDidStart, ev.CallDidAnswer))
    net.dial("A", "0600000002")
    net.answer("B")
    assert [type(e) for e in typed] == [ev.CallDidStart, ev.CallDidAnswer]
    everything: list[ev.Event] = []
    net.bus.subscribe(everything.append)
    net.end("A")
    assert ev.HandsetDidChange in {type(e) for e in everything}
    assert ev.CallDidEnd in {type(e) for e in everything} and ev.CallDidEnd not in {type(e) for e in typed}
