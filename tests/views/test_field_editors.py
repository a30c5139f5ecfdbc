"""Field editors: empty dates stay empty, choices keep unknown values, only changes count as changes."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.services.fields import FieldSpec
from crmdesk.views.field_editors import ComboEditor, DateField, TextEditor


def test_a_date_field_is_empty_until_ticked(app: QApplication, qtbot: QtBot) -> None:
    field = DateField(required=False, empty_text="未填写")
    qtbot.addWidget(field)
    assert field.value() is None and not field.edit.isEnabled() and field.edit.text() == "未填写"
    field.check.setChecked(True)
    assert field.value() == date.today() and field.edit.isEnabled()
    field.set_value(date(2026, 3, 5))
    assert field.value() == date(2026, 3, 5)
    field.check.setChecked(False)
    assert field.value() is None  # never 1900-01-01
    field.set_value(None)
    assert field.value() is None


def test_a_required_date_always_has_one(app: QApplication, qtbot: QtBot) -> None:
    field = DateField(required=True)
    qtbot.addWidget(field)
    assert field.value() == date.today() and field.check.isHidden()
    field.set_value(None)
    assert field.value() == date.today()


def test_a_choice_keeps_a_value_it_does_not_offer(app: QApplication, qtbot: QtBot) -> None:
    editor = ComboEditor(FieldSpec("owner_id", "ref"), [("u1", "刘淑英")], "（无）")
    qtbot.addWidget(editor.combo)
    assert editor.value() is None and editor.combo.itemText(0) == "（无）"
    editor.load("retired-user")
    assert editor.value() == "retired-user" and not editor.is_changed()
    editor.set_value("u1")
    assert editor.is_changed()


def test_text_shows_money_with_two_decimals_and_tracks_changes(app: QApplication, qtbot: QtBot) -> None:
    from decimal import Decimal

    editor = TextEditor(FieldSpec("amount", "money"))
    qtbot.addWidget(editor.line)
    editor.load(Decimal("99000"))
    assert editor.value() == "99000.00" and not editor.is_changed()
    editor.line.setText("99,000")
    assert editor.is_changed()
