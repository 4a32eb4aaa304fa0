"""The core's ``transitions`` machines, by name: what diagrams and coverage read.

Every shared machine of a network is listed here (a test walks a network's objects and
fails on a machine missing from this list). Ring lists are not a state machine: a
``RingListHunt`` is a plain object stepping through its entries on timers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from transitions import Machine

if TYPE_CHECKING:
    from phone_sim.network.switch import Network

# name -> what the machine's models are, for the diagrams' captions
DESCRIPTIONS: dict[str, str] = {
    "leg": "One party's side of a call (phone_sim/network/calls.py). A leg starts in `calling` "
           "(the caller's) or `alerting` (a party being rung): a pooled leg is reset into one of them.",
    "call": "A call bridging legs (phone_sim/network/calls.py).",
    "group_hunt": "One caller offered to a call group: ringing members in turn, or waiting in the "
                  "queue (phone_sim/network/grouphunt.py).",
    "voice_menu": "One caller in a group's voice menu (phone_sim/network/voicemenu.py).",
}


def machines(net: Network) -> dict[str, Machine]:
    """The network's shared machines, by name, in a stable order."""
    return {
        "leg": net.factory.leg_machine,
        "call": net.factory.call_machine,
        "group_hunt": net.groups.machine,
        "voice_menu": net.groups.menus.machine,
    }


def states_of(machine: Machine) -> list[str]:
    return list(machine.states)


def transitions_of(machine: Machine) -> list[tuple[str, str, str]]:
    """Every (trigger, source, destination) the machine declares, in declaration order."""
    found: list[tuple[str, str, str]] = []
    for trigger, event in machine.events.items():
        for source, transitions in event.transitions.items():
            for transition in transitions:
                found.append((trigger, source, transition.dest or source))
    return found


def definition(machine: Machine) -> dict[str, Any]:
    """States, transitions (with their guards) and initial state, to rebuild the machine."""
    transitions = []
    for trigger, event in machine.events.items():
        for source, declared in event.transitions.items():
            for transition in declared:
                item: dict[str, Any] = {"trigger": trigger, "source": source, "dest": transition.dest}
                conditions = [c.func for c in transition.conditions if c.target]
                unless = [c.func for c in transition.conditions if not c.target]
                if conditions:
                    item["conditions"] = conditions
                if unless:
                    item["unless"] = unless
                transitions.append(item)
    return {"states": states_of(machine), "transitions": transitions, "initial": machine.initial}
