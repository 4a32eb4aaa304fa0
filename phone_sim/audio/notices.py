"""The one-line notices sound gives when it is silent, FR and EN, keyed by code.

The words themselves are the ``sound.*`` keys of the project's one catalogue.
"""

from __future__ import annotations

from phone_sim.network.catalogue import TEXTS

NOTICES = {key.removeprefix("sound."): pair for key, pair in TEXTS.items() if key.startswith("sound.")}
DETAIL_MAX = 80


def notice_text(code: str, lang: str = "fr", detail: str = "", directory: str = "") -> str:
    """The notice for ``code`` in ``lang`` (``fr`` or ``en``), on one line."""
    french, english = NOTICES.get(code, (code, code))
    detail = " ".join(detail.split())[:DETAIL_MAX] or "?"
    return (french if lang == "fr" else english).format(detail=detail, directory=directory)
