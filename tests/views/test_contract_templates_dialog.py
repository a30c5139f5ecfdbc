"""The contract templates dialog: the templates with their versions, placeholders inserted at the cursor, a
save that makes a new version, an unknown placeholder refused with the message (the text kept as typed),
an old version loaded back, a new template, and read-only for roles that may not edit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.services import contracts
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.contract_templates_dialog import NEW_TEMPLATE, ContractTemplatesDialog


@pytest.fixture
def manager(services: Services, consultant: str) -> Actor:
    return Actor(user_id=consultant, display_name="王磊", role="manager")


def _dialog(qtbot: QtBot, services: Services, who: Actor) -> ContractTemplatesDialog:
    dialog = ContractTemplatesDialog(services, who)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_save_makes_a_new_version_and_an_unknown_placeholder_is_refused(app_en: QApplication, qtbot: QtBot,
                                                                         services: Services,
                                                                         manager: Actor) -> None:
    dialog = _dialog(qtbot, services, manager)
    codes = [dialog.template_box.itemData(i) for i in range(dialog.template_box.count())]
    assert codes == [contracts.PROJECT_TEMPLATE, contracts.VEHICLE_TEMPLATE, NEW_TEMPLATE]
    dialog.template_box.setCurrentIndex(dialog.template_box.findData(contracts.VEHICLE_TEMPLATE))
    assert dialog.name_edit.text() == "整车销售合同" and "{customer_name}" in dialog.body_edit.toPlainText()
    assert dialog.version_list.count() == 1 and dialog.version_list.item(0).text().startswith("V1")
    assert dialog.code_edit.isReadOnly() and not dialog.load_button.isEnabled()
    assert dialog.placeholder_list.count() == len(contracts.PLACEHOLDERS)

    cursor = dialog.body_edit.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    dialog.body_edit.setTextCursor(cursor)
    dialog.body_edit.insertPlainText("\n交车地点：{delivery_place}")
    assert "version 2" in dialog.state_label.text()
    assert dialog.save() is None
    body_error = dialog.marks.labels["body"]
    assert body_error.isVisibleTo(dialog) and "{delivery_place}" in body_error.text()
    assert dialog.body_edit.toPlainText().endswith("交车地点：{delivery_place}")  # kept as typed
    assert len(contracts.template_versions(services.db, contracts.VEHICLE_TEMPLATE)) == 1  # nothing stored

    text = dialog.body_edit.toPlainText().replace("{delivery_place}", "")
    dialog.body_edit.setPlainText(text)
    dialog.body_edit.moveCursor(QTextCursor.MoveOperation.End)
    item = next(dialog.placeholder_list.item(i) for i in range(dialog.placeholder_list.count())
                if dialog.placeholder_list.item(i).data(Qt.ItemDataRole.UserRole) == "{customer_address}")
    dialog.placeholder_list.setCurrentItem(item)
    qtbot.mouseClick(dialog.insert_button, Qt.MouseButton.LeftButton)  # at the cursor: the end
    assert dialog.body_edit.toPlainText().endswith("交车地点：{customer_address}")
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0].version == 2 and not body_error.isVisibleTo(dialog)
    versions = contracts.template_versions(services.db, contracts.VEHICLE_TEMPLATE)
    assert [v.version for v in versions] == [1, 2] and versions[1].body.endswith("交车地点：{customer_address}")
    assert dialog.version_list.count() == 2 and dialog.version_list.item(0).text().startswith("V2")
    assert "V2" in dialog.template_box.currentText() and dialog.state_label.text() == "Saved as version 2."

    # Version 1 back into the editor, saved as version 3.
    dialog.version_list.setCurrentRow(1)
    assert dialog.load_button.isEnabled()
    loaded = dialog.load_selected_version()
    assert loaded is not None and loaded.version == 1 and dialog.body_edit.toPlainText() == versions[0].body
    assert dialog.save() is not None
    assert [v.version for v in contracts.template_versions(services.db, contracts.VEHICLE_TEMPLATE)] == [1, 2, 3]


def test_a_new_template_and_read_only_for_a_consultant(app_en: QApplication, qtbot: QtBot, services: Services,
                                                      manager: Actor, actor: Actor) -> None:
    dialog = _dialog(qtbot, services, manager)
    dialog.template_box.setCurrentIndex(dialog.template_box.findData(NEW_TEMPLATE))
    assert not dialog.code_edit.isReadOnly() and dialog.body_edit.toPlainText() == ""
    dialog.code_edit.setText("Lease Sale")
    dialog.name_edit.setText("融资租赁合同")
    dialog.body_edit.setPlainText("承租人：{customer_name}，租金 {amount}")
    assert dialog.save() is None and dialog.marks.labels["code"].isVisibleTo(dialog)
    dialog.code_edit.setText("lease_sale")
    saved = dialog.save()
    assert saved is not None and (saved.code, saved.version) == ("lease_sale", 1)
    assert dialog.current_code() == "lease_sale" and dialog.code_edit.isReadOnly()

    rep = Actor(user_id=actor.user_id, display_name=actor.display_name, role="consultant")
    reader = _dialog(qtbot, services, rep)
    assert reader.template_box.findData(NEW_TEMPLATE) == -1
    assert reader.body_edit.isReadOnly() and not reader.save_button.isVisibleTo(reader)
    assert not reader.insert_button.isEnabled() and "Only a manager" in reader.state_label.text()
    before = reader.body_edit.toPlainText()
    reader.insert_placeholder("{amount}")
    assert reader.body_edit.toPlainText() == before and reader.save() is None
