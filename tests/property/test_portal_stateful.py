"""Stateful property test of portal changes, forwarding and ring lists under live calls.

Random portal operations (by the manager, by users on their own or other lines, by the
manager taking a user's identity), MMI codes, calls, answers, rejections, power and
coverage changes and time. After every step:

- no call rings in two places, except through a simultaneous ring list or group;
- no forwarding chain is longer than 5 hops, and no handset rings twice for one call;
- a handset that is off or out of coverage is in no call;
- a refused change leaves the settings exactly as they were (``snapshot()`` plus call
  waiting and registered destinations, compared before and after), and is not audited;
- no exception escapes (hypothesis reports any).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from phone_sim.handset.handset import Handset
from phone_sim.network.clock import Clock
from phone_sim.network.company import CompanySpec, ExternalSpec, GroupSpec, LineSpec
from phone_sim.network.delivery import MAX_HOPS
from phone_sim.network.refusal import Refused
from phone_sim.network.ringlist import RingListHunt
from phone_sim.network.snapshot import snapshot
from phone_sim.network.switch import Network

BOTH = frozenset({"pabx", "double_appel"})
LINES = ("A", "C", "D", "E", "G", "H", "J")
EXTERNALS = ("B", "F")
PARTIES = LINES + EXTERNALS
NUMBERS = {"A": "0601020301", "C": "0145020303", "D": "0601020304", "E": "0601020305", "G": "0601020307",
           "H": "0601020308", "J": "0601020310", "B": "0145678900", "F": "0298765432", "COM": "0609182236"}
# destinations: lines (weighted: they make chains and loops), externals, the group, each kind of refusal
DESTINATIONS = tuple(NUMBERS[line] for line in LINES) * 3 + tuple(NUMBERS.values()) + (
    "304", "+442071234567", "0812345678", "0712345678", "06010", "")
ACTORS = ("manager",) + LINES + ("B",)
KINDS = ("unconditional", "busy", "no_answer", "unreachable")
DELAYS = (None, 5, 10, 25, 30, 7, 0, 35)
STEPS = (None, 5, 15, 60, 4, 61)
SERVICE_CODES = ("21", "67", "61", "62", "002", "004", "43", "99")
MMI_FORMS = ("**{sc}*{n}#", "**{sc}*{n}**{t}#", "*{sc}#", "#{sc}#", "##{sc}#", "*#{sc}#")
WAITS = (0, 1000, 5000, 15_000, 25_000, 60_000)


def company() -> CompanySpec:
    return CompanySpec(
        name="Property",
        lines=(
            LineSpec("A", "Alice", NUMBERS["A"], "301", "mobile", BOTH),
            LineSpec("C", "Claire", NUMBERS["C"], "303", "fixed", BOTH),
            LineSpec("D", "Denis", NUMBERS["D"], "304", "mobile", frozenset({"pabx"})),
            LineSpec("E", "Emma", NUMBERS["E"], "305", "mobile", frozenset({"double_appel"})),
            LineSpec("G", "Gilles", NUMBERS["G"], "307", "mobile"),
            LineSpec("H", "Hugo", NUMBERS["H"], "308", "mobile", frozenset({"pabx"})),
            LineSpec("J", "Julie", NUMBERS["J"], "310", "mobile", BOTH),
        ),
        externals=(ExternalSpec("B", "Madame B", NUMBERS["B"]), ExternalSpec("F", "Client F", NUMBERS["F"])),
        groups=(GroupSpec("COM", NUMBERS["COM"], "Com", "1703", "2202", queue=1, switchover_delay=10,
                          distribution="simultaneous", members=("A", "D"), connected=("A", "D")),),
    )


class PortalMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.net = Network(company(), Clock())
        self.handsets = {ident: Handset(self.net, ident) for ident in PARTIES}

    # ------------------------------------------------------------ settings
    def settings_state(self) -> tuple[Any, ...]:
        net = self.net
        return (snapshot(net), {p.id: p.call_waiting for p in net.parties.values()},
                {line: dict(parked) for line, parked in net.portal.parked.items()})

    def change(self, actor: str, operation: str, params: dict[str, Any], as_whom: str | None = None) -> None:
        before, audited = self.settings_state(), len(self.net.portal.audit)
        result = self.net.portal.execute(actor, operation, params, as_whom=as_whom)
        if isinstance(result, Refused):
            assert self.settings_state() == before, f"{operation} refused {result.reason} but changed settings"
            assert len(self.net.portal.audit) == audited
        else:
            assert len(self.net.portal.audit) == audited + 1

    @rule(actor=st.sampled_from(ACTORS), line=st.sampled_from(LINES), kind=st.sampled_from(KINDS),
          to=st.sampled_from(DESTINATIONS), delay=st.sampled_from(DELAYS), impersonate=st.booleans())
    def set_forwarding(self, actor: str, line: str, kind: str, to: str, delay: int | None,
                       impersonate: bool) -> None:
        params: dict[str, Any] = {"line": line, "type": kind, "to": to}
        if delay is not None:
            params["delay"] = delay
        if impersonate:
            self.change("manager", "set_forwarding", params, as_whom=actor)
        else:
            self.change(actor, "set_forwarding", params)

    @rule(actor=st.sampled_from(ACTORS), line=st.sampled_from(LINES), kind=st.sampled_from((None,) + KINDS),
          operation=st.sampled_from(("clear_forwarding", "deactivate_forwarding", "activate_forwarding")))
    def clear_forwarding(self, actor: str, line: str, kind: str | None, operation: str) -> None:
        params: dict[str, Any] = {"line": line}
        if kind is not None or operation != "clear_forwarding":
            params["type"] = kind or "busy"
        self.change(actor, operation, params)

    @rule(actor=st.sampled_from(ACTORS), line=st.sampled_from(LINES),
          mode=st.sampled_from(("simultaneous", "sequential")),
          numbers=st.lists(st.sampled_from(DESTINATIONS), max_size=6), step=st.sampled_from(STEPS))
    def set_ring_list(self, actor: str, line: str, mode: str, numbers: list[str], step: int | None) -> None:
        params: dict[str, Any] = {"line": line, "mode": mode, "numbers": numbers}
        if step is not None:
            params["step"] = step
        self.change(actor, "set_ring_list", params)

    @rule(order=st.permutations(LINES), length=st.integers(2, len(LINES)), kind=st.sampled_from(KINDS),
          loop=st.booleans())
    def chain(self, order: list[str], length: int, kind: str, loop: bool) -> None:
        """The manager forwards line to line along a random path (long chains, loops)."""
        path = order[:length] + ([order[0]] if loop else [])
        for here, there in zip(path[:-1], path[1:], strict=True):
            self.change("manager", "set_forwarding", {"line": here, "type": kind, "to": NUMBERS[there]})

    @rule(line=st.sampled_from(LINES), members=st.lists(st.sampled_from(LINES), min_size=1, max_size=5),
          mode=st.sampled_from(("simultaneous", "sequential")))
    def ring_list_of_lines(self, line: str, members: list[str], mode: str) -> None:
        numbers = [NUMBERS[member] for member in members]
        self.change("manager", "set_ring_list", {"line": line, "mode": mode, "numbers": numbers, "step": 5})

    @rule(actor=st.sampled_from(ACTORS), line=st.sampled_from(LINES))
    def clear_ring_list(self, actor: str, line: str) -> None:
        self.change(actor, "clear_ring_list", {"line": line})

    @rule(actor=st.sampled_from(("manager", "A")), line=st.sampled_from(LINES), grant=st.booleans(),
          option=st.sampled_from(("pabx", "double_appel")))
    def option(self, actor: str, line: str, grant: bool, option: str) -> None:
        self.change(actor, "grant" if grant else "withdraw", {"line": line, "option": option})

    @rule(line=st.sampled_from(PARTIES), form=st.sampled_from(MMI_FORMS), sc=st.sampled_from(SERVICE_CODES),
          to=st.sampled_from(DESTINATIONS), delay=st.sampled_from((5, 20, 7)))
    def mmi(self, line: str, form: str, sc: str, to: str, delay: int) -> None:
        code = form.format(sc=sc, n=to.lstrip("+"), t=delay)
        before, audited = self.settings_state(), len(self.net.portal.audit)
        refusals = self.handsets[line].press_all(list(code) + ["call"])
        if refusals and not self.net.parties[line].legs:
            assert self.settings_state() == before and len(self.net.portal.audit) == audited

    # ------------------------------------------------------------ calls and handsets
    @rule(caller=st.sampled_from(PARTIES), callee=st.sampled_from(PARTIES + ("COM",)))
    def dial(self, caller: str, callee: str) -> None:
        self.net.dial(caller, NUMBERS[callee])

    @rule(caller=st.sampled_from(PARTIES), callee=st.sampled_from(LINES), ms=st.sampled_from(WAITS))
    def dial_and_wait(self, caller: str, callee: str, ms: int) -> None:
        """Calls to lines left ringing: forwarding on no answer, ring-list steps."""
        self.net.dial(caller, NUMBERS[callee])
        self.net.clock.advance(ms)

    @rule(who=st.sampled_from(PARTIES))
    def answer(self, who: str) -> None:
        self.net.answer(who)

    @rule(who=st.sampled_from(PARTIES))
    def reject(self, who: str) -> None:
        self.net.reject(who)

    @rule(who=st.sampled_from(PARTIES))
    def refuse_waiting(self, who: str) -> None:
        self.net.call_related(who, "0")

    @rule(who=st.sampled_from(PARTIES))
    def hangup(self, who: str) -> None:
        self.net.end(who)

    @rule(who=st.sampled_from(PARTIES), on=st.booleans())
    def power(self, who: str, on: bool) -> None:
        if on:
            self.net.switch_on(who)
        else:
            self.net.switch_off(who)

    @rule(who=st.sampled_from(PARTIES), where=st.sampled_from(("home", "no_coverage", "abroad")))
    def move(self, who: str, where: str) -> None:
        self.net.move(who, where)

    @rule(ms=st.sampled_from(WAITS))
    def wait(self, ms: int) -> None:
        self.net.clock.advance(ms)

    # ------------------------------------------------------------ invariants
    @invariant()
    def rings_in_one_place_unless_simultaneous(self) -> None:
        for call in self.net.calls.values():
            if len(call.alerting) <= 1:
                continue
            hunt = call.hunt
            simultaneous = (isinstance(hunt, RingListHunt) and hunt.simultaneous) or \
                getattr(hunt, "distribution", None) == "simultaneous"
            assert simultaneous, f"call {call.id} rings {[leg.party.id for leg in call.alerting]} via {hunt!r}"
            parties = [leg.party.id for leg in call.alerting]
            assert len(parties) == len(set(parties)), f"call {call.id} rings {parties}"

    @invariant()
    def chains_are_at_most_five_hops(self) -> None:
        for call in self.net.calls.values():
            assert call.hops <= MAX_HOPS
            for leg in call.alerting + call.legs:
                assert len(leg.forwarded_from) <= MAX_HOPS

    @invariant()
    def unreachable_handsets_are_in_no_call(self) -> None:
        for party in self.net.parties.values():
            if not party.reachable:
                assert party.legs == [], f"{party.id} is unreachable with {party.legs}"

    @invariant()
    def a_call_never_rings_its_caller(self) -> None:
        for call in self.net.calls.values():
            if call.caller is not None:
                assert all(leg.party is not call.caller.party for leg in call.alerting)


PortalMachine.TestCase.settings = settings(
    max_examples=300, stateful_step_count=50, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_portal_stateful = PortalMachine.TestCase
