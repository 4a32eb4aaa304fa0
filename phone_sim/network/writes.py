"""What a portal change will write: the stored settings it touches, as they will be after it.

The portal computes these before it applies a change and hands them to its ``persist``
hook with the audit entry, so the durable store writes only the rows that change (one
line, or one group with its members) instead of the whole company.
"""

from __future__ import annotations

from dataclasses import dataclass

from phone_sim.network.company import Forwarding, GroupSpec, RingList


@dataclass(frozen=True, slots=True)
class LineRows:
    """Everything the store keeps of one line beyond its identity."""

    line: str
    options: frozenset[str]
    call_waiting: bool
    forwarding: Forwarding
    parked: tuple[tuple[str, str], ...]  # (condition, number) registered but deactivated
    ring_list: RingList | None


@dataclass(frozen=True, slots=True)
class GroupRows:
    """One group and its members (``spec`` None: the group is deleted)."""

    group: str
    spec: GroupSpec | None


Rows = LineRows | GroupRows
