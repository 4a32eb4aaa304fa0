"""The handset's display text, French or English, from its view and the catalogue."""

from __future__ import annotations

from phone_sim.network.catalogue import elide, text
from phone_sim.network.clock import format_ms
from phone_sim.network.switch import Network
from phone_sim.network.views import CallView


def party_name(net: Network, ident: str) -> str:
    party = net.parties.get(ident)
    if party is not None:
        return party.name
    group = net.groups.groups.get(ident)
    return group.name if group is not None else ident


def call_line(net: Network, call: CallView, lang: str = "fr") -> str:
    """One display line: state, party (or parties), duration, forwarded-from."""
    names = ", ".join(party_name(net, p) for p in call.parties)
    if call.state == "calling" and call.queued:
        label = f"{text('state.queued', lang)} {names}"
    elif call.state in ("held", "conference") and len(call.parties) > 1:
        label = f"{text('state.' + call.state, lang)} : {names}" if call.state == "held" else \
            f"{text('state.conference', lang)} : {names}"
    elif call.state == "held":
        label = f"{text('state.held', lang)} : {names}"
    else:
        label = f"{text('state.' + call.state, lang)} {names}"
    seconds = max(0, net.now - call.since) // 1000
    label += f"  {seconds // 60:02d}:{seconds % 60:02d}"
    if call.forwarded_from:
        label += f"  ({text('forwarded_from', lang)} {party_name(net, call.forwarded_from[-1])})"
    return elide(label) if lang == "fr" else label


def display_lines(net: Network, ident: str, buffer: str = "", lang: str = "fr") -> list[str]:
    """What the screen shows now, top to bottom."""
    party = net.parties[ident]
    if not party.power:
        return [text("mode.off", lang)]
    view = net.view(ident, dialing=bool(buffer))
    lines = []
    for call in view.calls:
        lines.append(call_line(net, call, lang))
        if call.dtmf:
            lines.append(f"{text('dtmf', lang)} {call.dtmf}")
    for speaker, said in net.voices.heard_by(ident, lang):  # subtitles of what is said
        lines.append(text("voice.subtitle", lang, name=party_name(net, speaker), text=said))
    if buffer:
        lines.append(buffer)
    notice = net.notice_text(ident, lang)
    if notice:
        lines.append(notice)
    if not lines:
        lines.append(text("mode.idle", lang))
    if party.location != "home":
        lines.append(text("location." + party.location, lang))
    return lines


def display_text(net: Network, ident: str, buffer: str = "") -> str:
    """What ``display:`` expectations search: the display in both languages, plus what it
    stands for — the reason code of the message shown and the numbers of the parties."""
    lines = display_lines(net, ident, buffer, "fr") + display_lines(net, ident, buffer, "en")
    party = net.parties[ident]
    if party.notice is not None:
        lines.append(party.notice[0])
    for call in net.view(ident).calls:
        for other in call.parties:
            if other in net.parties:
                lines.append(net.parties[other].number)
            elif other in net.groups.groups:
                lines.append(net.groups.groups[other].number)
    return "\n".join(lines)


def clock_text(ms: int) -> str:
    return format_ms(ms)
