"""Money as printed: rounding to the fen, ¥ formatting, and the amount in words (金额大写).

The amount in words follows the People's Bank of China's 《正确填写票据和结算凭证的基本规定》
(银发〔1997〕 rules for filling in bills and settlement vouchers), section 2, "中文大写金额数字":

- digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, and 元角分;
- an amount that ends at 元 gets 整 after 元 (零元整, 壹拾元整); one with 角 but no 分 gets nothing
  after 角 (the standard allows 整 there but its own example ¥1409.50 -> 壹仟肆佰零玖元伍角 has none);
  one with 分 never gets 整 after 分;
- a 0 between digits is written 零 (¥1409.50 -> 壹仟肆佰零玖元伍角), and several 0s in a row are
  written as one 零 (¥6007.14 -> 陆仟零柒元壹角肆分);
- where the standard lets a 零 be written or left out (the 万位 or 元位 is 0, alone or at the end of a run
  of 0s, and the 千位 or 角位 after it is not), this module writes the standard's first form, which is
  also what bank software prints:
  * at 元: the 零 is written: ¥1680.32 -> 壹仟陆佰捌拾元零叁角贰分, ¥107000.53 -> ...元零伍角叁分,
    ¥325.04 -> 叁佰贰拾伍元零肆分 (角位 0 with 分: always 零);
  * at 万 (and 亿): the 零 is left out when only the low places of the 万 (亿) group are 0 and the next
    group starts with a non-zero 千位: ¥107000.53 -> 壹拾万柒仟元零伍角叁分 (the standard's first form;
    its second, 壹拾万零柒仟元伍角叁分, moves the one 零 to 万 and drops it at 元). A group that starts
    with 0 or is all 0 is read with one 零: ¥100,000,001.01 -> 壹亿零壹元零壹分, 壹仟零壹万元整.
- a leading 1 of the tens is written 壹拾 (壹拾元整, 壹拾万元整), as the standard asks for amounts so
  that nothing can be written in front of 拾;
- amounts below one yuan start with their first non-zero unit (¥0.05 -> 伍分, ¥0.50 -> 伍角);
  negative amounts are prefixed 负.

Amounts are rounded to the fen (ROUND_HALF_UP) first; NaN, infinities and amounts of 1万亿 or more
are refused with ValidationError.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import NoReturn

from crmdesk.i18n import _
from crmdesk.services.errors import ValidationError

FEN = Decimal("0.01")
# The largest amount the units reach: 仟亿 is the highest place (1万亿 would need a unit above 亿).
LIMIT = Decimal(10) ** 12

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")  # within a group of four digits
GROUPS = ("", "万", "亿")  # the groups, from the lowest


def _checked(amount: Decimal | int) -> Decimal:
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"money must be a Decimal or an int, not {type(amount).__name__}")
    value = Decimal(amount)
    if not value.is_finite():
        raise ValidationError({"amount": _("The amount is not a number.")})
    if abs(value) >= LIMIT:
        _too_large()
    return value


def _too_large() -> NoReturn:
    raise ValidationError({"amount": _("The amount must be less than 1,000,000,000,000 yuan.")})


def round_fen(amount: Decimal | int) -> Decimal:
    """`amount` rounded to the fen, half up (0.005 -> 0.01): the one rounding money gets everywhere."""
    value = _checked(amount)
    rounded = value.quantize(FEN, rounding=ROUND_HALF_UP)
    if abs(rounded) >= LIMIT:  # 999999999999.995 rounds up to 1万亿
        _too_large()
    return rounded + 0 if rounded.is_zero() else rounded  # -0.00 is 0.00


def format_yuan(amount: Decimal | int) -> str:
    """"¥12,345.67"; negative amounts "-¥12,345.67"; rounded to the fen."""
    value = round_fen(amount)
    return f"-¥{-value:,.2f}" if value < 0 else f"¥{value:,.2f}"


def _group_in_words(group: int, leading_zero: bool) -> str:
    """The words of one group of four digits (1..9999). `leading_zero`: write 零 before a group that
    starts with a 0 (it follows a higher group); zeros inside are one 零, zeros at its end nothing."""
    digits = [group // 1000 % 10, group // 100 % 10, group // 10 % 10, group % 10]
    words: list[str] = []
    pending_zero = False
    started = False
    for index, digit in enumerate(digits):
        place = PLACES[3 - index]
        if digit == 0:
            if started or leading_zero:
                pending_zero = True
            continue
        if pending_zero:
            words.append("零")
            pending_zero = False
        words.append(DIGITS[digit] + place)
        started = True
    return "".join(words)


def _yuan_in_words(yuan: int) -> str:
    """The integer part (1 .. 10^12 - 1) with its 万/亿 units, without 元."""
    groups = []
    rest = yuan
    while rest:
        groups.append(rest % 10000)
        rest //= 10000
    words: list[str] = []
    zero_between = False  # an all-zero group lies between the last written group and the next
    for level in range(len(groups) - 1, -1, -1):
        group = groups[level]
        top = level == len(groups) - 1
        if group == 0:
            zero_between = True
            continue
        if zero_between and group >= 1000:
            words.append("零")  # 壹亿零壹仟: the zeros of a whole group are read as one 零
        zero_between = False
        words.append(_group_in_words(group, leading_zero=not top))
        words.append(GROUPS[level])
    return "".join(words)


def amount_in_words(amount: Decimal | int) -> str:
    """金额大写 of `amount` in yuan: 12345.67 -> 壹万贰仟叁佰肆拾伍元陆角柒分, 10 -> 壹拾元整,
    0 -> 零元整, 0.05 -> 伍分, -3 -> 负叁元整. The rules and their source are in the module docstring."""
    value = round_fen(amount)
    sign = "负" if value < 0 else ""
    fen_total = int(abs(value) * 100)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    words = [sign]
    if yuan:
        words.append(_yuan_in_words(yuan) + "元")
    if cents == 0:
        words.append("整")
        return "".join(words)
    if jiao:
        # The 元位 (and the zeros before it) being 0 with 角 not: the 零 form (壹仟陆佰捌拾元零叁角).
        if yuan and yuan % 10 == 0:
            words.append("零")
        words.append(DIGITS[jiao] + "角")
    elif yuan:
        words.append("零")  # 角位 0 between 元 and 分: 叁佰贰拾伍元零肆分
    if fen:
        words.append(DIGITS[fen] + "分")
    return "".join(words)
