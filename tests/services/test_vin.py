"""VINs: the shape is refused when wrong, the check digit only warns."""

from __future__ import annotations

import pytest

from crmdesk.services.demo import vin_with_check_digit
from crmdesk.services.vin import check_vin

# Real VINs whose 9th character is the ISO 3779 / North-American check digit (two of them X, i.e. 10).
VALID = ("1HGCM82633A004352", "1M8GDM9AXKP042788", "JH4KA7561PC008269", "1G1ZT53826F109149", "1GNEK13ZX3R298984")


@pytest.mark.parametrize("vin", VALID)
def test_real_vins_with_their_check_digit_pass_without_a_warning(vin: str) -> None:
    assert check_vin(vin).vin == vin and check_vin(vin).warning is None


def test_a_vin_is_cleaned_of_spaces_and_case() -> None:
    assert check_vin(" 1hgcm 82633a004352\n").vin == "1HGCM82633A004352"


@pytest.mark.parametrize("vin", ["1HGCM82643A004352", "WVWZZZ1JZ3W386752", "LSVAU2180N2183294"])
def test_a_failed_check_digit_warns_and_keeps_the_vin(vin: str) -> None:
    """A typo in a US VIN, a European VW (no check digit: Z fillers), a Chinese one: all kept, each warned."""
    checked = check_vin(vin)
    assert checked.vin == vin
    assert checked.warning is not None and vin in checked.warning and "9th" in checked.warning


def test_check_digits_agree_with_the_demo_data_generator() -> None:
    """Two implementations (vininfo's, the demo's own) agree on the demo's Chinese-style VINs."""
    for serial in range(50):
        vin = vin_with_check_digit(f"LHCA1B2C3T{serial:06d}")
        assert check_vin(vin).warning is None, vin
        wrong = vin[:8] + ("0" if vin[8] != "0" else "1") + vin[9:]
        assert check_vin(wrong).warning is not None


@pytest.mark.parametrize(("vin", "message"), [
    ("1HGCM82633A00435", "17 characters; this one has 16"),
    ("1HGCM82633A0043521", "this one has 18"),
    ("", "this one has 0"),
    ("1HGCM8263IA004352", "I, O or Q (found I)"),
    ("1HGCM8263OA00435Q", "I, O or Q (found O, Q)"),
    ("1HGCM82633A00435-", "only the letters"),
    ("1HGCM82633A00435车", "only the letters"),
])
def test_a_vin_of_the_wrong_shape_is_refused(vin: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_vin(vin)
