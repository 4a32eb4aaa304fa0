"""Network refusals and release reasons as SIP final responses (SPEC 13).

busy 486, unreachable 480, number_not_allocated 404, invalid_number 484, forbidden 403,
every other reason 403. The reason code travels in a ``Reason`` header (RFC 3326, protocol
``SIP``, the status as cause, the code as text) and the French and English texts of the
catalogue make the reason phrase, the session's language first: ``486 Occupé / Busy``.
"""

from __future__ import annotations

from dataclasses import dataclass

from phone_sim.network.catalogue import reason_text

STATUS = {
    "busy": 486,
    "unreachable": 480,
    "number_not_allocated": 404,
    "invalid_number": 484,
    "forbidden": 403,
}
OTHERS = 403


@dataclass(frozen=True, slots=True)
class Refusal:
    status: int
    phrase: str
    reason: str  # the reason code

    @property
    def reason_header(self) -> str:
        return f'SIP;cause={self.status};text="{self.reason}"'

    @property
    def headers(self) -> dict[str, str]:
        return {"Reason": self.reason_header}

    @property
    def sipfrag(self) -> str:
        """The status line a NOTIFY reports for a failed transfer."""
        return f"SIP/2.0 {self.status} {self.phrase}"


def refusal(reason: str, lang: str = "fr", detail: str = "") -> Refusal:
    first, second = ("fr", "en") if lang == "fr" else ("en", "fr")
    texts = [reason_text(reason, first), reason_text(reason, second)]
    phrase = texts[0] if texts[0] == texts[1] else f"{texts[0]} / {texts[1]}"
    if detail:
        phrase += f" ({detail})"
    return Refusal(STATUS.get(reason, OTHERS), _phrase_safe(phrase), reason)


def _phrase_safe(text: str) -> str:
    """A reason phrase is one line of text (RFC 3261 §25: UTF-8, no CR or LF)."""
    return " ".join(text.split())
