"""公司与折扣设置: the letterhead (a bad credit code is marked, what was typed stays) and the discount limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from crmdesk.services import documents, quotes
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.company_settings_dialog import CompanySettingsDialog


def _dialog(qtbot: QtBot, services: Services, actor: Actor) -> CompanySettingsDialog:
    dialog = CompanySettingsDialog(services, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_letterhead_is_checked_marked_and_saved_with_a_logo(qtbot: QtBot, app: QApplication,
                                                                services: Services, actor: Actor,
                                                                tmp_path: Path) -> None:
    dialog = _dialog(qtbot, services, actor)
    assert dialog.fields["name"].text() == ""  # nothing set up yet: empty, not the placeholder profile
    values = {"name": "杭州华驰汽车销售服务有限公司", "address": "杭州市西湖区文三路 478 号", "phone": "0571-87654321",
              "tax_id": "91330106MA2H8K7D30", "bank_name": "中国工商银行杭州文三路支行",
              "bank_account": "1202021209900123456"}
    for key, text in values.items():
        dialog.fields[key].setText(text)
    logo = tmp_path / "logo.png"
    image = QImage(120, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#1a73e8"))
    assert image.save(str(logo))
    dialog.choose_logo(str(logo))
    assert not dialog.save_company()  # the check digit of that credit code is wrong
    assert "border" in dialog.fields["tax_id"].styleSheet() and dialog.fields["tax_id"].toolTip()
    assert dialog.fields["tax_id"].text() == "91330106MA2H8K7D30"  # kept for correcting
    assert documents.load_company_profile(services.db) == documents.default_company_profile()
    dialog.fields["tax_id"].setText("91330106MA2H8K7D31")
    assert dialog.save_company()
    saved = documents.load_company_profile(services.db)
    assert (saved.name, saved.tax_id, saved.logo_png) == (values["name"], "91330106MA2H8K7D31", logo.read_bytes())
    again = _dialog(qtbot, services, actor)  # opened again: what was saved
    assert again.fields["bank_account"].text() == values["bank_account"] and again.logo == logo.read_bytes()
    dialog.grab().save(str(tmp_path / "company.png"))


def test_discount_limits_by_role_for_administrators(qtbot: QtBot, app: QApplication, services: Services,
                                                   actor: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("crmdesk.views.company_settings_dialog.show_user_error",
                        lambda _parent, error: shown.append(error.message))
    dialog = _dialog(qtbot, services, actor)
    dialog.tabs.setCurrentIndex(1)
    table = dialog.policy_table
    cells = {table.item(row, 0).data(Qt.ItemDataRole.UserRole): table.item(row, 1) for row in range(table.rowCount())}
    assert cells["consultant"].text() == "3" and cells["admin"].text() == ""  # the defaults: 3 %, no limit
    cells["consultant"].setText("五")
    assert not dialog.save_policy() and table.item(0, 0).text() in shown[0]
    assert quotes.load_discount_policy(services.db)["consultant"] == 300
    cells["consultant"].setText("4.5%")
    assert dialog.save_policy()
    assert quotes.load_discount_policy(services.db)["consultant"] == 450
    manager = Actor(user_id=actor.user_id, display_name="经理", role="manager")
    button = _dialog(qtbot, services, manager).findChild(QPushButton, "savePolicyButton")
    assert button is not None and not button.isEnabled()
