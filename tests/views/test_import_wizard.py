"""The import wizard driven on real files: a GBK CSV with Chinese headers, an .xlsx, a large file cancelled."""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt, QThreadPool, QUrl
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from crmdesk.models import Customer, Lead, Opportunity, Stage
from crmdesk.services.entities import ListQuery
from crmdesk.services.fields import normalize_phone
from crmdesk.services.importer import ImportCancelled, default_errors_path, load_mapping
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session
from crmdesk.settings import Settings
from crmdesk.views import import_wizard as wizard_module
from crmdesk.views.import_wizard import ImportWizard, MappingPage, mappings_path
from crmdesk.views.main_window import MainWindow

HEADERS = ["姓名", "手机", "公司", "来源", "所在区县", "微信号", "备注"]
ROWS = [
    ["张伟", "13812345678", "杭州远景科技有限公司", "展厅", "西湖区", "zw_001", "关注续航"],
    ["李娜", "13900001111", "", "抖音", "浦东新区", "lina88", ""],
    ["王芳", "12345", "", "网络", "鼓楼区", "wf", "电话是空号"],  # row 4 of the file: not a phone number
    ["赵磊", "13700002222", "上海汽车集团", "转介绍", "徐汇区", "zl", ""],
    ["陈静", "13600003333", "", "来电", "江北区", "cj", ""],
]
BAD_ROW = 4  # as the file shows it: the header is row 1
NEXT = QWizard.WizardButton.NextButton


def write_gbk_csv(path: Path) -> Path:
    """As Chinese Excel saves "CSV (逗号分隔)": GBK, CRLF line ends."""
    with path.open("w", encoding="gbk", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(ROWS)
    return path


def write_large_csv(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["姓名", "手机", "来源", "城市"])
        for index in range(rows):
            writer.writerow([f"客户{index}", f"139{index:08d}", "展厅", "杭州市"])
    return path


@pytest.fixture
def window(app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings) -> MainWindow:
    window = MainWindow(services, actor, settings, persist_settings=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitActive(window)
    return window


def new_wizard(qtbot: QtBot, services: Services, actor: Actor, settings: Settings, entity: str = "leads"
               ) -> ImportWizard:
    wizard = ImportWizard(services, actor, settings, entity)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def click_next(qtbot: QtBot, wizard: ImportWizard) -> None:
    button = wizard.button(NEXT)
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose_file(qtbot: QtBot, wizard: ImportWizard, path: Path) -> MappingPage:
    wizard.file_page.path_edit.clear()
    qtbot.keyClicks(wizard.file_page.path_edit, str(path))  # typed, as a keyboard user does
    click_next(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.MAPPING_PAGE
    return wizard.mapping_page


def row_of(page: MappingPage, header: str) -> int:
    return page.headers.index(header)


def status(page: MappingPage, header: str) -> str:
    item = page.table.item(row_of(page, header), MappingPage.STATUS)
    assert item is not None
    return item.text()


def choose_target(page: MappingPage, header: str, target: str) -> None:
    combo = page.combos[row_of(page, header)]
    index = combo.findData(target)
    assert index >= 0, f"{target} is not offered for {header}"
    combo.setCurrentIndex(index)


def wait_until_done(qtbot: QtBot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: not wizard.is_running(), timeout=60_000)
    assert QThreadPool.globalInstance().waitForDone(10_000)


def shown_counts(wizard: ImportWizard) -> dict[str, int]:
    return {key: int(label.text().replace(",", "")) for key, label in wizard.result_page.counts.items()}


def problem_rows(wizard: ImportWizard) -> list[tuple[str, str, str]]:
    table = wizard.result_page.problems
    rows = []
    for row in range(table.rowCount()):
        items = [table.item(row, column) for column in range(3)]
        rows.append(tuple(item.text() if item is not None else "" for item in items))
    return rows  # type: ignore[return-value]


def lead_count(services: Services, actor: Actor) -> int:
    return services.leads.count(actor, ListQuery())


def map_the_sample_by_hand(page: MappingPage) -> None:
    choose_target(page, "所在区县", "residential_area")
    page.values_edit.setPlainText("线索来源: 抖音 = 网络")


def test_a_gbk_csv_is_imported_from_the_file_menu_and_the_result_matches_the_database(
        window: MainWindow, qtbot: QtBot, services: Services, actor: Actor, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_gbk_csv(tmp_path / "showroom-gbk.csv")
    window.show_tab("lead")
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu) and window.import_action in file_menu.actions()
    assert window.import_action.text() == "导入(&I)…"
    window.import_action.trigger()
    wizard = window.import_wizard
    assert isinstance(wizard, ImportWizard) and wizard.windowTitle() == "导入数据"
    assert wizard.file_page.entity_combo.currentData() == "leads"

    page = choose_file(qtbot, wizard, path)
    targets = {header: page.target(row) for row, header in enumerate(page.headers)}
    assert targets == {"姓名": "name", "手机": "phone", "公司": "company", "来源": "source", "所在区县": "",
                       "微信号": "", "备注": "notes"}
    assert status(page, "姓名") == "已识别" and status(page, "所在区县") == "未识别"
    assert page.combos[row_of(page, "姓名")].currentText() == "姓名（必填）"
    sample = page.table.item(row_of(page, "姓名"), MappingPage.SAMPLE)
    assert sample is not None and "张伟" in sample.text()
    assert "抖音" in page.values_hint.text()  # the file's sources, listed for the value map
    assert page.unrecognised_rows() == [row_of(page, "所在区县"), row_of(page, "微信号")]

    map_the_sample_by_hand(page)
    assert status(page, "所在区县") == "已手动对应"
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.RESULT_PAGE, timeout=60_000)
    wait_until_done(qtbot, wizard)

    counts = shown_counts(wizard)
    assert lead_count(services, actor) == counts["imported"] == 4
    assert counts == {"read": 5, "imported": 4, "updated": 0, "skipped_duplicates": 0, "rejected": 1, "flagged": 0,
                      "customers_created": 0}
    with read_session(services.db) as session:
        leads = {lead.name: lead for lead in session.scalars(select(Lead))}
        assert {name: (lead.source, lead.residential_area) for name, lead in leads.items()} == {
            "张伟": ("walk_in", "西湖区"), "李娜": ("web", "浦东新区"), "赵磊": ("referral", "徐汇区"),
            "陈静": ("phone", "江北区")}
    with pytest.raises(ValueError) as phone_error:
        normalize_phone("12345")
    assert problem_rows(wizard) == [(str(BAD_ROW), "手机", str(phone_error.value))]
    errors_file = default_errors_path(path)
    assert errors_file.exists() and str(errors_file) in wizard.result_page.errors_file.text()
    with errors_file.open(encoding="gb18030", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0][:len(HEADERS)] == HEADERS and [row[:len(HEADERS)] for row in written[1:]] == [ROWS[2]]

    opened: list[QUrl] = []
    monkeypatch.setattr(wizard_module.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    qtbot.mouseClick(wizard.result_page.open_button, Qt.MouseButton.LeftButton)
    assert [Path(url.toLocalFile()) for url in opened] == [errors_file.parent]

    tab = window.tabs["lead"]  # the current tab re-read its list when the rows were committed
    qtbot.waitUntil(lambda: not tab.model.is_loading() and tab.model.total == 4)
    assert window.statusBar().currentMessage() == "已导入 4 条记录"
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.import_wizard is None)


def test_the_wizard_opens_for_the_current_tabs_kind(window: MainWindow, qtbot: QtBot) -> None:
    window.show_tab("customer")
    wizard = window.open_import()
    assert wizard.file_page.entity_combo.currentData() == "customers"
    assert window.open_import() is wizard  # one import at a time
    wizard.reject()
    qtbot.waitUntil(lambda: window.import_wizard is None)
    window.show_tab("order")  # orders are not imported: the wizard offers leads
    wizard = window.open_import()
    assert wizard.file_page.entity_combo.currentData() == "leads"
    wizard.reject()


def test_an_xlsx_of_opportunities_maps_stages_and_creates_the_missing_customers(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "deals.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Opportunity", "Account", "Sales stage", "Amount", "Close date", "Legacy probability code"])
    sheet.append(["华驰 S5 十台", "苏州群英电子有限公司", "Closed Won", "¥1,234,567.50", datetime(2026, 6, 30), "P9"])
    sheet.append(["华驰 A3 两台", "宁波市陈静", "Discovery", 258000, datetime(2026, 7, 15), "P2"])
    book.save(path)
    wizard = new_wizard(qtbot, services, actor, settings, "opportunities")
    page = choose_file(qtbot, wizard, path)
    targets = {header: page.target(row) for row, header in enumerate(page.headers)}
    assert targets == {"Opportunity": "name", "Account": "customer", "Sales stage": "stage", "Amount": "amount",
                       "Close date": "expected_close_date", "Legacy probability code": ""}
    assert status(page, "Legacy probability code") == "未识别"
    close_date = page.table.item(row_of(page, "Close date"), MappingPage.SAMPLE)
    assert close_date is not None and "2026-06-30" in close_date.text()  # an Excel date, shown without a time
    assert page.create_customers.isVisible()
    page.create_customers.setChecked(True)
    page.values_edit.setPlainText("阶段: Closed Won = won\n阶段: Discovery = qualify")
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.currentId() == ImportWizard.RESULT_PAGE, timeout=60_000)
    wait_until_done(qtbot, wizard)

    counts = shown_counts(wizard)
    assert (counts["read"], counts["imported"], counts["rejected"], counts["customers_created"]) == (2, 2, 0, 2)
    assert wizard.result_page.counts["customers_created"].isVisible()
    with read_session(services.db) as session:
        deals = {deal.name: deal for deal in session.scalars(select(Opportunity))}
        stages = {deal.name: session.get(Stage, deal.stage_id).code for deal in deals.values()}  # type: ignore[union-attr]
        customers = set(session.scalars(select(Customer.name)))
        assert stages == {"华驰 S5 十台": "won", "华驰 A3 两台": "qualify"}
        assert deals["华驰 S5 十台"].amount == Decimal("1234567.50")
        assert customers == {"苏州群英电子有限公司", "宁波市陈静"}
        assert session.scalar(select(func.count()).select_from(Opportunity)) == counts["imported"]
    assert problem_rows(wizard) == [] and not wizard.result_page.open_button.isVisible()


def test_cancelling_a_large_import_leaves_no_lead_and_keeps_the_window_responsive(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings, tmp_path: Path) -> None:
    path = write_large_csv(tmp_path / "big.csv", 20_000)
    wizard = new_wizard(qtbot, services, actor, settings)
    choose_file(qtbot, wizard, path)
    updates: list[int] = []
    wizard.run_page.progress.valueChanged.connect(updates.append)
    click_next(qtbot, wizard)
    assert wizard.currentId() == ImportWizard.RUN_PAGE and wizard.is_running()
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    assert not wizard.button(NEXT).isEnabled()
    # The first batch's progress reaches the GUI thread while the import goes on: the loop never blocks.
    qtbot.waitUntil(lambda: any(value > 0 for value in updates), timeout=60_000)
    assert wizard.is_running()
    qtbot.mouseClick(wizard.run_page.cancel_button, Qt.MouseButton.LeftButton)
    wait_until_done(qtbot, wizard)

    assert isinstance(wizard.error, ImportCancelled) and wizard.import_result is None
    assert wizard.currentId() == ImportWizard.RUN_PAGE
    assert wizard.error.message in wizard.run_page.status.text()
    assert lead_count(services, actor) == 0
    assert not default_errors_path(path).exists()
    back = wizard.button(QWizard.WizardButton.BackButton)
    assert back.isVisible() and back.isEnabled()  # the mapping can be changed and the import run again


def test_closing_the_wizard_while_importing_cancels_and_rolls_back(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings, tmp_path: Path) -> None:
    path = write_large_csv(tmp_path / "big.csv", 20_000)
    wizard = new_wizard(qtbot, services, actor, settings)
    choose_file(qtbot, wizard, path)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.run_page.progress.value() > 0, timeout=60_000)
    wizard.reject()  # the wizard's own Cancel button, or Esc
    assert wizard.isVisible()  # stays until the rows are rolled back
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=60_000)
    wait_until_done(qtbot, wizard)
    assert isinstance(wizard.error, ImportCancelled)
    assert lead_count(services, actor) == 0


def test_a_saved_mapping_is_offered_next_time_and_restores_columns_and_values(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings, tmp_path: Path) -> None:
    path = write_gbk_csv(tmp_path / "showroom.csv")
    first = new_wizard(qtbot, services, actor, settings)
    page = choose_file(qtbot, first, path)
    assert page.saved_combo.findData("展厅登记表") < 0
    map_the_sample_by_hand(page)
    page.date_order.setCurrentIndex(page.date_order.findData("dmy"))
    page.save_name.setText("展厅登记表")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    saved = load_mapping("展厅登记表", mappings_path(settings))
    assert saved.columns["所在区县"] == "residential_area" and saved.columns["微信号"] == ""
    assert saved.values == {"source": {"抖音": "web"}} and saved.date_order == "dmy"
    first.reject()

    second = new_wizard(qtbot, services, actor, settings)
    page = choose_file(qtbot, second, path)
    assert page.saved_combo.currentData() == "展厅登记表"  # offered: its columns are this file's
    assert page.target(row_of(page, "所在区县")) == ""  # ... but applied only when asked
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    assert page.target(row_of(page, "所在区县")) == "residential_area"
    assert page.values_edit.toPlainText() == "线索来源: 抖音 = 网络"
    assert page.date_order.currentData() == "dmy"
    click_next(qtbot, second)
    qtbot.waitUntil(lambda: second.currentId() == ImportWizard.RESULT_PAGE, timeout=60_000)
    wait_until_done(qtbot, second)
    assert shown_counts(second)["imported"] == 4 == lead_count(services, actor)


def test_a_missing_required_column_or_a_bad_value_map_keeps_the_mapping_page(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings, tmp_path: Path) -> None:
    path = write_gbk_csv(tmp_path / "showroom.csv")
    wizard = new_wizard(qtbot, services, actor, settings)
    page = choose_file(qtbot, wizard, path)
    assert not page.missing.isVisible()
    choose_target(page, "姓名", "")
    assert page.missing.isVisible() and "姓名" in page.missing.text()
    qtbot.mouseClick(wizard.button(NEXT), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == ImportWizard.MAPPING_PAGE
    choose_target(page, "姓名", "name")
    assert not page.missing.isVisible()

    page.values_edit.setPlainText("线索来源: 抖音 = 短视频")
    qtbot.mouseClick(wizard.button(NEXT), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == ImportWizard.MAPPING_PAGE and "短视频" in page.values_error.text()
    assert not wizard.is_running() and lead_count(services, actor) == 0


def test_a_file_that_does_not_exist_is_said_on_the_first_page(
        app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings, tmp_path: Path) -> None:
    wizard = new_wizard(qtbot, services, actor, settings)
    assert not wizard.button(NEXT).isEnabled()  # no file yet
    qtbot.keyClicks(wizard.file_page.path_edit, str(tmp_path / "missing.csv"))
    qtbot.mouseClick(wizard.button(NEXT), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == ImportWizard.FILE_PAGE
    box = wizard.file_page.findChild(QMessageBox, "userErrorBox")
    assert isinstance(box, QMessageBox) and "missing.csv" in box.text()  # the service says why


def test_closing_the_window_during_an_import_asks_and_then_rolls_the_import_back(
        window: MainWindow, qtbot: QtBot, services: Services, actor: Actor, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_large_csv(tmp_path / "big.csv", 20_000)
    window.show_tab("lead")
    wizard = window.open_import()
    choose_file(qtbot, wizard, path)
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.run_page.progress.value() > 0, timeout=60_000)
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton) -> Any:
        def question(_parent: Any, title: str, *_args: Any) -> QMessageBox.StandardButton:
            asked.append(title)
            return reply
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    window.close()
    assert asked == ["导入进行中"] and window.isVisible() and wizard.is_running()  # kept working
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    window.close()
    assert not window.isVisible()
    wait_until_done(qtbot, wizard)
    assert isinstance(wizard.error, ImportCancelled)
    assert lead_count(services, actor) == 0
