"""文件 › 加密数据库…: turning the book's encryption on (a key in the keychain, or a passphrase) and off, converted
off the GUI thread with the window locked and the book reopened in place; and, at start, the passphrase of an
encrypted book whose key the keychain does not have."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services import encryption
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.views.background import BackgroundCaller

if TYPE_CHECKING:
    from crmdesk.services.registry import Services
    from crmdesk.views.main_window import MainWindow

log = logging.getLogger(__name__)


class UnlockCancelled(Exception):
    """The encrypted book stays closed: the user quit the passphrase dialog, or no key could be found."""


class PassphraseDialog(QDialog):
    """The passphrase of an encrypted book, asked at start. A wrong one is said and asked again; `key` is
    the checked key once accepted."""

    def __init__(self, path: Path, parent: QWidget | None = None, *, note: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(self.tr("Encrypted database"))
        self.path = path
        self.key: str | None = None
        self.attempts = 0
        intro = QLabel(self.tr("The book {name} is encrypted. Type its passphrase to open it.").format(
            name=path.name), self)
        intro.setWordWrap(True)
        self.field = QLineEdit(self)
        self.field.setObjectName("passphraseField")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setPlaceholderText(self.tr("Passphrase"))
        self.error = QLabel(note, self)
        self.error.setObjectName("passphraseError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.open_button = QPushButton(self.tr("Open"), self)
        self.open_button.setObjectName("openButton")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self.try_unlock)
        quit_button = QPushButton(self.tr("Quit"), self)
        quit_button.setObjectName("quitButton")
        quit_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(quit_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.field)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.resize(460, 170)

    def try_unlock(self) -> bool:
        """Check the passphrase typed against the file; accept with its key, or say it is wrong and ask again."""
        try:
            self.key = encryption.unlock_with_passphrase(self.path, self.field.text())
        except encryption.WrongKeyError as error:
            self.attempts += 1
            self.error.setText(error.message)
            self.field.clear()
            self.field.setFocus()
            return False
        self.accept()
        return True


def key_at_start(path: Path, *, interactive: bool,
                 dialog_factory: Callable[..., PassphraseDialog] | None = None) -> str | None:
    """The key to open the book with at start: None for a plain file; for an encrypted one the keychain's,
    else CRMDESK_DB_PASSPHRASE's, else (interactive) the passphrase typed in a dialog. UnlockCancelled when the
    user quits the dialog, or when no key is found without a window (said on stderr)."""
    if not encryption.is_encrypted(path):
        return None
    translate = QCoreApplication.translate
    note = ""
    try:
        key = encryption.find_key(path)
    except encryption.WrongKeyError:
        key, note = None, translate("encryption", "The passphrase in CRMDESK_DB_PASSPHRASE is wrong.")
    if key is not None:
        return key
    if not interactive:
        print("crmdesk: " + (note or translate(
            "encryption", "The database {path} is encrypted and its key is not in the keychain; give its "
                          "passphrase in CRMDESK_DB_PASSPHRASE.").format(path=path)), file=sys.stderr)
        raise UnlockCancelled
    dialog = (dialog_factory or PassphraseDialog)(path, note=note)
    if not dialog.exec() or dialog.key is None:
        raise UnlockCancelled
    return dialog.key


class EncryptionDialog(QDialog):
    """Encrypt the open book (a key in the keychain, or a passphrase typed twice), or turn it off again.

    The conversion needs the file closed: `close_database` (the window's threads done, every connection
    closed, new ones refused) runs first, the conversion runs on the thread pool while this dialog holds the
    window (application-modal, not closable), and `reopen(key)` opens the converted file in the same Database
    object, so the window goes on with every tab as it was. A failed conversion leaves the file as it was and
    reopens it with the old key. `converted(result)` is emitted when it worked."""

    converted = Signal(object)

    def __init__(self, services: Services, close_database: Callable[[], None],
                 reopen: Callable[[str | None], None], parent: QWidget | None = None, *,
                 confirm: Callable[[str], bool] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("encryptionDialog")
        self.db, self.close_database, self.reopen = services.db, close_database, reopen
        self.confirm = confirm or self._ask
        self.result_: encryption.ConversionResult | None = None
        self.running = False
        self._caller = BackgroundCaller()
        self._caller.finished.connect(self._finished)
        self.keychain = encryption.keychain_info()
        self.encrypted = self.db.key is not None

        self.intro = QLabel(self.tr(
            "Encryption scrambles the whole book file, its backups and the copies kept beside it, so that "
            "nobody who gets hold of the file (a lost laptop, a copied backup) can read it without the key. "
            "On this computer crmdesk opens it as before."), self)
        self.intro.setWordWrap(True)
        self.state = QLabel(self)
        self.state.setObjectName("encryptionState")
        self.state.setWordWrap(True)

        self.keychain_choice = QRadioButton(self.tr("Keep a key in this computer's keychain"), self)
        self.keychain_choice.setObjectName("keychainChoice")
        self.keychain_note = QLabel(self)
        self.keychain_note.setObjectName("keychainNote")
        self.keychain_note.setWordWrap(True)
        self.keychain_note.setContentsMargins(22, 0, 0, 4)  # under its choice
        self.passphrase_choice = QRadioButton(self.tr("Use a passphrase (asked at every start)"), self)
        self.passphrase_choice.setObjectName("passphraseChoice")
        self.choices = QButtonGroup(self)
        self.choices.addButton(self.keychain_choice)
        self.choices.addButton(self.passphrase_choice)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("passphraseField")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("Passphrase (at least {count} characters)").format(
            count=encryption.MIN_PASSPHRASE_LENGTH))
        self.repeated = QLineEdit(self)
        self.repeated.setObjectName("repeatedField")
        self.repeated.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeated.setPlaceholderText(self.tr("The same passphrase again"))
        self.field_error = QLabel(self)
        self.field_error.setObjectName("fieldError")
        self.field_error.setStyleSheet("color: #b00020")
        self.warning = QLabel(self.tr(
            "Without the key or the passphrase the book cannot be opened, and nobody can recover it: write the "
            "passphrase down and keep it in a safe place."), self)
        self.warning.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("conversionProgress")
        self.progress.setRange(0, 0)  # busy: the export gives no progress of its own
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setObjectName("encryptionStatus")
        self.status.setWordWrap(True)

        self.encrypt_button = QPushButton(self.tr("Encrypt"), self)
        self.encrypt_button.setObjectName("encryptButton")
        self.encrypt_button.clicked.connect(lambda: self.start_encrypt())
        self.decrypt_button = QPushButton(self.tr("Turn encryption off…"), self)
        self.decrypt_button.setObjectName("decryptButton")
        self.decrypt_button.clicked.connect(lambda: self.start_decrypt())
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("closeButton")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.encrypt_button)
        buttons.addWidget(self.decrypt_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.state)
        layout.addWidget(self.keychain_choice)
        layout.addWidget(self.keychain_note)
        layout.addWidget(self.passphrase_choice)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.repeated)
        layout.addWidget(self.field_error)
        layout.addWidget(self.warning)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.choices.buttonToggled.connect(lambda *_args: self._update())
        self._show_state()
        self.resize(560, 440)

    # ---- what is shown --------------------------------------------------------------------------------------
    def _show_state(self) -> None:
        choosing = not self.encrypted
        for widget in (self.keychain_choice, self.keychain_note, self.passphrase_choice, self.passphrase,
                       self.repeated, self.field_error, self.warning, self.encrypt_button):
            widget.setVisible(choosing)
        self.decrypt_button.setVisible(self.encrypted)
        self.setWindowTitle(self.tr("Database encryption") if self.encrypted else self.tr("Encrypt the database"))
        if self.encrypted:
            in_keychain = encryption.key_for(self.db.path) == self.db.key
            self.state.setText(self.tr("This book is encrypted; its key is kept in the keychain.") if in_keychain
                               else self.tr("This book is encrypted with a passphrase."))
            return
        self.state.setText(self.tr("This book is not encrypted."))
        if not self.keychain.available:
            self.keychain_choice.setEnabled(False)
            self.keychain_note.setText(self.tr("No keychain is available on this computer."))
            self.passphrase_choice.setChecked(True)
        elif not self.keychain.secure:
            # keyrings.alt's plain-file keyring: usable, but the key then sits readable beside the user's files
            self.keychain_note.setText(self.tr(
                "This computer's keychain ({name}) keeps keys in a plain file: anyone who can read your files "
                "can read the key. A passphrase is safer here.").format(name=self.keychain.name))
            self.passphrase_choice.setChecked(True)
        else:
            self.keychain_note.setText(self.tr("crmdesk opens the book without asking; it opens only on this "
                                               "computer, for this user."))
            self.keychain_choice.setChecked(True)
        self._update()

    def _update(self) -> None:
        with_passphrase = self.passphrase_choice.isChecked()
        self.passphrase.setEnabled(with_passphrase and not self.running)
        self.repeated.setEnabled(with_passphrase and not self.running)

    def mark_field_errors(self, errors: dict[str, str]) -> dict[str, str]:
        self.field_error.setText(" ".join(errors.values()))
        (self.repeated if "repeated" in errors else self.passphrase).setFocus()
        return {}

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.windowTitle(), question)
        return answer == QMessageBox.StandardButton.Yes

    # ---- converting ---------------------------------------------------------------------------------------
    def start_encrypt(self) -> bool:
        """Check the choice, then convert off the GUI thread. False when nothing was started."""
        if self.running or self.encrypted:
            return False
        passphrase: str | None = None
        if self.passphrase_choice.isChecked():
            try:
                encryption.check_passphrase(self.passphrase.text(), self.repeated.text())
            except ValidationError as error:
                self.mark_field_errors(error.errors)
                return False
            passphrase = self.passphrase.text()
        elif not self.keychain_choice.isChecked():
            return False
        self.field_error.clear()
        path = self.db.path
        self._run(lambda: encryption.encrypt_database(path, passphrase=passphrase),
                  self.tr("Encrypting the book and its backups…"))
        return True

    def start_decrypt(self) -> bool:
        if self.running or not self.encrypted or self.db.key is None:
            return False
        if not self.confirm(self.tr("Turn encryption off? The book and its backups become plain files that "
                                    "anyone who gets them can read.")):
            return False
        path, key = self.db.path, self.db.key
        self._run(lambda: encryption.decrypt_database(path, key), self.tr("Decrypting the book and its backups…"))
        return True

    def _run(self, work: Callable[[], encryption.ConversionResult], message: str) -> None:
        self.running = True
        self.previous_key = self.db.key
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        for button in (self.encrypt_button, self.decrypt_button, self.close_button, self.keychain_choice,
                       self.passphrase_choice):
            button.setEnabled(False)
        self._update()
        self.progress.show()
        self.status.setText(message)
        try:
            self.close_database()
        except Exception:
            self.running = False
            raise
        self._caller.start(work)

    def _finished(self, _ticket: int, result: Any, error: BaseException | None) -> None:
        self.running = False
        self.progress.hide()
        self.setWindowModality(Qt.WindowModality.WindowModal)
        for button in (self.encrypt_button, self.decrypt_button, self.close_button, self.passphrase_choice):
            button.setEnabled(True)
        self.keychain_choice.setEnabled(self.keychain.available)
        self._update()
        if error is not None:
            self.reopen(self.previous_key)  # the file is as it was
            if isinstance(error, UserError):
                self.status.setText(error.message)
                return
            self.status.setText("")
            raise error
        self.result_ = result
        self.reopen(result.key)
        self.encrypted = result.encrypted
        self._show_state()
        self.status.setText(self._summary(result))
        self.converted.emit(result)

    def _summary(self, result: encryption.ConversionResult) -> str:
        if result.encrypted:
            lines = [self.tr("The book is encrypted ({rows} rows in {tables} tables checked); {count} backups and "
                             "kept copies were encrypted too.").format(rows=result.rows, tables=result.tables,
                                                                      count=len(result.converted))]
            if result.left:
                lines.append(self.tr("These older copies could not be read and are NOT encrypted; delete them if "
                                     "they are not needed: {names}").format(
                                         names=", ".join(path.name for path in result.left)))
        else:
            lines = [self.tr("The book is a plain file again; {count} backups and kept copies were decrypted "
                             "too.").format(count=len(result.converted))]
            if result.left:
                lines.append(self.tr("These copies did not open with the key and stay encrypted: {names}").format(
                    names=", ".join(path.name for path in result.left)))
        return "\n".join(lines)

    # ---- the window stays locked while converting ------------------------------------------------------------
    def reject(self) -> None:
        if not self.running:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            event.ignore()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.running and event.key() == Qt.Key.Key_Escape:
            event.ignore()
            return
        super().keyPressEvent(event)


def open_encryption_dialog(window: MainWindow) -> EncryptionDialog:
    """文件 › 加密数据库…: the dialog over the main window. Before converting, the window's timers stop, its
    background reads finish and the book's connections close (new ones refused); afterwards the book reopens in
    the same Database object, the timers start again and the lists are read again."""
    db = window.services.db
    stopped: list[QTimer] = []

    def close_database() -> None:
        for timer in window.findChildren(QTimer):
            if timer.isActive():
                timer.stop()
                stopped.append(timer)
        QThreadPool.globalInstance().waitForDone()  # lists still reading the file
        encryption.close_for_conversion(db)

    def reopen(key: str | None) -> None:
        encryption.reopen_converted(db, key)
        while stopped:
            stopped.pop().start()
        window.refresh()

    dialog = EncryptionDialog(window.services, close_database, reopen, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


__all__ = ["EncryptionDialog", "PassphraseDialog", "UnlockCancelled", "key_at_start", "open_encryption_dialog"]
