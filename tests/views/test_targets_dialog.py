"""目标设置: a manager types a year of targets for a consultant; a bad cell saves nothing and keeps the table."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.services import analytics
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.targets_dialog import TargetsDialog


def _dialog(qtbot: QtBot, services: Services, actor: Actor) -> TargetsDialog:
    dialog = TargetsDialog(services, actor, year=2027)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_consultants_months_are_saved_and_read_back(qtbot: QtBot, app: QApplication, services: Services,
                                                      actor: Actor, consultant: str) -> None:
    dialog = _dialog(qtbot, services, actor)
    dialog.scope_combo.setCurrentIndex(dialog.scope_combo.findData(f"owner:{consultant}"))
    assert dialog.table.rowCount() == 12
    dialog.table.item(0, 1).setText("1,200,000")
    dialog.table.item(0, 2).setText("6")
    dialog.table.item(2, 1).setText("900000.5")
    assert "2,100,000.50" in dialog.total_label.text()
    assert dialog.save()
    saved = {(r["owner_id"], r["period_start"]): (r["amount"], r["deal_count"])
             for r in analytics.list_targets(services.db, actor, 2027)}
    assert saved == {(consultant, date(2027, 1, 1)): (Decimal("1200000.00"), 6),
                     (consultant, date(2027, 3, 1)): (Decimal("900000.50"), 0)}
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("quarter"))
    assert dialog.table.rowCount() == 4 and dialog.table.item(0, 1).text() == ""  # no quarterly target yet
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("month"))
    assert dialog.table.item(0, 1).text() == "1200000.00"
    dialog.grab().save("/tmp/targets_dialog.png")


def test_a_bad_cell_saves_nothing_and_keeps_the_table(qtbot: QtBot, app: QApplication, services: Services,
                                                      actor: Actor, consultant: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("crmdesk.views.targets_dialog.show_user_error",
                        lambda _parent, error: shown.append(error.message))
    dialog = _dialog(qtbot, services, actor)
    dialog.table.item(0, 1).setText("500000")
    dialog.table.item(1, 1).setText("五十万")
    assert not dialog.save()
    assert "2027-02" in shown[0] and dialog.table.item(1, 1).text() == "五十万"
    assert analytics.list_targets(services.db, actor, 2027) == []
    dialog.table.item(1, 1).setText("-5")
    assert not dialog.save()  # refused by the service: named by its period too
    assert shown[-1].startswith("2027-02")
    assert analytics.list_targets(services.db, actor, 2027) == []
