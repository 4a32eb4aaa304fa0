"""What one handset widget shows, computed from the network (no Textual here).

The phones screen computes a ``HandsetFace`` for a handset that changed and hands it
down to its widget; the widget only draws it. Keeping the computation here makes it
testable without a terminal and keeps widgets free of network knowledge.
"""

from __future__ import annotations

from dataclasses import dataclass

from phone_sim.handset.display import display_lines
from phone_sim.handset.handset import Handset
from phone_sim.network.catalogue import text
from phone_sim.network.company import FORWARDING_TYPES, OPTIONS
from phone_sim.network.printable import ascii_digits
from phone_sim.network.switch import Network


@dataclass(frozen=True, slots=True)
class HandsetFace:
    party: str
    name: str
    number: str
    options: str
    status: str
    lines: tuple[str, ...]
    tone: str
    power: bool
    ringing: bool
    in_call: bool
    location: str


def format_number(number: str) -> str:
    """``0601020301`` -> ``06 01 02 03 01``; other numbers as they are."""
    if len(number) == 10 and ascii_digits(number):
        return " ".join(number[i:i + 2] for i in range(0, 10, 2))
    return number


def face_of(net: Network, handset: Handset, lang: str, device: str | None = None) -> HandsetFace:
    """``device``: the SIP device registered as this line (``SIP baresip 127.0.0.1:5070``)."""
    party = net.parties[handset.party]
    view = handset.view()
    number = format_number(party.number)
    if party.short:
        number += f" · {text('tui.short', lang)} {party.short}"
    return HandsetFace(
        party=party.id,
        name=party.name,
        number=number,
        options=_options(net, handset.party, lang),
        status=f"{text('power.on' if party.power else 'power.off', lang)} · {text('location.' + party.location, lang)}"
               + (f" · {device}" if device else ""),
        lines=tuple(display_lines(net, party.id, handset.buffer, lang)),
        tone=text("tone." + view.tone, lang) + (
            "   " + text("tui.mic.mark", lang) if net.voices.talking(party.id, "mic") else ""),
        power=party.power,
        ringing=view.ringer,
        in_call=bool(party.legs),
        location=party.location,
    )


def _options(net: Network, ident: str, lang: str) -> str:
    party = net.parties[ident]
    if not party.is_line:
        return text("tui.external", lang)
    words = [text("tui.fixed", lang)] if party.kind == "fixed" else []
    words += [text("tui.option." + option, lang) for option in OPTIONS if party.has(option)]
    if len(words) == (party.kind == "fixed"):
        words.append(text("tui.options.none", lang))
    forwarding = [f"{text('tui.forwarding.' + c, lang)} {party.forwarding.get(c)}"
                  for c in FORWARDING_TYPES if party.forwarding.get(c)]
    if forwarding:
        words.append("↪ " + ", ".join(forwarding))
    if party.ring_list is not None:
        words.append(text("tui.ring_list", lang))
    return " · ".join(words)
