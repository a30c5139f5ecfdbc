"""The audit log viewer: everyone's acts newest first for an administrator, filtered by user, act, kind of
record and period, read off the GUI thread; refused to a consultant; its model passes the model tester."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.audit_log_dialog import AuditLogDialog
from crmdesk.views.history_panel import ENTRY_ROLE


def _dialog(qtbot: QtBot, services: Services, actor: Actor) -> AuditLogDialog:
    dialog = AuditLogDialog(services, actor, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.is_loading(), timeout=10_000)
    return dialog


def _actions(dialog: AuditLogDialog) -> list[tuple[str, str]]:
    model = dialog.model
    return [(model.index(row, 0).data(ENTRY_ROLE).action, model.index(row, 0).data(ENTRY_ROLE).entity)
            for row in range(model.rowCount())]


def test_an_administrator_reads_and_filters_the_log(app: QApplication, qtbot: QtBot, services: Services,
                                                    actor: Actor, book: dict[str, str],
                                                    qtmodeltester: object) -> None:
    services.customers.update(actor, book["chenjing"], {"city": "杭州市"})
    dialog = _dialog(qtbot, services, actor)
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    assert dialog.model.rowCount() > 5
    record = dialog.model.COLUMNS.index("record")
    assert dialog.model.index(0, record).data() == "客户 陈静"  # the newest: the city just changed
    dialog.action_combo.setCurrentIndex(dialog.action_combo.findData("update"))
    dialog.entity_combo.setCurrentIndex(dialog.entity_combo.findData("customer"))
    dialog.refresh()
    qtbot.waitUntil(lambda: not dialog.is_loading(), timeout=10_000)
    assert set(_actions(dialog)) == {("update", "customer")}
    dialog.until.set_value(date.today() - timedelta(days=1))  # nothing happened before today
    dialog.refresh()
    qtbot.waitUntil(lambda: not dialog.is_loading(), timeout=10_000)
    assert dialog.model.rowCount() == 0
    dialog.since.set_value(date.today())
    dialog.refresh()  # the end before the start: said, nothing read
    assert dialog.error_label.isVisible() and dialog.model.rowCount() == 0


def test_a_consultant_is_refused(app_en: QApplication, qtbot: QtBot, services: Services, new_user: object) -> None:
    rep = new_user("wanglei2", "王磊", "consultant")  # type: ignore[operator]
    dialog = _dialog(qtbot, services, rep)
    assert dialog.error_label.isVisible() and "administrators and managers" in dialog.error_label.text()
    assert dialog.model.rowCount() == 0
