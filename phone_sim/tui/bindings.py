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


def relabel(node: DOMNode, lang: str) -> None:
    """Descriptions of ``node``'s bindings in ``lang`` (bindings without an id are kept)."""
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [replace(b, description=text("tui.action." + b.id, lang)) if b.id else b
                      for b in bindings]


def described(node: DOMNode) -> list[Binding]:
    """The bindings of ``node`` that have a description, each once."""
    seen: set[str] = set()
    result = []
    for _, binding in node._bindings:
        if binding.description and (binding.id or binding.action) not in seen:
            seen.add(binding.id or binding.action)
            result.append(binding)
    return result
