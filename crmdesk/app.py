"""The composition root: settings -> Qt application (font, translator) -> database -> services -> window."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QThreadPool
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

if TYPE_CHECKING:
    from crmdesk.models.database import Database
    from crmdesk.services.registry import Services
    from crmdesk.services.uow import Actor
    from crmdesk.settings import Settings
    from crmdesk.views.main_window import MainWindow

log = logging.getLogger(__name__)

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"
FONT_PATH = RESOURCES_DIR / "fonts" / "wqy-microhei.ttc"
FONT_FAMILY = "WenQuanYi Micro Hei"
SCREENSHOT_SIZE = (1280, 800)


def register_bundled_font(path: Path = FONT_PATH) -> list[str]:
    """Register the bundled CJK font and make it the application font's fallback family.

    Latin text keeps the platform's font; any character it lacks (all of Chinese on a machine with
    no CJK font) is drawn from WenQuanYi Micro Hei instead of as a box. Returns the families
    registered (empty, with an error logged, when the file is missing or unreadable).
    """
    if not path.is_file():
        log.error("bundled font %s is missing: Chinese may show as boxes", path)
        return []
    font_id = QFontDatabase.addApplicationFont(str(path))
    if font_id < 0:
        log.error("Qt cannot read the bundled font %s: Chinese may show as boxes", path)
        return []
    families = QFontDatabase.applicationFontFamilies(font_id)
    fallback = FONT_FAMILY if FONT_FAMILY in families else families[0]
    font = QApplication.font()
    primary = [family for family in font.families() or [font.family()] if family != fallback]
    font.setFamilies([*primary, fallback])
    QApplication.setFont(font)
    return list(families)


def create_application(argv: Sequence[str] | None = None, *, language: str = "zh_CN") -> QApplication:
    """The QApplication (made once per process), with the bundled font and the translators installed."""
    from crmdesk.views.i18n import install_translators

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName("crmdesk")
    app.setOrganizationName("crmdesk")
    if FONT_FAMILY not in QApplication.font().families():
        register_bundled_font()
    install_translators(app, language)
    return app


def create_main_window(services: Services, actor: Actor, settings: Settings | None = None) -> MainWindow:
    from crmdesk.settings import Settings
    from crmdesk.views.main_window import MainWindow

    if settings is None:
        # No settings given (benchmarks, tests): the defaults, kept in memory and never written.
        return MainWindow(services, actor, Settings(Path(os.devnull)), persist_settings=False)
    return MainWindow(services, actor, settings)


def database_error_message(error: Exception) -> str | None:
    """What to tell the user when the database file cannot be opened; None for anything else (a bug)."""
    from crmdesk.models.database import DatabaseDamagedError, DatabaseTooNewError

    translate = QCoreApplication.translate
    if isinstance(error, DatabaseTooNewError):
        return translate("app", "The database {path} was written by a newer version of crmdesk. Install the "
                                "newer version to open it; this version leaves the file untouched.").format(
            path=error.path)
    if isinstance(error, DatabaseDamagedError):
        return translate("app", "The database {path} is damaged and cannot be opened ({detail}). Restore it from "
                                "a backup (the backups folder beside it) or contact support.").format(
            path=error.path, detail=error.detail)
    return None


def open_database_or_explain(path: Path, *, interactive: bool) -> Database | None:
    """Open (and migrate) the database; on a known problem tell the user and return None. An encrypted book
    opens with the keychain's key, or the passphrase asked for (crmdesk.views.encryption_dialog)."""
    from crmdesk.models.database import (
        DatabaseDamagedError,
        DatabaseKeyError,
        DatabaseTooNewError,
        open_database,
    )
    from crmdesk.views.encryption_dialog import UnlockCancelled, key_at_start

    key = None
    try:
        key = key_at_start(path, interactive=interactive)
        return open_database(path, key=key)
    except UnlockCancelled:  # the passphrase dialog was quit (or, without a window, no key): nothing to tell
        return None
    except DatabaseKeyError as error:  # the key was checked a moment ago; the file changed meanwhile
        log.error("cannot open %s: %s", path, error)
        message = QCoreApplication.translate("app", "The database {path} is encrypted and the key or passphrase "
                                                    "does not open it.").format(path=path)
        if interactive:
            QMessageBox.critical(None, QCoreApplication.translate("app", "Cannot open the database"), message)
        else:
            print(f"crmdesk: {message}", file=sys.stderr)
        return None
    except (DatabaseTooNewError, DatabaseDamagedError) as error:
        message = database_error_message(error) or str(error)
        log.error("cannot open %s: %s", path, error)
        if interactive and isinstance(error, DatabaseDamagedError):
            # (a plain book calls it as before: tests stand in a two-argument offer_recovery)
            if not (offer_recovery(path, message, key=key) if key is not None else offer_recovery(path, message)):
                return None
            try:  # once more, on the restored or salvaged file; a second failure is told, not offered again
                return open_database(path, key=key)
            except (DatabaseTooNewError, DatabaseDamagedError) as again:
                log.error("cannot open %s after its recovery: %s", path, again)
                message = database_error_message(again) or str(again)
        if interactive:
            QMessageBox.critical(None, QCoreApplication.translate("app", "Cannot open the database"), message)
        else:
            print(f"crmdesk: {message}", file=sys.stderr)
        return None


def offer_recovery(path: Path, message: str, dialog_factory: Any = None, ask: Any = None, *,
                   key: str | None = None) -> bool:
    """A damaged file at start: offer the newest good backup, or a salvage of what can be read (its report
    shown before the salvaged file takes the damaged one's place; the damaged file is kept beside it).
    True when a good file is now in place. `dialog_factory` / `ask` stand in for the dialogs in tests.
    `key`: an encrypted book's (its backups are checked with it, its salvage is encrypted with it)."""
    from crmdesk.services import backups
    from crmdesk.services.errors import UserError
    from crmdesk.views.restore_dialog import DamagedDatabaseDialog, salvage_report

    translate = QCoreApplication.translate
    found = backups.newest_good_backup(path, key)
    dialog = (dialog_factory or DamagedDatabaseDialog)(message, found[0] if found else None)
    if not dialog.exec() or not dialog.choice:
        return False

    def question(text: str) -> bool:
        answer = QMessageBox.question(None, translate("app", "Salvage"), text)
        return answer == QMessageBox.StandardButton.Yes

    try:
        if dialog.choice == "restore" and found is not None:
            done = backups.restore_backup(path, found[0].path, key=key)
            log.warning("restored %s from %s", path, done.restored_from)
            return True
        result = backups.salvage(path, backups.salvaged_name(path), key=key)
        log.warning("salvaged %s into %s (complete: %s)", path, result.out_path, result.complete)
        if not (ask or question)(salvage_report(result) + "\n\n"
                                 + translate("app", "Use the salvaged file in place of the damaged one?")):
            return False
        backups.restore_backup(path, result.out_path, key=key)
        return True
    except UserError as error:
        QMessageBox.critical(None, translate("app", "Cannot open the database"), error.message)
        return False


def _log_to_file(log_path: Path) -> None:
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(log_path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError as error:
        print(f"crmdesk: cannot write the log {log_path}: {error}", file=sys.stderr)
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # it announces every plugin at each start


def _quiet_offscreen_messages() -> None:
    """An offscreen render (screenshots) has no window manager; Qt says so for every window. Drop that."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if message.startswith("This plugin does not support"):
            return
        level = logging.DEBUG if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg) else logging.WARNING
        logging.getLogger("qt").log(level, "%s", message)
        if level >= logging.WARNING:
            print(f"Qt: {message}", file=sys.stderr)

    qInstallMessageHandler(handler)


def run_app(
    db_path: Path | None = None,
    *,
    screenshot: Path | None = None,
    language: str | None = None,
    settings_path: Path | None = None,
) -> int:
    """Open the window (or, with `screenshot`, render it offscreen to a PNG and exit). Returns the exit code."""
    if screenshot is not None and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from crmdesk.models.database import default_database_path
    from crmdesk.services.registry import Services
    from crmdesk.settings import Settings
    from crmdesk.views.crash import default_log_path, install_crash_hook
    from crmdesk.views.sign_in_dialog import sign_in_at_start

    settings = Settings.load(settings_path)
    chosen = language or settings.language
    log_path = default_log_path()
    _log_to_file(log_path)
    if screenshot is not None and os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        _quiet_offscreen_messages()
    app = create_application(sys.argv[:1], language=chosen if chosen in ("zh_CN", "en") else "zh_CN")
    install_crash_hook(log_path)

    db = open_database_or_explain(db_path or default_database_path(), interactive=screenshot is None)
    if db is None:
        return 2
    try:
        actor = sign_in_at_start(db, interactive=screenshot is None)
        if actor is None:  # the sign-in was quit (0), or without a window no valid sign-in was given (2)
            return 0 if screenshot is None else 2
        window = create_main_window(Services(db), actor, settings)
        if screenshot is not None:
            window.resize(*SCREENSHOT_SIZE)
            window.show()
            app.processEvents()  # the first tab's first page is read when the tab is shown
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            partial = screenshot.with_name(screenshot.name + ".part")  # the PNG appears whole or not at all
            if not window.grab().save(str(partial), "PNG"):
                print(f"crmdesk: cannot write {screenshot}", file=sys.stderr)
                return 1
            partial.replace(screenshot)
            return 0  # not close(): a screenshot leaves the user's settings as they were
        window.show()
        window.start_startup_backup()
        return int(app.exec())
    finally:
        QThreadPool.globalInstance().waitForDone()  # lists still loading read the file being closed
        db.close()

