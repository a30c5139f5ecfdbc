"""The change history panel: in the customer 360 (a tab read when first opened and after each change), behind
every detail dialog's History… button, read off the GUI thread with "load more", masked, and its model."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from crmdesk.services.audit import HistoryEntry
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.customer_360 import Customer360Dialog
from crmdesk.views.history_panel import (
    ENTRY_ROLE,
    HistoryDialog,
    HistoryPanel,
    HistoryTableModel,
    change_text,
)
from crmdesk.views.order_dialog import OrderDialog
from crmdesk.views.quote_editor import QuoteEditor
from crmdesk.views.record_form import RecordDialog


def _rows(panel: HistoryPanel) -> list[HistoryEntry]:
    model = panel.model
    return [model.index(row, 0).data(ENTRY_ROLE) for row in range(model.rowCount())]


def _wait(qtbot: QtBot, panel: HistoryPanel) -> None:
    qtbot.waitUntil(lambda: panel.loaded and not panel.is_loading(), timeout=10_000)


def _entry(**values: object) -> HistoryEntry:
    fields: dict[str, object] = {
        "id": "1", "at": datetime(2026, 12, 1, 8, 30, tzinfo=UTC), "user_id": None, "user_name": "王磊",
        "action": "update", "action_label": "Changed", "entity": "customer", "entity_id": "c", "record": "",
        "field": "city", "field_label": "City", "old_value": "宁波市", "new_value": "杭州市"}
    fields.update(values)
    return HistoryEntry(**fields)  # type: ignore[arg-type]


def test_the_360_history_tab_shows_the_change_just_made(app: QApplication, qtbot: QtBot, services: Services,
                                                        actor: Actor, book: dict[str, str]) -> None:
    dialog = Customer360Dialog(services, actor, None, customer_id=book["chenjing"])
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.history_panel
    assert not panel.loaded  # a tab nobody opened read nothing
    dialog.detail_tabs.setCurrentWidget(panel)
    _wait(qtbot, panel)
    assert [entry.action for entry in _rows(panel)] == ["create"]
    dialog.tier_combo.setCurrentIndex(dialog.tier_combo.findData("A"))
    dialog.tier_combo.activated.emit(dialog.tier_combo.currentIndex())  # what choosing a tier does
    _wait(qtbot, panel)
    tier = next(entry for entry in _rows(panel) if entry.field == "tier")
    column = panel.model.COLUMNS.index("change")
    row = _rows(panel).index(tier)
    assert panel.model.index(row, panel.model.COLUMNS.index("field")).data() == "客户分级"
    assert panel.model.index(row, column).data() == "B 类 → A 类"
    assert panel.model.index(row, panel.model.COLUMNS.index("user")).data() == actor.display_name


def test_the_record_dialog_opens_the_history_of_the_record(app: QApplication, qtbot: QtBot, services: Services,
                                                           actor: Actor, book: dict[str, str]) -> None:
    assert RecordDialog(services, actor, "lead").findChild(QPushButton, "historyButton") is None  # a new one
    dialog = RecordDialog(services, actor, "lead", book["lina"])
    qtbot.addWidget(dialog)
    dialog.editors["city"].set_value("苏州市")  # typed, as a user would
    dialog.save()
    assert services.leads.get(actor, book["lina"])["city"] == "苏州市"
    button = dialog.findChild(QPushButton, "historyButton")
    assert button is not None
    button.click()
    history = dialog.history_dialog
    assert isinstance(history, HistoryDialog) and history.isVisible()
    _wait(qtbot, history.panel)
    city = next(entry for entry in _rows(history.panel) if entry.field == "city")
    assert (city.old_value, city.new_value) == ("上海市", "苏州市")


def test_load_more_reads_the_older_pages(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                         book: dict[str, str]) -> None:
    for number in range(1, 8):
        services.leads.update(actor, book["wangfang"], {"notes": f"第 {number} 次"})
    panel = HistoryPanel(services, actor, "lead", book["wangfang"], page_size=3)
    qtbot.addWidget(panel)
    panel.show()
    _wait(qtbot, panel)
    assert panel.model.rowCount() == 3 and panel.more_button.isVisibleTo(panel)
    assert [entry.new_value for entry in _rows(panel)] == ["第 7 次", "第 6 次", "第 5 次"]
    while panel.has_more():
        panel.more_button.click()
        _wait(qtbot, panel)
    assert [entry.new_value for entry in _rows(panel)][-2:] == ["第 1 次", ""]  # down to the creation
    assert not panel.more_button.isVisibleTo(panel)


def test_a_consultant_reads_personal_data_masked(app: QApplication, qtbot: QtBot, services: Services,
                                                 actor: Actor, new_user: object) -> None:
    rep = new_user("wanglei2", "王磊", "consultant")  # type: ignore[operator]
    customer = services.customers.create(rep, {"name": "陈静", "phone": "13600003333", "owner_id": rep.user_id})
    services.customers.update(actor, customer.id, {"phone": "13900001111"})
    panel = HistoryPanel(services, rep, "customer", customer.id)
    qtbot.addWidget(panel)
    panel.load()
    _wait(qtbot, panel)
    phone = next(entry for entry in _rows(panel) if entry.field == "phone")
    assert change_text(phone) == "136****3333 → 139****1111"


def test_a_record_the_reader_may_not_see_says_so(app: QApplication, qtbot: QtBot, services: Services) -> None:
    panel = HistoryPanel(services, Actor("nobody", "nobody", "consultant"), "customer", "no-such-id")
    qtbot.addWidget(panel)
    panel.load()
    _wait(qtbot, panel)
    assert panel.model.rowCount() == 0 and panel.status_label.text() == "该记录已不存在（可能已被删除）。"


def test_the_other_detail_dialogs_open_the_history(app: QApplication, qtbot: QtBot, services: Services,
                                                   actor: Actor, book: dict[str, str]) -> None:
    order = OrderDialog(services, actor, book["order"])
    qtbot.addWidget(order)
    order.history_button.click()
    history = order.findChild(HistoryDialog)
    assert history is not None and history.panel.entity == "order"
    _wait(qtbot, history.panel)
    assert [entry.action for entry in _rows(history.panel)][-1] == "create"
    new_quote = QuoteEditor(services, actor, opportunity_id=book["deal"])
    qtbot.addWidget(new_quote)
    new_quote.show()
    assert not new_quote.history_button.isVisible() and new_quote.show_history() is None


def test_the_model_passes_the_model_tester(app: QApplication, qtmodeltester: object) -> None:
    model = HistoryTableModel()
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.add_page([_entry(), _entry(id="2", action="claim", action_label="Claimed", old_value="", new_value="王磊",
                                     field="owner_id", field_label="Owner"),
                    _entry(id="3", record="Quote line: 华驰 S5", field="quantity", field_label="Quantity",
                           old_value="1", new_value="2"),
                    _entry(id="4", action="print", action_label="Printed", field=None, field_label="",
                           old_value="", new_value="QT-TEST-20261201-0001 V2")])
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.index(0, 0).data() == datetime(2026, 12, 1, 8, 30, tzinfo=UTC).astimezone().strftime(
        "%Y-%m-%d %H:%M")
    assert model.index(0, 4).data() == "宁波市 → 杭州市"
    assert model.index(1, 4).data() == "→ 王磊"
    assert model.index(1, 2).data(Qt.ItemDataRole.ForegroundRole) is not None  # acts stand out
    assert model.index(2, 3).data() == "Quote line: 华驰 S5 · Quantity"
    assert model.index(3, 4).data() == "QT-TEST-20261201-0001 V2"  # an act's detail stands alone
    assert model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole) == "City\n宁波市\n→\n杭州市"
