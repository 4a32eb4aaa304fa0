"""Key bindings whose descriptions come from the catalogue, French or English.

A binding's ``id`` names its catalogue text (``tui.action.<id>``); ``relabel`` swaps the
descriptions of a node's bindings when the language changes, so the footer and the help
screen follow.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from phone_sim.network.catalogue import text


def bind(keys: str, action: str, ident: str, show: bool = True, key_display: str | None = None,
         priority: bool = False) -> Binding:
    return Binding(keys, action, text("tui.action." + ident, "fr"), show=show, key_display=key_display,
                   priority=priority, id=ident)


KEY_NAMES = ("escape",)  # keys whose displayed name differs between languages


def relabel(node: DOMNode, lang: str) -> None:
    """Descriptions (and key names) of ``node``'s bindings in ``lang``; bindings without an
    id are kept as they are."""
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [_relabelled(b, lang) if b.id else b for b in bindings]


def _relabelled(binding: Binding, lang: str) -> Binding:
    shown = text("tui.keyname." + binding.key, lang) if binding.key in KEY_NAMES else binding.key_display
    return replace(binding, description=text("tui.action." + (binding.id or ""), lang), key_display=shown)


def described(node: DOMNode) -> list[Binding]:
    """The bindings of ``node`` that name a catalogue text (ours, not Textual's own)."""
    return [binding for _, binding in node._bindings if binding.id and binding.description]
