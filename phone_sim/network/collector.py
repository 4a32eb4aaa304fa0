"""Pausing Python's cyclic garbage collector while a big structure is built.

Building a company of 100,000 lines (from a file, from the store, or as a ``Network``)
makes hundreds of thousands of objects and no reference cycles: the collector would walk
all of them, again and again as they pile up, for nothing. Objects are still freed by
reference counting while it is paused; it resumes (if it was on) when the block ends.

When the block built that much and ended normally, what it built is there to stay: it is
moved into the collector's oldest generation at once (``gc.freeze`` then ``gc.unfreeze``:
two list splices) instead of being walked by the next young collections one after the
other. Only the few young objects of the moment go along; a small build changes nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

PROMOTE_FROM = 100_000  # objects made during the block (net of those freed)


@contextmanager
def collector_paused() -> Iterator[None]:
    """The block runs with the cyclic collector off (it is left as it was after)."""
    enabled = gc.isenabled()
    gc.disable()
    built = False
    try:
        yield
        built = True
    finally:
        if enabled:
            if built and gc.get_count()[0] > PROMOTE_FROM and not gc.get_freeze_count():
                gc.freeze()  # (not when someone froze objects: they stay frozen)
                gc.unfreeze()
            gc.enable()
