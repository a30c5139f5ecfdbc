"""The rules report dialog: counted off the GUI thread, counts x rules with totals, drill-down, open, export."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.models import Activity
from crmdesk.models.base import utcnow
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, unit_of_work
from crmdesk.settings import Settings
from crmdesk.views.customer_360 import Customer360Dialog
from crmdesk.views.main_window import MainWindow
from crmdesk.views.rules_report import RuleRowsModel, RulesReportDialog, RulesTableModel


@pytest.fixture
def overdue(services: Services, actor: Actor, consultant: str, book: dict[str, str]) -> dict[str, str]:
    with unit_of_work(services.db, actor) as session:
        for days in (4, 2, 1):
            session.add(Activity(kind="call", status="planned", subject=f"逾期 {days} 天", owner_id=consultant,
                                 due_at=utcnow() - timedelta(days=days), customer_id=book["chenjing"]))
    return book


def _dialog(qtbot: QtBot, services: Services, actor: Actor) -> RulesReportDialog:
    dialog = RulesReportDialog(services, actor, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    return dialog


def _cell(dialog: RulesReportDialog, owner: str, rule: str) -> object:
    model = dialog.table_model
    column = model.report.rules.index(rule) + 1 if model.report else 0
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == owner)
    return model.index(row, column)


def test_counts_per_consultant_with_totals_zero_in_grey(app: QApplication, qtbot: QtBot, services: Services,
                                                        actor: Actor, overdue: dict[str, str],
                                                        qtmodeltester: object) -> None:
    dialog = _dialog(qtbot, services, actor)
    assert dialog.windowTitle() == "管理规则报告"
    model = dialog.table_model
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "销售顾问"
    assert model.headerData(2, Qt.Orientation.Horizontal) == "逾期未完成的跟进"
    cell = _cell(dialog, "王磊", "overdue_activities")
    assert cell.data() == "3"  # type: ignore[attr-defined]
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None  # type: ignore[attr-defined]
    totals = model.rowCount() - 1
    assert model.index(totals, 0).data() == "合计" and model.index(totals, 2).data() == "3"
    zero = _cell(dialog, "王磊", "delivered_incomplete")
    assert zero.data() == "0"  # type: ignore[attr-defined]
    assert zero.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#9aa0a6"  # type: ignore[attr-defined]
    assert zero.data(Qt.ItemDataRole.BackgroundRole) is None  # type: ignore[attr-defined]
    assert "统计时间" in dialog.status_label.text() and dialog.export_button.isEnabled()


def test_a_click_lists_the_records_and_a_double_click_asks_to_open(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, overdue: dict[str, str],
        qtmodeltester: object) -> None:
    dialog = _dialog(qtbot, services, actor)
    dialog.show_cell(_cell(dialog, "王磊", "overdue_activities"))  # type: ignore[arg-type]
    rows = dialog.rows_model
    assert [rows.index(r, 0).data() for r in range(rows.rowCount())] == ["逾期 4 天", "逾期 2 天", "逾期 1 天"]
    assert rows.index(0, 1).data() == "陈静" and int(rows.index(0, 4).data()) >= 3
    assert "王磊" in dialog.rows_label.text()
    qtmodeltester.check(rows)  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.record_requested) as requested:
        dialog.open_row(rows.index(0, 0))
    assert requested.args == ["customer", overdue["chenjing"]]


def test_the_drill_down_reads_page_by_page(app: QApplication, services: Services, actor: Actor,
                                           overdue: dict[str, str], consultant: str) -> None:
    model = RuleRowsModel(services, actor, page_size=2)
    model.show_cell("overdue_activities", consultant, None)
    assert model.rowCount() == 2 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 3 and not model.canFetchMore()
    assert RulesTableModel().rowCount() == 0


def test_the_report_exports_to_csv(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                   overdue: dict[str, str], tmp_path: Path) -> None:
    dialog = _dialog(qtbot, services, actor)
    target = tmp_path / "rules.csv"
    dialog.export(str(target))
    qtbot.waitUntil(lambda: "导出" in dialog.status_label.text(), timeout=10_000)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("销售顾问,") and any(line.startswith("王磊,") for line in lines)


def test_the_main_window_opens_the_report_and_a_customer_in_360(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings,
        overdue: dict[str, str]) -> None:
    window = MainWindow(services, actor, settings, persist_settings=False)
    qtbot.addWidget(window)
    action = window.findChild(type(window.new_action), "rulesReportAction")
    assert action is not None and action.text() == "管理规则报告(&R)…"
    action.trigger()
    dialog = window.rules_report_dialog
    assert isinstance(dialog, RulesReportDialog)
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    dialog.record_requested.emit("customer", overdue["chenjing"])
    opened = window.tabs["customer"].dialog
    assert isinstance(opened, Customer360Dialog) and opened.customer_id == overdue["chenjing"]
    opened.reject()
    dialog.record_requested.emit("opportunity", overdue["deal"])
    assert window.tabs["opportunity"].dialog is not None
    window.tabs["opportunity"].dialog.reject()
    dialog.reject()


def test_a_longer_period_counts_an_older_missed_first_revisit(app: QApplication, qtbot: QtBot, services: Services,
                                                              actor: Actor, book: dict[str, str]) -> None:
    from crmdesk.models import Opportunity

    with unit_of_work(services.db, actor) as session:  # created 60 days ago, never revisited
        session.get_one(Opportunity, book["deal"]).created_at = utcnow() - timedelta(days=60)
        for activity in session.query(Activity).all():
            activity.deleted_at = utcnow()
    dialog = _dialog(qtbot, services, actor)
    assert dialog.period_combo.currentText() == "近 30 天"
    assert dialog.report is not None and dialog.report.totals["no_first_revisit"] == 0
    first = dialog.report
    dialog.period_combo.setCurrentIndex(dialog.period_combo.findData(90))
    qtbot.waitUntil(lambda: dialog.report is not first and not dialog.is_loading(), timeout=10_000)
    assert dialog.report.totals["no_first_revisit"] == 1
    dialog.table.clicked.emit(_cell(dialog, dialog.report.consultants[0].owner, "no_first_revisit"))
    qtbot.waitUntil(lambda: dialog.rows_model.rowCount() == 1)
    assert dialog.rows_model.items[0].record_id == book["deal"]
