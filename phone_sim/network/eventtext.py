"""Events as one readable line, French or English (event log, failure timelines)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath

from phone_sim.network import events as ev
from phone_sim.network.catalogue import reason_text, text
from phone_sim.network.clock import format_ms

_FR = {
    "CallDidStart": "{caller} appelle {dialled}",
    "LegDidRing": "{party} sonne (appel de {caller}){extra}",
    "LegDidStopRinging": "{party} ne sonne plus ({reason})",
    "CallDidAnswer": "{party} répond à {caller}",
    "CallDidForward": "Renvoi de {from_party} vers {to_number} ({condition}, saut {hop})",
    "CallDidQueue": "{caller} en file d'attente du groupe {group} (position {position})",
    "CallDidEnd": "Fin d'appel {call_id} : {reason_text}",
    "LegDidHold": "{party} met en attente",
    "LegDidRetrieve": "{party} reprend l'appel",
    "CallDidTransfer": "{by} transfère : {a} et {b} sont en relation",
    "ConferenceDidChange": "Conférence : {names}",
    "DtmfWasSent": "{party} envoie DTMF {digit}",
    "KeyWasPressed": "{party} appuie sur {key}",
    "ActionWasRefused": "{party} refusé ({reason}) : {message_fr}",
    "Announcement": "Annonce à {party} : {text_fr}",
    "PowerDidChange": "{party} {power}",
    "LocationDidChange": "{party} : {location_text}",
    "SettingDidChange": "{who} : {operation} {target} ({before} -> {after})",
    "MemberDidChange": "Groupe {group} : {line} {member}",
    "ServiceAnswer": "{party} : {text_fr}",
    "VoiceDidStart": "",
    "VoiceDidStop": "",
}
_EN = {
    "CallDidStart": "{caller} calls {dialled}",
    "LegDidRing": "{party} rings (call from {caller}){extra}",
    "LegDidStopRinging": "{party} stops ringing ({reason})",
    "CallDidAnswer": "{party} answers {caller}",
    "CallDidForward": "Forwarded from {from_party} to {to_number} ({condition}, hop {hop})",
    "CallDidQueue": "{caller} queued for group {group} (position {position})",
    "CallDidEnd": "Call {call_id} ended: {reason_text}",
    "LegDidHold": "{party} holds",
    "LegDidRetrieve": "{party} retrieves the call",
    "CallDidTransfer": "{by} transfers: {a} and {b} are connected",
    "ConferenceDidChange": "Conference: {names}",
    "DtmfWasSent": "{party} sends DTMF {digit}",
    "KeyWasPressed": "{party} presses {key}",
    "ActionWasRefused": "{party} refused ({reason}): {message_en}",
    "Announcement": "Announcement to {party}: {text_en}",
    "PowerDidChange": "{party} {power}",
    "LocationDidChange": "{party}: {location_text}",
    "SettingDidChange": "{who}: {operation} {target} ({before} -> {after})",
    "MemberDidChange": "Group {group}: {line} {member}",
    "ServiceAnswer": "{party}: {text_en}",
    "VoiceDidStart": "",
    "VoiceDidStop": "",
}


LOGGED = frozenset(_EN)  # the event types that have a line (``describe`` is None for the others)
_NAMED = ("party", "caller", "dialled", "from_party", "by", "line")
_KEYS = {"call": ("APPEL", "CALL"), "end": ("FIN", "END"), "hold": ("ATTENTE", "HOLD"), "conf": ("CONF", "CONF")}


def describe(event: ev.Event, lang: str = "fr", names: Mapping[str, str] | None = None) -> str | None:
    """One line for the event log; None for events the log does not show.

    ``names`` maps party and group ids to the names people know them by.
    """
    name = type(event).__name__
    template = (_FR if lang == "fr" else _EN).get(name)
    if template is None:
        return None
    values = {slot: getattr(event, slot) for slot in event.__slots__} if hasattr(event, "__slots__") else {}
    for klass in type(event).__mro__:
        for slot in getattr(klass, "__slots__", ()):
            values[slot] = getattr(event, slot)
    values["extra"] = ""
    if names:
        for slot in _NAMED:
            if isinstance(values.get(slot), str):
                values[slot] = names.get(values[slot], values[slot])
    if isinstance(event, ev.KeyWasPressed) and event.key in _KEYS:
        values["key"] = _KEYS[event.key][0 if lang == "fr" else 1]
    if isinstance(event, ev.LegDidRing):
        extra = []
        if event.waiting:
            extra.append(text("state.waiting", lang))
        if event.forwarded_from:
            extra.append(f"{text('forwarded_from', lang)} {event.forwarded_from}")
        values["extra"] = (" — " + ", ".join(extra)) if extra else ""
    if isinstance(event, ev.CallDidEnd):
        values["reason_text"] = reason_text(event.reason, lang) if event.reason not in ("normal", "abandoned",
                                                                                         "transferred", "merged") \
            else event.reason
    if isinstance(event, ev.CallDidTransfer):
        values["a"], values["b"] = ((names or {}).get(p, p) for p in event.parties)
    if isinstance(event, ev.ConferenceDidChange):
        values["names"] = ", ".join((names or {}).get(p, p) for p in event.participants)
    if isinstance(event, ev.PowerDidChange):
        values["power"] = text("power.on" if event.on else "power.off", lang)
    if isinstance(event, ev.LocationDidChange):
        values["location_text"] = text("location." + event.location, lang)
    if isinstance(event, ev.MemberDidChange):
        values["member"] = text("member.connected" if event.connected else "member.disconnected", lang)
    if isinstance(event, ev.VoiceDidStart | ev.VoiceDidStop):
        return _voice(event, str(values["party"]), lang)
    return template.format(**values)


def _voice(event: ev.VoiceDidStart | ev.VoiceDidStop, party: str, lang: str) -> str | None:
    """What a party says (the log's line for a voice); a voice's end only for the microphone."""
    if isinstance(event, ev.VoiceDidStop):
        return text("voice.stop.mic", lang, party=party) if event.kind == "mic" else None
    if event.kind == "say":
        said = (event.text_en or event.text) if lang == "en" else event.text
        return text("voice.say", lang, party=party, text=said)
    if event.kind == "talk":
        if not event.duration_ms:
            return text("voice.talk.open", lang, party=party)
        return text("voice.talk", lang, party=party, duration=format_duration(event.duration_ms))
    if event.kind == "play":
        return text("voice.play", lang, party=party, file=PurePath(event.file).name)
    return text("voice." + event.kind, lang, party=party)


def format_duration(ms: int) -> str:
    """``2000`` -> ``2 s``, ``1500`` -> ``1.5 s``."""
    return f"{ms / 1000:g} s"


def log_line(event: ev.Event, lang: str = "fr", names: Mapping[str, str] | None = None) -> str | None:
    line = describe(event, lang, names)
    return None if line is None else f"{format_ms(event.time)}  {line}"
