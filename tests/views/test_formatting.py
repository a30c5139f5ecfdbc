"""Cell formatting: money with the yuan sign and thousands, ISO dates, local times, translated codes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from PySide6.QtWidgets import QApplication

from crmdesk.views.formatting import format_count, format_date, format_datetime, format_money, format_value


def test_money_is_shown_in_yuan_with_two_decimals() -> None:
    assert format_money(Decimal("12345")) == "¥12,345.00"
    assert format_money(Decimal("0.5")) == "¥0.50"
    assert format_money(Decimal("1234567.891")) == "¥1,234,567.89"
    assert format_money(None) == ""


def test_dates_and_times() -> None:
    assert format_date(date(2024, 3, 5)) == "2024-03-05"
    stored = datetime(2024, 3, 5, 1, 30, tzinfo=UTC)
    assert format_datetime(stored) == stored.astimezone().strftime("%Y-%m-%d %H:%M")  # the computer's zone
    assert format_count(1_000_000) == "1,000,000"


def test_values_by_column_kind(app: QApplication) -> None:
    assert format_value("lead", "status", "code", "converted") == "已转化"
    assert format_value("customer", "status", "code", "lost") == "战败"
    assert format_value("opportunity", "status", "code", "lost") == "输单"
    assert format_value("lead", "source", "code", "martian") == "martian"  # an unknown code shows as it is
    assert format_value("lead", "score", "int", 7) == "7"
    assert format_value("order", "total", "money", Decimal("258000")) == "¥258,000.00"
    assert format_value("lead", "name", "text", None) == ""
