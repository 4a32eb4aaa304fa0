"""The audit log (who, as whom, when, what, before, after), filterable by line."""

from __future__ import annotations

from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Select

from phone_sim.network.settingtext import actor_text, operation_text, value_text, via_text
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
        session = self.session
        lang, names = session.lang, session.names
        for row in session.audit(None if chosen == ALL else chosen):
            who = actor_text(row.who, lang, names)
            if row.account and row.account != row.who:
                who += f" ({row.account})"
            what = operation_text(row.operation, lang)
            if row.via not in ("", "portal", "store"):  # phone-sim's own rows say who already
                what += f" ({via_text(row.via, lang)})"
            table.add_row(_when(row), who, actor_text(row.as_whom, lang, names), what,
                          names.get(row.target, row.target), value_text(row.operation, row.before, lang, names),
                          value_text(row.operation, row.after, lang, names), key=str(row.id))


def _when(row: AuditRow) -> str:
    """Wall-clock time in the local zone, and the network's virtual time."""
    virtual = f"t={row.time_ms / 1000:g}s"
    if not row.wall:
        return virtual
    return f"{datetime.fromisoformat(row.wall).astimezone():%Y-%m-%d %H:%M:%S}  {virtual}"
