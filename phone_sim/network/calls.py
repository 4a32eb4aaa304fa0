"""Calls and legs as ``transitions`` state machines (one shared Machine per kind).

A *call* bridges *legs*, one per party. Each network has one ``SharedMachine`` per kind
(machines.py) and binds it once to its own subclass of ``Leg`` and ``Call``, so attaching
or detaching a model costs the same with 10 or 40,000 live legs. Models are pooled: a
released leg or call goes back to its pool and is reset for the next one; pools keep at
most ``POOL_CAP`` idle models and detach the rest.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from transitions import MachineError

from phone_sim.network.sharedmachine import SharedMachine

if TYPE_CHECKING:
    from phone_sim.network.clock import Timer
    from phone_sim.network.parties import Party

POOL_CAP = 65_536  # idle models kept (40,000 legs at 20,000 calls up at once): beyond, they are detached

LEG_STATES = ["calling", "alerting", "connected", "held", "released"]
LEG_TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "connect", "source": "calling", "dest": "connected"},
    {"trigger": "answer", "source": "alerting", "dest": "connected"},
    {"trigger": "hold", "source": "connected", "dest": "held"},
    {"trigger": "retrieve", "source": "held", "dest": "connected"},
    {"trigger": "release", "source": ["calling", "alerting", "connected", "held"], "dest": "released"},
]
CALL_STATES = ["setup", "connected", "released"]
CALL_TRANSITIONS: list[dict[str, Any]] = [
    {"trigger": "connect", "source": "setup", "dest": "connected"},
    {"trigger": "release", "source": ["setup", "connected"], "dest": "released"},
]


def _machine(states: list[str], transitions: list[dict[str, Any]], initial: str) -> SharedMachine:
    return SharedMachine(
        model=None,
        states=states,
        transitions=transitions,
        initial=initial,
        auto_transitions=False,
        queued=True,
        send_event=False,
    )


class Leg:
    """One party's side of a call. ``state`` is owned by the leg machine."""

    state: str
    # triggers bound by transitions
    connect: Any
    answer: Any
    hold: Any
    retrieve: Any
    release: Any

    def __init__(self) -> None:
        self.id = 0
        self.party: Party = None  # type: ignore[assignment]
        self.call: Call = None  # type: ignore[assignment]
        self.originating = False
        self.forwarded_from: tuple[str, ...] = ()
        self.group: str | None = None
        self.started = 0
        self.answered_at: int | None = None
        self.timer: Timer | None = None
        self.dtmf = ""  # digits received in-band on this leg, shown on the display

    def reset(self, leg_id: int, party: Party, call: Call, originating: bool, now: int) -> None:
        self.id = leg_id
        self.party = party
        self.call = call
        self.originating = originating
        self.forwarded_from = ()
        self.group = None
        self.started = now
        self.answered_at = None
        self.timer = None
        self.dtmf = ""
        self.state = "calling" if originating else "alerting"

    def cancel_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def __repr__(self) -> str:
        party = self.party.id if self.party is not None else "?"
        return f"<Leg {self.id} {party} {getattr(self, 'state', '?')}>"


class Call:
    """Legs bridged together; ``legs`` are the answered parties (caller first)."""

    state: str
    connect: Any
    release: Any

    def __init__(self) -> None:
        self.id = 0
        self.caller: Leg = None  # type: ignore[assignment]
        self.dialled = ""
        self.legs: list[Leg] = []
        self.alerting: list[Leg] = []
        self.chain: list[str] = []
        self.hops = 0
        self.hunt: Any = None  # the routing strategy offering the call (ring list, group)
        self.service: Any = None  # a network service answering the call (voice menu)
        self.group: str | None = None
        self.organiser: Party | None = None
        self.queued = False
        self.started = 0
        self.answered_at: int | None = None

    def reset(self, call_id: int, dialled: str, now: int) -> None:
        self.id = call_id
        self.caller = None  # type: ignore[assignment]
        self.dialled = dialled
        self.legs = []
        self.alerting = []
        self.chain = []
        self.hops = 0
        self.hunt = None
        self.service = None
        self.group = None
        self.organiser = None
        self.queued = False
        self.started = now
        self.answered_at = None
        self.state = "setup"

    def live_legs(self) -> list[Leg]:
        return [leg for leg in self.legs if leg.state != "released"]

    def __repr__(self) -> str:
        return f"<Call {self.id} {getattr(self, 'state', '?')} {[leg.party.id for leg in self.legs]}>"


class Pool:
    """Models of one shared machine, reused.

    The machine is bound to a subclass of ``kind`` made for it (so two networks' machines
    never share a class); its models attach and detach in O(1).
    """

    def __init__(self, machine: SharedMachine, kind: type) -> None:
        self.machine = machine
        self.factory = machine.bind(type(kind.__name__, (kind,), {"__module__": kind.__module__}))
        self.idle: list[Any] = []
        self.live = 0

    def take(self) -> Any:
        self.live += 1
        if self.idle:
            return self.idle.pop()
        model = self.factory()
        self.machine.add_model(model)
        return model

    def give(self, model: Any) -> None:
        self.live -= 1
        if len(self.idle) < POOL_CAP:
            self.idle.append(model)
        else:
            self.machine.remove_model(model)

    def attached(self) -> int:
        return len(self.machine.models)


class CallFactory:
    """Makes and recycles calls and legs; counts the triggers it fires (for benchmarks)."""

    def __init__(self) -> None:
        self.leg_machine = _machine(LEG_STATES, LEG_TRANSITIONS, "calling")
        self.call_machine = _machine(CALL_STATES, CALL_TRANSITIONS, "setup")
        self.legs = Pool(self.leg_machine, Leg)
        self.calls = Pool(self.call_machine, Call)
        self._ids = itertools.count(1)
        self.triggers = 0

    def new_call(self, dialled: str, now: int) -> Call:
        call: Call = self.calls.take()
        call.reset(next(self._ids), dialled, now)
        return call

    def new_leg(self, party: Party, call: Call, originating: bool, now: int) -> Leg:
        leg: Leg = self.legs.take()
        leg.reset(next(self._ids), party, call, originating, now)
        return leg

    def fire(self, model: Leg | Call, trigger: str) -> bool:
        """Fire a trigger; False (never an exception) when the state does not allow it."""
        try:
            getattr(model, trigger)()
        except MachineError:
            return False
        self.triggers += 1
        return True

    def recycle_leg(self, leg: Leg) -> None:
        leg.cancel_timer()
        leg.party = None  # type: ignore[assignment]
        leg.call = None  # type: ignore[assignment]
        self.legs.give(leg)

    def recycle_call(self, call: Call) -> None:
        call.caller = None  # type: ignore[assignment]
        call.legs = []
        call.alerting = []
        call.hunt = None
        call.service = None
        call.organiser = None
        self.calls.give(call)
