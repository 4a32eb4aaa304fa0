"""The numbering plan: parsing, normalising and checking destinations in the spec's order."""

from __future__ import annotations

import pytest

from phone_sim.network.numbering import DEFAULT_PLAN, Number, NumberingPlan
from phone_sim.network.refusal import Refused

PLAN = DEFAULT_PLAN


@pytest.mark.parametrize(
    "raw",
    [
        "0601020304",
        "06 01 02 03 04",
        "06.01.02.03.04",
        "06-01-02-03-04",
        "(06) 01/02 03 04",
        "+33601020304",
        "+33 6 01 02 03 04",
        "0033601020304",
        "00 33 6 01 02 03 04",
    ],
)
def test_every_written_form_of_a_national_number_is_the_same_number(raw: str) -> None:
    assert PLAN.parse(raw) == Number("national", "0601020304")
    assert PLAN.normalise(raw) == "0601020304"


@pytest.mark.parametrize(
    ("raw", "digits"),
    [
        ("+442071234567", "+442071234567"),
        ("00442071234567", "+442071234567"),
        ("+1 212 555 1234", "+12125551234"),
        ("001-212-555-1234", "+12125551234"),
    ],
)
def test_another_country_code_is_international(raw: str, digits: str) -> None:
    assert PLAN.parse(raw) == Number("international", digits)
    assert PLAN.normalise(raw) == digits


@pytest.mark.parametrize("raw", ["30", "301", "123456"])
def test_two_to_six_digits_not_starting_with_0_are_a_short_number(raw: str) -> None:
    assert PLAN.parse(raw) == Number("short", raw)
    assert PLAN.normalise(raw) is None  # a short number has no national form


@pytest.mark.parametrize(
    "raw",
    [
        "",  # nothing
        "3",  # too short for a short number
        "1234567",  # too long for a short number, and no leading 0
        "060102030",  # 9 digits
        "06010203045",  # 11 digits
        "0001020304",  # 00 then 0: no country code starts with 0
        "+0601020304",
        "+330601020304",  # +33 then a leading 0: 11 digits
        "+44",  # a country code alone
        "+4412345678901234",  # longer than E.164 allows
        "06a1020304",
        "0601O20304",  # a letter O
        "+",
        "*#21#",
    ],
)
def test_anything_else_is_invalid(raw: str) -> None:
    assert PLAN.parse(raw).kind == "invalid"
    assert PLAN.normalise(raw) is None


def test_special_and_forwardable_prefixes() -> None:
    assert PLAN.is_special("0812345678")
    assert not PLAN.is_special("0612345678")
    assert all(PLAN.is_forwardable(f"0{d}12345678") for d in "123456")
    assert not any(PLAN.is_forwardable(f"0{d}12345678") for d in "789")


def test_a_company_may_bring_its_own_plan() -> None:
    belgian = NumberingPlan(country_code="32", national_length=10, short_min=3, short_max=4)
    assert belgian.parse("+32470123456") == Number("national", "0470123456")
    assert belgian.parse("+33601020304") == Number("international", "+33601020304")
    assert belgian.parse("30").kind == "invalid"  # shorter than its short numbers
    assert belgian.parse("3001") == Number("short", "3001")


VPN = frozenset({"0601020301", "0601020303", "0145020308"})


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("303", "short_number_not_allowed"),
        ("+442071234567", "international_not_allowed"),
        ("0044 20 7123 4567", "international_not_allowed"),
        ("0601", "invalid_number"),
        ("0812345678", "special_number_not_allowed"),
        ("0712345678", "prefix_not_allowed"),
        ("0912345678", "prefix_not_allowed"),
        ("0601020399", "not_in_vpn"),
        ("0601020301", "forward_to_self"),
    ],
)
def test_each_destination_refusal(raw: str, reason: str) -> None:
    result = PLAN.check_destination(raw, own_number="0601020301", vpn_numbers=VPN)
    assert isinstance(result, Refused)
    assert result.reason == reason


def reason(result: Refused | str) -> str:
    assert isinstance(result, Refused), result
    return result.reason


def test_destination_codes_come_in_the_spec_order() -> None:
    # an 08 number outside the VPN that is also the line's own: special comes first
    assert reason(PLAN.check_destination("0812345678", own_number="0812345678", vpn_numbers=VPN)) == (
        "special_number_not_allowed"
    )
    # a 07 number outside the VPN: the prefix before the VPN
    assert reason(PLAN.check_destination("0712345678", vpn_numbers=VPN)) == "prefix_not_allowed"
    # the line's own number outside the ring list's VPN: not_in_vpn before forward_to_self
    assert reason(PLAN.check_destination("0601020399", own_number="0601020399", vpn_numbers=VPN)) == (
        "not_in_vpn"
    )
    # two digits: a short number, refused as such before anything else
    assert reason(PLAN.check_destination("12")) == "short_number_not_allowed"
    # an international number that is also too long to be valid stays international
    assert reason(PLAN.check_destination("+4420712345678")) == "international_not_allowed"


def test_a_valid_destination_comes_back_normalised() -> None:
    assert PLAN.check_destination("+33 6 01 02 03 03", vpn_numbers=VPN) == "0601020303"
    assert PLAN.check_destination("01.45.02.03.08", own_number="0601020301") == "0145020308"
    # without a VPN list (forwarding) any 01-06 number will do
    assert PLAN.check_destination("0298765432", own_number="0601020301") == "0298765432"
