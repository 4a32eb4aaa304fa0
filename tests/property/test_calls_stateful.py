"""Stateful property test of basic calls, double appel, transfer and conference.

Five handsets on one network (lines with different options, one external) receive
random actions: keys (digits, ``*``, ``#``, ``+``, CALL, END, HOLD, CONF), dialling
another handset by national, short or international form, answering, hanging up,
call-related codes, ``#1``, power, location, and time. After every step the network's
bookkeeping must be whole (no leg or call left behind, each leg in one call, the
parties' leg lists matching), every handset must hold at most one active, one held and
one waiting call, a conference never exceeds six, and a refused action changes nothing.
The media plane (SPEC 12) must agree with what the handsets show: nobody hears himself;
hearing is mutual; on an answered call X hears Y exactly when both show it active (or in
conference); a party held by every other hears music, a holder hears nothing of the call;
ringback, queue music, waiting tone and prompts follow the calls shown; off or out of
coverage hears nothing and is heard by nobody; the last MediaDidChange published for each
handset is its earpiece now; every DTMF digit reaches exactly the parties that hear the
sender at that instant.

Extending: add ``@rule`` methods here, or subclass :class:`CallsMachine` (then set the
subclass's ``TestCase.settings`` as below). Override :meth:`CallsMachine.company` for
forwarding or groups; rules draw handsets from ``IDS``/``ACTORS``, so new parties need
rules drawing from their own list (and ``ids`` set for the helpers).
The invariants are the ``check_*`` methods; :meth:`CallsMachine.extra_live_legs` lets a
service that holds legs outside the parties' lists (a voice menu) account for them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from phone_sim.handset.display import display_text
from phone_sim.handset.handset import Handset, keys_of_number
from phone_sim.network import events as ev
from phone_sim.network.clock import Clock
from phone_sim.network.company import CompanySpec, ExternalSpec, LineSpec
from phone_sim.network.multiparty import MAX_CONFERENCE
from phone_sim.network.refusal import Refused
from phone_sim.network.switch import Network

PABX_DA = frozenset({"pabx", "double_appel"})
IDS = ("A", "C", "D", "E", "B")
# who acts: the lines with every option twice as often, as they can do the most
ACTORS = ("A", "C", "A", "C", "D", "E", "B")
KEYS = tuple("0123456789*#+") + ("call", "end", "hold", "conf")
LOCATIONS = ("home", "abroad", "white_zone", "no_coverage")
FORMS = ("national", "short", "plus33", "0033", "spaced", "unallocated", "unallocated_short")
CODES = ("#1", "0", "1", "2", "3", "4", "11", "12", "13", "21", "22", "23", "29")


def basic_company() -> CompanySpec:
    """A: full options; C: full options, fixed; D: PABX only; E: double appel only; B external."""
    return CompanySpec(
        name="Property",
        lines=(
            LineSpec("A", "Alice", "0601020301", "301", "mobile", PABX_DA),
            LineSpec("C", "Claire", "0145020303", "303", "fixed", PABX_DA),
            LineSpec("D", "Denis", "0601020304", "304", "mobile", frozenset({"pabx"})),
            LineSpec("E", "Emma", "0601020305", "305", "mobile", frozenset({"double_appel"})),
        ),
        externals=(ExternalSpec("B", "Madame B", "0145678900"),),
    )


class CallsMachine(RuleBasedStateMachine):
    """Random actions on one network; whole bookkeeping after every step."""

    ids: tuple[str, ...] = IDS

    def __init__(self) -> None:
        super().__init__()
        self.net = Network(self.company(), Clock())
        self.handsets = {ident: Handset(self.net, ident) for ident in self.net.parties}
        self.dtmf_errors: list[str] = []
        self.net.bus.subscribe(self._heard_dtmf)
        self.net.media.watch()

    def company(self) -> CompanySpec:
        return basic_company()

    def extra_live_legs(self) -> int:
        """Live legs a service keeps outside the parties' leg lists (none here)."""
        return 0

    # ------------------------------------------------------------------ helpers
    def _heard_dtmf(self, event: ev.Event) -> None:
        """At the instant a digit is sent: it reaches exactly the sender's listeners."""
        if isinstance(event, ev.DtmfWasSent):
            expected = self.voices_shown(event.party)
            if set(event.to) != expected or len(event.to) != len(expected):
                self.dtmf_errors.append(f"DTMF {event.digit} from {event.party} to {event.to}, "
                                        f"expected {sorted(expected)}")

    def voices_shown(self, ident: str) -> set[str]:
        """Whom ``ident`` must hear, read from the displays' call states alone: a party on
        the same call that both sides show active (or in conference)."""
        net = self.net
        talking = ("active", "conference")
        heard: set[str] = set()
        for call in net.view(ident).calls:
            if call.state not in talking:
                continue
            for other in call.parties:
                if other in net.parties and any(
                    theirs.call_id == call.call_id and theirs.state in talking and ident in theirs.parties
                    for theirs in net.view(other).calls
                ):
                    heard.add(other)
        return heard

    def sources_shown(self, ident: str) -> set[str]:
        """The network sources ``ident`` must hear, read from the displays' call states."""
        net = self.net
        sources: set[str] = set()
        calls = net.view(ident).calls
        for call in calls:
            if call.state == "calling":
                sources.add("music" if call.queued else "ringback")
            elif call.state == "waiting":
                sources.add("waiting")
            elif call.state == "active" and not any(p in net.parties for p in call.parties):
                sources.add("prompt")  # a network service (the voice menu) answers the call
            elif call.state in ("active", "conference"):
                theirs = [c for other in call.parties for c in net.view(other).calls if c.call_id == call.call_id]
                if theirs and all(c.state == "held" for c in theirs):
                    sources.add("music")
        return sources

    def snapshot(self) -> tuple[Any, ...]:
        """What a refusal must leave unchanged: power, location, legs and calls."""
        net = self.net
        parties = tuple(
            (p.id, p.power, p.location, tuple((leg.id, leg.state, leg.call.id) for leg in p.legs))
            for p in net.parties.values()
        )
        calls = tuple(
            (
                c.id,
                c.state,
                tuple(leg.id for leg in c.legs),
                tuple(leg.id for leg in c.alerting),
                c.organiser.id if c.organiser is not None else None,
            )
            for c in net.calls.values()
        )
        return parties, calls

    def press(self, ident: str, keys: list[str]) -> None:
        """Press keys one by one; a refused key must change no call anywhere."""
        handset = self.handsets[ident]
        for key in keys:
            before = self.snapshot()
            result = handset.press(key)
            self.net.clock.settle()
            if isinstance(result, Refused):
                assert self.snapshot() == before, f"{ident} {key!r} refused {result.reason} but changed state"

    def number(self, caller: str, target: str, form: str) -> str:
        party = self.net.parties[target]
        national = party.number
        if form == "short" and party.short:
            return party.short
        if form == "plus33":
            return "+33" + national[1:]
        if form == "0033":
            return "0033" + national[1:]
        if form == "spaced":
            return " ".join(national[i : i + 2] for i in range(0, 10, 2))
        if form == "unallocated":
            return "0601020399"
        if form == "unallocated_short":
            return "399"
        return national

    def in_call(self) -> list[str]:
        return [ident for ident in self.ids if self.net.parties[ident].legs]

    def juggling(self) -> list[str]:
        return [ident for ident in self.ids if len(self.net.parties[ident].legs) >= 2]

    def out_of_reach(self) -> list[str]:
        return [ident for ident in self.ids if not self.net.parties[ident].reachable]

    def alerted(self) -> list[str]:
        return [
            ident
            for ident in self.ids
            if any(leg.state == "alerting" for leg in self.net.parties[ident].legs)
        ]

    # ------------------------------------------------------------------ rules
    # Rules are drawn about evenly, so the ones that build calls up (dial, answer, hold,
    # codes on handsets in a call) outnumber the ones that tear them down.
    @rule(ident=st.sampled_from(IDS), key=st.sampled_from(KEYS))
    def press_key(self, ident: str, key: str) -> None:
        self.press(ident, [key])

    @rule(caller=st.sampled_from(IDS), callee=st.sampled_from(IDS), form=st.sampled_from(FORMS))
    def dial(self, caller: str, callee: str, form: str) -> None:
        self.handsets[caller].buffer = ""
        self.press(caller, keys_of_number(self.number(caller, callee, form)) + ["call"])

    @rule(caller=st.sampled_from(IDS), callee=st.sampled_from(IDS))
    def dial_national(self, caller: str, callee: str) -> None:
        self.dial(caller, callee, "national")

    @rule(
        caller=st.sampled_from(ACTORS),
        callee=st.sampled_from(IDS),
        form=st.sampled_from(("national", "short")),
    )
    def call_and_answer(self, caller: str, callee: str, form: str) -> None:
        """Dial, and the callee answers at once if it rings or waits: calls get established."""
        self.dial(caller, callee, form)
        if any(leg.state == "alerting" for leg in self.net.parties[callee].legs):
            self.handsets[callee].buffer = ""
            self.press(callee, ["call"])

    @precondition(lambda self: self.alerted())
    @rule(data=st.data(), key=st.sampled_from(("call", "call", "hold", "end")))
    def answer(self, data: st.DataObject, key: str) -> None:
        ident = data.draw(st.sampled_from(self.alerted()))
        self.handsets[ident].buffer = ""
        self.press(ident, [key])

    @precondition(lambda self: self.in_call())
    @rule(data=st.data(), key=st.sampled_from(("end", "hold", "conf")))
    def function_key_in_call(self, data: st.DataObject, key: str) -> None:
        self.press(data.draw(st.sampled_from(self.in_call())), [key])

    @precondition(lambda self: self.in_call())
    @rule(data=st.data(), code=st.sampled_from(CODES))
    def call_related(self, data: st.DataObject, code: str) -> None:
        ident = data.draw(st.sampled_from(self.in_call()))
        self.handsets[ident].buffer = ""
        keys = list(code) if code == "#1" else list(code) + ["call"]
        self.press(ident, keys)

    @precondition(lambda self: self.in_call())
    @rule(
        data=st.data(),
        callee=st.sampled_from(IDS),
        form=st.sampled_from(("national", "short")),
        answered=st.booleans(),
    )
    def dial_in_call(self, data: st.DataObject, callee: str, form: str, answered: bool) -> None:
        """A second call from a handset in a call (holding the first), maybe answered."""
        caller = data.draw(st.sampled_from(self.in_call()))
        if answered:
            self.call_and_answer(caller, callee, form)
        else:
            self.dial(caller, callee, form)

    @rule(ident=st.sampled_from(IDS), change=st.sampled_from(("off", "on") + LOCATIONS))
    def radio(self, ident: str, change: str) -> None:
        """Power and location: switch off or on, or move."""
        if change == "off":
            result = self.net.switch_off(ident)
        elif change == "on":
            result = self.net.switch_on(ident)
        else:
            result = self.net.move(ident, change)
        self.net.clock.settle()
        assert result is None

    @precondition(lambda self: self.juggling())
    @rule(data=st.data(), how=st.sampled_from(("#1", "4", "conf", "3", "hold", "22", "12")))
    def transfer_or_conference(self, data: st.DataObject, how: str) -> None:
        """On a handset with two calls or more: #1, 4+CALL, CONF, 3+CALL, swap, 2X, 1X."""
        ident = data.draw(st.sampled_from(self.juggling()))
        self.handsets[ident].buffer = ""
        keys = {"#1": ["#", "1"], "conf": ["conf"], "hold": ["hold"]}.get(how, list(how) + ["call"])
        self.press(ident, keys)

    @precondition(lambda self: self.out_of_reach())
    @rule(data=st.data())
    def back_in_reach(self, data: st.DataObject) -> None:
        """Switch a handset back on, or bring it back into coverage."""
        ident = data.draw(st.sampled_from(self.out_of_reach()))
        self.net.switch_on(ident)
        self.net.move(ident, "home")
        self.net.clock.settle()

    @rule(ms=st.integers(min_value=0, max_value=40_000))
    def advance_time(self, ms: int) -> None:
        self.net.clock.advance(ms)

    # ------------------------------------------------------------------ invariants
    @invariant()
    def check_legs_and_calls(self) -> None:
        """Each leg is in exactly one live call and in its party's list, and back."""
        net = self.net
        seen: Counter[int] = Counter()
        for call_id, call in net.calls.items():
            assert call.id == call_id and call.state != "released", call
            assert call.legs or call.alerting, f"empty live call {call}"
            for leg in call.legs + call.alerting:
                seen[id(leg)] += 1
                assert leg.call is call, f"{leg} listed in {call} but points at {leg.call}"
                assert leg.state != "released", f"released {leg} still in {call}"
                assert leg in leg.party.legs, f"{leg} missing from {leg.party.id}'s legs"
            for leg in call.alerting:
                assert leg.state == "alerting", f"{leg} in {call}.alerting"
            caller = call.caller
            assert caller is None or (caller.call is call and caller in call.legs), (
                f"{call}: stray caller {caller}"
            )
        assert all(count == 1 for count in seen.values()), "a leg is in two calls"
        for party in net.parties.values():
            assert len(set(map(id, party.legs))) == len(party.legs), f"{party.id} lists a leg twice"
            for leg in party.legs:
                assert leg.party is party, f"{leg} in {party.id}'s list belongs to {leg.party}"
                assert leg.call is not None and net.calls.get(leg.call.id) is leg.call, (
                    f"{leg} in a dead call"
                )
                assert id(leg) in seen, f"{party.id}'s {leg} is in no call's lists"
            if not party.power or party.location == "no_coverage":
                assert not party.legs, f"{party.id} is unreachable but has calls {party.legs}"

    @invariant()
    def check_views(self) -> None:
        """At most one active, one held and one waiting call on every handset."""
        for ident in self.net.parties:
            states = Counter(call.state for call in self.net.view(ident).calls)
            talking = states["active"] + states["conference"] + states["calling"]
            assert talking <= 1, f"{ident} has {dict(states)}"
            assert states["held"] <= 1, f"{ident} has {dict(states)}"
            assert states["waiting"] + states["ringing"] <= 1, f"{ident} has {dict(states)}"
            assert not (states["ringing"] and len(self.net.view(ident).calls) > 1), f"{ident}: {dict(states)}"
            assert states["waiting"] == 0 or talking + states["held"] >= 1, f"{ident}: {dict(states)}"

    @invariant()
    def check_displays(self) -> None:
        """Every display renders, in both languages, with no hole in its text."""
        for ident, handset in self.handsets.items():
            shown = display_text(self.net, ident, handset.buffer)
            assert shown and "None" not in shown and "{" not in shown, (ident, shown)

    @invariant()
    def check_media(self) -> None:
        """Who hears whom agrees with the call states shown, both ways, and was published."""
        net = self.net
        assert not self.dtmf_errors, self.dtmf_errors
        for ident, party in net.parties.items():
            ear = net.hears(ident)
            assert ident not in ear.voices, f"{ident} hears himself: {ear}"
            assert ear.tone == net.view(ident).tone, (ident, ear, net.view(ident).tone)
            if not party.reachable:
                assert not ear.voices and not ear.sources, f"{ident} is unreachable but hears {ear}"
                assert not net.listeners_of(ident), f"{ident} is unreachable but heard by {net.listeners_of(ident)}"
            for other in ear.voices:
                assert ident in net.listeners_of(other), f"{ident} hears {other}, who is not heard by {ident}"
                assert ident in net.hears(other).voices, f"{ident} hears {other} but not the other way round"
            assert set(ear.voices) == self.voices_shown(ident), (ident, ear, net.view(ident).calls)
            if party.legs:
                assert set(ear.sources) == self.sources_shown(ident), (ident, ear, net.view(ident).calls)
            else:
                assert set(ear.sources) <= {"busy", "announcement"}, (ident, ear)
            assert net.media.last(ident) == ear, f"{ident}: published {net.media.last(ident)}, hears {ear}"

    @invariant()
    def check_conference_size(self) -> None:
        for call in self.net.calls.values():
            assert len(call.live_legs()) <= MAX_CONFERENCE, call
            if call.organiser is not None:
                assert any(leg.party is call.organiser for leg in call.legs), f"{call}: organiser left"

    @invariant()
    def check_nothing_left_behind(self) -> None:
        """Ended calls leave no model behind: the pools count exactly the live ones."""
        net = self.net
        factory = net.factory
        legs = sum(len(party.legs) for party in net.parties.values()) + self.extra_live_legs()
        assert factory.calls.live == len(net.calls), (factory.calls.live, len(net.calls))
        assert factory.legs.live == legs, (factory.legs.live, legs)
        assert factory.legs.attached() == factory.legs.live + len(factory.legs.idle)
        assert factory.calls.attached() == factory.calls.live + len(factory.calls.idle)
        for leg in factory.legs.idle:
            assert leg.party is None and leg.call is None, f"idle {leg} still attached"
        for call in factory.calls.idle:
            assert not call.legs and not call.alerting and call.caller is None, f"idle {call} not cleared"


CallsMachine.TestCase.settings = settings(
    # 300 examples in CI (a couple of minutes); `--hypothesis-profile=long` runs 2,000
    max_examples=max(300, settings.default.max_examples),
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCalls = CallsMachine.TestCase
