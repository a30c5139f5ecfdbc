"""How values look on screen: money as ¥12,345.00, dates as yyyy-MM-dd, times in local time."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from crmdesk.labels import code_label

NUMERIC_KINDS = frozenset({"money", "int"})


def format_money(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    return f"¥{Decimal(value):,.2f}"


def format_date(value: date | None) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d")


def format_datetime(value: datetime | None) -> str:
    """Stored in UTC, shown in the computer's local time zone."""
    if value is None:
        return ""
    local = value.astimezone() if value.tzinfo is not None else value
    return local.strftime("%Y-%m-%d %H:%M")


def format_count(value: int) -> str:
    return f"{value:,}"


def format_value(entity: str, key: str, kind: str, value: Any) -> str:
    """The text a list cell shows for one value of ListColumn `key` of `kind`."""
    if value is None:
        return ""
    if kind == "money":
        return format_money(value)
    if kind == "datetime" and isinstance(value, datetime):
        return format_datetime(value)
    if kind == "date" and isinstance(value, date):
        return format_date(value)
    if kind == "int" and isinstance(value, int):
        return str(value)
    if kind == "code":
        return code_label(entity, key, value)
    if isinstance(value, bool):
        return "✓" if value else ""
    return str(value)
