"""A Button that takes no focus, shows no press animation, and is cheap to create.

``Button.__init__`` sets three reactives (variant, flat, compact) whose watchers change
CSS classes, and each class change restyles the node at once, before the button is even
mounted, where mounting styles it again (when the keypads were 108 such buttons, that was
a third of the start-up); restyling is skipped until the button is attached. The clock
bar's and the scenario player's buttons are these.
"""

from __future__ import annotations

from textual.widgets import Button


class LightButton(Button):
    can_focus = False

    def __init__(self, label: str, *, id: str, classes: str = "") -> None:
        super().__init__(label, id=id, classes=classes, compact=True)
        self.active_effect_duration = 0

    def update_node_styles(self, animate: bool = True) -> None:
        if self.is_attached:  # not yet in the DOM: registration applies the stylesheet
            super().update_node_styles(animate)
