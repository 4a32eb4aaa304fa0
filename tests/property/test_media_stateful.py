"""Stateful property test of the media plane through the services that make a caller hear
something other than a voice: forwarding, a ring list, a group (hunt and queue) and its
voice menu (SPEC 12).

It is the calls machine of ``test_calls_stateful`` (its rules and every invariant,
``check_media`` included) on a company where D forwards unanswered calls to E after 5 s,
E's calls ring a simultaneous list (E and C), and the group COM (members A and C, one
caller may queue) has a voice menu; extra rules call the group and key its menu.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule
from test_calls_stateful import IDS, CallsMachine, basic_company

from phone_sim.network.company import CompanySpec, Forwarding, GroupSpec, RingList

GROUP_NUMBER = "0609182236"


def services_company() -> CompanySpec:
    base = basic_company()
    group = GroupSpec("COM", GROUP_NUMBER, "Com", "1703", "2202", 1, 10, 0, "linear", ("A", "C"), ("A", "C"))
    return CompanySpec(
        name="Media services",
        lines=base.lines,
        externals=base.externals,
        groups=(group,),
        forwarding={"D": Forwarding(no_answer="0601020305", delay=5)},
        incoming={"E": RingList("simultaneous", ("0601020305", "0145020303"))},
    )


class ServicesMachine(CallsMachine):
    def company(self) -> CompanySpec:
        return services_company()

    def in_menu(self) -> list[str]:
        return [i for i in self.ids if any(leg.call.service is not None for leg in self.net.parties[i].legs)]

    @rule(caller=st.sampled_from(IDS))
    def call_the_group(self, caller: str) -> None:
        self.handsets[caller].buffer = ""
        self.press(caller, list(GROUP_NUMBER) + ["call"])

    @rule(caller=st.sampled_from(("A", "C", "D", "E")))
    def open_the_menu(self, caller: str) -> None:
        self.handsets[caller].buffer = ""
        self.press(caller, ["*"] + list(GROUP_NUMBER) + ["call"])

    @precondition(lambda self: self.in_menu())
    @rule(data=st.data(), keys=st.sampled_from(("1703", "2202", "1", "2", "3", "5", "*", "9999")))
    def key_the_menu(self, data: st.DataObject, keys: str) -> None:
        self.press(data.draw(st.sampled_from(self.in_menu())), list(keys))


ServicesMachine.TestCase.settings = settings(
    max_examples=300,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestMediaServices = ServicesMachine.TestCase
