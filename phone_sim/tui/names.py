"""People's and groups' names for the words shown (event log, portal), read from the
network shown at the moment of reading: never a company shown before, never a group's
old name. No Textual here."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


class NetworkNames(Mapping[str, str]):
    """Party and group ids -> names, read from the network shown at that moment (the log
    never names the people of a company shown before, nor a group's old name)."""

    def __init__(self, holder: Any) -> None:
        self.sim = holder  # anything with a ``net`` (the app, a portal session): read each time

    def __getitem__(self, ident: str) -> str:
        """The name of a party or group id, or of the line a number belongs to."""
        net = self.sim.net
        party = net.parties.get(ident) or net.by_number.get(ident)
        if party is not None:
            return party.name
        return net.groups.groups[ident].name

    def __iter__(self) -> Iterator[str]:
        net = self.sim.net
        return iter([*net.parties, *net.groups.groups])

    def __len__(self) -> int:
        net = self.sim.net
        return len(net.parties) + len(net.groups.groups)
