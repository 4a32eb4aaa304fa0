"""What every portal page shares: the session, navigation messages, fields with their
inline error, a status line.

Attributes down, messages up: a page gets the session from the screen and asks for
another page with a ``Navigate`` message; it never reaches into the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label, Select, Static

from phone_sim.network.refusal import Refused

if TYPE_CHECKING:
    from phone_sim.tui.portal.session import PortalSession


class Navigate(Message):
    """Ask the portal screen to show another page (``view``), with its arguments."""

    def __init__(self, view: str, **args: Any) -> None:
        super().__init__()
        self.view = view
        self.args = args


class PortalView(Vertical):
    """One page of the portal."""

    NAME = ""

    def __init__(self, session: PortalSession) -> None:
        super().__init__(classes="portal-view", id=f"view-{self.NAME}")
        self.session = session

    def t(self, key: str, **values: object) -> str:
        return self.session.t(key, **values)

    def go(self, view: str, **args: Any) -> None:
        self.post_message(Navigate(view, **args))

    # ------------------------------------------------------------------ building blocks
    def title(self, key: str, **values: object) -> Static:
        return Static(self.t(key, **values), classes="view-title", markup=False)

    def field(self, name: str, label: str, widget: Widget) -> Vertical:
        """A labelled input with the place where its error shows."""
        return Vertical(
            Label(label, classes="field-label", markup=False),
            widget,
            Static("", id=f"{name}-error", classes="field-error", markup=False),
            classes="field",
            id=f"field-{name}",
        )

    def status_line(self) -> Static:
        return Static("", id="form-status", markup=False)

    def line_select(self, selected: str | None) -> Select[str]:
        lines = self.session.lines()
        options = [(self.session.line_label(p), p.id) for p in lines]
        value = selected if selected in {p.id for p in lines} else (lines[0].id if lines else Select.NULL)
        return Select(options, value=value, allow_blank=False, id="line", disabled=len(lines) <= 1)

    # ------------------------------------------------------------------ feedback
    def show_errors(self, errors: dict[str, Refused]) -> None:
        """Each refusal next to its field, the first one in the status line too."""
        for error in self.query(".field-error").results(Static):
            error.update("")
        for name, refused in errors.items():
            for target in self.query(f"#{name}-error").results(Static):
                target.update(self.session.refusal_text(refused))
        if errors:
            self.status(next(iter(errors.values())))

    def status(self, outcome: Refused | str) -> None:
        line = self.query_one("#form-status", Static)
        if isinstance(outcome, Refused):
            line.update(self.session.refusal_text(outcome))
            line.set_classes("status-error")
        else:
            line.update(outcome)
            line.set_classes("status-ok")

    def done(self, result: Refused | None, field_of: dict[str, str] | None = None) -> bool:
        """Show the portal's answer: saved, or the refusal next to the field it is about."""
        if result is None:
            self.show_errors({})
            self.status(self.t("portal.saved"))
            return True
        name = (field_of or {}).get(result.reason)
        self.show_errors({name: result} if name else {})
        self.status(result)
        return False
