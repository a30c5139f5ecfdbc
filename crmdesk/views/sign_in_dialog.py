"""Signing in at start: the sign-in dialog, the first administrator of a book without sign-in, the password
change (forced after an administrator's reset) and `sign_in_at_start`, which app.run_app calls."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services import auth
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.registry import Database
from crmdesk.services.uow import Actor
from crmdesk.services.users import ensure_local_user

ERROR_STYLE = "color: #b00020;"
INVALID_STYLE = "border: 1px solid #d93025; background: #fdecea;"


def password_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(auth.MAX_PASSWORD_LENGTH)
    return field


def error_label(parent: QWidget, name: str) -> QLabel:
    """The red line under a form where what went wrong is said (no message box: nothing typed is hidden)."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    return label


class _InlineErrors:
    """A form's fields by the service's error keys: marks the wrong ones, says the messages, focuses the first."""

    def __init__(self, label: QLabel, fields: Mapping[str, QLineEdit]) -> None:
        self.label = label
        self.fields = dict(fields)

    def clear(self) -> None:
        self.label.clear()
        for field in self.fields.values():
            field.setStyleSheet("")

    def show(self, errors: Mapping[str, str]) -> None:
        self.clear()
        self.label.setText("\n".join(errors.values()))
        first = None
        for key in errors:
            field = self.fields.get(key)
            if field is not None:
                field.setStyleSheet(INVALID_STYLE)
                first = first or field
        if first is not None:
            first.setFocus()
            first.selectAll()

    def show_error(self, error: UserError) -> None:
        self.show(error.errors if isinstance(error, ValidationError) else {"": error.message})


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


class ChangePasswordDialog(QDialog):
    """The signed-in user's own password: the current one, the new one twice. `forced`: an administrator set
    the password, and the user chooses their own before going on (cancel then means not signed in).
    `current_password`: the one just checked at sign-in, so it is not asked again."""

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None, *, forced: bool = False,
                 current_password: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self.setWindowTitle(self.tr("Change password"))
        self.db, self.actor, self.forced = db, actor, forced
        self.changed = False
        intro = QLabel(self.tr("An administrator set your password. Choose your own password before you go on.")
                       if forced else self.tr("Type your current password, then the new one twice."), self)
        intro.setObjectName("changePasswordIntro")
        intro.setWordWrap(True)
        self.old_field = password_field(self, "oldPassword")
        self.new_field = password_field(self, "newPassword")
        self.repeat_field = password_field(self, "repeatPassword")
        self.new_field.setPlaceholderText(self.tr("At least {n} characters").format(n=auth.MIN_PASSWORD_LENGTH))
        self.error = error_label(self, "changePasswordError")
        self.errors = _InlineErrors(self.error, {"old_password": self.old_field, "password": self.new_field,
                                                 "repeat": self.repeat_field})
        self.save_button = QPushButton(self.tr("Change password"), self)
        self.save_button.setObjectName("changePasswordButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("changePasswordCancel")
        self.cancel_button.clicked.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Current password:"), self.old_field)
        form.addRow(self.tr("New password:"), self.new_field)
        form.addRow(self.tr("New password again:"), self.repeat_field)
        if current_password is not None:
            self.old_field.setText(current_password)
            form.setRowVisible(self.old_field, False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(_buttons(self.save_button, self.cancel_button))
        self.resize(440, 220)

    def save(self) -> bool:
        """Change the password; say what is wrong under the form (what was typed stays) otherwise."""
        if self.new_field.text() != self.repeat_field.text():
            self.errors.show({"repeat": self.tr("The two new passwords are not the same.")})
            return False
        try:
            auth.change_password(self.db, self.actor, self.old_field.text(), self.new_field.text())
        except UserError as error:
            self.errors.show_error(error)
            return False
        self.changed = True
        self.accept()
        return True


class SignInDialog(QDialog):
    """User name and password. A failure is said in the dialog, the password cleared and the name kept; after
    an administrator's reset the user chooses a new password before the dialog accepts. `actor` once accepted."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle(self.tr("Sign in to crmdesk"))
        self.db = db
        self.actor: Actor | None = None
        self.change_dialog: ChangePasswordDialog | None = None  # the forced change open now, if any
        intro = QLabel(self.tr("Sign in with your user name and password."), self)
        intro.setWordWrap(True)
        self.username_field = QLineEdit(self)
        self.username_field.setObjectName("signInUserName")
        self.username_field.setMaxLength(64)
        self.password_field = password_field(self, "signInPassword")
        self.error = error_label(self, "signInError")
        self.sign_in_button = QPushButton(self.tr("Sign in"), self)
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.try_sign_in)
        self.quit_button = QPushButton(self.tr("Quit"), self)
        self.quit_button.setObjectName("signInQuit")
        self.quit_button.clicked.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("User name:"), self.username_field)
        form.addRow(self.tr("Password:"), self.password_field)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(_buttons(self.sign_in_button, self.quit_button))
        self.resize(420, 200)
        self.username_field.setFocus()

    def try_sign_in(self) -> bool:
        """Sign in with what is typed. True when signed in (or when the forced password change is now open)."""
        try:
            actor = auth.sign_in(self.db, self.username_field.text(), self.password_field.text())
        except UserError as error:  # wrong name or password, locked, disabled: the service's words
            self._refuse(error.message)
            return False
        self.error.clear()
        if auth.must_change_password(self.db, actor):
            self._open_forced_change(actor)
            return True
        self.actor = actor
        self.accept()
        return True

    def _refuse(self, message: str) -> None:
        self.error.setText(message)
        self.password_field.clear()
        self.password_field.setFocus()

    def _open_forced_change(self, actor: Actor) -> None:
        dialog = ChangePasswordDialog(self.db, actor, self, forced=True, current_password=self.password_field.text())
        self.change_dialog = dialog

        def done(result: int) -> None:
            self.change_dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted:
                self.actor = actor
                self.accept()
            else:  # the new password is not optional: without it the user is not signed in
                self._refuse(self.tr("Choose a new password to sign in."))

        dialog.finished.connect(done)
        dialog.open()


class FirstAdminDialog(QDialog):
    """A book nobody signs in to yet: make its first administrator (name, shown name, password twice), or
    later — the desk then goes on without sign-in as before. Rejecting the dialog is "later"."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstAdminDialog")
        self.setWindowTitle(self.tr("First administrator"))
        self.db = db
        self.actor: Actor | None = None
        intro = QLabel(self.tr(
            "Nobody signs in to this book yet. Create its first administrator: from then on everyone signs in "
            "with a user name and password, and the administrator adds the other users and sets what each role "
            "may do (Tools › Users and permissions…). Choose Later to go on without sign-in for now."), self)
        intro.setObjectName("firstAdminIntro")
        intro.setWordWrap(True)
        self.username_field = QLineEdit(self)
        self.username_field.setObjectName("firstAdminUserName")
        self.username_field.setMaxLength(64)
        self.display_name_field = QLineEdit(self)
        self.display_name_field.setObjectName("firstAdminDisplayName")
        self.display_name_field.setMaxLength(100)
        self.display_name_field.setPlaceholderText(self.tr("As shown to others (optional)"))
        self.password_field = password_field(self, "firstAdminPassword")
        self.password_field.setPlaceholderText(self.tr("At least {n} characters").format(n=auth.MIN_PASSWORD_LENGTH))
        self.repeat_field = password_field(self, "firstAdminRepeat")
        self.error = error_label(self, "firstAdminError")
        self.errors = _InlineErrors(self.error, {"username": self.username_field,
                                                 "display_name": self.display_name_field,
                                                 "password": self.password_field, "repeat": self.repeat_field})
        self.create_button = QPushButton(self.tr("Create administrator"), self)
        self.create_button.setObjectName("firstAdminCreate")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create_admin)
        self.later_button = QPushButton(self.tr("Later"), self)
        self.later_button.setObjectName("firstAdminLater")
        self.later_button.clicked.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("User name:"), self.username_field)
        form.addRow(self.tr("Display name:"), self.display_name_field)
        form.addRow(self.tr("Password:"), self.password_field)
        form.addRow(self.tr("Password again:"), self.repeat_field)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(_buttons(self.create_button, self.later_button))
        self.resize(500, 320)

    def create_admin(self) -> bool:
        """Make the administrator and sign in as them; say what is wrong under the form otherwise."""
        name = self.username_field.text()
        password = self.password_field.text()
        if password != self.repeat_field.text():
            self.errors.show({"repeat": self.tr("The two passwords are not the same.")})
            return False
        try:
            self.actor = auth.create_first_admin(self.db, name, password, self.display_name_field.text())
        except UserError as error:
            self.errors.show_error(error)
            return False
        self.accept()
        return True


def sign_in_at_start(db: Database, *, interactive: bool,
                     sign_in_factory: Callable[[Database], SignInDialog] | None = None,
                     first_admin_factory: Callable[[Database], FirstAdminDialog] | None = None) -> Actor | None:
    """Who the window acts for, or None when nobody signed in (the app then exits).

    A book with sign-in: the sign-in dialog (quit = None), or without a window CRMDESK_TOKEN, else
    CRMDESK_USER and CRMDESK_PASSWORD (None, said on stderr, when they are missing or wrong). A book without:
    the first-administrator dialog, whose Later (and every run without a window) goes on as the desk's local
    user. The factories stand in for the dialogs in tests."""
    if auth.sign_in_required(db):
        if not interactive:
            return _sign_in_from_environment(db)
        dialog = (sign_in_factory or SignInDialog)(db)
        if not dialog.exec() or dialog.actor is None:
            return None
        return dialog.actor
    if interactive:
        first = (first_admin_factory or FirstAdminDialog)(db)
        if first.exec() and first.actor is not None:
            return first.actor
    return ensure_local_user(db)


def _sign_in_from_environment(db: Database) -> Actor | None:
    translate = QCoreApplication.translate
    token = os.environ.get("CRMDESK_TOKEN")
    username = os.environ.get("CRMDESK_USER")
    password = os.environ.get("CRMDESK_PASSWORD")
    try:
        if token:
            return auth.sign_in_with_token(db, token)
        if username and password is not None:
            return auth.sign_in(db, username, password)
    except UserError as error:
        print(f"crmdesk: {error.message}", file=sys.stderr)
        return None
    print("crmdesk: " + translate("SignInDialog", "This book needs a sign-in: set CRMDESK_USER and "
                                                  "CRMDESK_PASSWORD, or CRMDESK_TOKEN."), file=sys.stderr)
    return None


__all__ = ["ChangePasswordDialog", "FirstAdminDialog", "SignInDialog", "sign_in_at_start"]
