"""« Gérer les renvois d'appel d'une ligne » (guide, chapter 3; SPEC 6, 10).

1 select the line, 2 activate, 3 choose the type, 4 type a ten-digit number (01 to 06);
the box « Je ne souhaite pas personnaliser mes renvois d'appel » erases them all.
Unticking « Activer » deactivates the type but keeps its number registered (as #21#).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, Input, Select, Static

from phone_sim.network.company import FORWARDING_TYPES
from phone_sim.network.settingtext import forwarding_text
from phone_sim.tui.portal.checks import forwarding_errors
from phone_sim.tui.portal.tickbox import TickBox
from phone_sim.tui.portal.view import PortalView

if TYPE_CHECKING:
    from phone_sim.tui.portal.session import PortalSession

FIELD_OF = {"invalid_delay": "delay", "forbidden": "line", "no_pabx_option": "line", "unknown_line": "line"}


class ForwardingForm(PortalView):
    NAME = "forwarding"

    def __init__(self, session: PortalSession, line: str | None = None) -> None:
        super().__init__(session)
        self.initial_line = line

    def compose(self) -> ComposeResult:
        t = self.t
        yield self.title("portal.menu.forwarding" if self.session.is_manager else "portal.menu.forwarding_own")
        yield self.field("line", t("portal.line"), self.line_select(self.initial_line))
        yield Static("", id="fwd-current", markup=False)
        yield TickBox(t("portal.activate"), id="active")
        types = [(t(f"forwarding.{kind}"), kind) for kind in FORWARDING_TYPES]
        yield self.field("type", t("portal.fwd.type"),
                         Select(types, value="no_answer", allow_blank=False, id="type"))
        yield self.field("number", t("portal.fwd.number"),
                         Input(id="number", max_length=20, restrict=r"[0-9 +.\-]*"))
        yield self.field("delay", t("portal.fwd.delay"), Input(id="delay", max_length=2, restrict=r"[0-9]*"))
        yield TickBox(t("portal.fwd.opt_out"), id="opt-out")
        yield Horizontal(Button(t("portal.validate"), id="submit", variant="primary"), classes="buttons")
        yield self.status_line()

    def on_mount(self) -> None:
        self.pick_type()
        self.load()

    def pick_type(self) -> None:
        """The form opens on the line's forwarding as it stands: the first type that is
        active (else one with a number registered), its number, its delay."""
        party = self.session.net.parties.get(self.line_id)
        if party is None:
            return
        registered = self.session.net.portal.registered
        kinds = [k for k in FORWARDING_TYPES if party.forwarding.get(k)] or \
            [k for k in FORWARDING_TYPES if registered(party.id, k)]
        if kinds and kinds[0] != self.kind:
            self.query_one("#type", Select).value = kinds[0]

    @property
    def line_id(self) -> str:
        return str(self.query_one("#line", Select).value)

    @property
    def kind(self) -> str:
        return str(self.query_one("#type", Select).value)

    def load(self) -> None:
        """Show the line's settings for the chosen type."""
        party = self.session.net.parties.get(self.line_id)
        if party is None:
            return
        fwd = party.forwarding
        self.query_one("#fwd-current", Static).update(
            self.t("portal.fwd.current", value=forwarding_text(fwd, self.session.lang, self.session.names)))
        self.query_one("#active", Checkbox).value = fwd.get(self.kind) is not None
        self.query_one("#number", Input).value = self.session.net.portal.registered(party.id, self.kind) or ""
        self.query_one("#delay", Input).value = str(fwd.delay)
        self.query_one("#field-delay").display = self.kind == "no_answer"
        self.show_errors({})

    @on(Select.Changed, "#line")
    def _other_line(self, event: Select.Changed) -> None:
        event.stop()
        self.pick_type()
        self.load()

    @on(Select.Changed, "#type")
    def _reload(self, event: Select.Changed) -> None:
        event.stop()
        self.load()

    @on(Checkbox.Changed, "#opt-out")
    def _opt_out(self, event: Checkbox.Changed) -> None:
        event.stop()
        for ident in ("#active", "#type", "#number", "#delay"):
            self.query_one(ident).disabled = event.value

    @on(Button.Pressed, "#submit")
    @on(Input.Submitted)
    def submit(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        line, kind = self.line_id, self.kind
        if self.query_one("#opt-out", Checkbox).value:
            result = self.session.execute("clear_forwarding", {"line": line})
        elif self.query_one("#active", Checkbox).value:
            to, delay = self.query_one("#number", Input).value, self.query_one("#delay", Input).value
            errors = forwarding_errors(self.session.net, self.session.net.parties[line], kind, to, delay)
            if errors:
                self.show_errors(errors)
                return
            params: dict[str, object] = {"line": line, "type": kind, "to": to.strip()}
            if kind == "no_answer":
                params["delay"] = int(delay)
            result = self.session.execute("set_forwarding", params)
        else:
            result = self.session.execute("deactivate_forwarding", {"line": line, "type": kind})
        if result is None:
            self.load()
            self.query_one("#opt-out", Checkbox).value = False
        self.done(result, {**FIELD_OF, **{r: "number" for r in _NUMBER_REASONS}})


_NUMBER_REASONS = ("invalid_number", "short_number_not_allowed", "international_not_allowed",
                   "special_number_not_allowed", "prefix_not_allowed", "forward_to_self")
