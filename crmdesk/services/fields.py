"""Field declarations and the validation every form, import and CLI call goes through."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from crmdesk.i18n import _
from crmdesk.services.errors import ValidationError

# Oldest and latest dates a CRM record may carry; anything else is a typo (1900-01-01 placeholders,
# a year typed as 20244, ...).
EARLIEST_DATE = date(1900, 1, 2)
LATEST_DATE = date(2100, 12, 31)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LETTERS = re.compile(r"[A-Za-z]")
# Control characters but tab, line feed and carriage return (Excel files and PDFs cannot hold them), and
# lone surrogates (what a broken encoding leaves; SQLite cannot store them as text).
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# Amounts are stored as integer fen and printed in words up to 仟亿 (crmdesk.services.money.LIMIT).
MONEY_LIMIT = Decimal(10) ** 12
_FEN = Decimal("0.01")


def unstorable(text: str) -> bool:
    """Whether `text` holds a character no record may carry (see _UNSTORABLE)."""
    return _UNSTORABLE.search(text) is not None


def strip_unstorable(text: str) -> str:
    """`text` without the characters no record may carry (for what is searched, not stored)."""
    return _UNSTORABLE.sub("", text)


@dataclass(frozen=True)
class FieldSpec:
    """One editable field: its name (the model attribute), kind and rules.

    kind: text, longtext, phone, email, date, money, int, choice, ref, bool
    """

    name: str
    kind: str = "text"
    required: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None


def normalize_phone(raw: str) -> str:
    """A phone number checked by `phonenumbers` (region CN), returned in its canonical form.

    Mobiles come back as 11 digits; landlines as 0AA-NNNNNNNN; foreign numbers in E.164.
    Raises ValueError with a translated message.
    """
    import phonenumbers  # its metadata costs ~0.1 s to load: paid at the first phone checked, not at start-up

    text = raw.strip()
    # phonenumbers reads letters as keypad digits ("1381234abcd" would pass): refuse them first.
    if _LETTERS.search(text):
        raise ValueError(_("A phone number may not contain letters."))
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as error:
        raise ValueError(_("Not a phone number.")) from error
    if not phonenumbers.is_valid_number(number):
        raise ValueError(_("Not a valid phone number (a mobile has 11 digits, e.g. 13812345678)."))
    if number.country_code == 86:
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        digits = re.sub(r"\D", "", national)
        if phonenumbers.number_type(number) in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ) and len(digits) == 11 and digits.startswith("1"):
            return digits
        return national.replace(" ", "-")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip().replace("/", "-").replace(".", "-")
    try:
        parts = [int(part) for part in text.split("-")]
        if len(parts) != 3:
            raise ValueError(text)
        value = date(parts[0], parts[1], parts[2])
    except ValueError as error:
        raise ValueError(_("Not a date; write it as 2024-03-05.")) from error
    return value


def parse_money(raw: Any) -> Decimal:
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
        text = text.removesuffix("元").strip()
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            raise ValueError(_("Not an amount; write it as 12345.67.")) from error
    if not value.is_finite():
        raise ValueError(_("Not an amount; write it as 12345.67."))
    if abs(value) >= MONEY_LIMIT:  # also keeps 1E+999999 away from arithmetic that would overflow
        raise ValueError(_("The amount must be less than 1,000,000,000,000 yuan."))
    return value


def _clean(spec: FieldSpec, raw: Any) -> Any:
    """Convert one raw value (typed, or text from a form or a file) to the field's type."""
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            raw = None
    if raw is None:
        if spec.required:
            raise ValueError(_("This field is required."))
        return None
    if spec.kind in ("text", "longtext", "ref"):
        value = str(raw)
        if spec.max_length is not None and len(value) > spec.max_length:
            raise ValueError(_("At most {count} characters.", count=spec.max_length))
        if unstorable(value):
            raise ValueError(_("Contains characters that cannot be stored."))
        return value
    if spec.kind == "phone":
        return normalize_phone(str(raw))
    if spec.kind == "email":
        value = str(raw)
        if not _EMAIL.match(value) or len(value) > 255 or unstorable(value):
            raise ValueError(_("Not an e-mail address."))
        return value
    if spec.kind == "date":
        day = parse_date(raw)
        if not EARLIEST_DATE <= day <= LATEST_DATE:
            raise ValueError(_("The date is out of range (1900-2100)."))
        return day
    if spec.kind == "money":
        amount = parse_money(raw)
        if amount < 0:
            raise ValueError(_("The amount cannot be negative."))
        if amount != amount.quantize(_FEN):  # stored as whole fen: a third decimal would be lost
            raise ValueError(_("An amount has at most two decimals (fen)."))
        return amount
    if spec.kind == "int":
        try:
            number = int(str(raw))
        except ValueError as error:
            raise ValueError(_("Not a whole number.")) from error
        if spec.minimum is not None and number < spec.minimum:
            raise ValueError(_("At least {minimum}.", minimum=spec.minimum))
        if spec.maximum is not None and number > spec.maximum:
            raise ValueError(_("At most {maximum}.", maximum=spec.maximum))
        return number
    if spec.kind == "choice":
        value = str(raw)
        if value not in spec.choices:
            raise ValueError(_("Not one of the allowed values."))
        return value
    if spec.kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).lower()
        if text in ("1", "true", "yes", "y", "是"):
            return True
        if text in ("0", "false", "no", "n", "否"):
            return False
        raise ValueError(_("Not yes or no."))
    raise AssertionError(f"unknown field kind {spec.kind}")


def collect_clean_values(
    specs: tuple[FieldSpec, ...], values: Mapping[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], dict[str, str]]:
    """(the fields that passed, converted; field name -> translated message for each that did not).

    partial=True (an edit): only the given fields are checked, and required ones may not be blanked.
    Unknown field names are a programming error, not a user error.
    """
    by_name = {spec.name: spec for spec in specs}
    unknown = set(values) - set(by_name)
    if unknown:
        raise KeyError(f"unknown fields: {sorted(unknown)}")
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in specs:
        if partial and spec.name not in values:
            continue
        try:
            cleaned[spec.name] = _clean(spec, values.get(spec.name))
        except ValueError as error:
            errors[spec.name] = str(error)
    return cleaned, errors


def clean_values(
    specs: tuple[FieldSpec, ...], values: Mapping[str, Any], *, partial: bool = False
) -> dict[str, Any]:
    """Validate and convert `values`; raise one ValidationError naming every bad field."""
    cleaned, errors = collect_clean_values(specs, values, partial=partial)
    if errors:
        raise ValidationError(errors)
    return cleaned
