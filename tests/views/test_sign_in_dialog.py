"""Signing in at start: the sign-in dialog (failures said in place, the lock, the forced password change), the
first administrator (or later, as the local desk user), the password change, and sign_in_at_start with and
without a window."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot

from crmdesk.i18n import SERVICES_CONTEXT, translate
from crmdesk.models.database import Database
from crmdesk.services import auth
from crmdesk.services.errors import ValidationError
from crmdesk.services.uow import Actor
from crmdesk.services.users import ensure_local_user
from crmdesk.views.sign_in_dialog import (
    ChangePasswordDialog,
    FirstAdminDialog,
    SignInDialog,
    sign_in_at_start,
)

PASSWORD = "correct-horse-7"
_Dialog = TypeVar("_Dialog", bound=QDialog)


def _wrong() -> str:
    """The service's words for a wrong name or password, in the language the test runs in."""
    return translate(SERVICES_CONTEXT, "The user name or the password is wrong.")


@pytest.fixture
def admin(db: Database) -> Actor:
    return auth.create_first_admin(db, "boss", PASSWORD, "老板")


def _shown(qtbot: QtBot, dialog: _Dialog) -> _Dialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _sign_in(dialog: SignInDialog, username: str, password: str) -> bool:
    dialog.username_field.setText(username)
    dialog.password_field.setText(password)
    dialog.sign_in_button.click()
    return dialog.result() == QDialog.DialogCode.Accepted


def test_a_wrong_password_is_said_in_the_dialog_and_the_name_kept(app_en: QApplication, qtbot: QtBot,
                                                                    db: Database, admin: Actor) -> None:
    dialog = _shown(qtbot, SignInDialog(db))
    assert dialog.password_field.echoMode() == dialog.password_field.EchoMode.Password
    assert not _sign_in(dialog, "boss", "not-the-password")
    assert dialog.isVisible() and dialog.actor is None
    assert dialog.error.text() == _wrong() and dialog.error.isVisible()
    assert dialog.username_field.text() == "boss" and dialog.password_field.text() == ""
    assert dialog.focusWidget() is dialog.password_field
    assert not _sign_in(dialog, "nobody", PASSWORD)  # an unknown name is said the same way
    assert dialog.error.text() == _wrong()


def test_five_wrong_passwords_lock_the_account(app_en: QApplication, qtbot: QtBot, db: Database,
                                               admin: Actor) -> None:
    dialog = _shown(qtbot, SignInDialog(db))
    for _attempt in range(auth.MAX_FAILED_LOGINS - 1):
        _sign_in(dialog, "boss", "wrong-password")
        assert dialog.error.text() == _wrong()
    _sign_in(dialog, "boss", "wrong-password")
    assert "locked" in dialog.error.text() and str(auth.LOCK_MINUTES) in dialog.error.text()
    assert not _sign_in(dialog, "boss", PASSWORD)  # the right password too, while locked
    assert "locked" in dialog.error.text() and dialog.actor is None and dialog.isVisible()


def test_the_right_password_signs_in_with_the_role(app_en: QApplication, qtbot: QtBot, db: Database,
                                                   admin: Actor) -> None:
    dialog = _shown(qtbot, SignInDialog(db))
    assert _sign_in(dialog, " boss ", PASSWORD)
    assert dialog.actor is not None and dialog.actor.user_id == admin.user_id
    assert dialog.actor.role == "admin" and dialog.actor.display_name == "老板" and not dialog.isVisible()


def test_a_reset_password_must_be_changed_before_signing_in(app_en: QApplication, qtbot: QtBot, db: Database,
                                                            admin: Actor) -> None:
    auth.add_user(db, admin, "xiaoli", "小李", "consultant", "first-pass-1")
    dialog = _shown(qtbot, SignInDialog(db))
    assert not _sign_in(dialog, "xiaoli", "first-pass-1")  # not yet: the change is open over the dialog
    change = dialog.change_dialog
    assert isinstance(change, ChangePasswordDialog) and change.isVisible() and change.forced
    assert not change.old_field.isVisible()  # just typed at sign-in
    change.reject()  # the user cannot skip it: not signed in
    assert dialog.actor is None and dialog.isVisible() and dialog.error.text()
    assert auth.must_change_password(db, auth.sign_in(db, "xiaoli", "first-pass-1"))

    _sign_in(dialog, "xiaoli", "first-pass-1")
    change = dialog.change_dialog
    assert change is not None
    change.new_field.setText("my-own-pass-2")
    change.repeat_field.setText("my-own-pass-3")
    change.save_button.click()
    assert change.isVisible() and change.error.text() and change.new_field.text() == "my-own-pass-2"
    change.new_field.setText("xiaoli")  # the service's rules, said in place
    change.repeat_field.setText("xiaoli")
    change.save_button.click()
    assert change.isVisible() and change.error.text() == translate(SERVICES_CONTEXT, "Use at least {n} characters.") \
        .format(n=auth.MIN_PASSWORD_LENGTH)
    change.new_field.setText("my-own-pass-2")
    change.repeat_field.setText("my-own-pass-2")
    change.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.role == "consultant"
    assert not auth.must_change_password(db, dialog.actor)
    assert auth.sign_in(db, "xiaoli", "my-own-pass-2").user_id == dialog.actor.user_id


def test_changing_the_password_checks_the_current_one(app_en: QApplication, qtbot: QtBot, db: Database,
                                                      admin: Actor) -> None:
    dialog = _shown(qtbot, ChangePasswordDialog(db, admin))
    assert dialog.old_field.isVisible()
    dialog.old_field.setText("not-it-at-all")
    dialog.new_field.setText("brand-new-pass-9")
    dialog.repeat_field.setText("brand-new-pass-9")
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.error.text() == translate(SERVICES_CONTEXT, "The current password is wrong.")
    assert dialog.new_field.text() == "brand-new-pass-9" and dialog.focusWidget() is dialog.old_field
    dialog.old_field.setText(PASSWORD)
    dialog.save_button.click()
    assert dialog.changed and dialog.result() == QDialog.DialogCode.Accepted
    assert auth.sign_in(db, "boss", "brand-new-pass-9").user_id == admin.user_id


def test_the_first_administrator_gives_the_book_its_sign_in(app_en: QApplication, qtbot: QtBot,
                                                            db: Database) -> None:
    assert not auth.sign_in_required(db)
    dialog = _shown(qtbot, FirstAdminDialog(db))
    assert "administrator" in str(dialog.findChild(QLabel, "firstAdminIntro").text())  # type: ignore[union-attr]
    dialog.username_field.setText("zhang")
    dialog.display_name_field.setText("张经理")
    dialog.password_field.setText("good-password-1")
    dialog.repeat_field.setText("good-password-2")
    dialog.create_button.click()
    assert dialog.isVisible() and dialog.error.text() and dialog.focusWidget() is dialog.repeat_field
    assert (dialog.username_field.text(), dialog.display_name_field.text(), dialog.password_field.text()) == (
        "zhang", "张经理", "good-password-1")
    dialog.password_field.setText("short")
    dialog.repeat_field.setText("short")
    dialog.create_button.click()
    with pytest.raises(ValidationError) as rule:
        auth.check_password("short", "zhang")
    assert dialog.error.text() == rule.value.errors["password"] and not auth.sign_in_required(db)
    dialog.password_field.setText("good-password-1")
    dialog.repeat_field.setText("good-password-1")
    dialog.create_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.actor is not None
    assert dialog.actor.role == "admin" and dialog.actor.display_name == "张经理"
    assert auth.sign_in_required(db)
    assert auth.sign_in(db, "zhang", "good-password-1").user_id == dialog.actor.user_id


def _closing(make: Callable[[Database], _Dialog], act: Callable[[_Dialog], None]) -> Callable[[Database], _Dialog]:
    """A dialog factory for sign_in_at_start whose dialog `act` drives once exec() has shown it."""
    def factory(db: Database) -> _Dialog:
        dialog = make(db)
        QTimer.singleShot(0, lambda: act(dialog))
        return dialog

    return factory


def test_later_goes_on_as_the_local_desk_user(app_en: QApplication, db: Database) -> None:
    actor = sign_in_at_start(db, interactive=True, first_admin_factory=_closing(
        FirstAdminDialog, lambda dialog: dialog.later_button.click()))
    assert actor is not None and actor == ensure_local_user(db) and actor.role == "admin"
    assert not auth.sign_in_required(db)


def test_at_start_the_first_administrator_made_is_the_one_signed_in(app_en: QApplication, db: Database) -> None:
    def create(dialog: FirstAdminDialog) -> None:
        dialog.username_field.setText("zhang")
        dialog.password_field.setText("good-password-1")
        dialog.repeat_field.setText("good-password-1")
        dialog.create_button.click()

    actor = sign_in_at_start(db, interactive=True, first_admin_factory=_closing(
        FirstAdminDialog, create))
    assert actor is not None and actor.display_name == "zhang" and auth.sign_in_required(db)


def test_at_start_a_book_with_sign_in_asks_and_quitting_gives_nobody(app_en: QApplication, db: Database,
                                                                       admin: Actor) -> None:
    def sign_in(dialog: SignInDialog) -> None:
        _sign_in(dialog, "boss", PASSWORD)

    actor = sign_in_at_start(db, interactive=True, sign_in_factory=_closing(SignInDialog, sign_in))
    assert actor is not None and actor.user_id == admin.user_id
    quit_ = _closing(SignInDialog, lambda dialog: dialog.quit_button.click())
    assert sign_in_at_start(db, interactive=True, sign_in_factory=quit_) is None


def test_without_a_window_the_environment_signs_in(db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("CRMDESK_USER", "CRMDESK_PASSWORD", "CRMDESK_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert sign_in_at_start(db, interactive=False) is None  # missing
    assert "CRMDESK_USER" in capsys.readouterr().err
    monkeypatch.setenv("CRMDESK_USER", "boss")
    monkeypatch.setenv("CRMDESK_PASSWORD", "wrong-password")
    assert sign_in_at_start(db, interactive=False) is None  # wrong
    assert _wrong() in capsys.readouterr().err
    monkeypatch.setenv("CRMDESK_PASSWORD", PASSWORD)
    actor = sign_in_at_start(db, interactive=False)  # good
    assert actor is not None and actor.user_id == admin.user_id and capsys.readouterr().err == ""
    monkeypatch.delenv("CRMDESK_PASSWORD")
    monkeypatch.setenv("CRMDESK_TOKEN", auth.create_token(db, admin, "screenshots"))
    token_actor = sign_in_at_start(db, interactive=False)
    assert token_actor is not None and token_actor.user_id == admin.user_id
    monkeypatch.setenv("CRMDESK_TOKEN", "crmdesk_not-a-real-token")
    assert sign_in_at_start(db, interactive=False) is None
    assert "token" in capsys.readouterr().err


def test_without_a_window_a_book_without_sign_in_is_the_local_user(db: Database) -> None:
    actor = sign_in_at_start(db, interactive=False)
    assert actor is not None and actor == ensure_local_user(db) and not auth.sign_in_required(db)


def test_a_screenshot_of_a_book_with_sign_in_needs_the_environment(tmp_path: Path, db: Database,
                                                                    admin: Actor) -> None:
    env = {key: value for key, value in os.environ.items()
           if key not in ("QT_QPA_PLATFORM", "CRMDESK_USER", "CRMDESK_PASSWORD", "CRMDESK_TOKEN")}
    env.update({"CRMDESK_SETTINGS": str(tmp_path / "settings.json"), "XDG_STATE_HOME": str(tmp_path / "state"),
                "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
                "XDG_CACHE_HOME": str(tmp_path / "cache")})
    shot = tmp_path / "shot.png"
    command = [sys.executable, "-m", "crmdesk", "run", "--db", str(db.path), "--screenshot", str(shot)]
    refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "CRMDESK_USER" in refused.stderr and not shot.exists()
    assert "Traceback" not in refused.stderr
    env.update({"CRMDESK_USER": "boss", "CRMDESK_PASSWORD": PASSWORD})
    signed_in = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert signed_in.returncode == 0, signed_in.stderr
    assert shot.is_file()
