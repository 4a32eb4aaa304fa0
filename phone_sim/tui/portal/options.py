"""Grant or withdraw ``pabx`` and ``double_appel`` per line (SPEC 10, manager only)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, DataTable, Select

from phone_sim.network.company import OPTIONS
from phone_sim.network.refusal import Refused
from phone_sim.tui.portal.tickbox import TickBox
from phone_sim.tui.portal.view import PortalView


class OptionsForm(PortalView):
    NAME = "options"

    def compose(self) -> ComposeResult:
        t = self.t
        yield self.title("portal.options.title")
        table: DataTable[Text | str] = DataTable(id="options-table", cursor_type="row")
        for key, label in (("name", "portal.members.name"), ("number", "portal.members.number"),
                           *((option, f"option.{option}") for option in OPTIONS), ("sip", "portal.options.sip")):
            table.add_column(t(label), key=key)
        yield table
        yield self.field("line", t("portal.line"), self.line_select(None))
        with Horizontal(classes="buttons"):
            for option in OPTIONS:
                yield TickBox(t(f"option.{option}"), id=f"option-{option}")
        yield Horizontal(Button(t("portal.validate"), id="submit", variant="primary"), classes="buttons")
        yield self.status_line()

    def on_mount(self) -> None:
        self.refresh_table()
        self.load()

    def refresh_table(self) -> None:
        table = self.query_one("#options-table", DataTable)
        table.clear()
        yes, no = self.t("portal.yes"), self.t("portal.no")
        sip = self.session.sip_lines()  # which lines a SIP device may register as (SPEC 13)
        for party in self.session.lines():
            may = "—" if sip is None else self.t("portal.sip.locked") if sip.get(party.id) else \
                yes if party.id in sip else no
            table.add_row(party.name, party.number,
                          *(yes if party.has(option) else no for option in OPTIONS), may, key=party.id)

    @property
    def line_id(self) -> str:
        return str(self.query_one("#line", Select).value)

    def load(self) -> None:
        party = self.session.net.parties[self.line_id]
        for option in OPTIONS:
            self.query_one(f"#option-{option}", Checkbox).value = party.has(option)

    @on(Select.Changed, "#line")
    def _reload(self, event: Select.Changed) -> None:
        event.stop()
        self.load()

    @on(DataTable.RowSelected, "#options-table")
    def _pick(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.query_one("#line", Select).value = str(event.row_key.value)

    @on(Button.Pressed, "#submit")
    def submit(self, event: Button.Pressed) -> None:
        event.stop()
        party = self.session.net.parties[self.line_id]
        result: Refused | None = None
        for option in OPTIONS:
            wanted = self.query_one(f"#option-{option}", Checkbox).value
            if wanted != party.has(option):
                result = self.session.execute("grant" if wanted else "withdraw",
                                              {"line": party.id, "option": option})
                if result is not None:
                    break
        self.refresh_table()
        self.load()
        self.done(result, {"forbidden": "line", "unknown_line": "line"})
