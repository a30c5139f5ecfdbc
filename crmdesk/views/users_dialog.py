"""工具 › 用户与权限…: the book's users (add, edit, reset a password, unlock), what each role may do and see,
and the administrators' tokens for scripts. Administrators only; anyone else is told so by the services."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import SERVICES_CONTEXT, translate
from crmdesk.services import auth
from crmdesk.services.access import (
    DEFAULT_ROLE_PERMISSIONS,
    PERMISSION_LABELS,
    PERMISSIONS,
    SCOPE_LABELS,
    SCOPES,
)
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.permissions import load_role_permissions, save_role_permissions
from crmdesk.services.registry import Database, Services
from crmdesk.services.uow import Actor
from crmdesk.services.users import list_teams
from crmdesk.views.errors import ask_to_confirm
from crmdesk.views.formatting import format_datetime
from crmdesk.views.pool_page import role_name
from crmdesk.views.sign_in_dialog import INVALID_STYLE, error_label, password_field

OK_STYLE = "color: #188038;"


def _table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    """A read-only table of whole rows, one selected at a time."""
    table = QTableWidget(0, len(headers), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fit_columns(table: QTableWidget) -> None:
    """Each column as wide as its widest text, with room to breathe (the last one takes the rest)."""
    table.resizeColumnsToContents()
    for column in range(table.columnCount() - 1):
        table.setColumnWidth(column, table.columnWidth(column) + 20)


def _cell(text: str) -> QTableWidgetItem:
    return QTableWidgetItem(text)


def _selected_row(table: QTableWidget) -> int | None:
    rows = table.selectionModel().selectedRows()
    return rows[0].row() if rows else None


class _FormErrors:
    """Marks the fields a ValidationError names and says every message under the form; typed values stay."""

    def __init__(self, label: QLabel, fields: Mapping[str, QWidget]) -> None:
        self.label, self.fields = label, dict(fields)

    def show(self, errors: Mapping[str, str]) -> None:
        for field in self.fields.values():
            field.setStyleSheet("")
        self.label.setText("\n".join(errors.values()))
        marked = [self.fields[key] for key in errors if key in self.fields]
        for field in marked:
            field.setStyleSheet(INVALID_STYLE)
        if marked:
            marked[0].setFocus()

    def show_error(self, error: UserError) -> None:
        self.show(error.errors if isinstance(error, ValidationError) else {"": error.message})


def _role_combo(parent: QWidget, name: str, current: str | None = None) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    for role in auth.ROLES:
        combo.addItem(role_name(role), role)
    combo.setCurrentIndex(auth.ROLES.index(current) if current in auth.ROLES else 0)
    return combo


def _team_combo(parent: QWidget, name: str, teams: list[tuple[str, str]], current: str | None,
                no_team: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.addItem(no_team, None)
    for team_id, team_name in teams:
        combo.addItem(team_name, team_id)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    return combo


def _ok_cancel(dialog: QDialog, ok_text: str, ok_name: str) -> tuple[QDialogButtonBox, QPushButton]:
    buttons = QDialogButtonBox(dialog)
    ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setObjectName(ok_name)
    ok.setDefault(True)
    cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    cancel.setObjectName("cancelButton")
    buttons.rejected.connect(dialog.reject)
    return buttons, ok


class UserFormDialog(QDialog):
    """A new user (user name, shown name, role, team, first password twice) or an existing one's name, role,
    team and whether the account may sign in. `user` once saved."""

    def __init__(self, db: Database, admin: Actor, teams: list[tuple[str, str]],
                 user: auth.UserInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userFormDialog")
        self.db, self.admin, self.editing = db, admin, user
        self.user: auth.UserInfo | None = None
        self.setWindowTitle(self.tr("Edit user") if user else self.tr("New user"))
        self.username_field = QLineEdit(user.username if user else "", self)
        self.username_field.setObjectName("userNameField")
        self.username_field.setMaxLength(64)
        self.username_field.setReadOnly(user is not None)  # the name users sign in with does not change
        self.display_name_field = QLineEdit(user.display_name if user else "", self)
        self.display_name_field.setObjectName("displayNameField")
        self.display_name_field.setMaxLength(100)
        self.role_combo = _role_combo(self, "roleCombo", user.role if user else "consultant")
        self.team_combo = _team_combo(self, "teamCombo", teams, user.team_id if user else None, self.tr("(no team)"))
        self.active_box = QCheckBox(self.tr("May sign in"), self)
        self.active_box.setObjectName("activeBox")
        self.active_box.setChecked(user.active if user else True)
        self.password_field = password_field(self, "passwordField")
        self.password_field.setPlaceholderText(self.tr("At least {n} characters").format(n=auth.MIN_PASSWORD_LENGTH))
        self.repeat_field = password_field(self, "repeatField")
        self.error = error_label(self, "userFormError")
        self.errors = _FormErrors(self.error, {
            "username": self.username_field, "display_name": self.display_name_field, "role": self.role_combo,
            "team_id": self.team_combo, "password": self.password_field, "repeat": self.repeat_field})
        buttons, self.save_button = _ok_cancel(self, self.tr("Save"), "saveUserButton")
        self.save_button.clicked.connect(self.save)

        form = QFormLayout()
        form.addRow(self.tr("User name:"), self.username_field)
        form.addRow(self.tr("Display name:"), self.display_name_field)
        form.addRow(self.tr("Role:"), self.role_combo)
        form.addRow(self.tr("Team:"), self.team_combo)
        if user is None:
            form.addRow(self.tr("First password:"), self.password_field)
            form.addRow(self.tr("Password again:"), self.repeat_field)
            self.active_box.hide()
            self.password_field.setToolTip(self.tr("The user chooses their own password at the first sign-in."))
        else:
            form.addRow("", self.active_box)
            self.password_field.hide()
            self.repeat_field.hide()
        layout = QVBoxLayout(self)
        if user is None:
            note = QLabel(self.tr("The user chooses their own password at the first sign-in."), self)
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(440, 0)

    def save(self) -> bool:
        team_id = self.team_combo.currentData()
        role = str(self.role_combo.currentData())
        try:
            if self.editing is None:
                if self.password_field.text() != self.repeat_field.text():
                    self.errors.show({"repeat": self.tr("The two passwords are not the same.")})
                    return False
                self.user = auth.add_user(self.db, self.admin, self.username_field.text(),
                                          self.display_name_field.text(), role, self.password_field.text(),
                                          team_id=team_id)
            else:
                self.user = auth.update_user(self.db, self.admin, self.editing.id,
                                             display_name=self.display_name_field.text(), role=role,
                                             team_id=team_id, active=self.active_box.isChecked())
        except UserError as error:
            self.errors.show_error(error)
            return False
        self.accept()
        return True


class ResetPasswordDialog(QDialog):
    """An administrator sets a user's password (forgotten, or locked out); the user changes it at the next
    sign-in, and the lock is lifted."""

    def __init__(self, db: Database, admin: Actor, user: auth.UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resetPasswordDialog")
        self.setWindowTitle(self.tr("Reset password"))
        self.db, self.admin, self.target = db, admin, user
        intro = QLabel(self.tr("A new password for {name} ({user}). They choose their own at the next sign-in; "
                               "a locked account is unlocked.").format(name=user.display_name, user=user.username),
                       self)
        intro.setWordWrap(True)
        self.password_field = password_field(self, "resetPasswordField")
        self.password_field.setPlaceholderText(self.tr("At least {n} characters").format(n=auth.MIN_PASSWORD_LENGTH))
        self.repeat_field = password_field(self, "resetRepeatField")
        self.error = error_label(self, "resetPasswordError")
        self.errors = _FormErrors(self.error, {"password": self.password_field, "repeat": self.repeat_field})
        buttons, self.save_button = _ok_cancel(self, self.tr("Set password"), "setPasswordButton")
        self.save_button.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow(self.tr("New password:"), self.password_field)
        form.addRow(self.tr("Password again:"), self.repeat_field)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(440, 0)

    def save(self) -> bool:
        if self.password_field.text() != self.repeat_field.text():
            self.errors.show({"repeat": self.tr("The two passwords are not the same.")})
            return False
        try:
            auth.reset_password(self.db, self.admin, self.target.id, self.password_field.text())
        except UserError as error:
            self.errors.show_error(error)
            return False
        self.accept()
        return True


class NewTokenDialog(QDialog):
    """A token for scripts (crmdesk's CLI with --token), named for what uses it. The token is shown here once,
    selectable and with a copy button; only its hash is kept."""

    def __init__(self, db: Database, admin: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newTokenDialog")
        self.setWindowTitle(self.tr("New token"))
        self.db, self.admin = db, admin
        self.token: str | None = None
        self.name_field = QLineEdit(self)
        self.name_field.setObjectName("tokenNameField")
        self.name_field.setMaxLength(100)
        self.name_field.setPlaceholderText(self.tr("What uses it, e.g. nightly export"))
        self.error = error_label(self, "newTokenError")
        self.errors = _FormErrors(self.error, {"name": self.name_field})
        self.token_field = QLineEdit(self)
        self.token_field.setObjectName("tokenValue")
        self.token_field.setReadOnly(True)
        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.copy_button.setObjectName("copyTokenButton")
        self.copy_button.clicked.connect(self.copy_token)
        self.warning = QLabel(self.tr("Copy the token now: it is not shown again. Whoever has it acts as you, "
                                      "an administrator; revoke it when it is no longer needed."), self)
        self.warning.setObjectName("tokenWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b06000; font-weight: bold;")
        token_row = QHBoxLayout()
        token_row.addWidget(self.token_field, 1)
        token_row.addWidget(self.copy_button)
        self.token_widgets = QWidget(self)
        shown = QVBoxLayout(self.token_widgets)
        shown.setContentsMargins(0, 0, 0, 0)
        shown.addLayout(token_row)
        shown.addWidget(self.warning)
        self.token_widgets.hide()

        self.buttons = QDialogButtonBox(self)
        self.create_button = self.buttons.addButton(self.tr("Create token"), QDialogButtonBox.ButtonRole.ActionRole)
        self.create_button.setObjectName("createTokenButton")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_token)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.setObjectName("closeTokenButton")
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Name:"), self.name_field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.token_widgets)
        layout.addWidget(self.buttons)
        self.resize(560, 0)

    def create_token(self) -> bool:
        try:
            self.token = auth.create_token(self.db, self.admin, self.name_field.text())
        except UserError as error:
            self.errors.show_error(error)
            return False
        self.errors.show({})
        self.name_field.setReadOnly(True)
        self.token_field.setText(self.token)
        self.token_field.selectAll()
        self.token_widgets.show()
        self.create_button.hide()
        self.close_button.setText(self.tr("Close"))
        self.copy_button.setFocus()
        layout = self.layout()  # taller by the token and the wrapped warning, as wide as before
        height = self.sizeHint().height()
        if layout is not None and layout.hasHeightForWidth():
            height = layout.totalHeightForWidth(self.width())
        self.resize(self.width(), max(self.height(), height))
        return True

    def copy_token(self) -> None:
        QGuiApplication.clipboard().setText(self.token_field.text())
        self.copy_button.setText(self.tr("Copied"))


class UsersDialog(QDialog):
    """用户与权限: three tabs (users, the roles' permissions, tokens), each saving on its own."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersDialog")
        self.setWindowTitle(self.tr("Users and permissions"))
        self.services, self.actor, self.db = services, actor, services.db
        self.users: list[auth.UserInfo] = []
        self.tokens: list[auth.TokenInfo] = []
        self.sub_dialog: QDialog | None = None  # the add / edit / reset / token dialog open now, if any
        self.refusal = error_label(self, "usersRefusal")
        self.refusal.hide()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("usersTabs")
        self.tabs.addTab(self._users_tab(), self.tr("Users"))
        self.tabs.addTab(self._roles_tab(), self.tr("Roles and permissions"))
        self.tabs.addTab(self._tokens_tab(), self.tr("Tokens"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.refusal)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(980, 560)
        try:
            self.refresh()
        except UserError as error:  # not an administrator: the services say so, nothing is shown
            self.refusal.setText(error.message)
            self.refusal.show()
            self.tabs.hide()

    def refresh(self) -> None:
        """Read the users, the roles' permissions and the tokens again."""
        self.teams = [(team.id, str(team["name"])) for team in list_teams(self.db, self.actor)]
        self.users = auth.list_user_accounts(self.db, self.actor)
        self._fill_users()
        self.fill_roles(load_role_permissions(self.db))
        self.tokens = auth.list_tokens(self.db, self.actor)
        self._fill_tokens()

    # ---- users -------------------------------------------------------------------------------------------
    def _users_tab(self) -> QWidget:
        tab = QWidget(self)
        self.users_table = _table(tab, "usersTable", [
            self.tr("User name"), self.tr("Display name"), self.tr("Role"), self.tr("Team"), self.tr("Active"),
            self.tr("Locked until"), self.tr("Last sign-in")])
        self.users_table.itemSelectionChanged.connect(self._update_user_buttons)
        self.users_table.doubleClicked.connect(lambda _index: self.edit_user())
        self.add_button = self._button(tab, self.tr("Add…"), "addUserButton", self.add_user)
        self.edit_button = self._button(tab, self.tr("Edit…"), "editUserButton", self.edit_user)
        self.reset_button = self._button(tab, self.tr("Reset password…"), "resetPasswordButton", self.reset_password)
        self.unlock_button = self._button(tab, self.tr("Unlock"), "unlockUserButton", self.unlock_user)
        self.users_status = QLabel(tab)
        self.users_status.setObjectName("usersStatus")
        self.users_status.setWordWrap(True)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.reset_button, self.unlock_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.users_table, 1)
        layout.addWidget(self.users_status)
        layout.addLayout(row)
        return tab

    @staticmethod
    def _button(parent: QWidget, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text, parent)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _fill_users(self) -> None:
        teams = dict(self.teams)
        now = datetime.now(UTC)
        self.users_table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            locked = user.locked_until if user.locked_until is not None and user.locked_until > now else None
            cells = (user.username, user.display_name, role_name(user.role), teams.get(user.team_id or "", ""),
                     self.tr("Yes") if user.active else self.tr("No"), format_datetime(locked),
                     format_datetime(user.last_login_at))
            for column, text in enumerate(cells):
                self.users_table.setItem(row, column, _cell(text))
        _fit_columns(self.users_table)
        self._update_user_buttons()

    def selected_user(self) -> auth.UserInfo | None:
        row = _selected_row(self.users_table)
        return self.users[row] if row is not None else None

    def select_user(self, username: str) -> bool:
        for row, user in enumerate(self.users):
            if user.username == username:
                self.users_table.selectRow(row)
                return True
        return False

    def _update_user_buttons(self) -> None:
        user = self.selected_user()
        for button in (self.edit_button, self.reset_button):
            button.setEnabled(user is not None)
        self.unlock_button.setEnabled(user is not None and user.locked_until is not None
                                      and user.locked_until > datetime.now(UTC))

    def _open_sub_dialog(self, dialog: QDialog, done: Any) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(result: int) -> None:
            if self.sub_dialog is dialog:
                self.sub_dialog = None
            if result == QDialog.DialogCode.Accepted:
                done(dialog)

        dialog.finished.connect(finished)
        self.sub_dialog = dialog
        dialog.open()
        return dialog

    def _say(self, label: QLabel, text: str, *, ok: bool = True) -> None:
        label.setStyleSheet(OK_STYLE if ok else "color: #b00020;")
        label.setText(text)

    def add_user(self) -> QDialog:
        def done(dialog: UserFormDialog) -> None:
            self.refresh()
            if dialog.user is not None:
                self.select_user(dialog.user.username)
                self._say(self.users_status, self.tr("{name} is added; they choose their own password at the "
                                                     "first sign-in.").format(name=dialog.user.display_name))

        return self._open_sub_dialog(UserFormDialog(self.db, self.actor, self.teams, None, self), done)

    def edit_user(self) -> QDialog | None:
        user = self.selected_user()
        if user is None:
            return None

        def done(dialog: UserFormDialog) -> None:
            self.refresh()
            self.select_user(user.username)
            self._say(self.users_status, self.tr("{name} is saved. A changed role applies from their next "
                                                 "sign-in.").format(name=dialog.user.display_name
                                                                    if dialog.user else user.display_name))

        return self._open_sub_dialog(UserFormDialog(self.db, self.actor, self.teams, user, self), done)

    def reset_password(self) -> QDialog | None:
        user = self.selected_user()
        if user is None:
            return None

        def done(_dialog: QDialog) -> None:
            self.refresh()
            self.select_user(user.username)
            self._say(self.users_status, self.tr("The password of {name} is set; they choose their own at the "
                                                 "next sign-in.").format(name=user.display_name))

        return self._open_sub_dialog(ResetPasswordDialog(self.db, self.actor, user, self), done)

    def unlock_user(self) -> bool:
        user = self.selected_user()
        if user is None:
            return False
        try:
            auth.unlock_user(self.db, self.actor, user.id)
        except UserError as error:
            self._say(self.users_status, error.message, ok=False)
            return False
        self.refresh()
        self.select_user(user.username)
        self._say(self.users_status, self.tr("{name} may sign in again.").format(name=user.display_name))
        return True

    # ---- roles -------------------------------------------------------------------------------------------
    def _roles_tab(self) -> QWidget:
        tab = QWidget(self)
        note = QLabel(self.tr("What each role may do, and whose records it sees. The administrator keeps "
                              "everything. A change applies from each user's next sign-in."), tab)
        note.setWordWrap(True)
        headers = [translate(SERVICES_CONTEXT, PERMISSION_LABELS[name]) for name in PERMISSIONS]
        self.roles_table = QTableWidget(len(auth.ROLES), len(PERMISSIONS) + 1, tab)
        self.roles_table.setObjectName("rolesTable")
        self.roles_table.setHorizontalHeaderLabels([*headers, self.tr("Sees")])
        self.roles_table.setVerticalHeaderLabels([role_name(role) for role in auth.ROLES])
        self.roles_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.roles_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.scope_combos: dict[str, QComboBox] = {}
        for row, role in enumerate(auth.ROLES):
            for column in range(len(PERMISSIONS)):
                item = QTableWidgetItem()
                flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                if role == "admin":  # locked on: the services refuse an administrator without everything
                    flags = Qt.ItemFlag.NoItemFlags
                item.setFlags(flags)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.roles_table.setItem(row, column, item)
            combo = QComboBox(self.roles_table)
            combo.setObjectName(f"scope_{role}")
            for scope in SCOPES:
                combo.addItem(translate(SERVICES_CONTEXT, SCOPE_LABELS[scope]), scope)
            combo.setEnabled(role != "admin")
            self.roles_table.setCellWidget(row, len(PERMISSIONS), combo)
            self.scope_combos[role] = combo
        header = self.roles_table.horizontalHeader()  # the boxes share the width; the scope its combo's
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(PERMISSIONS), QHeaderView.ResizeMode.Fixed)
        self.roles_table.setColumnWidth(len(PERMISSIONS), 150)
        self.roles_error = error_label(tab, "rolesError")
        self.save_roles_button = self._button(tab, self.tr("Save"), "saveRolesButton", self.save_roles)
        self.defaults_button = self._button(tab, self.tr("Reset to defaults"), "defaultRolesButton",
                                            self.reset_roles_to_defaults)
        row_layout = QHBoxLayout()
        row_layout.addWidget(self.defaults_button)
        row_layout.addStretch(1)
        row_layout.addWidget(self.save_roles_button)
        layout = QVBoxLayout(tab)
        layout.addWidget(note)
        layout.addWidget(self.roles_table, 1)
        layout.addWidget(self.roles_error)
        layout.addLayout(row_layout)
        return tab

    def permission_item(self, role: str, permission: str) -> QTableWidgetItem:
        item = self.roles_table.item(auth.ROLES.index(role), PERMISSIONS.index(permission))
        assert item is not None
        return item

    def fill_roles(self, value: Mapping[str, Mapping[str, Any]]) -> None:
        """Show `value` ({role: {"permissions": [...], "scope": ...}}) in the matrix (not saved)."""
        for role in auth.ROLES:
            entry = value.get(role, DEFAULT_ROLE_PERMISSIONS[role])
            granted = set(PERMISSIONS) if role == "admin" else set(entry.get("permissions", ()))
            for permission in PERMISSIONS:
                self.permission_item(role, permission).setCheckState(
                    Qt.CheckState.Checked if permission in granted else Qt.CheckState.Unchecked)
            combo = self.scope_combos[role]
            combo.setCurrentIndex(max(combo.findData("all" if role == "admin" else entry.get("scope")), 0))

    def role_matrix(self) -> dict[str, dict[str, Any]]:
        """The matrix as the setting stores it."""
        return {role: {"permissions": [name for name in PERMISSIONS
                                       if self.permission_item(role, name).checkState() == Qt.CheckState.Checked],
                       "scope": self.scope_combos[role].currentData()} for role in auth.ROLES}

    def save_roles(self) -> bool:
        try:
            saved = save_role_permissions(self.db, self.actor, self.role_matrix())
        except ValidationError as error:
            self._say(self.roles_error, "\n".join(f"{role_name(key)}: {text}" if key in auth.ROLES else text
                                                  for key, text in error.errors.items()), ok=False)
            return False
        except UserError as error:
            self._say(self.roles_error, error.message, ok=False)
            return False
        self.fill_roles(saved)
        self._say(self.roles_error, self.tr("Saved. The changes apply from each user's next sign-in."))
        return True

    def reset_roles_to_defaults(self) -> None:
        self.fill_roles(DEFAULT_ROLE_PERMISSIONS)
        self._say(self.roles_error, self.tr("The defaults are filled in; Save keeps them."))

    # ---- tokens ------------------------------------------------------------------------------------------
    def _tokens_tab(self) -> QWidget:
        tab = QWidget(self)
        note = QLabel(self.tr("A token lets a script use crmdesk's command line as the administrator who made "
                              "it (crmdesk … --token, or CRMDESK_TOKEN)."), tab)
        note.setWordWrap(True)
        self.tokens_table = _table(tab, "tokensTable", [
            self.tr("Name"), self.tr("User"), self.tr("Created"), self.tr("Last used"), self.tr("Revoked")])
        self.tokens_table.itemSelectionChanged.connect(self._update_token_buttons)
        self.new_token_button = self._button(tab, self.tr("New token…"), "newTokenButton", self.new_token)
        self.revoke_button = self._button(tab, self.tr("Revoke"), "revokeTokenButton", self.revoke_token)
        self.tokens_status = QLabel(tab)
        self.tokens_status.setObjectName("tokensStatus")
        row = QHBoxLayout()
        row.addWidget(self.new_token_button)
        row.addWidget(self.revoke_button)
        row.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addWidget(note)
        layout.addWidget(self.tokens_table, 1)
        layout.addWidget(self.tokens_status)
        layout.addLayout(row)
        return tab

    def _fill_tokens(self) -> None:
        self.tokens_table.setRowCount(len(self.tokens))
        for row, token in enumerate(self.tokens):
            cells = (token.name, token.user_name, format_datetime(token.created_at),
                     format_datetime(token.last_used_at), format_datetime(token.revoked_at))
            for column, text in enumerate(cells):
                self.tokens_table.setItem(row, column, _cell(text))
        _fit_columns(self.tokens_table)
        self._update_token_buttons()

    def selected_token(self) -> auth.TokenInfo | None:
        row = _selected_row(self.tokens_table)
        return self.tokens[row] if row is not None else None

    def _update_token_buttons(self) -> None:
        token = self.selected_token()
        self.revoke_button.setEnabled(token is not None and token.revoked_at is None)

    def new_token(self) -> NewTokenDialog:
        dialog = NewTokenDialog(self.db, self.actor, self)
        # Read again whether or not the dialog is "accepted": the token exists once Create was pressed.
        dialog.finished.connect(lambda _result: self._refresh_tokens())
        self._open_sub_dialog(dialog, lambda _dialog: None)
        return dialog

    def _refresh_tokens(self) -> None:
        self.tokens = auth.list_tokens(self.db, self.actor)
        self._fill_tokens()

    def revoke_token(self) -> bool:
        token = self.selected_token()
        if token is None or token.revoked_at is not None:
            return False
        if not ask_to_confirm(self, self.tr("Revoke token"), self.tr(
                "Revoke the token {name}? Scripts using it stop working; this cannot be undone.").format(
                name=token.name)):
            return False
        try:
            auth.revoke_token(self.db, self.actor, token.id)
        except UserError as error:
            self._say(self.tokens_status, error.message, ok=False)
            return False
        self._refresh_tokens()
        self._say(self.tokens_status, self.tr("The token {name} is revoked.").format(name=token.name))
        return True


__all__ = ["NewTokenDialog", "ResetPasswordDialog", "UserFormDialog", "UsersDialog"]
