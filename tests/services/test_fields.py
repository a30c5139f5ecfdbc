"""Field validation shared by forms, imports and the CLI."""

from datetime import date
from decimal import Decimal

import pytest

from crmdesk import i18n
from crmdesk.services.errors import ValidationError
from crmdesk.services.fields import FieldSpec, clean_values, normalize_phone, parse_money

SPECS = (
    FieldSpec("name", required=True, max_length=5),
    FieldSpec("phone", "phone"),
    FieldSpec("amount", "money"),
    FieldSpec("day", "date"),
    FieldSpec("count", "int", minimum=1, maximum=9),
    FieldSpec("kind", "choice", choices=("a", "b")),
    FieldSpec("email", "email"),
)


def test_one_error_names_every_bad_field() -> None:
    with pytest.raises(ValidationError) as caught:
        clean_values(SPECS, {"name": "", "phone": "12", "amount": "-1", "day": "2024-13-01",
                             "count": "0", "kind": "z", "email": "x@"})
    assert set(caught.value.errors) == {"name", "phone", "amount", "day", "count", "kind", "email"}


def test_messages_follow_the_users_language() -> None:
    i18n.set_language("zh_CN")
    with pytest.raises(ValidationError) as caught:
        clean_values(SPECS, {"name": ""})
    assert caught.value.errors["name"] == "此项必填。"


@pytest.mark.parametrize("raw", ["13812345678", "138 1234 5678", "+86 138-1234-5678", "+8613812345678"])
def test_mobile_numbers_are_stored_as_11_digits(raw: str) -> None:
    assert normalize_phone(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["1381234abcd", "12345", "23812345678", "not a phone"])
def test_bad_phone_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        normalize_phone(raw)


def test_landline_keeps_its_area_code() -> None:
    assert normalize_phone("010-62345678") == "010-6234-5678"


def test_money_accepts_what_people_type() -> None:
    assert parse_money("¥1,234.5") == Decimal("1234.5")
    assert parse_money("12,000元") == Decimal("12000")
    with pytest.raises(ValueError):
        parse_money("abc")
    with pytest.raises(ValueError):
        parse_money("NaN")


def test_dates_out_of_range_are_refused_and_slashes_accepted() -> None:
    assert clean_values(SPECS, {"name": "a", "day": "2024/3/5"})["day"] == date(2024, 3, 5)
    with pytest.raises(ValidationError):
        clean_values(SPECS, {"name": "a", "day": "1900-01-01"})  # the old "unknown birthday" placeholder


def test_partial_edit_checks_only_given_fields_and_unknown_fields_are_a_bug() -> None:
    assert clean_values(SPECS, {"count": "3"}, partial=True) == {"count": 3}
    with pytest.raises(KeyError):
        clean_values(SPECS, {"nope": 1})
