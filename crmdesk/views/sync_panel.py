"""Sync with the team hub from the window: `SyncController` (runs crmdesk.services.sync off the GUI thread,
now and every N minutes), `SyncStatusWidget` (the status bar's 上次同步 · 待上传 · 冲突, online or offline, and
the 同步 button), `HubSettingsDialog` (address, login, password in the keychain, auto-sync) and `mount_sync`,
which puts them in the main window."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services import hub as hub_service
from crmdesk.services import hub_credentials, sync
from crmdesk.services.errors import UserError
from crmdesk.services.registry import Database
from crmdesk.views.background import BackgroundCaller
from crmdesk.views.errors import show_user_error

if TYPE_CHECKING:
    from crmdesk.views.conflicts_dialog import ConflictsDialog
    from crmdesk.views.main_window import MainWindow

log = logging.getLogger(__name__)
STATUS_REFRESH_MS = 30_000  # the pending count follows the user's edits this often
_ERROR_STYLE = "color: #c5221f;"
_OFFLINE_STYLE = "color: #b3261e; font-weight: bold;"
_ONLINE_STYLE = "color: #188038; font-weight: bold;"


class _ProgressRelay(QObject):
    """Carries sync's progress callback from the pool thread to the GUI thread (a queued signal)."""

    progress = Signal(str, int, int)

    def report(self, phase: str, done: int, total: int) -> None:
        self.progress.emit(phase, done, total)


class SyncController(QObject):
    """One book's syncs: at most one at a time, on the thread pool; `started`, `progress(phase, done, total)`,
    then `finished(SyncResult)` or `failed(message)` arrive on the GUI thread. `online` is None before the
    first attempt, then whether the last attempt reached the hub."""

    started = Signal()
    progress = Signal(str, int, int)
    finished = Signal(object)
    failed = Signal(str)
    state_changed = Signal()  # running, online or the hub changed: the status shows them again

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.online: bool | None = None
        self.last_error = ""
        self.last_result: sync.SyncResult | None = None
        self.manual = False  # the running sync was asked for by the user (a failure may show a box)
        self._ticket: int | None = None
        self._caller = BackgroundCaller()
        self._caller.finished.connect(self._on_done)
        self._relay = _ProgressRelay()
        self._relay.progress.connect(self._on_progress)
        self.status_widget: SyncStatusWidget | None = None  # the status bar's, once mounted
        self.conflicts_dialog: ConflictsDialog | None = None  # the conflicts open now, if any
        self.settings_dialog: HubSettingsDialog | None = None  # the hub settings open now, if any
        self.timer = QTimer(self)
        self.timer.setObjectName("autoSyncTimer")
        self.timer.timeout.connect(self.sync_automatically)

    def hub_url(self) -> str | None:
        return hub_credentials.hub_url(self.db)

    def is_running(self) -> bool:
        return self._ticket is not None

    def apply_auto_sync(self) -> None:
        """(Re)start the timer from the book's setting: every N minutes while a hub is set, off for 0."""
        minutes = hub_credentials.auto_sync_minutes(self.db)
        if minutes > 0 and self.hub_url():
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()
        self.state_changed.emit()

    def sync_automatically(self) -> bool:
        """The timer's sync: skipped while one runs or when no hub is set."""
        if self.is_running() or not self.hub_url():
            return False
        return self.sync_now(manual=False)

    def sync_now(self, *, manual: bool = True) -> bool:
        """Start a sync; False when one is running already or no hub is set (then `failed` says so)."""
        if self.is_running():
            return False
        url = self.hub_url()
        if not url:
            self.online = False
            self.last_error = self.tr("No hub is set up: enter its address in Tools › Hub settings.")
            self.state_changed.emit()
            self.failed.emit(self.last_error)
            return False
        password = hub_credentials.load_password(url)
        db, relay = self.db, self._relay
        self.manual = manual
        self._ticket = self._caller.start(lambda: sync.sync(db, url, password, progress=relay.report))
        self.started.emit()
        self.state_changed.emit()
        return True

    def _on_progress(self, phase: str, done: int, total: int) -> None:
        if self.is_running():
            self.progress.emit(phase, done, total)

    def _on_done(self, ticket: int, result: Any, error: BaseException | None) -> None:
        if ticket != self._ticket:
            return
        self._ticket = None
        if error is not None:
            self.online = False
            if not isinstance(error, UserError):
                self.last_error = self.tr("The sync stopped on an unexpected error.")
                self.state_changed.emit()
                self.failed.emit(self.last_error)
                raise error  # a bug: the crash hook reports it
            self.last_error = error.message
            self.state_changed.emit()
            self.failed.emit(error.message)
            return
        self.online = True
        self.last_error = ""
        self.last_result = result
        self.state_changed.emit()
        self.finished.emit(result)


def _time_text(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone()
    if local.date() == datetime.now().astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


class SyncStatusWidget(QWidget):
    """The status bar's sync part: online/offline, "Last sync 14:05 · To upload 3 · Conflicts 1", a progress
    bar while a sync runs and the Sync button (disabled meanwhile)."""

    conflicts_requested = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.controller = controller
        self.status: sync.SyncStatus | None = None
        self.state_label = QLabel(self)
        self.state_label.setObjectName("syncStateLabel")
        self.text_label = QLabel(self)
        self.text_label.setObjectName("syncStatusLabel")
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setMaximumWidth(520)
        self.text_label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("syncProgress")
        self.progress_bar.setMaximumWidth(120)
        self.progress_bar.setMaximumHeight(14)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        self.conflicts_button = QPushButton(self)
        self.conflicts_button.setObjectName("syncConflictsButton")
        self.conflicts_button.setFlat(True)
        self.conflicts_button.setStyleSheet("QPushButton { color: #b3261e; text-decoration: underline; border: none; "
                                            "padding: 0 4px; }")
        self.conflicts_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.conflicts_button.clicked.connect(self.conflicts_requested)
        self.conflicts_button.hide()
        self.sync_button = QPushButton(self.tr("Sync"), self)
        self.sync_button.setObjectName("syncButton")
        self.sync_button.setToolTip(self.tr("Send this desk's changes to the hub and fetch the others' (Ctrl+Shift+S)"))
        self.sync_button.clicked.connect(lambda: controller.sync_now(manual=True))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 0, 0, 0)  # apart from the user and role beside it
        layout.setSpacing(6)
        layout.addStretch(1)  # room to spare stays on the left: the parts keep together by the button
        for widget in (self.state_label, self.text_label, self.conflicts_button, self.progress_bar,
                       self.sync_button):
            layout.addWidget(widget)
        controller.state_changed.connect(self.refresh)
        controller.progress.connect(self._on_progress)
        controller.started.connect(self._on_started)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.timeout.connect(self.refresh)
        self.refresh_timer.start(STATUS_REFRESH_MS)
        self.refresh()

    def _on_started(self) -> None:
        self.progress_bar.setRange(0, 0)  # busy until the first batch says how many
        self.progress_bar.show()
        self.refresh()

    def _on_progress(self, phase: str, done: int, total: int) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
        else:
            self.progress_bar.setRange(0, 0)
        words = self.tr("Uploading {done}/{total}…") if phase == "push" else self.tr("Downloading {done}/{total}…")
        self.text_label.setText(words.format(done=done, total=total or "?"))

    def summary_text(self) -> str:
        """"Last sync 14:05 · To upload 3 · Conflicts 1" for the book as it is now."""
        status = self.status
        if status is None:
            return ""
        parts = [self.tr("Last sync {time}").format(time=_time_text(status.last_sync_at))
                 if status.last_sync_at else self.tr("Never synced")]
        parts.append(self.tr("To upload {count}").format(count=status.pending))
        return " · ".join(parts)

    def refresh(self) -> None:
        controller = self.controller
        try:
            self.status = sync.sync_status(controller.db)
        except Exception as error:  # the book closing under the timer: the next refresh tries again
            log.debug("sync status not read: %s", error)
            return
        running = controller.is_running()
        hub = controller.hub_url()
        self.sync_button.setEnabled(not running)
        if not running:
            self.progress_bar.hide()
        online = bool(hub) and controller.online is not False
        if running:
            self.state_label.setText(self.tr("Syncing…"))
            self.state_label.setStyleSheet("")
            self.text_label.setStyleSheet("")
        elif not hub:  # a desk that works alone: nothing is wrong, it just has no team hub (yet)
            self.state_label.setText(self.tr("Standalone"))
            self.state_label.setStyleSheet("")
        elif online:
            self.state_label.setText(self.tr("Online"))
            self.state_label.setStyleSheet(_ONLINE_STYLE)
        else:
            self.state_label.setText(self.tr("Offline"))
            self.state_label.setStyleSheet(_OFFLINE_STYLE)
        if not hub:
            self.state_label.setToolTip(self.tr("No hub is set up: enter its address in Tools › Hub settings."))
        else:
            self.state_label.setToolTip(hub)
        if not running:
            text = self.summary_text()
            if controller.last_error:
                text = f"{text} · {controller.last_error}" if text else controller.last_error
            self.text_label.setText(self._elided(text))
            self.text_label.setToolTip(text)
            self.text_label.setStyleSheet(_ERROR_STYLE if controller.last_error else "")
        conflicts = self.status.open_conflicts
        self.conflicts_button.setVisible(conflicts > 0)
        self.conflicts_button.setText(self.tr("Conflicts {count}").format(count=conflicts))

    def _elided(self, text: str) -> str:
        return self.text_label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight,
                                                        self.text_label.maximumWidth())


class HubSettingsDialog(QDialog):
    """工具 › 同步服务器设置: the hub's address, the login, its password (kept in the keychain) and the minutes
    between automatic syncs; "Test connection" tries them without saving. Errors show in the dialog."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hubSettingsDialog")
        self.setWindowTitle(self.tr("Hub settings"))
        self.db = db
        self._ticket: int | None = None
        self._caller = BackgroundCaller()
        self._caller.finished.connect(self._on_tested)
        current = hub_credentials.hub_url(db)
        address, login = hub_credentials.split_login(current) if current else ("", "")
        self.address_edit = QLineEdit(address, self)
        self.address_edit.setObjectName("hubAddressEdit")
        self.address_edit.setPlaceholderText("postgresql://hub.example.com:5432/crmdesk")
        self.address_edit.setMinimumWidth(380)
        self.login_edit = QLineEdit(login, self)
        self.login_edit.setObjectName("hubLoginEdit")
        self.login_edit.setPlaceholderText(self.tr("e.g. wanglei"))
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("hubPasswordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        saved = current is not None and hub_credentials.load_password(current) is not None
        self.password_edit.setPlaceholderText(self.tr("Kept in the keychain; type to change")
                                              if saved else self.tr("None needed, or type it"))
        self.auto_spin = QSpinBox(self)
        self.auto_spin.setObjectName("autoSyncSpin")
        self.auto_spin.setRange(0, hub_credentials.MAX_AUTO_SYNC_MINUTES)
        self.auto_spin.setSuffix(self.tr(" min"))
        self.auto_spin.setSpecialValueText(self.tr("Off"))
        self.auto_spin.setValue(hub_credentials.auto_sync_minutes(db))
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.test_button.setObjectName("testConnectionButton")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self.test_connection)
        self.test_label = QLabel(self)
        self.test_label.setObjectName("hubTestLabel")
        self.test_label.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("hubErrorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.hide()
        hint = QLabel(self.tr("The password is kept in this computer's keychain, never in the book or the "
                              "settings."), self)
        hint.setObjectName("hubPasswordHint")
        hint.setWordWrap(True)
        hint.setProperty("role", "info")
        hint.setStyleSheet("color: #5f6368;")

        form = QFormLayout()
        form.addRow(self.tr("Hub &address:"), self.address_edit)
        form.addRow(self.tr("&Login:"), self.login_edit)
        form.addRow(self.tr("&Password:"), self.password_edit)
        form.addRow("", hint)
        form.addRow(self.tr("Sync &every:"), self.auto_spin)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_label, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.setObjectName("hubSettingsButtons")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(test_row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _typed(self) -> tuple[str, str | None]:
        """(the URL typed, without a password; the password typed or in the URL, None if neither)."""
        address = self.address_edit.text().strip()
        if not address:
            raise hub_service.HubError(self.tr("Enter the hub's address, e.g. postgresql://hub.example.com/crmdesk."))
        url, in_url = hub_credentials.split_password(address)
        url = hub_credentials.with_login(url, self.login_edit.text())
        typed = self.password_edit.text()
        return url, typed or in_url

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def is_testing(self) -> bool:
        return self._ticket is not None

    def test_connection(self) -> None:
        """Connect to the hub with what is typed (off the GUI thread) and close again; the answer shows below."""
        self._show_error("")
        try:
            url, password = self._typed()
        except UserError as error:
            self._show_error(error.message)
            return
        if password is None:
            password = hub_credentials.load_password(url)
        self.test_button.setEnabled(False)
        self.test_label.setStyleSheet("")
        self.test_label.setText(self.tr("Connecting…"))

        def work() -> bool:
            connection = hub_service.connect(url, password, timeout=5)
            try:
                return hub_service.hub_revision(connection) is not None
            finally:
                connection.close()

        self._ticket = self._caller.start(work)

    def _on_tested(self, ticket: int, result: Any, error: BaseException | None) -> None:
        if ticket != self._ticket:
            return
        self._ticket = None
        self.test_button.setEnabled(True)
        if error is not None:
            self.test_label.clear()
            if not isinstance(error, UserError):
                raise error  # a bug: the crash hook reports it
            self._show_error(error.message)
            return
        if result:
            self.test_label.setStyleSheet(_ONLINE_STYLE)
            self.test_label.setText(self.tr("Connected: the hub answers."))
        else:
            self.test_label.setStyleSheet(_ERROR_STYLE)
            self.test_label.setText(self.tr("Connected, but this database is not a crmdesk hub yet."))

    def save(self) -> None:
        self._show_error("")
        try:
            url, password = self._typed()
            hub_credentials.set_hub_url(self.db, url)
            if password is not None:
                hub_credentials.save_password(url, password)
            hub_credentials.set_auto_sync_minutes(self.db, self.auto_spin.value())
        except UserError as error:
            self._show_error(error.message)
            return
        self.accept()


def mount_sync(window: MainWindow) -> SyncController:
    """The sync parts of the main window: the controller, its status widget (permanent, in the status bar),
    the lists re-read after a sync that pulled anything, and the automatic sync when a hub is set."""
    controller = SyncController(window.services.db, window)
    controller.setObjectName("syncController")
    widget = SyncStatusWidget(controller, window)
    window.statusBar().addPermanentWidget(widget)
    controller.status_widget = widget

    def on_finished(result: sync.SyncResult) -> None:
        if result.pulled or result.lost or result.conflicts:
            window.refresh()
        window.statusBar().showMessage(
            QCoreApplication.translate("SyncController", "Synced: {pushed} sent, {pulled} received, {conflicts} "
                                       "conflicts.").format(
                pushed=result.pushed, pulled=result.pulled, conflicts=result.conflicts), 8000)

    def on_failed(message: str) -> None:
        if controller.manual:  # asked for now: said plainly; an automatic one only in the status text
            controller.manual = False
            show_user_error(window, UserError(message))

    controller.finished.connect(on_finished)
    controller.failed.connect(on_failed)
    widget.conflicts_requested.connect(lambda: open_conflicts(window))
    controller.apply_auto_sync()
    return controller


def sync_now(window: MainWindow) -> bool:
    controller = window.sync_controller
    if controller.is_running():
        return False
    if not controller.hub_url():
        open_hub_settings(window)
        return False
    return controller.sync_now(manual=True)


def open_conflicts(window: MainWindow) -> ConflictsDialog:
    """工具 › 同步冲突…: the open conflicts; the lists and the status re-read after one is resolved."""
    from crmdesk.views.conflicts_dialog import ConflictsDialog

    controller = window.sync_controller
    existing = controller.conflicts_dialog
    if existing is not None:
        existing.raise_()
        existing.activateWindow()
        return existing
    dialog = ConflictsDialog(window.services, window.actor, window)
    dialog.records_changed.connect(window.refresh)
    dialog.records_changed.connect(controller.state_changed)
    controller.finished.connect(dialog.reload)
    _keep_open(controller, "conflicts_dialog", dialog)
    return dialog


def open_hub_settings(window: MainWindow) -> HubSettingsDialog:
    """工具 › 同步服务器设置…: saved, the automatic sync follows the new address and minutes."""
    controller = window.sync_controller
    if controller.settings_dialog is not None:
        controller.settings_dialog.raise_()
        return controller.settings_dialog
    dialog = HubSettingsDialog(window.services.db, window)

    def saved() -> None:
        controller.online = None
        controller.last_error = ""
        controller.apply_auto_sync()

    dialog.accepted.connect(saved)
    _keep_open(controller, "settings_dialog", dialog)
    return dialog


def _keep_open(controller: SyncController, attribute: str, dialog: QDialog) -> None:
    """Open `dialog` window-modal, deleted on close; the controller's `attribute` names it while it is open."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def forget(_result: int) -> None:
        if getattr(controller, attribute) is dialog:
            setattr(controller, attribute, None)

    dialog.finished.connect(forget)
    setattr(controller, attribute, dialog)
    dialog.open()
