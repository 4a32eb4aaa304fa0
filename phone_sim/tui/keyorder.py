"""Keys typed fast keep their order, whichever widget or binding acts on them.

Textual hands a key to the focused widget's message queue. A text field inserts a
printable character there, at once; anything else (Backspace, Enter, Tab...) bubbles up,
one queue per ancestor, to the app, where the bindings run. Meanwhile the app has
already handed the next keys to the field: a burst of keys (a paste of key names, tmux
``send-keys``, a script) comes out as characters first and Backspaces last, and keys
typed after Enter or Tab land in the field that had the focus before.

``OrderedKeys`` (a mixin for our apps) acts on a key meant for a text field in the app,
at once and in order: a character goes into the field, any other key runs its binding
(the field's, then its screen's and the app's, as Textual would). After such a binding
the next keys wait until what it posted has been handled up the field's queues and the
app's (an input's Submitted, whose handler moves the focus through the app's queue).
Keys meant for other widgets all take Textual's path, one queue after the other, so
they cannot overtake each other. A screen may also say when it is ready for keys
(``keys_from``, infinite while it is built): keys wait for it, and the characters typed
before it was up are not typed into its fields (the portal opens with its login field
empty, whatever was typed while it was opening; Enter or Escape still count).
"""

from __future__ import annotations

import math
from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.widgets import Input

if TYPE_CHECKING:
    _Base = App[Any]
else:
    _Base = object

POSTING_KEYS = frozenset({"enter"})  # an input's bindings that post a message (Submitted)
WAIT_READY = 0.02  # seconds between two looks at a screen being built
STUCK = 0.5  # seconds: a key not back by then (its widget went away) lets the next one go


class OrderedKeys(_Base):
    _held: deque[events.Key]
    _in_flight: events.Key | None = None

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)
            return
        if not hasattr(self, "_held"):
            self._held = deque()
        if self._in_flight is not None or self._held:
            self._held.append(event)  # after the keys already waiting
            return
        await self._dispatch(event)

    async def _dispatch(self, event: events.Key) -> None:
        screen = self.screen
        keys_from = getattr(screen, "keys_from", 0.0)
        if keys_from == math.inf:  # that screen is still being built: the key waits for it
            self._held.appendleft(event)
            self.set_timer(WAIT_READY, self._next)
            return
        if event.time < keys_from and event.is_printable:
            self.call_later(self._next)  # a character typed before that screen was up: not for its fields
            return
        field = self.focused
        if not isinstance(field, Input):  # no text field: every key takes the same path
            await super().on_event(event)
            if self._held:
                self.call_later(self._next)
            return
        # a text field: the key is acted on here and now, in the order keys came
        if not self.app_focus:
            self.app_focus = True
        if await self._check_bindings(event.key, priority=True):
            pass
        elif event.is_printable:
            await field._on_key(event)  # the field's own typing (restrict, selection...)
        else:
            self._in_flight = event
            if not await self._check_bindings(event.key):  # the field's, then its screen's
                event._set_forwarded()
                field.post_message(event)
            elif event.key not in POSTING_KEYS:
                # the binding acted at once; what it queued on the app (a focus change)
                # comes before the next key
                self.call_later(self._done, event)
                return
            # what the key posted to the field (an input's Submitted, whose handler may
            # move the focus) is handled before the next key
            self.set_timer(STUCK, lambda: self._done(event))
            self._follow(event, field)
            return
        if self._held:
            self.call_later(self._next)

    def _follow(self, event: events.Key, node: MessagePump | None) -> None:
        """Wait until ``node``'s queue, then its parent's... up to the app's, went past now."""
        while node is not None:
            if node is self:
                self.call_later(self._done, event)
                return
            if node.call_later(self._follow, event, node._parent):
                return
            node = node._parent  # that queue is closed: nothing more happens there
        self._done(event)

    def _done(self, event: events.Key) -> None:
        if self._in_flight is event:
            self._in_flight = None
            # through the app's queue: what the key's handlers queued there (a focus
            # change) comes before the next key
            self.call_later(self._next)

    async def _next(self) -> None:
        if self._in_flight is None and getattr(self, "_held", None):
            await self._dispatch(self._held.popleft())
