"""Money as printed: 金额大写 per the PBOC rules (the standard's own examples first), ¥ formatting, rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crmdesk.services.errors import ValidationError
from crmdesk.services.money import amount_in_words, format_yuan, round_fen

# The examples of 《正确填写票据和结算凭证的基本规定》 (the first of the forms it allows).
STANDARD_EXAMPLES = [
    ("1409.50", "壹仟肆佰零玖元伍角"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "壹拾万柒仟元零伍角叁分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
]

MORE_AMOUNTS = [
    ("0", "零元整"),
    ("0.00", "零元整"),
    ("0.01", "壹分"),
    ("0.05", "伍分"),
    ("0.10", "壹角"),
    ("0.50", "伍角"),
    ("0.35", "叁角伍分"),
    ("1", "壹元整"),
    ("1.03", "壹元零叁分"),
    ("1.30", "壹元叁角"),
    ("10", "壹拾元整"),
    ("10.30", "壹拾元零叁角"),
    ("11", "壹拾壹元整"),
    ("15.05", "壹拾伍元零伍分"),
    ("100", "壹佰元整"),
    ("100.10", "壹佰元零壹角"),
    ("101", "壹佰零壹元整"),
    ("110", "壹佰壹拾元整"),
    ("1001", "壹仟零壹元整"),
    ("1010.01", "壹仟零壹拾元零壹分"),
    ("10000", "壹万元整"),
    ("10001", "壹万零壹元整"),
    ("10010", "壹万零壹拾元整"),
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("100000", "壹拾万元整"),
    ("100500", "壹拾万零伍佰元整"),
    ("105000.70", "壹拾万伍仟元零柒角"),
    ("120000.08", "壹拾贰万元零捌分"),
    ("1000000", "壹佰万元整"),
    ("1000500", "壹佰万零伍佰元整"),
    ("10010000", "壹仟零壹万元整"),
    ("12001000", "壹仟贰佰万壹仟元整"),
    ("100000000", "壹亿元整"),
    ("100000001.01", "壹亿零壹元零壹分"),
    ("100001000", "壹亿零壹仟元整"),
    ("101000000", "壹亿零壹佰万元整"),
    ("1000000000", "壹拾亿元整"),
    ("2000000010", "贰拾亿零壹拾元整"),
    ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
]


@pytest.mark.parametrize(("amount", "words"), STANDARD_EXAMPLES)
def test_the_standards_own_examples_come_out_in_its_first_form(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


@pytest.mark.parametrize(("amount", "words"), MORE_AMOUNTS)
def test_amounts_in_words(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


def test_integers_are_taken_as_yuan() -> None:
    assert amount_in_words(258000) == "贰拾伍万捌仟元整"


def test_negative_amounts_get_the_fu_prefix() -> None:
    assert amount_in_words(Decimal("-3")) == "负叁元整"
    assert amount_in_words(Decimal("-0.05")) == "负伍分"
    assert amount_in_words(Decimal("-12345.67")) == "负壹万贰仟叁佰肆拾伍元陆角柒分"


def test_amounts_are_rounded_half_up_to_the_fen_first() -> None:
    assert amount_in_words(Decimal("0.005")) == "壹分"
    assert amount_in_words(Decimal("0.004")) == "零元整"
    assert amount_in_words(Decimal("-0.004")) == "零元整"  # no 负 in front of nothing
    assert amount_in_words(Decimal("9.995")) == "壹拾元整"
    assert amount_in_words(Decimal("1680.324")) == "壹仟陆佰捌拾元零叁角贰分"


def test_no_zheng_after_fen_and_none_after_jiao() -> None:
    for amount in ("0.01", "1.01", "1.11", "12.50", "100.10"):
        assert not amount_in_words(Decimal(amount)).endswith("整"), amount


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_not_a_number_is_refused(amount: str) -> None:
    with pytest.raises(ValidationError) as raised:
        amount_in_words(Decimal(amount))
    assert set(raised.value.errors) == {"amount"}


@pytest.mark.parametrize("amount", ["1000000000000", "-1000000000000", "999999999999.995", "1E+15"])
def test_one_trillion_and_more_is_refused(amount: str) -> None:
    with pytest.raises(ValidationError):
        amount_in_words(Decimal(amount))


def test_floats_are_a_programming_error() -> None:
    with pytest.raises(TypeError):
        amount_in_words(1.5)  # type: ignore[arg-type]


def test_every_amount_reads_only_the_standards_characters() -> None:
    allowed = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整负")
    for step in range(0, 2_000_000, 997):
        words = amount_in_words(Decimal(step) * Decimal("1003.07"))
        assert set(words) <= allowed
        assert "零零" not in words
        assert words == "零元整" or not words.startswith("零")


def test_round_fen() -> None:
    assert round_fen(Decimal("2.345")) == Decimal("2.35")
    assert round_fen(Decimal("2.344")) == Decimal("2.34")
    assert round_fen(Decimal("-2.345")) == Decimal("-2.35")
    assert round_fen(7) == Decimal("7.00")
    assert str(round_fen(Decimal("-0.001"))) == "0.00"
    with pytest.raises(ValidationError):
        round_fen(Decimal("NaN"))


def test_format_yuan() -> None:
    assert format_yuan(Decimal("12345.67")) == "¥12,345.67"
    assert format_yuan(Decimal("0")) == "¥0.00"
    assert format_yuan(Decimal("1000000")) == "¥1,000,000.00"
    assert format_yuan(Decimal("0.005")) == "¥0.01"
    assert format_yuan(Decimal("-1234.5")) == "-¥1,234.50"
