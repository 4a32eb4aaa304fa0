"""Refusals as values: a reason code with its French and English messages."""

from __future__ import annotations

from dataclasses import dataclass

from phone_sim.network.catalogue import REASONS


@dataclass(frozen=True, slots=True)
class Refused:
    """The network said no. The state did not change."""

    reason: str
    detail: str = ""

    @property
    def message_fr(self) -> str:
        return _message(self.reason, 0, self.detail)

    @property
    def message_en(self) -> str:
        return _message(self.reason, 1, self.detail)

    def message(self, lang: str = "fr") -> str:
        return self.message_fr if lang == "fr" else self.message_en

    def __bool__(self) -> bool:  # a refusal is never "ok"
        return False


def _message(reason: str, index: int, detail: str) -> str:
    pair = REASONS.get(reason)
    base = pair[index] if pair else reason
    return f"{base} ({detail})" if detail else base


class RefusedError(Exception):
    """Raised inside a service to unwind; converted to a ``Refused`` value at the edge."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.refusal = Refused(reason, detail)
