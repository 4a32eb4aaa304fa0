"""« Gérer les appels entrants d'une ligne » (guide, chapter 4; SPEC 7, 10).

1 select the line, 2 activate, 3 choose simultaneous or sequential (cascade), 4 list up
to five ten-digit VPN numbers; « Je ne souhaite pas personnaliser mes appels entrants »
removes the list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from phone_sim.network.company import DEFAULT_RING_STEP, MAX_RING_LIST, RING_MODES
from phone_sim.network.settingtext import ring_list_text
from phone_sim.tui.portal.checks import ring_list_errors
from phone_sim.tui.portal.tickbox import TickBox
from phone_sim.tui.portal.view import PortalView

if TYPE_CHECKING:
    from phone_sim.tui.portal.session import PortalSession

FIELD_OF = {"invalid_delay": "step", "forbidden": "line", "no_pabx_option": "line", "unknown_line": "line",
            "list_too_long": "number-0", "invalid_value": "number-0"}


class IncomingForm(PortalView):
    NAME = "incoming"

    def __init__(self, session: PortalSession, line: str | None = None) -> None:
        super().__init__(session)
        self.initial_line = line

    def compose(self) -> ComposeResult:
        t = self.t
        yield self.title("portal.menu.incoming" if self.session.is_manager else "portal.menu.incoming_own")
        yield self.field("line", t("portal.line"), self.line_select(self.initial_line))
        yield Static("", id="in-current", markup=False)
        yield TickBox(t("portal.activate"), id="active")
        modes = [(t(f"ring_list.{mode}"), mode) for mode in RING_MODES]
        yield self.field("mode", t("portal.in.mode"), Select(modes, value="simultaneous", allow_blank=False, id="mode"))
        yield Label(t("portal.in.numbers"), classes="field-label", markup=False)
        with Horizontal(id="numbers"):
            for i in range(MAX_RING_LIST):
                yield self.field(f"number-{i}", t("portal.in.number", n=i + 1),
                                 Input(id=f"number-{i}", max_length=20, restrict=r"[0-9 +.\-]*"))
        yield self.field("step", t("portal.in.step"), Input(id="step", max_length=2, restrict=r"[0-9]*"))
        yield TickBox(t("portal.in.opt_out"), id="opt-out")
        yield Horizontal(Button(t("portal.validate"), id="submit", variant="primary"), classes="buttons")
        yield self.status_line()

    def on_mount(self) -> None:
        self.load()

    @property
    def line_id(self) -> str:
        return str(self.query_one("#line", Select).value)

    def load(self) -> None:
        party = self.session.net.parties.get(self.line_id)
        if party is None:
            return
        ring = party.ring_list
        self.query_one("#in-current", Static).update(
            self.t("portal.in.current", value=ring_list_text(ring, self.session.lang, self.session.names)))
        self.query_one("#active", Checkbox).value = ring is not None
        self.query_one("#mode", Select).value = ring.mode if ring else "simultaneous"
        numbers = ring.numbers if ring else ()
        for i in range(MAX_RING_LIST):
            self.query_one(f"#number-{i}", Input).value = numbers[i] if i < len(numbers) else ""
        self.query_one("#step", Input).value = str(ring.step if ring else DEFAULT_RING_STEP)
        self._show_step()
        self.show_errors({})

    def _show_step(self) -> None:
        self.query_one("#field-step").display = self.query_one("#mode", Select).value == "sequential"

    @on(Select.Changed, "#line")
    def _reload(self, event: Select.Changed) -> None:
        event.stop()
        self.load()

    @on(Select.Changed, "#mode")
    def _mode(self, event: Select.Changed) -> None:
        event.stop()
        self._show_step()

    @on(Checkbox.Changed, "#opt-out")
    def _opt_out(self, event: Checkbox.Changed) -> None:
        event.stop()
        for widget in self.query("#active, #mode, #numbers Input, #step"):
            widget.disabled = event.value

    @on(Button.Pressed, "#submit")
    @on(Input.Submitted)
    def submit(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        line = self.line_id
        if self.query_one("#opt-out", Checkbox).value or not self.query_one("#active", Checkbox).value:
            result = self.session.execute("clear_ring_list", {"line": line})
        else:
            mode = str(self.query_one("#mode", Select).value)
            typed = [self.query_one(f"#number-{i}", Input).value for i in range(MAX_RING_LIST)]
            step = self.query_one("#step", Input).value
            errors = ring_list_errors(self.session.net, mode, typed, step)
            if errors:
                self.show_errors(errors)
                return
            numbers = [n.strip() for n in typed if n.strip()]
            params: dict[str, object] = {"line": line, "mode": mode, "numbers": numbers}
            if mode == "sequential":
                params["step"] = int(step)
            result = self.session.execute("set_ring_list", params)
        if result is None:
            self.load()
            self.query_one("#opt-out", Checkbox).value = False
        self.done(result, FIELD_OF)
