"""The public pool tab: list, claim (with refusals shown), a manager's assignment, the rules dialog,
the release action of the customers list, the maintenance run off the GUI thread, the tab's place."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from crmdesk.services import pool
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.main_window import MainWindow
from crmdesk.views.pool_page import AssignDialog, PoolMaintenance, PoolPage, PoolRulesDialog, ReleaseDialog
from crmdesk.views.record_tab import RecordTab

NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静"]


@pytest.fixture
def rep(consultant: str) -> Actor:
    return Actor(user_id=consultant, display_name="王磊", role="consultant")


@pytest.fixture
def pool_ids(services: Services, actor: Actor) -> list[str]:
    return [services.customers.create(actor, {"name": name, "city": "杭州市", "phone": f"1390000{i:04d}"}).id
            for i, name in enumerate(NAMES)]


@pytest.fixture
def make_page(app: QApplication, qtbot: QtBot, services: Services, settings: Settings) -> Callable[[Actor], PoolPage]:
    def make(actor: Actor) -> PoolPage:
        page = PoolPage(services, actor, settings)
        qtbot.addWidget(page)
        page.resize(1100, 650)
        page.show()
        qtbot.waitExposed(page)
        page.activate()
        return page

    return make


def select_rows(page: PoolPage, rows: list[int]) -> None:
    assert page.model is not None
    selection = page.view.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(page.model.index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)


def test_the_page_lists_pool_customers_and_claims_the_selected(make_page: Callable[[Actor], PoolPage], qtbot: QtBot,
                                                              qtmodeltester: object, services: Services, rep: Actor,
                                                              pool_ids: list[str]) -> None:
    page = make_page(rep)
    assert page.model is not None and page.model.rowCount() == 5
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())]
    assert headers == ["客户名称", "客户分级", "城市", "电话", "进入公海时间", "原负责人"]
    assert page.summary_label.text() == "今日已领取 0 / 上限 20，名下客户 0 / 上限 300"
    assert not page.assign_button.isVisible() and not page.rules_button.isVisible()  # a rep
    select_rows(page, [0, 1])
    chosen = page.selected_ids()
    qtbot.mouseClick(page.claim_button, Qt.MouseButton.LeftButton)
    assert all(services.customers.get(rep, cid)["owner_id"] == rep.user_id for cid in chosen)
    assert page.model.rowCount() == 3 and page.status_text() == "公海共 3 个客户"
    assert page.last_message is not None and "已领取 2 个客户" in page.last_message.text()
    assert page.summary_label.text() == "今日已领取 2 / 上限 20，名下客户 2 / 上限 300"


def test_refusals_are_listed_with_their_reasons(make_page: Callable[[Actor], PoolPage], qtbot: QtBot,
                                               services: Services, actor: Actor, rep: Actor,
                                               pool_ids: list[str]) -> None:
    pool.save_pool_rules(services.db, actor, {**pool.load_pool_rules(services.db, actor), "daily_claim_limit": 1})
    page = make_page(rep)
    select_rows(page, [0, 1])
    qtbot.mouseClick(page.claim_button, Qt.MouseButton.LeftButton)
    message = page.last_message
    assert message is not None and message.icon() == QMessageBox.Icon.Warning
    assert "已领取 1 个客户" in message.text()
    assert "您今日已领取 1 个客户，已达每日上限（1）。" in message.informativeText()


def test_a_manager_assigns_the_selection_to_a_rep(make_page: Callable[[Actor], PoolPage], qtbot: QtBot,
                                                 services: Services, actor: Actor, rep: Actor,
                                                 pool_ids: list[str]) -> None:
    page = make_page(actor)  # the local administrator
    assert page.assign_button.isVisible() and page.rules_button.isVisible()
    select_rows(page, [0, 1, 2])
    chosen = page.selected_ids()
    qtbot.mouseClick(page.assign_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, AssignDialog) and dialog.isVisible()
    dialog.user_box.setCurrentIndex(dialog.user_box.findData(rep.user_id))
    assert dialog.user_box.currentText() == "王磊（销售顾问）"
    dialog.accept()
    assert all(services.customers.get(actor, cid)["owner_id"] == rep.user_id for cid in chosen)
    assert page.model is not None and page.model.rowCount() == 2
    assert page.last_message is not None and page.last_message.text() == "已将 3 个客户分配给王磊。"
    assert [event.action for event in pool.pool_history(services.db, actor, chosen[0])] == ["assign"]


def test_the_rules_dialog_saves_and_keeps_bad_values_with_a_message(make_page: Callable[[Actor], PoolPage],
                                                                  qtbot: QtBot, services: Services, actor: Actor,
                                                                  pool_ids: list[str]) -> None:
    page = make_page(actor)
    qtbot.mouseClick(page.rules_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, PoolRulesDialog)
    dialog.warning_box.setValue(20)  # longer than C's 15 days
    dialog.accept()
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "提醒须早于回收" in dialog.error_label.text() and dialog.warning_box.value() == 20
    dialog.warning_box.setValue(5)
    dialog.cap_boxes["consultant"].setValue(50)
    dialog.days_boxes["A"].set_limit(None)
    dialog.a_box.setText("300000")
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)  # off the GUI thread
    qtbot.waitUntil(lambda: dialog.tier_result.text() == "5 个客户的分级已变更。", timeout=10_000)
    assert dialog.apply_button.isEnabled()
    dialog.accept()
    rules = pool.load_pool_rules(services.db, actor)
    assert (rules["warning_days"], rules["caps"]["consultant"], rules["reclaim_days"]["A"]) == (5, 50, None)
    assert pool.load_tier_rules(services.db, actor)["a_min"] == "300000.00"


def test_the_customers_row_menu_releases_with_a_reason(app: QApplication, qtbot: QtBot, services: Services,
                                                      actor: Actor, settings: Settings, rep: Actor,
                                                      pool_ids: list[str]) -> None:
    pool.claim_from_public_pool(services.db, actor, pool_ids[:1])
    tab = RecordTab(services, actor, "customer", settings)
    qtbot.addWidget(tab)
    tab.show()
    tab.activate()
    row = tab.model.row_of(pool_ids[0])
    assert row is not None
    tab.view.selectRow(row)
    menu = tab.row_actions_menu()
    assert menu is not None
    action = next(a for a in menu.actions() if a.objectName() == "releaseToPoolAction")
    assert action.isEnabled() and action.text() == "释放到公海…"
    action.trigger()
    dialog = tab.release_dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, ReleaseDialog)
    dialog.accept()  # no reason: refused, the dialog stays
    assert dialog.isVisible() and dialog.error_label.text() == "请填写释放到公海的原因。"
    dialog.reason_box.setText("客户已在外地购车")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert services.customers.get(actor, pool_ids[0])["owner_id"] is None
    assert pool.pool_history(services.db, actor, pool_ids[0])[0].reason == "客户已在外地购车"
    # A customer in the pool: nothing to release.
    tab.view.selectRow(tab.model.row_of(pool_ids[1]) or 0)
    menu = tab.row_actions_menu()
    assert menu is not None
    assert not next(a for a in menu.actions() if a.objectName() == "releaseToPoolAction").isEnabled()


def test_maintenance_runs_off_the_gui_thread_and_reports(app: QApplication, qtbot: QtBot, services: Services,
                                                        actor: Actor) -> None:
    runner = PoolMaintenance(services, actor, first_ms=0, every_ms=3_600_000)
    with qtbot.waitSignal(runner.finished, timeout=10_000) as blocker:
        pass
    assert isinstance(blocker.args[0], pool.MaintenanceResult)
    assert runner.timer.isActive() and runner.timer.interval() == 3_600_000
    runner.timer.stop()


def test_the_pool_tab_comes_right_after_customers(app: QApplication, qtbot: QtBot, services: Services,
                                                  actor: Actor, settings: Settings, pool_ids: list[str]) -> None:
    window = MainWindow(services, actor, settings, persist_settings=False)
    qtbot.addWidget(window)
    index = window.tab_widget.indexOf(window.pages["pool"])
    assert index == window.tab_widget.indexOf(window.tabs["customer"]) + 1
    assert window.tab_widget.tabText(index) == "公海" and window.pages["pool"].page() is None
    page = window.show_tab("pool")
    assert isinstance(page, PoolPage) and window.count_label.text() == "公海共 5 个客户"
