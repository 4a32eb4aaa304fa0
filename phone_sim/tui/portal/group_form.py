"""Ajouter / Modifier a call group: the fields of the guide's table, checked in place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.widgets import Button, Input, Select

from phone_sim.network.company import DISTRIBUTIONS, GroupSpec
from phone_sim.tui.portal.checks import FIELD_OF_REASON, group_errors, new_group_id
from phone_sim.tui.portal.view import PortalView

if TYPE_CHECKING:
    from phone_sim.tui.portal.session import PortalSession

TEXT_FIELDS = ("number", "name", "user_code", "admin_code", "queue", "switchover_delay", "inter_call_delay")
RESTRICT = {"number": r"[0-9 +.\-]*", "user_code": r"[0-9]*", "admin_code": r"[0-9]*", "queue": r"[0-9]*",
            "switchover_delay": r"[0-9]*", "inter_call_delay": r"[0-9]*"}


class GroupForm(PortalView):
    NAME = "group_form"

    def __init__(self, session: PortalSession, group: str | None = None) -> None:
        super().__init__(session)
        self.group = session.net.groups.groups.get(group) if group else None

    def compose(self) -> ComposeResult:
        t = self.t
        group = self.group
        spec = group.spec() if group else GroupSpec("", "", "")
        if group is None:
            yield self.title("portal.group.add_title")
        else:
            yield self.title("portal.group.edit_title", name=group.name)
        with Grid(id="group-fields"):
            for key in TEXT_FIELDS:
                value = "" if group is None and key in ("number", "name") else str(getattr(spec, key))
                yield self.field(key, t(f"portal.col.{key}"),
                                 Input(value, id=key, max_length=40, restrict=RESTRICT.get(key)))
            choices = [(t(f"distribution.{d}"), d) for d in DISTRIBUTIONS]
            yield self.field("distribution", t("portal.col.distribution"),
                             Select(choices, value=spec.distribution, allow_blank=False, id="distribution"))
        yield Horizontal(Button(t("portal.validate"), id="submit", variant="primary"),
                         Button(t("portal.back"), id="cancel"), classes="buttons")
        yield self.status_line()

    def on_mount(self) -> None:
        self.query_one("#number" if self.group is None else "#name", Input).focus()

    @on(Button.Pressed, "#cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.go("groups", group=self.group.id if self.group else None)

    @on(Button.Pressed, "#submit")
    @on(Input.Submitted)
    def submit(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        values = {key: self.query_one(f"#{key}", Input).value for key in TEXT_FIELDS}
        values["distribution"] = str(self.query_one("#distribution", Select).value)
        settings, errors = group_errors(self.session.net, values, self.group.id if self.group else None)
        if errors:
            self.show_errors(errors)
            return
        if self.group is None:
            ident = new_group_id(self.session.net, settings["name"])
            result = self.session.execute("create_group", {"id": ident, **settings})
        else:
            ident = self.group.id
            result = self.session.execute("update_group", {"group": ident, **settings})
        if result is None:
            self.go("groups", group=ident)
        else:
            self.done(result, FIELD_OF_REASON)
