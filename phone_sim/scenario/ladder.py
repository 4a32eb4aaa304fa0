"""Call-flow ladders built from the event stream (what SIPp draws for SIP messages).

A ``Ladder`` has one column per handset involved, one for the network, and one per
group or voice menu a call reached (network services, drawn as their own hop);
forwarding is a labelled hop from the line that forwards to the network. It has one row
per event, stamped with its virtual time, plus a caption row per scenario step. Labels
are kept in French and English so a face can switch language without rebuilding.

``LadderBuilder`` is a bus listener: subscribe it (``attach``) before the first action;
``step()`` marks where a scenario step's events begin. Event kinds it does not know (a
later addition to the core) become a note with the event log's line, or the event's
name and fields, so a ladder never breaks on a new event. The renderers are
``ladder_text`` (ASCII, Mermaid) and ``ladder_svg``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from phone_sim.network import events as ev
from phone_sim.network import eventtext
from phone_sim.network.catalogue import reason_text, text
from phone_sim.network.eventtext import describe

if TYPE_CHECKING:
    from phone_sim.network.switch import Network

NETWORK = "@network"
Label = tuple[str, str]  # (French, English)
# events that say nothing a ladder shows: redraw hints, and keys (their effect is shown)
QUIET = (ev.HandsetDidChange, ev.KeyWasPressed)
MEDIA = (ev.MediaDidChange,)  # who hears whom changes with most events: drawn on request only
FUNCTION_KEYS = ("call", "end", "hold", "conf")


def both(key: str, **values: object) -> Label:
    return text(key, "fr", **values), text(key, "en", **values)


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # a party id, NETWORK, "group:ID" or "menu:ID"
    title: Label
    detail: str = ""  # the number, shown under the title
    kind: str = "handset"  # handset | network | group | menu


@dataclass(frozen=True, slots=True)
class Mark:
    """An arrow from ``src`` to ``dst``, or a note over ``src`` when ``dst`` is None."""

    src: str
    dst: str | None
    label: Label
    dashed: bool = False
    alert: bool = False  # a refusal or a failure: drawn in red


@dataclass(frozen=True, slots=True)
class Row:
    time: int
    marks: tuple[Mark, ...] = ()
    caption: Label | None = None  # a step caption spans every column
    failed: bool = False


@dataclass
class Ladder:
    title: str
    columns: list[Column]
    rows: list[Row]

    def label(self, label: Label, lang: str) -> str:
        return label[0] if lang == "fr" else label[1]


@dataclass
class LadderBuilder:
    """Listens to one network's events and keeps the rows of its ladder."""

    net: Network
    title: str = ""
    explain: Callable[[int, object], Label] | None = None  # step -> sentence (FR, EN)
    rows: list[Row] = field(default_factory=list)
    limit: int = 0  # keep at most this many rows (0: all), the oldest dropped first
    media: bool = False  # also draw who hears whom (MediaDidChange) as notes
    _order: list[str] = field(default_factory=list)  # column keys by first appearance
    _typed: dict[str, str] = field(default_factory=dict)  # digits keyed since CALL/END...
    _dialled: dict[str, str] = field(default_factory=dict)  # party -> digits of its last CALL
    _menu_of: dict[int, str] = field(default_factory=dict)  # call id -> menu column
    added: int = 0  # rows added so far (dropped ones included): faces redraw when it moves
    _step_start: int = 0
    _step_time: int = 0
    _unsubscribe: Callable[[], None] | None = None
    _unwatch: Callable[[], None] | None = None

    def attach(self) -> LadderBuilder:
        self._unsubscribe = self.net.bus.subscribe(self)
        if self.media:  # the network publishes MediaDidChange only to faces that watch
            self._unwatch = self.net.media.watch()
        return self

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None

    # ------------------------------------------------------------------ scenario steps
    def step(self, index: int, result: object) -> None:
        """Step ``index`` is over: its caption goes before the rows it produced."""
        step = getattr(result, "step", None)
        failed = not getattr(result, "ok", True)
        caption: Label | None = None
        if failed:
            message = getattr(result, "message", "")
            caption = both("ladder.failed", n=index + 1, message=message)
        elif step is not None and getattr(step, "action", "") != "expect" and self.explain is not None:
            sentence = self.explain(index, step)
            caption = (text("ladder.step", "fr", n=index + 1, sentence=sentence[0]),
                       text("ladder.step", "en", n=index + 1, sentence=sentence[1]))
        if caption is not None:
            at = min(self._step_start, len(self.rows))
            self.rows.insert(at, Row(self._step_time, caption=caption, failed=failed))
            self.added += 1
        self._step_start = len(self.rows)
        self._step_time = self.net.now

    # ------------------------------------------------------------------ events
    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.KeyWasPressed):
            self._key(event)
        if isinstance(event, QUIET) or (isinstance(event, MEDIA) and not self.media):
            return
        handler = _HANDLERS.get(type(event))
        marks = handler(self, event) if handler is not None else self._generic(event)
        if marks:
            for mark in marks:
                self._involve(mark.src)
                if mark.dst is not None:
                    self._involve(mark.dst)
            self.rows.append(Row(event.time, tuple(marks)))
            self.added += 1
            if self.limit and len(self.rows) > self.limit:
                drop = len(self.rows) - self.limit
                del self.rows[:drop]
                self._step_start = max(0, self._step_start - drop)

    def _key(self, event: ev.KeyWasPressed) -> None:
        if event.key in FUNCTION_KEYS:
            if event.key == "call":
                self._dialled[event.party] = self._typed.get(event.party, "")
            self._typed[event.party] = ""
        else:
            self._typed[event.party] = self._typed.get(event.party, "") + event.key

    def _involve(self, key: str) -> None:
        if key not in self._order:
            self._order.append(key)

    # ------------------------------------------------------------------ names
    def name(self, ident: str | None) -> str:
        if ident is None:
            return "?"
        party = self.net.parties.get(ident)
        if party is not None:
            return party.name or ident
        group = self.net.groups.groups.get(ident)
        if group is not None:
            return group.name
        owner = self.net.by_number.get(ident)
        return owner.name if owner is not None else ident

    def column(self, key: str) -> Column:
        if key == NETWORK:
            return Column(NETWORK, both("ladder.network"), kind="network")
        kind, _, ident = key.partition(":")
        if kind in ("group", "menu") and ident:
            group = self.net.groups.groups.get(ident)
            name = group.name if group is not None else ident
            return Column(key, both("ladder." + kind, name=name), group.number if group else "", kind)
        party = self.net.parties.get(key)
        if party is None:
            return Column(key, (key, key))
        return Column(key, (party.name or key, party.name or key), party.number)

    def ladder(self) -> Ladder:
        """The ladder so far: the first handset, the network and its services, the others."""
        handsets = [k for k in self._order if k != NETWORK and ":" not in k]
        services = [k for k in self._order if ":" in k]
        keys = handsets[:1] + [NETWORK] + services + handsets[1:]
        return Ladder(self.title, [self.column(k) for k in keys], list(self.rows))

    # ------------------------------------------------------------------ generic
    def _generic(self, event: ev.Event) -> list[Mark]:
        """A note for an event kind without a drawing of its own: its event-log line; an
        event the log knows but hides (no line) is hidden here too; an event kind the log
        does not know either is shown by its name and fields."""
        fr, en = describe(event, "fr", self._names()), describe(event, "en", self._names())
        if not fr and type(event).__name__ in eventtext.LOGGED:
            return []
        if not fr or not en:
            values = ", ".join(f"{f.name}={getattr(event, f.name)!r}" for f in fields(event) if f.name != "time")
            fr = en = f"{type(event).__name__}({values})"
        party = getattr(event, "party", None)
        where = party if isinstance(party, str) and party in self.net.parties else NETWORK
        return [Mark(where, None, (fr, en))]

    def _names(self) -> dict[str, str]:
        names = {ident: p.name for ident, p in self.net.parties.items() if p.name}
        names.update({ident: g.name for ident, g in self.net.groups.groups.items()})
        return names


def why(reason: str) -> Label:
    """Words for a release or stop-ringing reason (the reason code's text, else the code)."""
    key = "ladder.why." + reason
    if text(key, "fr") != key:
        return both(key)
    return reason_text(reason, "fr"), reason_text(reason, "en")


def _join(label: Label, extra: Label, sep: str = ", ") -> Label:
    return label[0] + sep + extra[0], label[1] + sep + extra[1]


def _start(b: LadderBuilder, e: ev.CallDidStart) -> list[Mark]:
    digits = b._dialled.get(e.caller, "")
    target = NETWORK
    if e.dialled in b.net.groups.groups:
        menu = b.net.groups.menu_for(digits) if digits else None
        target = f"menu:{e.dialled}" if menu is not None else f"group:{e.dialled}"
        if menu is not None:
            b._menu_of[e.call_id] = target
    name = b.name(e.dialled)
    label = both("ladder.dial.digits", target=name, digits=digits) if digits and digits != name \
        else both("ladder.dial", target=name)
    return [Mark(e.caller, target, label)]


def _ring(b: LadderBuilder, e: ev.LegDidRing) -> list[Mark]:
    label = both("ladder.ring", caller=b.name(e.caller))
    if e.waiting:
        label = _join(label, both("ladder.ring.waiting"))
    if e.forwarded_from:
        label = _join(label, both("ladder.ring.forwarded", who=b.name(e.forwarded_from)))
    src = f"group:{e.group}" if e.group else NETWORK
    return [Mark(src, e.party, label)]


def _stop(b: LadderBuilder, e: ev.LegDidStopRinging) -> list[Mark]:
    reason = why(e.reason)
    return [Mark(NETWORK, e.party, (text("ladder.stop_ringing", "fr", reason=reason[0]),
                                    text("ladder.stop_ringing", "en", reason=reason[1])), dashed=True)]


def _answer(b: LadderBuilder, e: ev.CallDidAnswer) -> list[Mark]:
    return [Mark(e.party, NETWORK, both("ladder.answer")),
            Mark(NETWORK, e.caller, both("ladder.connected", party=b.name(e.party)))]


def _forward(b: LadderBuilder, e: ev.CallDidForward) -> list[Mark]:
    fr, en = text("tui.forwarding." + e.condition, "fr"), text("tui.forwarding." + e.condition, "en")
    to = b.name(e.to_number)
    shown = to if to == e.to_number else f"{to} ({e.to_number})"
    return [Mark(e.from_party, NETWORK, (text("ladder.forward", "fr", condition=fr, to=shown, hop=e.hop),
                                         text("ladder.forward", "en", condition=en, to=shown, hop=e.hop)),
                 dashed=True)]


def _queue(b: LadderBuilder, e: ev.CallDidQueue) -> list[Mark]:
    return [Mark(f"group:{e.group}", e.caller, both("ladder.queue", position=e.position), dashed=True)]


def _end(b: LadderBuilder, e: ev.CallDidEnd) -> list[Mark]:
    menu = b._menu_of.pop(e.call_id, None)
    marks = []
    if e.released_by is not None and e.reason != "transferred":
        marks.append(Mark(e.released_by, menu or NETWORK, both("ladder.hangup")))
    reason = why(e.reason)
    label = (text("ladder.released", "fr", reason=reason[0]), text("ladder.released", "en", reason=reason[1]))
    bad = not e.answered and e.reason not in ("normal", "abandoned")
    for party in e.parties:
        if party != e.released_by and party in b.net.parties:
            marks.append(Mark(menu or NETWORK, party, label, dashed=True, alert=bad))
    return marks


def _hold(b: LadderBuilder, e: ev.LegDidHold) -> list[Mark]:
    return [Mark(e.party, NETWORK, both("ladder.hold"))]


def _retrieve(b: LadderBuilder, e: ev.LegDidRetrieve) -> list[Mark]:
    return [Mark(e.party, NETWORK, both("ladder.retrieve"))]


def _transfer(b: LadderBuilder, e: ev.CallDidTransfer) -> list[Mark]:
    one, other = e.parties
    return [Mark(e.by, NETWORK, both("ladder.transfer")),
            Mark(NETWORK, one, both("ladder.connected", party=b.name(other))),
            Mark(NETWORK, other, both("ladder.connected", party=b.name(one)))]


def _conference(b: LadderBuilder, e: ev.ConferenceDidChange) -> list[Mark]:
    names = ", ".join(b.name(p) for p in e.participants)
    return [Mark(e.organiser, NETWORK, both("ladder.conference", names=names))]


def _dtmf(b: LadderBuilder, e: ev.DtmfWasSent) -> list[Mark]:
    label = both("ladder.dtmf", digit=e.digit)
    menu = next((col for cid, col in b._menu_of.items()
                 if cid in b.net.calls and any(leg.party.id == e.party for leg in b.net.calls[cid].legs)), None)
    marks = [Mark(e.party, other, label, dashed=True) for other in e.to]
    if menu is not None:
        marks.append(Mark(e.party, menu, label, dashed=True))
    return marks or [Mark(e.party, NETWORK, label, dashed=True)]


def _refused(b: LadderBuilder, e: ev.ActionWasRefused) -> list[Mark]:
    label = (text("ladder.refused", "fr", reason=e.message_fr or reason_text(e.reason, "fr"), code=e.reason),
             text("ladder.refused", "en", reason=e.message_en or reason_text(e.reason, "en"), code=e.reason))
    if e.party is None:
        return [Mark(NETWORK, None, label, alert=True)]
    return [Mark(NETWORK, e.party, label, dashed=True, alert=True)]


def _announce(b: LadderBuilder, e: ev.Announcement) -> list[Mark]:
    src = NETWORK
    if e.code.startswith("menu."):
        src = next((col for cid, col in b._menu_of.items() if cid in b.net.calls
                    and b.net.calls[cid].caller is not None and b.net.calls[cid].caller.party.id == e.party),
                   NETWORK)
    return [Mark(src, e.party, (text("ladder.announcement", "fr", text=e.text_fr),
                                text("ladder.announcement", "en", text=e.text_en)), dashed=True)]


def _service(b: LadderBuilder, e: ev.ServiceAnswer) -> list[Mark]:
    digits = b._dialled.get(e.party, "")
    marks = [Mark(e.party, NETWORK, both("ladder.mmi", digits=digits))] if digits else []
    return marks + [Mark(NETWORK, e.party, (e.text_fr, e.text_en), dashed=True)]


def _member(b: LadderBuilder, e: ev.MemberDidChange) -> list[Mark]:
    return [Mark(e.line, f"group:{e.group}", both("ladder.member.on" if e.connected else "ladder.member.off"),
                 dashed=True)]


def _note(b: LadderBuilder, e: ev.Event) -> list[Mark]:
    fr, en = describe(e, "fr", b._names()) or "", describe(e, "en", b._names()) or ""
    party = getattr(e, "party", None)
    return [Mark(party if isinstance(party, str) and party in b.net.parties else NETWORK, None, (fr, en))]


def _source(source: str, lang: str) -> str:
    said = text("tone." + source, lang)
    return source if said == "tone." + source else said


def _media(b: LadderBuilder, e: ev.MediaDidChange) -> list[Mark]:
    marks = []
    for party, voices, sources in e.changes:  # one event lists every earpiece that changed
        heard = {lang: ", ".join([b.name(v) for v in voices] + [_source(s, lang) for s in sources])
                 or text("none", lang) for lang in ("fr", "en")}
        marks.append(Mark(party, None, (text("ladder.hears", "fr", heard=heard["fr"]),
                                        text("ladder.hears", "en", heard=heard["en"]))))
    return marks


def _setting(b: LadderBuilder, e: ev.SettingDidChange) -> list[Mark]:
    fr, en = describe(e, "fr", b._names()) or "", describe(e, "en", b._names()) or ""
    src = e.who if e.who in b.net.parties else NETWORK
    return [Mark(src, None if src == NETWORK else NETWORK, (fr, en), dashed=True)]


_HANDLERS: dict[type, Callable[[LadderBuilder, ev.Event], list[Mark]]] = {  # type: ignore[dict-item]
    ev.CallDidStart: _start,
    ev.LegDidRing: _ring,
    ev.LegDidStopRinging: _stop,
    ev.CallDidAnswer: _answer,
    ev.CallDidForward: _forward,
    ev.CallDidQueue: _queue,
    ev.CallDidEnd: _end,
    ev.LegDidHold: _hold,
    ev.LegDidRetrieve: _retrieve,
    ev.CallDidTransfer: _transfer,
    ev.ConferenceDidChange: _conference,
    ev.DtmfWasSent: _dtmf,
    ev.ActionWasRefused: _refused,
    ev.Announcement: _announce,
    ev.ServiceAnswer: _service,
    ev.MemberDidChange: _member,
    ev.PowerDidChange: _note,
    ev.LocationDidChange: _note,
    ev.SettingDidChange: _setting,
    ev.MediaDidChange: _media,
}
