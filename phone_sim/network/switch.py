"""The switch: parties, routing of basic calls, answer, release, hold, DTMF (SPEC 1-3).

``Network`` is the one entry point faces use. Every public action returns ``None`` (done)
or a ``Refused`` value, publishes events, and never raises for a wrong state. Services
(forwarding, ring lists, groups, transfer, conference, voice menus) live in their own
modules and plug in here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from phone_sim.network import delivery, inband, multiparty, percall, presence
from phone_sim.network.calls import Call, CallFactory, Leg
from phone_sim.network.catalogue import reason_text
from phone_sim.network.clock import Clock
from phone_sim.network.collector import collector_paused
from phone_sim.network.company import CompanySpec
from phone_sim.network.events import (
    ActionWasRefused,
    Announcement,
    CallDidAnswer,
    CallDidEnd,
    CallDidStart,
    Event,
    EventBus,
    HandsetDidChange,
    LegDidHold,
    LegDidRetrieve,
    LegDidRing,
    LegDidStopRinging,
)
from phone_sim.network.groups import GroupService
from phone_sim.network.media import Earpiece, MediaWatch, earpiece, listeners_of
from phone_sim.network.numbering import Number, NumberingPlan
from phone_sim.network.parties import Party
from phone_sim.network.portal import PortalService
from phone_sim.network.refusal import Refused
from phone_sim.network.views import HandsetView, is_ringing, leg_view, notice_text, tone_of
from phone_sim.network.voices import VoiceService

ANNOUNCED = ("number_not_allocated", "unreachable", "group_closed", "forwarding_loop", "no_answer",
             "invalid_number")  # released with an Announcement event (code_locked says its own)
F = TypeVar("F", bound=Callable[..., Any])
PARSED_KEPT = 4_096  # dialled strings whose reading by the numbering plan is remembered


def action(fn: F) -> F:
    """A public action: refusals are published; touched handsets are announced once at the end."""

    def wrapper(self: Network, *args: Any, **kwargs: Any) -> Any:
        self._depth += 1
        try:
            result = fn(self, *args, **kwargs)
        finally:
            self._depth -= 1
        if isinstance(result, Refused):
            self._refused(args[0] if args else None, fn.__name__, result)
        if self._depth == 0:
            self.flush()
        return result

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper  # type: ignore[return-value]


class Network:
    """One simulated operator network in virtual time."""

    def __init__(self, company: CompanySpec, clock: Clock | None = None) -> None:
        self.clock = clock or Clock()
        self.bus = EventBus()
        self.plan: NumberingPlan = company.plan
        self.name = company.name
        self.factory = CallFactory()
        self.parties: dict[str, Party] = {}
        self.by_number: dict[str, Party] = {}
        self.by_short: dict[str, Party] = {}
        self.calls: dict[int, Call] = {}
        self._dirty: dict[str, None] = {}
        self._depth = 0
        self._parsed: dict[str, Number] = {}
        self._parsed_plan = self.plan
        self.media = MediaWatch(self.parties)
        with collector_paused():  # a party per line: nothing the cyclic collector could free
            for spec in company.lines:
                self._add_party(Party.from_line(spec))
            for ext in company.externals:
                self._add_party(Party.from_external(ext))
        for line_id, fwd in company.forwarding.items():
            self.parties[line_id].forwarding = fwd
        for line_id, ring in company.incoming.items():
            self.parties[line_id].ring_list = ring
        self.groups = GroupService(self, company.groups)
        self.portal = PortalService(self)
        self.portal.listeners.append(self.groups.setting_changed)
        self.voices = VoiceService(self)

    # ------------------------------------------------------------------ registry
    def _add_party(self, party: Party) -> None:
        self.parties[party.id] = party
        self.by_number[party.number] = party
        if party.short:
            self.by_short[party.short] = party

    @property
    def now(self) -> int:
        return self.clock.now

    def publish(self, event: Event) -> None:
        if self.bus.listeners:
            self.bus.publish(event)

    def touch(self, party: Party) -> None:
        self._dirty[party.id] = None

    def flush(self) -> None:
        """Tell faces which handsets changed (once each), after an action or a timer."""
        if not self._dirty:
            return
        dirty, self._dirty = self._dirty, {}
        now = self.clock.now
        if self.bus.wants(HandsetDidChange):
            for ident in dirty:
                self.bus.publish(HandsetDidChange(now, ident))
        if self.media.watchers:
            self.media.publish_changes(dirty, now, self.publish)

    def later(self, delay_ms: int, fn: Callable[..., Any], *args: Any) -> Any:
        """A timer whose callback is an action (events flushed afterwards)."""
        clock = self.clock
        return clock.call_at(clock.now + delay_ms, self._fire_timer, fn, args)

    def _fire_timer(self, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self._depth += 1
        try:
            fn(*args)
        finally:
            self._depth -= 1
        if self._depth == 0:
            self.flush()

    def report_refusal(self, who: str, what: str, refusal: Refused) -> None:
        """Show a refusal decided outside the switch (handset, MMI) like any other."""
        self._refused(who, what, refusal)

    def _refused(self, who: object, what: str, refusal: Refused) -> None:
        party = self.parties.get(who) if isinstance(who, str) else None
        if party is not None:
            party.notice = (refusal.reason, refusal.detail)
            self.touch(party)
        self.publish(ActionWasRefused(self.clock.now, party.id if party else None, what,
                                      refusal.reason, refusal.message_fr, refusal.message_en))

    # ------------------------------------------------------------------ views
    def view(self, ident: str, dialing: bool = False) -> HandsetView:
        party = self.parties[ident]
        calls = tuple(leg_view(leg) for leg in party.legs)
        if not party.power:
            mode = "off"
        elif party.legs:
            mode = "in_call"
        else:
            mode = "dialing" if dialing else "idle"
        return HandsetView(ident, mode, calls, tone_of(party, dialing), is_ringing(party))

    def tone(self, ident: str) -> str:
        return tone_of(self.parties[ident])

    def hears(self, ident: str, dialing: bool = False) -> Earpiece:
        """What this handset's earpiece hears now: voices and network sources (media.py)."""
        return earpiece(self.parties[ident], dialing)

    def listeners_of(self, ident: str) -> frozenset[str]:
        """Who hears this handset's voice (and its in-band DTMF) now."""
        return listeners_of(self.parties[ident])

    def ringing(self, ident: str) -> bool:
        return is_ringing(self.parties[ident])

    # ------------------------------------------------------------------ numbering
    def resolve(self, caller: Party, digits: str) -> Party | Any | Refused | None:
        """The party or group a caller reaches with ``digits``; None = not allocated."""
        number = self._parsed.get(digits)
        if number is None or self._parsed_plan is not self.plan:
            number = self._parse(digits)
        if number.kind == "invalid":
            return Refused("invalid_number")
        if number.kind == "short":
            if not caller.in_vpn:
                return Refused("invalid_number")
            return self.by_short.get(number.digits)
        group = self.groups.by_number.get(number.digits)
        if group is not None:
            return group
        return self.by_number.get(number.digits)

    def _parse(self, digits: str) -> Number:
        """The plan's reading of ``digits``, remembered (the same numbers are dialled again
        and again; a Number is immutable); at most a few thousand, for the plan in force."""
        if self._parsed_plan is not self.plan or len(self._parsed) >= PARSED_KEPT:
            self._parsed, self._parsed_plan = {}, self.plan
        number = self._parsed[digits] = self.plan.parse(digits)
        return number

    # ------------------------------------------------------------------ placing calls
    @action
    def dial(self, ident: str, digits: str) -> Refused | Call:
        """Key ``digits`` then CALL; during a call this holds the active call first."""
        caller = self.parties[ident]
        if not caller.power:
            return Refused("handset_off")
        if caller.location == "no_coverage":
            return Refused("unreachable", "no coverage")
        menu = self.groups.menu_for(digits)
        target = menu if menu is not None else self.resolve(caller, digits)
        if isinstance(target, Refused):
            return target
        refusal = self._make_room(caller)
        if refusal is not None:
            return refusal
        dialled = getattr(target, "id", None) or digits
        call = self.factory.new_call(dialled, self.clock.now)
        self.calls[call.id] = call
        leg = self.factory.new_leg(caller, call, True, self.clock.now)
        call.caller = leg
        call.legs.append(leg)
        caller.legs.append(leg)
        caller.notice = None
        caller.transient_tone = None
        self.touch(caller)
        self.publish(CallDidStart(self.clock.now, call.id, caller.id, dialled))
        if menu is not None:
            self.groups.start_menu(call, menu)
        elif target is None:
            self.release(call, "number_not_allocated")
        else:
            call.chain.append(dialled)
            delivery.deliver(self, call, target)
        return call

    def _make_room(self, caller: Party) -> Refused | None:
        """Before a new call: hold the active call (double appel) or refuse."""
        if not caller.legs:
            return None
        states = [leg.state for leg in caller.legs]
        if "calling" in states or ("alerting" in states and len(states) == 1) or states.count("held") > 1:
            return Refused("too_many_calls")
        if "connected" in states:
            if not caller.has("double_appel"):
                return Refused("double_appel_required")
            if "held" in states:
                return Refused("too_many_calls")
            for leg in caller.legs:
                if leg.state == "connected":
                    self.hold_leg(leg)
        return None

    # ------------------------------------------------------------------ ringing
    def alert(self, call: Call, party: Party, forwarded_from: tuple[str, ...] = (),
              group: str | None = None) -> Leg:
        """Make ``party`` ring (or wait) for ``call``; ``forwarded_from`` lists the forwarders."""
        leg = self.factory.new_leg(party, call, False, self.clock.now)
        leg.forwarded_from = forwarded_from
        leg.group = group
        waiting = bool(party.legs)
        call.alerting.append(leg)
        party.legs.append(leg)
        party.notice = None
        party.transient_tone = None
        self.touch(party)
        self.touch(call.caller.party)
        self.publish(LegDidRing(self.clock.now, call.id, party.id, call.caller.party.id, waiting,
                                forwarded_from[-1] if forwarded_from else None, group))
        return leg

    def stop_ringing(self, leg: Leg, reason: str) -> None:
        """An alerting leg stops (answered elsewhere, switchover, forwarded...)."""
        call = leg.call
        party = leg.party  # the leg is recycled when dropped
        if leg in call.alerting:
            call.alerting.remove(leg)
        self._drop_leg(leg)
        self.publish(LegDidStopRinging(self.clock.now, call.id, party.id if party else "?", reason))

    def _drop_leg(self, leg: Leg) -> None:
        party = leg.party
        leg.cancel_timer()
        self.factory.fire(leg, "release")
        if leg in party.legs:
            party.legs.remove(leg)
        self.touch(party)
        if leg.group is not None and leg.answered_at is not None:
            self.groups.member_call_ended(leg.group, party.id)
        was_free = not party.legs
        self.factory.recycle_leg(leg)
        if was_free:
            self.groups.party_free(party)

    # ------------------------------------------------------------------ answering
    @action
    def answer(self, ident: str) -> Refused | None:
        """CALL (or HOLD) on a ringing or waiting call; a waiting call holds the active one."""
        party = self.parties[ident]
        leg = next((leg for leg in party.legs if leg.state == "alerting"), None)
        if leg is None:
            return Refused("nothing_to_answer")
        others = [other for other in party.legs if other is not leg]
        if any(other.state == "connected" for other in others):
            if any(other.state == "held" for other in others):
                return Refused("too_many_calls")
            for other in others:
                if other.state == "connected":
                    self.hold_leg(other)
        elif any(other.state == "calling" for other in others):
            return Refused("too_many_calls")
        self.connect(leg)
        return None

    def connect(self, leg: Leg) -> None:
        """``leg`` answers: the call is established, every other ringing leg stops."""
        call = leg.call
        now = self.clock.now
        leg.cancel_timer()
        call.alerting.remove(leg)
        for other in list(call.alerting):
            self.stop_ringing(other, "answered_elsewhere")
        call.alerting = []
        if call.hunt is not None:
            call.hunt.stop()
            hunt, call.hunt = call.hunt, None
            hunt.answered(leg)
        call.queued = False
        self.factory.fire(leg, "answer")
        leg.answered_at = now
        call.legs.append(leg)
        caller = call.caller
        self.factory.fire(caller, "connect")
        caller.answered_at = now
        self.factory.fire(call, "connect")
        call.answered_at = now
        self.touch(leg.party)
        self.touch(caller.party)
        self.publish(CallDidAnswer(now, call.id, leg.party.id, caller.party.id))

    # ------------------------------------------------------------------ releasing
    @action
    def end(self, ident: str) -> Refused | None:
        """END: the active call, else the call being placed, else the ringing one, else the held one."""
        party = self.parties[ident]
        by_state: dict[str, Leg] = {}
        for leg in party.legs:
            by_state.setdefault(leg.state, leg)
        if "connected" in by_state:
            self.leave(by_state["connected"])
        elif "calling" in by_state:
            self.release(by_state["calling"].call, "abandoned", by=party.id)
        elif "alerting" in by_state:
            self.reject_leg(by_state["alerting"])
        elif "held" in by_state:
            self.leave(by_state["held"])
        else:
            party.notice = None
            party.transient_tone = None
            self.touch(party)
            return Refused("no_call")
        return None

    @action
    def reject(self, ident: str) -> Refused | None:
        """Reject the ringing or waiting call (user-determined busy)."""
        party = self.parties[ident]
        leg = next((leg for leg in party.legs if leg.state == "alerting"), None)
        if leg is None:
            return Refused("nothing_to_answer")
        self.reject_leg(leg)
        return None

    def reject_leg(self, leg: Leg) -> None:
        call = leg.call
        party = leg.party
        if call.hunt is not None:
            self.stop_ringing(leg, "rejected")
            call.hunt.gone(party, "rejected")
            return
        self.stop_ringing(leg, "rejected")
        delivery.on_busy(self, call, party)

    def leave(self, leg: Leg) -> None:
        """A party hangs up its side of an answered call."""
        call = leg.call
        party = leg.party
        if call.organiser is party and len(call.live_legs()) > 2:
            self.release(call, "normal", by=party.id)
            return
        self.detach(call, leg)
        self._drop_leg(leg)
        live = call.live_legs()
        if len(live) <= 1:
            self.release(call, "normal", by=party.id)
        else:
            multiparty.participants_changed(self, call)

    @staticmethod
    def detach(call: Call, leg: Leg) -> None:
        """Take an answered leg out of its call; the call's caller stays one of its legs."""
        call.legs.remove(leg)
        if call.caller is leg:
            call.caller = call.legs[0] if call.legs else None  # type: ignore[assignment]

    def release(self, call: Call, reason: str, by: str | None = None) -> None:
        """End a whole call: every leg, ringing or answered, is released."""
        if call.state == "released":
            return
        now = self.clock.now
        if call.hunt is not None:
            call.hunt.stop()
            call.hunt.ended(reason)
            call.hunt = None
        if call.service is not None:
            call.service.ended()
        answered = call.answered_at is not None
        parties = tuple(leg.party.id for leg in call.legs + call.alerting)
        for leg in list(call.alerting):
            self.stop_ringing(leg, "abandoned" if reason == "abandoned" else reason)
        caller = call.caller.party if call.caller is not None else None
        for leg in list(call.legs):
            if leg.state != "released":
                self._drop_leg(leg)
        call.legs = []
        self.factory.fire(call, "release")
        if not answered and caller is not None and reason not in ("abandoned", "normal"):
            caller.notice = (reason, "")
            announced = reason in ANNOUNCED or reason == "code_locked"
            caller.transient_tone = "busy" if reason == "busy" else "announcement" if announced else None
            if reason in ANNOUNCED:
                fr, en = reason_text(reason, "fr"), reason_text(reason, "en")
                self.publish(Announcement(now, caller.id, reason, fr, en))
        self.publish(CallDidEnd(now, call.id, reason, answered, by, parties))
        del self.calls[call.id]
        self.factory.recycle_call(call)

    # ------------------------------------------------------------------ hold and swap
    def hold_leg(self, leg: Leg) -> None:
        if self.factory.fire(leg, "hold"):
            self.publish(LegDidHold(self.clock.now, leg.call.id, leg.party.id))
            for other in leg.call.legs:
                self.touch(other.party)

    def retrieve_leg(self, leg: Leg) -> None:
        if self.factory.fire(leg, "retrieve"):
            self.publish(LegDidRetrieve(self.clock.now, leg.call.id, leg.party.id))
            for other in leg.call.legs:
                self.touch(other.party)

    @action
    def hold(self, ident: str) -> Refused | None:
        """The double-call key: answer a waiting call, hold, retrieve or swap."""
        return inband.hold_key(self, self.parties[ident])

    @action
    def dtmf(self, ident: str, digit: str) -> Refused | None:
        """A digit keyed during an answered call, sent in-band to the other parties."""
        return inband.send_dtmf(self, self.parties[ident], digit)

    # ------------------------------------------------------------------ one call, by the handset's leg (SIP)
    @action
    def end_call(self, ident: str, leg_id: int) -> Refused | None:
        """END on that call only (release, abandon or reject it, whatever its state)."""
        return percall.end_call(self, self.parties[ident], leg_id)

    @action
    def hold_call(self, ident: str, leg_id: int) -> Refused | None:
        return percall.hold_call(self, self.parties[ident], leg_id)

    @action
    def retrieve_call(self, ident: str, leg_id: int) -> Refused | None:
        return percall.retrieve_call(self, self.parties[ident], leg_id)

    @action
    def answer_call(self, ident: str, leg_id: int) -> Refused | None:
        return percall.answer_call(self, self.parties[ident], leg_id)

    # ------------------------------------------------------------------ power and location
    @action
    def switch_off(self, ident: str) -> Refused | None:
        return presence.switch_off(self, self.parties[ident])

    @action
    def switch_on(self, ident: str) -> Refused | None:
        return presence.switch_on(self, self.parties[ident])

    @action
    def move(self, ident: str, location: str) -> Refused | None:
        return presence.move(self, self.parties[ident], location)

    # ------------------------------------------------------------------ transfer, conference
    @action
    def transfer(self, ident: str) -> Refused | None:
        return multiparty.transfer(self, self.parties[ident])

    @action
    def conference(self, ident: str) -> Refused | None:
        return multiparty.conference(self, self.parties[ident])

    @action
    def call_related(self, ident: str, code: str) -> Refused | None:
        """Call-related codes typed then CALL during calls (SPEC 8): 0, 1, 1X, 2, 2X, 3, 4."""
        return multiparty.call_related(self, self.parties[ident], code)

    # ------------------------------------------------------------------ voices (mouthpieces)
    @action
    def speak(self, ident: str, kind: str, duration_ms: int = 0, text: str = "", text_en: str = "",
              file: str = "") -> None:
        """``ident`` starts talking (say, talk, play, mic, sip) for ``duration_ms`` (0: until
        ``stop_speaking``); a scripted voice replaces the one still running."""
        self.voices.start(ident, kind, duration_ms, text, text_en, file)

    @action
    def stop_speaking(self, ident: str, kind: str | None = None) -> None:
        self.voices.stop(ident, kind)

    # ------------------------------------------------------------------ notices
    def notice_text(self, ident: str, lang: str = "fr") -> str | None:
        """What the display says of the last refusal or network answer, until the next key."""
        return notice_text(self.parties[ident], lang)

    def clear_notice(self, ident: str) -> None:
        party = self.parties[ident]
        if party.notice is not None or party.transient_tone is not None:
            party.notice = None
            party.transient_tone = None
            self.touch(party)
