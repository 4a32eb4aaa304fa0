"""Frozen dataclasses built at the cost of plain objects.

The ``__init__`` that ``dataclasses`` writes for a frozen class looks up
``object.__setattr__`` again for every field of every object: building the values of a
company of 100,000 lines (a ``LineSpec`` per line, a ``Number`` per number read) spends
more time there than in reading them. ``quick_init`` gives such a class an ``__init__``
with the same parameters (names, order, defaults) that sets the same fields, holding
``object.__setattr__`` once. Everything else (frozen, slots, equality, hashing, repr,
``dataclasses.replace``) stays the dataclass's own.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def quick_init(cls: type[T]) -> type[T]:
    """``cls`` (a frozen dataclass whose fields are all plain ``__init__`` parameters, with
    no ``__post_init__``) with the faster ``__init__``."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if hasattr(cls, "__post_init__") or any(
        not f.init or f.kw_only or f.default_factory is not dataclasses.MISSING for f in fields
    ):
        raise TypeError(f"quick_init: {cls.__name__} has fields it cannot set the same way")
    defaults = {f"_default_{f.name}": f.default for f in fields if f.default is not dataclasses.MISSING}
    params = ", ".join(f.name if f.default is dataclasses.MISSING else f"{f.name}=_default_{f.name}"
                       for f in fields)
    body = "".join(f"        _set(self, {f.name!r}, {f.name})\n" for f in fields) or "        pass\n"
    source = f"def make(_set):\n    def __init__(self, {params}):\n{body}    return __init__\n"
    namespace: dict[str, Any] = dict(defaults)
    exec(source, namespace)  # noqa: S102 - our own field names, as dataclasses itself does
    init = namespace["make"](object.__setattr__)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    init.__annotations__ = dict(cls.__init__.__annotations__)
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
