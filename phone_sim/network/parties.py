"""Parties: the company's lines and the externals, with their live settings and state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from phone_sim.network.company import ExternalSpec, Forwarding, LineSpec, RingList

if TYPE_CHECKING:
    from phone_sim.network.calls import Leg

NO_FORWARDING = Forwarding()


class Party:
    """A handset on the network: a line of the company (in the VPN) or an external."""

    __slots__ = ("id", "name", "number", "short", "kind", "in_vpn", "options", "power", "location",
                 "forwarding", "ring_list", "call_waiting", "legs", "notice", "transient_tone")

    def __init__(
        self,
        ident: str,
        name: str,
        number: str,
        *,
        short: str | None = None,
        kind: str = "mobile",
        in_vpn: bool = True,
        options: frozenset[str] = frozenset(),
    ) -> None:
        self.id = ident
        self.name = name
        self.number = number
        self.short = short
        self.kind = kind  # mobile | fixed | external
        self.in_vpn = in_vpn
        self.options: set[str] = set(options)
        self.power = True
        self.location = "home"
        self.forwarding = NO_FORWARDING  # a frozen value: one for all, replaced when set
        self.ring_list: RingList | None = None
        self.call_waiting = True
        self.legs: list[Leg] = []
        # what the display shows until the next key: (code, detail)
        self.notice: tuple[str, str] | None = None
        # the network source heard after a release, until the next key: busy | announcement
        self.transient_tone: str | None = None

    @classmethod
    def from_line(cls, spec: LineSpec) -> Party:
        return cls(spec.id, spec.name, spec.number, short=spec.short, kind=spec.kind,
                   in_vpn=True, options=spec.options)

    @classmethod
    def from_external(cls, spec: ExternalSpec) -> Party:
        return cls(spec.id, spec.name, spec.number, kind="external", in_vpn=False)

    @property
    def is_line(self) -> bool:
        return self.in_vpn

    @property
    def reachable(self) -> bool:
        return self.power and self.location != "no_coverage"

    def has(self, option: str) -> bool:
        return option in self.options

    def __repr__(self) -> str:
        return f"<Party {self.id} {self.number}>"
