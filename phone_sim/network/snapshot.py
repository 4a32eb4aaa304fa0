"""The live network's configuration as a ``CompanySpec`` (for validation, storage, export)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from phone_sim.network.company import CompanySpec, ExternalSpec, LineSpec

if TYPE_CHECKING:
    from phone_sim.network.switch import Network


def snapshot(net: Network) -> CompanySpec:
    lines = []
    externals = []
    for party in net.parties.values():
        if party.is_line:
            lines.append(LineSpec(party.id, party.name, party.number, party.short,
                                  "fixed" if party.kind == "fixed" else "mobile", frozenset(party.options)))
        else:
            externals.append(ExternalSpec(party.id, party.name, party.number))
    forwarding = {p.id: p.forwarding for p in net.parties.values() if p.is_line and not p.forwarding.is_empty()}
    incoming = {p.id: p.ring_list for p in net.parties.values() if p.is_line and p.ring_list is not None}
    return CompanySpec(
        name=net.name,
        lines=tuple(lines),
        externals=tuple(externals),
        groups=tuple(g.spec() for g in net.groups.groups.values()),
        forwarding=forwarding,
        incoming=incoming,
        plan=net.plan,
    )
