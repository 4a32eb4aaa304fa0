"""The numbering plan, as data a company may override (SPEC 1).

``parse`` turns what a person typed into a ``Number``: national (10 digits starting 0),
international (``+`` country code other than the plan's own), short (a VPN short number
candidate) or invalid. Validation of destinations (forwarding, ring lists) follows the
spec's order of reason codes for one number.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Literal

from phone_sim.network.frozen import quick_init
from phone_sim.network.printable import ascii_digits
from phone_sim.network.refusal import Refused

Kind = Literal["national", "international", "short", "invalid"]

_SEPARATORS = re.compile(r"[\s.\-()/]")


@quick_init
@dataclass(frozen=True, slots=True)
class Number:
    kind: Kind
    digits: str  # national: "0601020304"; international: "+442071234567"; short: "301"


@dataclass(frozen=True, slots=True)
class NumberingPlan:
    country_code: str = "33"
    national_length: int = 10
    forward_prefixes: tuple[str, ...] = ("01", "02", "03", "04", "05", "06")
    special_prefixes: tuple[str, ...] = ("08",)
    short_min: int = 2
    short_max: int = 6
    international_min: int = 6  # digits after "+", country code included
    international_max: int = 15

    def parse(self, raw: str) -> Number:
        if self._national_as_given(raw):  # the common case, without the general path's work
            return Number("national", raw)
        s = _SEPARATORS.sub("", str(raw))
        if not s:
            return Number("invalid", "")
        if s.startswith("00"):
            s = "+" + s[2:]
        if s.startswith("+"):
            rest = s[1:]
            if not ascii_digits(rest) or rest.startswith("0"):  # no country code starts with 0
                return Number("invalid", s)
            if rest.startswith(self.country_code):
                national = "0" + rest[len(self.country_code):]
                return self._national(national)
            if self.international_min <= len(rest) <= self.international_max:
                return Number("international", "+" + rest)
            return Number("invalid", s)
        if not ascii_digits(s):
            return Number("invalid", s)
        if s.startswith("0"):
            return self._national(s)
        if self.short_min <= len(s) <= self.short_max:
            return Number("short", s)
        return Number("invalid", s)

    def _national_as_given(self, raw: object) -> bool:
        """Whether ``parse`` reads ``raw`` as a national number unchanged (10 digits, 0 then
        not 0, no separators): decided in one expression."""
        return (type(raw) is str and len(raw) == self.national_length and len(raw) >= 2 and raw.isascii()
                and raw.isdigit() and raw[0] == "0" and raw[1] != "0")

    def _national(self, s: str) -> Number:
        if len(s) == self.national_length and len(s) >= 2 and ascii_digits(s) and s[1] != "0":
            return Number("national", s)
        return Number("invalid", s)

    def normalise(self, raw: str) -> str | None:
        """The canonical form of a national or international number, else None."""
        if self._national_as_given(raw):
            return raw
        n = self.parse(raw)
        return n.digits if n.kind in ("national", "international") else None

    def is_special(self, national: str) -> bool:
        return national.startswith(self.special_prefixes)

    def is_forwardable(self, national: str) -> bool:
        return national.startswith(self.forward_prefixes)

    def check_destination(
        self,
        raw: str,
        *,
        own_number: str | None = None,
        vpn_numbers: Container[str] | None = None,
    ) -> Refused | str:
        """Validate one forwarding or ring-list number in the spec's order of codes.

        Returns the normalised national number, or the refusal. ``vpn_numbers`` given means
        the number must be a line of the VPN (ring lists).
        """
        n = self.parse(raw)
        if n.kind == "short":
            return Refused("short_number_not_allowed")
        if n.kind == "international":
            return Refused("international_not_allowed")
        if n.kind == "invalid":
            return Refused("invalid_number")
        if self.is_special(n.digits):
            return Refused("special_number_not_allowed")
        if not self.is_forwardable(n.digits):
            return Refused("prefix_not_allowed")
        if vpn_numbers is not None and n.digits not in vpn_numbers:
            return Refused("not_in_vpn")
        if own_number is not None and n.digits == own_number:
            return Refused("forward_to_self")
        return n.digits


DEFAULT_PLAN = NumberingPlan()

# Bounds of a plan a company may set: ITU-T E.164 numbers have at most 15 digits.
MAX_NUMBER_DIGITS = 15
MIN_NATIONAL_LENGTH = 4
MAX_PREFIXES = 100


def check_plan(plan: NumberingPlan) -> list[tuple[str, str]]:
    """Every broken bound of a numbering plan, as (field, rule); empty when usable.

    A plan is checked before any number is read with it, so that absurd lengths (a national
    length of 1 or of a billion) are a clear error, not a crash or an impossible company.
    """
    errors: list[tuple[str, str]] = []
    ints = {name: getattr(plan, name) for name in
            ("national_length", "short_min", "short_max", "international_min", "international_max")}
    for name, value in ints.items():
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append((name, f"{name} must be a whole number"))
    if errors:
        return errors
    national = plan.national_length
    if not MIN_NATIONAL_LENGTH <= national <= MAX_NUMBER_DIGITS:
        errors.append(("national_length", f"national_length must be {MIN_NATIONAL_LENGTH} to {MAX_NUMBER_DIGITS}"))
        national = MAX_NUMBER_DIGITS
    if not 1 <= plan.short_min <= plan.short_max < national:
        errors.append(("short_min" if plan.short_min < 1 or plan.short_min > plan.short_max else "short_max",
                       f"short numbers must have 1 <= short_min <= short_max < national_length ({national})"))
    if not 1 <= plan.international_min <= plan.international_max <= MAX_NUMBER_DIGITS:
        errors.append(("international_min" if plan.international_min < 1
                       or plan.international_min > plan.international_max else "international_max",
                       f"international numbers must have 1 <= international_min <= international_max "
                       f"<= {MAX_NUMBER_DIGITS} digits"))
    code = plan.country_code
    if not isinstance(code, str) or not ascii_digits(code) or not 1 <= len(code) <= 3 or code.startswith("0"):
        errors.append(("country_code", "country_code must be 1 to 3 digits 0-9, not starting with 0"))
    for name in ("forward_prefixes", "special_prefixes"):
        prefixes = getattr(plan, name)
        if not isinstance(prefixes, tuple) or len(prefixes) > MAX_PREFIXES:
            errors.append((name, f"{name} must be a list of at most {MAX_PREFIXES} prefixes"))
        elif not all(isinstance(p, str) and ascii_digits(p) and p.startswith("0") and len(p) < national
                     for p in prefixes):
            errors.append((name, f"{name}: each prefix is 1 to {national - 1} digits 0-9 starting with 0"))
    return errors
