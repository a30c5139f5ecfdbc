"""The analytics tab: computed off the GUI thread, the funnel table and chart show the service's figures,
filters recompute, charts export to PNG and tables to CSV."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from crmdesk.services import analytics
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.analytics_page import AnalyticsPage, FiguresTableModel, period_range
from crmdesk.views.formatting import format_count, format_money


@pytest.fixture
def deals(services: Services, actor: Actor, consultant: str) -> dict[str, str]:
    """Five vehicle deals created today: three of the acting user's, two of 王磊's, at various stages."""
    customer = services.customers.create(actor, {"name": "杭州远景科技有限公司", "kind": "company"})
    stages = {row["code"]: row.id for row in list_stages(services.db, actor, "vehicle")}
    plan = [("qualify", "100000", None), ("needs_analysis", "200000", None), ("negotiation", "300000", None),
            ("qualify", "150000", consultant), ("contract", "450000", consultant)]
    ids: dict[str, str] = {}
    for number, (code, amount, owner) in enumerate(plan):
        values = {"name": f"华驰 A3 {number + 1} 台", "customer_id": customer.id, "stage_id": stages[code],
                  "amount": Decimal(amount), "expected_close_date": date.today()}
        if owner is not None:
            values["owner_id"] = owner
        ids[f"deal{number}"] = services.opportunities.create(actor, values).id
    return ids


def _page(qtbot: QtBot, services: Services, actor: Actor, settings: Settings) -> AnalyticsPage:
    page = AnalyticsPage(services, actor, settings)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitUntil(lambda: page.results is not None and not page.is_computing(), timeout=10_000)
    return page


def _cells(model: FiguresTableModel) -> list[list[str]]:
    return [[model.index(row, column).data() for column in range(model.columnCount())]
            for row in range(model.rowCount())]


def test_period_ranges() -> None:
    today = date(2026, 11, 15)
    assert period_range("month", today) == (date(2026, 11, 1), date(2026, 11, 30))
    assert period_range("month", date(2026, 12, 2)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert period_range("quarter", today) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_range("quarter", date(2026, 2, 1)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert period_range("days90", today) == (date(2026, 8, 18), today)
    assert period_range("year", today) == (date(2026, 1, 1), date(2026, 12, 31))


def test_funnel_table_and_chart_show_the_services_figures(qtbot: QtBot, app: QApplication, services: Services,
                                                          actor: Actor, settings: Settings,
                                                          deals: dict[str, str], qtmodeltester: object) -> None:
    page = _page(qtbot, services, actor, settings)
    flt = page.current_filter()
    expected = analytics.funnel(services.db, actor, flt)
    assert expected.total_count == 5
    cells = _cells(page.funnel_model)
    assert len(cells) == len(expected.stages)
    for row, stage in zip(cells, expected.stages, strict=True):
        assert row[0] == stage.name_zh
        assert row[1] == format_count(stage.count)
        assert row[2] == format_money(stage.amount)
        assert row[3] == format_count(stage.reached)
    assert cells[0][0] == "初步接洽" and cells[0][3] == "5"  # every deal reached the first stage
    assert page.funnel_model.headerData(0, Qt.Orientation.Horizontal) == "阶段"
    assert page.funnel_bar_count() == len(expected.stages)
    ticks = page.funnel_chart.getAxis("left")._tickLevels[0]
    assert [name for _y, name in ticks] == [stage.name_zh for stage in expected.stages]
    # The forecast: one bar per month and series; the KPIs show the leaderboard's owners.
    forecast = analytics.forecast(services.db, actor, flt)
    assert page.forecast_bar_count() == 3 * len(forecast.months)
    assert page.forecast_model.rowCount() == len(forecast.months) + (forecast.totals is not None)
    assert page.sub_tabs.tabText(0) == "销售漏斗"
    qtmodeltester.check(page.funnel_model)  # type: ignore[attr-defined]
    qtmodeltester.check(page.forecast_model)  # type: ignore[attr-defined]
    qtmodeltester.check(page.leaderboard_model)  # type: ignore[attr-defined]


def test_changing_the_owner_recomputes(qtbot: QtBot, app: QApplication, services: Services, actor: Actor,
                                       settings: Settings, deals: dict[str, str], consultant: str) -> None:
    page = _page(qtbot, services, actor, settings)
    assert page.results is not None and page.results.funnel.total_count == 5
    with qtbot.waitSignal(page.computed, timeout=10_000):
        page.set_owner(consultant)
    assert page.results.filter.owner_id == consultant
    expected = analytics.funnel(services.db, actor, page.current_filter())
    assert page.results.funnel.total_count == expected.total_count == 2
    assert _cells(page.funnel_model)[0][3] == "2"
    with qtbot.waitSignal(page.computed, timeout=10_000):
        page.project_check.setChecked(False)
    assert page.results.filter.include_project is False


def test_a_stale_result_is_dropped(qtbot: QtBot, app: QApplication, services: Services, actor: Actor,
                                   settings: Settings, deals: dict[str, str], consultant: str) -> None:
    page = _page(qtbot, services, actor, settings)
    first = page.results
    page._on_computed(page._ticket - 1, None, None)  # an older call's answer: ignored
    assert page.results is first


def test_export_png_and_csv(qtbot: QtBot, app: QApplication, services: Services, actor: Actor,
                            settings: Settings, deals: dict[str, str], tmp_path: Path) -> None:
    page = _page(qtbot, services, actor, settings)
    png = page.export_chart(str(tmp_path / "funnel.png"))
    assert png is not None and png.exists()
    image = QImage(str(png))
    assert not image.isNull()
    assert image.width() == page.funnel_chart.width() and image.height() == page.funnel_chart.height()
    table = page.export_table(str(tmp_path / "funnel.csv"))
    assert table is not None
    with table.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:4] == ["阶段", "当前商机数", "金额", "到达数"]
    assert rows[1][0] == "初步接洽" and rows[1][3] == "5"
    assert len(rows) == 1 + page.funnel_model.rowCount()
    # The forecast tab exports its own chart and table.
    page.sub_tabs.setCurrentIndex(1)
    assert page.export_chart(str(tmp_path / "forecast")) == tmp_path / "forecast.png"
    assert QImage(str(tmp_path / "forecast.png")).width() == page.forecast_chart.width()
    xlsx = page.export_table(str(tmp_path / "forecast.xlsx"))
    assert xlsx is not None and xlsx.stat().st_size > 0


def test_conversion_by_source_tab_and_the_source_team_product_filters(
        qtbot: QtBot, app: QApplication, services: Services, actor: Actor, settings: Settings,
        deals: dict[str, str]) -> None:
    for name, phone, source in (("刘洋", "13700001111", "walk_in"), ("赵敏", "13700002222", "web"),
                                ("孙丽", "13700003333", "web")):
        services.leads.create(actor, {"name": name, "phone": phone, "source": source})
    page = _page(qtbot, services, actor, settings)
    assert page.results is not None
    expected = analytics.conversion_by_source(services.db, actor, page.current_filter())
    assert [(row.source, row.leads) for row in expected] == [("walk_in", 1), ("web", 2)]
    cells = _cells(page.source_model)
    assert [row[:2] for row in cells] == [["展厅到店", "1"], ["网络", "2"]]
    assert page.source_bar_count() == 4  # lead -> deal and lead -> won, per source
    with qtbot.waitSignal(page.computed, timeout=10_000):
        page.source_combo.setCurrentIndex(page.source_combo.findData("web"))
    assert page.results.filter.source == "web"
    assert [row[:2] for row in _cells(page.source_model)] == [["网络", "2"]]
    with qtbot.waitSignal(page.computed, timeout=10_000):
        page.product_edit.setText("汉 EV")
        page.product_edit.editingFinished.emit()
    assert page.results.filter.product == "汉 EV"
    assert page.team_combo.count() >= 1 and page.team_combo.itemData(0) is None


def test_reverse_calculation_from_a_typed_target_and_a_bad_one_kept(
        qtbot: QtBot, app: QApplication, services: Services, actor: Actor, settings: Settings,
        deals: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page(qtbot, services, actor, settings)
    assert page.results is not None and page.results.reverse is None  # no target set for the period
    assert "目标" in page.reverse_summary.text()
    page.sub_tabs.setCurrentIndex(4)
    with qtbot.waitSignal(page.computed, timeout=10_000):
        page.target_edit.setText("1,000,000")
        page.findChild(QPushButton, "reverseButton").click()
    reverse = page.results.reverse
    assert reverse is not None and reverse.target_amount == Decimal("1000000")
    expected = analytics.reverse_calculation(services.db, actor, Decimal("1000000"), page.current_filter())
    cells = _cells(page.reverse_model)
    assert [row[0] for row in cells] == ["赢单", "方案", "商机", "线索"]
    assert cells[2][2] == format_count(expected.opportunities_open) == "5"  # the five open deals
    shown: list[str] = []
    monkeypatch.setattr("crmdesk.views.analytics_page.show_user_error",
                        lambda _parent, error: shown.append(error.message))
    ticket = page._ticket
    page.target_edit.setText("一百万")
    page.findChild(QPushButton, "reverseButton").click()
    assert shown and "0" in shown[0] and page.target_edit.text() == "一百万"
    assert page._ticket == ticket  # nothing computed on a bad target
