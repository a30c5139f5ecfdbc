"""文件 › 加密数据库…: encrypting the open book from the window (passphrase typed twice, or the keychain), converted
off the GUI thread and reopened in place with every tab working; turning it off; and at start the passphrase
dialog (a wrong passphrase said and asked again, quitting leaves the book closed)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.app import open_database_or_explain
from crmdesk.models.database import open_database
from crmdesk.services import backups, encryption
from crmdesk.services.registry import Services
from crmdesk.services.search import search
from crmdesk.services.uow import Actor
from crmdesk.services.users import ensure_local_user
from crmdesk.settings import Settings
from crmdesk.views.encryption_dialog import (
    EncryptionDialog,
    PassphraseDialog,
    UnlockCancelled,
    key_at_start,
    open_encryption_dialog,
)
from crmdesk.views.main_window import MainWindow

PASSPHRASE = "蓝色的海 blue sea 42"


@pytest.fixture(autouse=True)
def _no_passphrase_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(encryption.PASSPHRASE_ENVIRONMENT, raising=False)


@pytest.fixture
def window(app_en: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings,
           book: dict[str, str]) -> MainWindow:
    window = MainWindow(services, actor, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _converted(qtbot: QtBot, dialog: EncryptionDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)


def _encrypted_book(tmp_path: Path, passphrase: str | None) -> Path:
    path = tmp_path / "locked" / "crmdesk.sqlite3"
    db = open_database(path)
    Services(db).leads.create(ensure_local_user(db), {"name": "张伟", "phone": "13812345678", "source": "walk_in"})
    db.close()
    encryption.encrypt_database(path, passphrase=passphrase)
    return path


def test_encrypting_with_a_passphrase_from_the_window_reopens_the_book_in_place(
        window: MainWindow, qtbot: QtBot, services: Services, actor: Actor, keychain: PlaintextKeyring) -> None:
    db = services.db
    path = db.path
    leads_before = window.tabs["lead"].model.rowCount()
    dialog = open_encryption_dialog(window)
    qtbot.waitExposed(dialog)
    assert dialog.isVisible() and dialog.windowModality() == Qt.WindowModality.WindowModal
    # this machine's keychain keeps keys in a plain file: said, and the passphrase is chosen for the user
    assert dialog.passphrase_choice.isChecked() and dialog.keychain_choice.isEnabled()
    assert "plain file" in dialog.keychain_note.text()
    assert dialog.state.text() == "This book is not encrypted."

    dialog.passphrase.setText(PASSPHRASE)
    dialog.repeated.setText(PASSPHRASE + "?")
    assert not dialog.start_encrypt()
    assert "not the same" in dialog.field_error.text() and not dialog.running
    dialog.repeated.setText(PASSPHRASE)
    qtbot.mouseClick(dialog.encrypt_button, Qt.MouseButton.LeftButton)
    assert dialog.running and dialog.progress.isVisible() and not dialog.close_button.isEnabled()
    assert dialog.windowModality() == Qt.WindowModality.ApplicationModal
    dialog.reject()  # Escape or the close box while it converts: refused, the window stays locked
    assert dialog.isVisible()
    _converted(qtbot, dialog)

    assert dialog.result_ is not None and dialog.result_.encrypted and not dialog.result_.in_keychain
    assert "The book is encrypted" in dialog.status.text()
    assert dialog.state.text() == "This book is encrypted with a passphrase."
    assert encryption.is_encrypted(path) and encryption.key_for(path) is None
    assert services.db is db and db.key == encryption.unlock_with_passphrase(path, PASSPHRASE)
    assert [hit.title for hit in search(db, actor, "张伟")] == ["张伟"]
    services.leads.create(actor, {"name": "加密后", "phone": "13800007777", "source": "web"})
    window.refresh()  # the lists read the converted file through the same services
    qtbot.waitUntil(lambda: window.tabs["lead"].model.rowCount() == leads_before + 1, timeout=10_000)
    assert all(backups.check_backup(info.path, db.key).ok and encryption.is_encrypted(info.path)
               for info in backups.list_backups(path))
    assert any(timer.isActive() for timer in window.findChildren(QTimer)), "the window's timers run again"
    dialog.reject()
    assert not dialog.isVisible()


def test_encrypting_with_the_keychain_then_turning_it_off(window: MainWindow, qtbot: QtBot, services: Services,
                                                          actor: Actor, keychain: PlaintextKeyring) -> None:
    db = services.db
    dialog = open_encryption_dialog(window)
    dialog.keychain_choice.setChecked(True)
    assert not dialog.passphrase.isEnabled()
    assert dialog.start_encrypt()
    _converted(qtbot, dialog)
    assert db.key is not None and encryption.key_for(db.path) == db.key
    assert dialog.decrypt_button.isVisible() and dialog.decrypt_button.isEnabled()
    assert not dialog.encrypt_button.isVisible() and dialog.windowTitle() == "Database encryption"
    assert dialog.state.text() == "This book is encrypted; its key is kept in the keychain."

    asked: list[str] = []

    def refuse(question: str) -> bool:
        asked.append(question)
        return False

    dialog.confirm = refuse
    assert not dialog.start_decrypt() and encryption.is_encrypted(db.path)
    dialog.confirm = lambda question: True
    assert dialog.start_decrypt()
    _converted(qtbot, dialog)

    assert asked and "plain files" in asked[0]
    assert not encryption.is_encrypted(db.path) and db.key is None and encryption.key_for(db.path) is None
    assert "plain file again" in dialog.status.text()
    assert [hit.title for hit in search(db, actor, "张伟")] == ["张伟"]


def test_a_failed_conversion_says_why_and_the_book_goes_on_as_it_was(
        window: MainWindow, qtbot: QtBot, services: Services, actor: Actor) -> None:
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        dialog = EncryptionDialog(services, lambda: encryption.close_for_conversion(services.db),
                                  lambda key: encryption.reopen_converted(services.db, key), window)
        qtbot.addWidget(dialog)
        dialog.show()
        assert not dialog.keychain_choice.isEnabled() and dialog.passphrase_choice.isChecked()
        assert dialog.keychain_note.text() == "No keychain is available on this computer."
        dialog.passphrase_choice.setChecked(False)
        dialog.keychain_choice.setEnabled(True)
        dialog.keychain_choice.setChecked(True)  # as if one had been there when the dialog opened
        assert dialog.start_encrypt()
        _converted(qtbot, dialog)
    finally:
        keyring.set_keyring(previous)
    assert dialog.result_ is None and "passphrase" in dialog.status.text()
    assert not encryption.is_encrypted(services.db.path) and services.db.key is None
    assert dialog.encrypt_button.isEnabled() and dialog.close_button.isEnabled()
    assert [hit.title for hit in search(services.db, actor, "张伟")] == ["张伟"]


def test_the_passphrase_dialog_says_a_wrong_passphrase_and_asks_again(app_en: QApplication, qtbot: QtBot,
                                                                      tmp_path: Path) -> None:
    path = _encrypted_book(tmp_path, PASSPHRASE)
    dialog = PassphraseDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.field.setText("not it at all")
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.text() == "The passphrase is wrong." and dialog.field.text() == ""
    assert dialog.key is None and dialog.attempts == 1
    dialog.field.setText(PASSPHRASE)
    assert dialog.try_unlock()
    assert not dialog.isVisible() and dialog.result() == PassphraseDialog.DialogCode.Accepted
    assert dialog.key == encryption.unlock_with_passphrase(path, PASSPHRASE)


class _Typing(PassphraseDialog):
    """The passphrase dialog with `exec` typing the given passphrases instead of waiting for a person."""

    typed: ClassVar[list[str]] = []
    made: ClassVar[list[PassphraseDialog]] = []

    def exec(self) -> int:
        _Typing.made.append(self)
        self.show()
        for passphrase in _Typing.typed:
            self.field.setText(passphrase)
            if self.try_unlock():
                return 1
        self.reject()
        return 0


def test_at_start_the_keychain_key_opens_it_else_the_passphrase_is_asked_else_it_stays_closed(
        app_en: QApplication, tmp_path: Path, keychain: PlaintextKeyring, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    plain = tmp_path / "plain.sqlite3"
    open_database(plain).close()
    assert key_at_start(plain, interactive=True, dialog_factory=_Typing) is None

    with_keychain = _encrypted_book(tmp_path / "a", None)
    _Typing.made = []
    assert key_at_start(with_keychain, interactive=True, dialog_factory=_Typing) == encryption.key_for(with_keychain)
    assert _Typing.made == [], "no dialog when the keychain has the key"
    db = open_database_or_explain(with_keychain, interactive=False)
    assert db is not None and db.key == encryption.key_for(with_keychain)
    db.close()

    with_passphrase = _encrypted_book(tmp_path / "b", PASSPHRASE)
    _Typing.typed = ["wrong one", PASSPHRASE]
    key = key_at_start(with_passphrase, interactive=True, dialog_factory=_Typing)
    assert key == encryption.unlock_with_passphrase(with_passphrase, PASSPHRASE)
    assert _Typing.made[-1].attempts == 1

    _Typing.typed = ["wrong one"]
    with pytest.raises(UnlockCancelled):
        key_at_start(with_passphrase, interactive=True, dialog_factory=_Typing)

    with pytest.raises(UnlockCancelled):
        key_at_start(with_passphrase, interactive=False)
    assert "CRMDESK_DB_PASSPHRASE" in capsys.readouterr().err
    assert open_database_or_explain(with_passphrase, interactive=False) is None

    monkeypatch.setenv(encryption.PASSPHRASE_ENVIRONMENT, "wrong wrong wrong")
    _Typing.typed = [PASSPHRASE]
    assert key_at_start(with_passphrase, interactive=True, dialog_factory=_Typing) == key
    assert _Typing.made[-1].error.text() == "The passphrase in CRMDESK_DB_PASSPHRASE is wrong."
    monkeypatch.setenv(encryption.PASSPHRASE_ENVIRONMENT, PASSPHRASE)
    db = open_database_or_explain(with_passphrase, interactive=False)
    assert db is not None and db.key == key
    db.close()
