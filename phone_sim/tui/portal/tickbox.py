"""A checkbox that reads without colour: ``▐✔▌`` ticked, ``▐ ▌`` not.

Textual's checkbox shows the same ``X`` in both states and only its colour changes,
which a colour-blind user, a monochrome terminal or a screen reader cannot tell apart.
It is still a ``Checkbox``: the same messages, keys and value.
"""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:  # noqa: N802 (Textual's name)
        return "✔" if self.value else " "
