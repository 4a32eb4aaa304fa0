"""« Administrer les groupes d'appel » (guide, chapter 5; SPEC 9, 10).

The table has the guide's columns and its legend (● at least one member connected,
○ none: the two states differ in shape, not only in colour); Ajouter / Modifier / Supprimer act on the group under the cursor, whose members
(Nom, Numéro, Statut) show below with connect / disconnect, « Déconnecter tous les
membres », and adding or removing a member.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Static

from phone_sim.tui.portal.marks import CLOSED_MARK, CLOSED_STYLE, OPEN_MARK, OPEN_STYLE
from phone_sim.tui.portal.members import MembersPanel
from phone_sim.tui.portal.view import PortalView

if TYPE_CHECKING:
    from phone_sim.network.groups import Group
    from phone_sim.tui.portal.session import PortalSession

COLUMNS = ("number", "name", "user_code", "admin_code", "queue", "switchover_delay", "inter_call_delay",
           "distribution", "actions")



def two_lines(label: str) -> str:
    """A long column title on two lines, cut at the space nearest the middle (the
    guide's nine columns then fit a 160-column terminal)."""
    if len(label) <= 12 or " " not in label:
        return label
    spaces = [i for i, c in enumerate(label) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return label[:cut] + "\n" + label[cut + 1:]


def status_dot(group: Group) -> Text:
    return Text(OPEN_MARK, style=OPEN_STYLE) if group.is_open else Text(CLOSED_MARK, style=CLOSED_STYLE)



def legend(session: PortalSession) -> Static:
    content = Text.assemble(
        (session.t("portal.legend") + " ", "bold"),
        (OPEN_MARK, OPEN_STYLE), session.t("group.open") + "   ",
        (CLOSED_MARK, CLOSED_STYLE), session.t("group.closed"),
    )
    return Static(content, classes="legend")


class GroupsView(PortalView):
    NAME = "groups"

    def __init__(self, session: PortalSession, group: str | None = None) -> None:
        super().__init__(session)
        self.initial_group = group
        self.confirming: str | None = None  # the group "Supprimer" was pressed once for

    def compose(self) -> ComposeResult:
        t = self.t
        yield self.title("portal.menu.groups")
        yield Static(t("portal.groups.title"), classes="section-title", markup=False)
        table: DataTable[Text | str] = DataTable(id="groups-table", cursor_type="row", zebra_stripes=True,
                                                 header_height=2)
        for key in COLUMNS:
            table.add_column(two_lines(t(f"portal.col.{key}")), key=key)
        yield table
        yield legend(self.session)
        yield Horizontal(
            Button(t("portal.add"), id="group-add", variant="primary"),
            Button(t("portal.modify"), id="group-edit"),
            Button(t("portal.delete"), id="group-delete", variant="error"),
            classes="buttons",
        )
        yield self.status_line()
        yield MembersPanel(self.session, manager=True)

    def on_mount(self) -> None:
        self.refresh_table(self.initial_group)
        self.query_one("#groups-table").focus()

    # ------------------------------------------------------------------ table
    def refresh_table(self, keep: str | None = None) -> None:
        table = self.query_one("#groups-table", DataTable)
        keep = keep or self.selected
        table.clear()
        for group in self.session.groups():
            t = self.t
            table.add_row(
                Text.assemble(status_dot(group), group.number), group.name, group.user_code, group.admin_code,
                str(group.queue), str(group.switchover_delay), str(group.inter_call_delay),
                t(f"distribution.{group.distribution}"), f"{t('portal.modify')} / {t('portal.delete')}",
                key=group.id,
            )
        ids = [g.id for g in self.session.groups()]
        if keep in ids:
            table.move_cursor(row=ids.index(keep))
        self.show_members()

    @property
    def selected(self) -> str | None:
        table = self.query_one("#groups-table", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value) if row_key.value is not None else None

    def show_members(self) -> None:
        group = self.session.net.groups.groups.get(self.selected or "")
        self.query_one(MembersPanel).show(group)

    @on(DataTable.RowHighlighted, "#groups-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._cancel_delete()
        self.show_members()

    @on(MembersPanel.Changed)
    def _members_changed(self, event: MembersPanel.Changed) -> None:
        event.stop()
        self.refresh_table()

    # ------------------------------------------------------------------ buttons
    @on(Button.Pressed, "#group-add")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        self.go("group_form")

    @on(Button.Pressed, "#group-edit")
    def _edit(self, event: Button.Pressed) -> None:
        event.stop()
        if self.selected is None:
            self.status(self.t("portal.group.pick"))
        else:
            self.go("group_form", group=self.selected)

    @on(Button.Pressed, "#group-delete")
    def _delete(self, event: Button.Pressed) -> None:
        event.stop()
        group = self.session.net.groups.groups.get(self.selected or "")
        if group is None:
            self.status(self.t("portal.group.pick"))
            return
        if self.confirming != group.id:  # a first press asks, a second one deletes
            self.confirming = group.id
            event.button.label = self.t("portal.confirm_delete", name=group.name)
            return
        self._cancel_delete()
        if self.done(self.session.execute("delete_group", {"group": group.id})):
            self.refresh_table()

    def _cancel_delete(self) -> None:
        self.confirming = None
        self.query_one("#group-delete", Button).label = self.t("portal.delete")
