"""Key bindings whose descriptions come from the catalogue, French or English.

A binding's ``id`` names its catalogue text (``tui.action.<id>``); ``relabel`` swaps the
descriptions of a node's bindings when the language changes, so the footer and the help
screen follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from rich.cells import cell_len
from textual.binding import Binding
from textual.dom import DOMNode

from phone_sim.network.catalogue import text


def bind(keys: str, action: str, ident: str, show: bool = True, key_display: str | None = None,
         priority: bool = False) -> Binding:
    return Binding(keys, action, text("tui.action." + ident, "fr"), show=show, key_display=key_display,
                   priority=priority, id=ident)


PALETTE_KEY_WIDTH = 14  # the footer's "^p palette" on the right
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


def fit_footer(nodes: list[DOMNode], order: tuple[str, ...], width: int, key_display: Callable[[Binding], str],
               compact: bool) -> None:
    """Show in the footer the bindings named in ``order`` (most useful first) that fit in
    ``width`` columns; the others stay in the help screen (F1) and the palette."""
    room = width - PALETTE_KEY_WIDTH
    gap = 1 if compact else 2
    found = {b.id: b for node in nodes for _, b in node._bindings
             if b.id in order and node.check_action(b.action.split("(")[0], ())}
    shown: set[str] = set()
    for ident in order:
        binding = found.get(ident)
        if binding is None:
            continue
        cost = cell_len(key_display(binding)) + 1 + cell_len(binding.description) + gap
        if cost <= room:
            shown.add(ident)
            room -= cost
    for node in nodes:
        table = node._bindings.key_to_bindings
        for key, bindings in table.items():
            table[key] = [replace(b, show=b.id in shown) if b.id in order else b for b in bindings]
