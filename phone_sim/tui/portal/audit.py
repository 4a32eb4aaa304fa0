"""The audit log (who, as whom, when, what, before, after), filterable by line."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Select

from phone_sim.store.store import AuditRow
from phone_sim.tui.portal.view import PortalView

ALL = "*"
COLUMNS = ("when", "who", "as_whom", "what", "target", "before", "after")


class AuditView(PortalView):
    NAME = "audit"

    def compose(self) -> ComposeResult:
        t = self.t
        yield self.title("portal.menu.audit")
        lines = [(t("portal.audit.all"), ALL)] + [(self.session.line_label(p), p.id) for p in self.session.lines()]
        yield self.field("filter", t("portal.audit.filter"), Select(lines, value=ALL, allow_blank=False, id="filter"))
        table: DataTable[str] = DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        for key in COLUMNS:
            table.add_column(t(f"portal.audit.{key}"), key=key)
        yield table

    def on_mount(self) -> None:
        self.refresh_table()

    @on(Select.Changed, "#filter")
    def _filter(self, event: Select.Changed) -> None:
        event.stop()
        self.refresh_table()

    def refresh_table(self) -> None:
        chosen = str(self.query_one("#filter", Select).value)
        table = self.query_one("#audit-table", DataTable)
        table.clear()
        for row in self.session.audit(None if chosen == ALL else chosen):
            who = f"{row.who} ({row.account})" if row.account and row.account != row.who else row.who
            table.add_row(_when(row), who, row.as_whom, row.operation, row.target, row.before, row.after,
                          key=str(row.id))


def _when(row: AuditRow) -> str:
    """Wall-clock time in the local zone, and the network's virtual time."""
    virtual = f"t={row.time_ms / 1000:g}s"
    if not row.wall:
        return virtual
    return f"{datetime.fromisoformat(row.wall).astimezone():%Y-%m-%d %H:%M:%S}  {virtual}"
