"""What a handset shows and hears, derived from its legs (never stored twice)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from phone_sim.network.catalogue import TEXTS, reason_text
from phone_sim.network.media import earpiece

if TYPE_CHECKING:
    from phone_sim.network.calls import Leg
    from phone_sim.network.parties import Party


@dataclass(frozen=True, slots=True)
class CallView:
    state: str  # calling ringing waiting active held conference
    parties: tuple[str, ...]
    call_id: int
    since: int  # ms: when this state's call started (answered or set up)
    forwarded_from: tuple[str, ...] = ()
    group: str | None = None
    queued: bool = False
    organiser: bool = False
    dtmf: str = ""  # DTMF digits received on this call
    leg: int = 0  # the handset's leg: the same through a conference merge or a transfer


@dataclass(frozen=True, slots=True)
class HandsetView:
    party: str
    mode: str  # off idle dialing busy(in calls)
    calls: tuple[CallView, ...]
    tone: str
    ringer: bool


def leg_view(leg: Leg) -> CallView:
    call = leg.call
    party = leg.party
    if leg.state == "calling":
        return CallView("calling", (call.dialled,), call.id, call.started, queued=call.queued,
                        group=call.group, leg=leg.id)
    if leg.state == "alerting":
        caller = call.caller.party.id if call.caller is not None else "?"
        others_busy = any(other is not leg and other.state != "alerting" for other in party.legs)
        return CallView("waiting" if others_busy else "ringing", (caller,), call.id, leg.started,
                        forwarded_from=leg.forwarded_from, group=leg.group, leg=leg.id)
    since = leg.answered_at if leg.answered_at is not None else leg.started
    if call.service is not None:
        state = "held" if leg.state == "held" else "active"
        return CallView(state, (call.dialled,), call.id, since, leg=leg.id)
    others = tuple(other.party.id for other in call.legs if other is not leg and other.state != "released")
    organiser = call.organiser is party
    if len(others) >= 2:
        state = "held" if leg.state == "held" else "conference"
        return CallView(state, others, call.id, since, forwarded_from=leg.forwarded_from,
                        group=leg.group, organiser=organiser, dtmf=leg.dtmf, leg=leg.id)
    state = "held" if leg.state == "held" else "active"
    return CallView(state, others, call.id, since, forwarded_from=leg.forwarded_from,
                    group=leg.group, organiser=organiser, dtmf=leg.dtmf, leg=leg.id)


def tone_of(party: Party, dialing: bool = False) -> str:
    """The earpiece tone, derived from the media plane: waiting > ringback or queue music >
    music on hold > dial > busy (``Earpiece.tone``)."""
    return earpiece(party, dialing).tone


def is_ringing(party: Party) -> bool:
    """The ringer sounds: an incoming call alerting with no other call."""
    return bool(party.legs) and all(leg.state == "alerting" for leg in party.legs)


def notice_text(party: Party, lang: str = "fr") -> str | None:
    """The display's message about the last refusal or network answer, FR or EN."""
    if party.notice is None:
        return None
    code, detail = party.notice
    index = 0 if lang == "fr" else 1
    if code in TEXTS:
        template = TEXTS[code][index]
        if "{" in template:
            return template.format(group=detail, members=detail or TEXTS["none"][index])
        return f"{template} {detail}".strip()
    base = reason_text(code, lang)
    return f"{base} ({detail})" if detail else base
