"""The user's call groups: status, and connect / disconnect themselves (guide, chapter 5)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Static

from phone_sim.tui.portal.groups import legend, status_dot
from phone_sim.tui.portal.marks import connection_mark
from phone_sim.tui.portal.view import PortalView


class MyGroupsView(PortalView):
    NAME = "my_groups"

    def compose(self) -> ComposeResult:
        t = self.t
        yield self.title("portal.menu.my_groups")
        table: DataTable[Text | str] = DataTable(id="my-groups-table", cursor_type="row")
        for key, label in (("number", "portal.col.number"), ("name", "portal.col.name"),
                           ("status", "portal.col.status")):
            table.add_column(t(label), key=key)
        yield table
        yield legend(self.session)
        if not self.session.groups():
            yield Static(t("portal.my_groups.empty"), classes="notice", markup=False)
        yield Horizontal(Button(t("portal.connect"), id="my-connect", variant="primary"),
                         Button(t("portal.disconnect"), id="my-disconnect"), classes="buttons")
        yield self.status_line()

    def on_mount(self) -> None:
        self.refresh_table()
        self.query_one("#my-groups-table").focus()

    def refresh_table(self) -> None:
        table = self.query_one("#my-groups-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        me = self.session.user_line
        for group in self.session.groups():
            mine = connection_mark(me in group.connected, self.session)
            table.add_row(Text.assemble(status_dot(group), group.number), group.name, mine, key=group.id)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    @on(Button.Pressed, "#my-connect, #my-disconnect")
    def _connection(self, event: Button.Pressed) -> None:
        event.stop()
        table = self.query_one("#my-groups-table", DataTable)
        if table.row_count == 0:
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        operation = "connect" if event.button.id == "my-connect" else "disconnect"
        result = self.session.execute(operation, {"group": str(row_key.value), "line": self.session.user_line})
        self.done(result)
        self.refresh_table()
