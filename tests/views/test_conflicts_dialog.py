"""The conflicts dialog on conflicts kept in the book (as a pull keeps them): fields and values as the user
reads them, "keep this value" closing one without a change, "keep the other value" writing it as a new edit,
"show resolved too". A conflict made on two desks through a real hub is in tests/hub/test_sync_panel.py."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.services import sync
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.conflicts_dialog import CONFLICT_ROLE, ConflictsDialog


def _conflict(services: Services, table: str, row_id: str, field: str, kept: object, other: object,
              other_user: str | None) -> None:
    """A conflict as sync's pull stores one (this desk's value kept, the other desk's set aside)."""
    with sync._writing(services.db) as raw:
        sync._store_local_conflict(raw, table, row_id, field, kept=(kept, "1", "me"), other=(other, "0", "them"),
                                   other_user=other_user)


def _cells(dialog: ConflictsDialog, row: int) -> list[str]:
    model = dialog.model
    return [model.index(row, column).data() for column in range(model.columnCount())]


def _select(dialog: ConflictsDialog, record_text: str) -> None:
    row = next(row for row in range(dialog.model.rowCount()) if dialog.model.index(row, 0).data() == record_text)
    dialog.table.selectRow(row)


def test_conflicts_show_records_fields_and_values_readably(app_en: QApplication, qtbot: QtBot, services: Services,
                                                           actor: Actor, book: dict[str, str]) -> None:
    _conflict(services, "opportunities", book["deal"], "amount", 123456750, 120000000, actor.user_id)
    _conflict(services, "customers", book["chenjing"], "tier", "B", "A", None)
    dialog = ConflictsDialog(services, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Sync conflicts"
    rows = sorted(_cells(dialog, row)[:5] for row in range(dialog.model.rowCount()))
    assert rows == [
        ["Customer: 陈静", "Customer tier", "Tier B", "Tier A", "Another desk"],
        ["Opportunity: 华驰 S5 十台", "Amount", "¥1,234,567.50", "¥1,200,000.00", actor.display_name],
    ]
    assert dialog.table.isColumnHidden(dialog.model.COLUMNS.index("state"))


def test_keep_this_value_confirms_and_keep_the_other_writes_it(app_en: QApplication, qtbot: QtBot,
                                                               services: Services, actor: Actor,
                                                               book: dict[str, str]) -> None:
    _conflict(services, "customers", book["chenjing"], "city", "宁波市", "杭州市", actor.user_id)
    _conflict(services, "leads", book["lina"], "city", "上海市", "苏州市", actor.user_id)
    before = sync.sync_status(services.db).pending
    dialog = ConflictsDialog(services, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.model.rowCount() == 2
    with qtbot.waitSignal(dialog.records_changed, timeout=1_000):
        _select(dialog, "Customer: 陈静")
        dialog.keep_this_button.click()
    assert services.customers.get(actor, book["chenjing"])["city"] == "宁波市"  # the rule's value stays
    assert sync.sync_status(services.db).pending == before  # nothing to send for a confirmation
    assert [_cells(dialog, row)[0] for row in range(dialog.model.rowCount())] == ["Lead: 李娜"]
    dialog.keep_other_button.click()
    assert services.leads.get(actor, book["lina"])["city"] == "苏州市"
    assert sync.sync_status(services.db).pending > before  # the other value is this desk's edit to send
    assert dialog.model.rowCount() == 0 and not dialog.keep_other_button.isEnabled()
    dialog.show_resolved.setChecked(True)
    states = {dialog.model.index(row, 0).data(): dialog.model.index(row, dialog.model.COLUMNS.index("state")).data()
              for row in range(dialog.model.rowCount())}
    assert states == {"Customer: 陈静": "Confirmed", "Lead: 李娜": "Other value kept"}
    assert not dialog.table.isColumnHidden(dialog.model.COLUMNS.index("state"))
    _select(dialog, "Lead: 李娜")
    assert dialog.model.index(dialog.table.currentIndex().row(), 0).data(CONFLICT_ROLE).resolution == "other"
    assert not dialog.keep_other_button.isEnabled() and not dialog.keep_this_button.isEnabled()


def test_a_record_this_desk_cannot_read_is_named_by_its_id(app_en: QApplication, qtbot: QtBot, services: Services,
                                                           actor: Actor) -> None:
    _conflict(services, "customers", "0190-gone", "name", "甲", None, None)
    dialog = ConflictsDialog(services, actor)
    qtbot.addWidget(dialog)
    assert _cells(dialog, 0)[:4] == ["Customer 0190-gone", "Customer name", "甲", "(empty)"]
