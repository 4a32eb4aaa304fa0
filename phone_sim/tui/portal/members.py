"""« Membres du groupe d'appel » : Nom, Numéro, Statut, with connect and disconnect.

The manager also adds and removes members and disconnects them all; a user sees the
same table for their own groups and connects or disconnects only themselves (the portal
service refuses anything else).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Select, Static

from phone_sim.network.refusal import Refused
from phone_sim.tui.portal.marks import connection_mark

if TYPE_CHECKING:
    from phone_sim.network.groups import Group
    from phone_sim.tui.portal.session import PortalSession


class MembersPanel(Vertical):
    class Changed(Message):
        """Members or their connection changed: the group table redraws its dot."""

    def __init__(self, session: PortalSession, manager: bool) -> None:
        super().__init__(id="members")
        self.session = session
        self.manager = manager
        self.group_id: str | None = None

    def compose(self) -> ComposeResult:
        t = self.session.t
        yield Static("", id="members-title", classes="section-title", markup=False)
        table: DataTable[Text | str] = DataTable(id="members-table", cursor_type="row")
        for key in ("name", "number", "status"):
            table.add_column(t(f"portal.members.{key}"), key=key)
        yield table
        buttons = [Button(t("portal.connect"), id="member-connect"),
                   Button(t("portal.disconnect"), id="member-disconnect")]
        if self.manager:
            buttons += [Button(t("portal.disconnect_all"), id="members-disconnect-all", variant="warning"),
                        Button(t("portal.remove_member"), id="member-remove", variant="error")]
        yield Horizontal(*buttons, classes="buttons")
        if self.manager:
            yield Horizontal(Select([], prompt=t("portal.members.line"), id="member-line"),
                             Button(t("portal.add_member"), id="member-add"), classes="buttons")
        yield Static("", id="members-status", markup=False)

    # ------------------------------------------------------------------ showing
    def show(self, group: Group | None) -> None:
        self.group_id = group.id if group else None
        self.display = group is not None
        if group is None:
            return
        net = self.session.net
        self.query_one("#members-title", Static).update(self.session.t("portal.members.title", name=group.name))
        table = self.query_one("#members-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        for member in group.members:
            party = net.parties[member]
            status = connection_mark(member in group.connected, self.session)
            table.add_row(party.name, party.number, status, key=member)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        if self.manager:
            choices = [(self.session.line_label(p), p.id) for p in self.session.pabx_lines()
                       if p.kind == "mobile" and p.id not in group.members]
            self.query_one("#member-line", Select).set_options(choices)

    @property
    def member(self) -> str | None:
        table = self.query_one("#members-table", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return None if row_key.value is None else str(row_key.value)

    def answer(self, result: Refused | None) -> None:
        line = self.query_one("#members-status", Static)
        if result is None:
            line.update(self.session.t("portal.saved"))
            line.set_classes("status-ok")
            self.post_message(self.Changed())
        else:
            line.update(self.session.refusal_text(result))
            line.set_classes("status-error")

    # ------------------------------------------------------------------ actions
    @on(Button.Pressed, "#member-connect, #member-disconnect, #member-remove")
    def _member_action(self, event: Button.Pressed) -> None:
        event.stop()
        member = self.member
        if self.group_id is None or member is None:
            return
        operation = {"member-connect": "connect", "member-disconnect": "disconnect",
                     "member-remove": "remove_member"}[event.button.id or ""]
        self.answer(self.session.execute(operation, {"group": self.group_id, "line": member}))

    @on(Button.Pressed, "#members-disconnect-all")
    def _disconnect_all(self, event: Button.Pressed) -> None:
        event.stop()
        if self.group_id is not None:
            self.answer(self.session.execute("disconnect_all", {"group": self.group_id}))

    @on(Button.Pressed, "#member-add")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        line = self.query_one("#member-line", Select).value
        if self.group_id is None:
            return
        if line is Select.NULL:
            self.answer(Refused("required"))
            return
        self.answer(self.session.execute("add_member", {"group": self.group_id, "line": str(line)}))
