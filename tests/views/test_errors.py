"""show_user_error: one way for every user-fixable problem; fields marked on forms, a box otherwise."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from crmdesk.services.errors import ConflictError, ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.errors import show_user_error
from crmdesk.views.field_editors import TextEditor
from crmdesk.views.record_form import RecordDialog


def test_a_plain_user_error_is_shown_in_a_box_in_chinese(app: QApplication, qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    box = show_user_error(parent, ConflictError("该线索已经转化过了。"))
    assert box is not None and box.isVisible()
    assert box.windowTitle() == "无法完成操作" and box.text() == "该线索已经转化过了。"
    assert not box.isModal() or box.windowModality().name == "WindowModal"  # never blocks the loop
    box.close()


def test_a_validation_error_marks_the_fields_of_a_form(app: QApplication, qtbot: QtBot, services: Services,
                                                       actor: Actor) -> None:
    dialog = RecordDialog(services, actor, "lead")
    qtbot.addWidget(dialog)
    dialog.show()
    box = show_user_error(dialog, ValidationError({"email": "不是有效的电子邮件地址。", "name": "此项必填。"}))
    assert box is None  # every error found its field
    name, email = dialog.editors["name"], dialog.editors["email"]
    assert isinstance(name, TextEditor) and isinstance(email, TextEditor)
    assert name.line.property("invalid") is True and email.line.property("invalid") is True
    qtbot.waitUntil(name.line.hasFocus)  # the first bad field in form order
    banner = dialog.findChild(QLabel, "formError")
    assert isinstance(banner, QLabel) and banner.isVisible() and banner.text() == "请更正标红的字段。"


def test_errors_without_a_field_on_the_form_still_reach_the_user(app: QApplication, qtbot: QtBot,
                                                                 services: Services, actor: Actor) -> None:
    dialog = RecordDialog(services, actor, "lead")
    qtbot.addWidget(dialog)
    dialog.show()
    box = show_user_error(dialog, ValidationError({"name": "此项必填。", "team_id": "没有这个团队。"}))
    assert box is not None and box.text() == "没有这个团队。"
    box.close()
