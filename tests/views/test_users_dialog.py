"""用户与权限: the users tab (add, edit, reset a password, unlock), the roles' permission matrix saved through
the team setting, the tokens shown once and revoked; refused to anyone but an administrator."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QStyle, QStyleOptionViewItem, QTableWidget
from pytestqt.qtbot import QtBot

from crmdesk.i18n import SERVICES_CONTEXT, translate
from crmdesk.models import ROLES, Team
from crmdesk.models.database import Database
from crmdesk.services import auth
from crmdesk.services.access import DEFAULT_ROLE_PERMISSIONS, PERMISSIONS
from crmdesk.services.errors import UserError
from crmdesk.services.permissions import load_role_permissions
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, unit_of_work
from crmdesk.views import users_dialog
from crmdesk.views.users_dialog import NewTokenDialog, ResetPasswordDialog, UserFormDialog, UsersDialog

PASSWORD = "correct-horse-7"


@pytest.fixture
def admin(db: Database) -> Actor:
    return auth.create_first_admin(db, "boss", PASSWORD, "老板")


@pytest.fixture
def team(db: Database, admin: Actor) -> str:
    with unit_of_work(db, admin) as session:
        row = Team(name="展厅一组")
        session.add(row)
        session.flush()
        return row.id


def _dialog(qtbot: QtBot, services: Services, actor: Actor) -> UsersDialog:
    dialog = UsersDialog(services, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def _row(dialog: UsersDialog, username: str) -> list[str]:
    table = dialog.users_table
    for row in range(table.rowCount()):
        if _text(table, row, 0) == username:
            return [_text(table, row, column) for column in range(table.columnCount())]
    raise AssertionError(f"{username} is not listed")


def test_only_an_administrator_manages_users(app_en: QApplication, qtbot: QtBot, services: Services, db: Database,
                                             admin: Actor) -> None:
    auth.add_user(db, admin, "xiaoli", "小李", "manager", "first-pass-1")
    manager = auth.sign_in(db, "xiaoli", "first-pass-1")
    with pytest.raises(UserError) as refusal:
        auth.list_user_accounts(db, manager)
    dialog = _dialog(qtbot, services, manager)
    assert dialog.refusal.isVisible() and dialog.refusal.text() == refusal.value.message
    assert not dialog.tabs.isVisible() and dialog.users_table.rowCount() == 0


def test_an_administrator_adds_a_user_and_errors_keep_what_was_typed(app_en: QApplication, qtbot: QtBot,
                                                                     services: Services, db: Database,
                                                                     admin: Actor, team: str) -> None:
    dialog = _dialog(qtbot, services, admin)
    assert dialog.tabs.tabText(0) == "Users" and _row(dialog, "boss")[2] == "Administrator"
    dialog.add_button.click()
    form = dialog.sub_dialog
    assert isinstance(form, UserFormDialog) and form.isVisible()
    form.username_field.setText("boss")  # taken
    form.display_name_field.setText("王芳")
    form.role_combo.setCurrentIndex(form.role_combo.findData("consultant"))
    form.team_combo.setCurrentIndex(form.team_combo.findData(team))
    form.password_field.setText("first-pass-1")
    form.repeat_field.setText("first-pass-2")
    form.save_button.click()
    assert form.isVisible() and form.error.text()  # the two passwords differ
    form.repeat_field.setText("first-pass-1")
    form.save_button.click()
    assert form.isVisible() and form.error.text() == translate(SERVICES_CONTEXT, "This user name is taken.")
    assert (form.display_name_field.text(), form.team_combo.currentData(), form.password_field.text()) == (
        "王芳", team, "first-pass-1")
    form.username_field.setText("wangfang")
    form.save_button.click()
    assert form.result() == QDialog.DialogCode.Accepted and dialog.sub_dialog is None
    assert _row(dialog, "wangfang")[1:5] == ["王芳", "Sales consultant", "展厅一组", "Yes"]
    assert dialog.selected_user() is not None and dialog.selected_user().username == "wangfang"  # type: ignore[union-attr]
    added = {user.username: user for user in auth.list_user_accounts(db, admin)}["wangfang"]
    assert added.team_id == team and added.must_change_password and added.role == "consultant"


def test_editing_a_user_changes_role_team_and_sign_in(app_en: QApplication, qtbot: QtBot, services: Services,
                                                     db: Database, admin: Actor, team: str) -> None:
    auth.add_user(db, admin, "wangfang", "王芳", "consultant", "first-pass-1")
    dialog = _dialog(qtbot, services, admin)
    assert dialog.select_user("wangfang")
    dialog.edit_button.click()
    form = dialog.sub_dialog
    assert isinstance(form, UserFormDialog) and form.username_field.isReadOnly()
    form.display_name_field.setText("王芳芳")
    form.role_combo.setCurrentIndex(form.role_combo.findData("manager"))
    form.team_combo.setCurrentIndex(form.team_combo.findData(team))
    form.active_box.setChecked(False)
    form.save_button.click()
    assert form.result() == QDialog.DialogCode.Accepted
    assert _row(dialog, "wangfang")[1:5] == ["王芳芳", "Sales manager", "展厅一组", "No"]
    with pytest.raises(auth.SignInError):
        auth.sign_in(db, "wangfang", "first-pass-1")  # the account may no longer sign in

    assert dialog.select_user("boss")  # the last administrator stays one: said in the form
    dialog.edit_button.click()
    form = dialog.sub_dialog
    assert isinstance(form, UserFormDialog)
    form.role_combo.setCurrentIndex(form.role_combo.findData("finance"))
    form.save_button.click()
    assert form.isVisible() and form.error.text() == translate(
        SERVICES_CONTEXT, "The book needs at least one active administrator.")
    assert form.role_combo.currentData() == "finance"
    form.reject()
    assert _row(dialog, "boss")[2] == "Administrator"


def test_reset_password_and_unlock(app_en: QApplication, qtbot: QtBot, services: Services, db: Database,
                                   admin: Actor) -> None:
    auth.add_user(db, admin, "wangfang", "王芳", "consultant", "first-pass-1")
    for _attempt in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(auth.SignInError):
            auth.sign_in(db, "wangfang", "wrong-password")
    dialog = _dialog(qtbot, services, admin)
    assert _row(dialog, "wangfang")[5] != ""  # locked until
    assert dialog.select_user("boss") and not dialog.unlock_button.isEnabled()
    assert dialog.select_user("wangfang") and dialog.unlock_button.isEnabled()
    dialog.unlock_button.click()
    assert _row(dialog, "wangfang")[5] == "" and "王芳" in dialog.users_status.text()
    assert auth.sign_in(db, "wangfang", "first-pass-1").role == "consultant"

    assert dialog.select_user("wangfang")
    dialog.reset_button.click()
    reset = dialog.sub_dialog
    assert isinstance(reset, ResetPasswordDialog)
    reset.password_field.setText("wangfang")
    reset.repeat_field.setText("wangfang")
    reset.save_button.click()
    assert reset.isVisible() and reset.error.text()  # the service's rules, in place
    assert reset.password_field.text() == "wangfang"
    reset.password_field.setText("reset-pass-42")
    reset.repeat_field.setText("reset-pass-42")
    reset.save_button.click()
    assert reset.result() == QDialog.DialogCode.Accepted
    signed_in = auth.sign_in(db, "wangfang", "reset-pass-42")
    assert auth.must_change_password(db, signed_in)


def test_the_matrix_saves_each_roles_permissions_and_scope(app_en: QApplication, qtbot: QtBot, services: Services,
                                                          db: Database, admin: Actor) -> None:
    dialog = _dialog(qtbot, services, admin)
    dialog.tabs.setCurrentIndex(1)
    assert dialog.role_matrix() == load_role_permissions(db)
    table = dialog.roles_table
    assert table.verticalHeaderItem(ROLES.index("field_rep")).text() == "Field rep"
    consultant_create = dialog.permission_item("consultant", "create")
    consultant_create.setCheckState(Qt.CheckState.Unchecked)
    dialog.permission_item("finance", "approve").setCheckState(Qt.CheckState.Checked)
    dialog.scope_combos["consultant"].setCurrentIndex(dialog.scope_combos["consultant"].findData("team"))
    dialog.save_roles_button.click()
    stored = load_role_permissions(db)
    assert stored["consultant"] == {"permissions": ["see", "edit"], "scope": "team"}
    assert "approve" in stored["finance"]["permissions"] and stored == dialog.role_matrix()

    dialog.defaults_button.click()
    assert dialog.role_matrix() == {role: {"permissions": sorted(entry["permissions"], key=PERMISSIONS.index),
                                           "scope": entry["scope"]} for role, entry in DEFAULT_ROLE_PERMISSIONS.items()}
    assert load_role_permissions(db)["consultant"]["scope"] == "team"  # not saved until Save
    dialog.save_roles_button.click()
    assert load_role_permissions(db)["consultant"] == {"permissions": ["see", "create", "edit"], "scope": "own"}


def test_the_administrator_row_is_locked_on(app_en: QApplication, qtbot: QtBot, services: Services,
                                            admin: Actor) -> None:
    dialog = _dialog(qtbot, services, admin)
    dialog.tabs.setCurrentIndex(1)
    table = dialog.roles_table
    for permission in PERMISSIONS:
        item = dialog.permission_item("admin", permission)
        assert item.checkState() == Qt.CheckState.Checked
        assert not item.flags() & (Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
    assert not dialog.scope_combos["admin"].isEnabled() and dialog.scope_combos["admin"].currentData() == "all"

    def click_box(role: str) -> None:  # on the check box of the cell, where the style draws it
        index = table.indexFromItem(dialog.permission_item(role, "see"))
        option = QStyleOptionViewItem()
        option.initFrom(table)
        option.rect = table.visualRect(index)
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
        box = table.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, table)
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=box.center())
        qtbot.wait(QApplication.doubleClickInterval() + 50)  # the next click is not a double click

    click_box("consultant")  # a click on an editable box does toggle it
    assert dialog.permission_item("consultant", "see").checkState() != Qt.CheckState.Checked
    click_box("admin")
    assert dialog.permission_item("admin", "see").checkState() == Qt.CheckState.Checked
    assert dialog.save_roles() and set(load_role_permissions(dialog.db)["admin"]["permissions"]) == set(PERMISSIONS)


def test_a_token_is_shown_once_and_can_be_revoked(app_en: QApplication, qtbot: QtBot, services: Services,
                                                  db: Database, admin: Actor,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = _dialog(qtbot, services, admin)
    dialog.tabs.setCurrentIndex(2)
    dialog.new_token_button.click()
    made = dialog.sub_dialog
    assert isinstance(made, NewTokenDialog) and not made.token_field.isVisible()
    made.create_button.click()  # no name
    assert made.error.text() and made.token is None and auth.list_tokens(db, admin) == []
    made.name_field.setText("夜间导出")
    made.create_button.click()
    token = made.token
    assert token is not None and made.token_field.text() == token and made.token_field.isReadOnly()
    assert made.token_field.isVisible() and made.warning.isVisible() and not made.create_button.isVisible()
    made.copy_button.click()
    assert QGuiApplication.clipboard().text() == token
    assert auth.sign_in_with_token(db, token).user_id == admin.user_id
    made.reject()
    table = dialog.tokens_table
    assert table.rowCount() == 1 and _text(table, 0, 0) == "夜间导出" and _text(table, 0, 1) == "老板"
    cells = [_text(table, 0, column) for column in range(table.columnCount())]
    assert token not in "".join(cells)  # the list never shows it again
    dialog.new_token_button.click()
    again = dialog.sub_dialog
    assert isinstance(again, NewTokenDialog) and again.token_field.text() == ""
    again.reject()

    asked: list[str] = []
    monkeypatch.setattr(users_dialog, "ask_to_confirm", lambda _parent, _title, question: asked.append(question)
                        or True)
    table.selectRow(0)
    assert dialog.revoke_button.isEnabled()
    dialog.revoke_button.click()
    assert asked and "夜间导出" in asked[0]
    assert _text(table, 0, 4) != "" and not dialog.revoke_button.isEnabled()
    with pytest.raises(auth.SignInError):
        auth.sign_in_with_token(db, token)
