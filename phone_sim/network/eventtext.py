"""Events as one readable line, French or English (event log, failure timelines).

Every word comes from the catalogue (``log.<Event>`` templates, reasons, settings in
words from ``settingtext``); reason codes follow in brackets, as the portal's errors
show them. ``names`` gives people and groups their names; ``number`` numbers calls the
way the reader counts them (1, 2, 3 in the session) instead of the network's ids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import PurePath

from phone_sim.network import events as ev
from phone_sim.network.catalogue import TEXTS, elide, reason_text, text
from phone_sim.network.clock import format_ms
from phone_sim.network.settingtext import actor_text, number_text, operation_text, value_text

# the events the log knows (a line each, or none when it hides them, as a voice's end)
LOGGED = frozenset({key[4:] for key in TEXTS if key.startswith("log.")} | {"VoiceDidStart", "VoiceDidStop"})
_NAMED = ("party", "caller", "dialled", "from_party", "by", "line", "group")
_KEYS = {"call": ("APPEL", "CALL"), "end": ("FIN", "END"), "hold": ("ATTENTE", "HOLD"), "conf": ("CONF", "CONF")}


def describe(event: ev.Event, lang: str = "fr", names: Mapping[str, str] | None = None,
             number: Callable[[int], int] | None = None) -> str | None:
    """One line for the event log; None for events the log does not show."""
    names = names or {}
    if isinstance(event, ev.VoiceDidStart | ev.VoiceDidStop):
        return _voice(event, names.get(event.party, event.party), lang)
    key = "log." + type(event).__name__
    if key not in TEXTS:
        return None
    values: dict[str, object] = {}
    for klass in type(event).__mro__:
        for slot in getattr(klass, "__slots__", ()):
            values[slot] = getattr(event, slot)
    for slot in _NAMED:
        if isinstance(values.get(slot), str):
            values[slot] = names.get(str(values[slot]), str(values[slot]))
    if "call_id" in values and number is not None:
        values["call_id"] = number(int(str(values["call_id"])))
    values.update(_details(event, lang, names))
    french, english = TEXTS[key]
    line = (french if lang == "fr" else english).format(**values)  # the events' fields include "key"
    return elide(line) if lang == "fr" else line


def _details(event: ev.Event, lang: str, names: Mapping[str, str]) -> dict[str, object]:
    """The words an event's template needs beyond its own fields."""
    if isinstance(event, ev.KeyWasPressed):
        return {"key": _KEYS[event.key][0 if lang == "fr" else 1] if event.key in _KEYS else event.key}
    if isinstance(event, ev.LegDidRing):
        extra = []
        if event.waiting:
            extra.append(text("state.waiting", lang))
        if event.forwarded_from:
            extra.append(f"{text('forwarded_from', lang)} {names.get(event.forwarded_from, event.forwarded_from)}")
        return {"extra": (" — " + ", ".join(extra)) if extra else ""}
    if isinstance(event, ev.LegDidStopRinging):
        return {"reason_text": _reason(event.reason, "stop.", lang)}
    if isinstance(event, ev.CallDidForward):
        return {"condition_text": text("forwarding." + event.condition, lang),
                "to_name": number_text(event.to_number, names)}
    if isinstance(event, ev.CallDidEnd):
        who = ", ".join(names.get(p, p) for p in event.parties)
        return {"reason_text": _reason(event.reason, "end.", lang), "with": f" ({who})" if who else ""}
    if isinstance(event, ev.CallDidTransfer):
        return {"a": names.get(event.parties[0], event.parties[0]), "b": names.get(event.parties[1], event.parties[1])}
    if isinstance(event, ev.ConferenceDidChange):
        return {"names": ", ".join(names.get(p, p) for p in event.participants)}
    if isinstance(event, ev.ActionWasRefused):
        return {"party": names.get(event.party, event.party) if event.party else "—",
                "message": event.message_fr if lang == "fr" else event.message_en}
    if isinstance(event, ev.Announcement):
        return {"message": event.text_fr if lang == "fr" else event.text_en}
    if isinstance(event, ev.ServiceAnswer):
        return {"message": event.text_fr if lang == "fr" else event.text_en}
    if isinstance(event, ev.PowerDidChange):
        return {"power": text("power.on" if event.on else "power.off", lang)}
    if isinstance(event, ev.LocationDidChange):
        return {"location_text": text("location." + event.location, lang)}
    if isinstance(event, ev.SettingDidChange):
        return {"who": actor_text(event.who, lang, names), "operation_text": operation_text(event.operation, lang),
                "target": names.get(event.target, event.target),
                "before_text": value_text(event.operation, event.before, lang, names),
                "after_text": value_text(event.operation, event.after, lang, names)}
    if isinstance(event, ev.MemberDidChange):
        return {"member": text("member.connected" if event.connected else "member.disconnected", lang)}
    return {}


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


def _reason(code: str, prefix: str, lang: str) -> str:
    """A release or stop reason in words, its code in brackets."""
    words = text(prefix + code, lang) if prefix + code in TEXTS else reason_text(code, lang)
    return f"{words} [{code}]" if words != code else code


def log_line(event: ev.Event, lang: str = "fr", names: Mapping[str, str] | None = None,
             number: Callable[[int], int] | None = None) -> str | None:
    line = describe(event, lang, names, number)
    return None if line is None else f"{format_ms(event.time)}  {line}"
