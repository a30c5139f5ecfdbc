"""`MainWindow`: the four list tabs, menus, the global search and the status bar."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QByteArray, Qt, QThreadPool, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from crmdesk import __version__
from crmdesk.services.duplicates import RecordRef
from crmdesk.services.exporter import ExportResult
from crmdesk.services.leads import Conversion
from crmdesk.services.registry import Services
from crmdesk.services.search import SearchHit
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views import sync_panel
from crmdesk.views.formatting import format_count
from crmdesk.views.global_search import GlobalSearchBox
from crmdesk.views.labels import ENTITY_KEYS, entity_name
from crmdesk.views.record_tab import RecordTab
from crmdesk.views.walk_in import WalkInDialog

if TYPE_CHECKING:  # the dialogs are imported when first opened: start-up does not pay for them
    from crmdesk.services.importer import ImportResult
    from crmdesk.views.duplicates import DuplicatesDialog
    from crmdesk.views.import_wizard import ImportWizard
    from crmdesk.views.lead_rules_page import LeadRulesDialog
    from crmdesk.views.merge_history import MergeHistoryDialog

log = logging.getLogger(__name__)
_Dialog = TypeVar("_Dialog", bound=QDialog)


class LazyPage(QWidget):
    """A tab that is not a list of records (today's follow-ups, the public pool, ...): its module is
    imported and its widget built the first time the tab is shown, so start-up does not pay for it.

    The page widget may have `activate()` (called each time the tab comes to the front), `refresh()`
    (F5 and changes made elsewhere), `status_text()` (the status bar's left text), `new_record()`
    (Ctrl+N), a `records_changed` signal (the other lists are re-read when it fires), a
    `status_changed` signal (the status bar reads status_text() again) and an `open_requested(entity, id)`
    signal (the record opens as from its list)."""

    def __init__(self, key: str, factory: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"{key}Page")
        self._factory = factory
        self._page: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def page(self) -> QWidget | None:
        """The page widget, or None while the tab was never shown."""
        return self._page

    def build(self) -> QWidget:
        if self._page is None:
            self._page = self._factory()
            self._layout.addWidget(self._page)
        return self._page

    def activate(self) -> None:
        page = self.build()
        if hasattr(page, "activate"):
            page.activate()

    def call(self, method: str, *args: Any) -> Any:
        """Call `method` of the built page if it has one; None otherwise."""
        page = self._page
        function = getattr(page, method, None) if page is not None else None
        return function(*args) if callable(function) else None


class MainWindow(QMainWindow):
    """One tab per kind of record; a tab's list is read only when the tab is first shown."""

    def __init__(self, services: Services, actor: Actor, settings: Settings, parent: QWidget | None = None,
                 *, persist_settings: bool = True) -> None:
        super().__init__(parent)
        self.persist_settings = persist_settings
        self.setObjectName("mainWindow")
        self.services = services
        self.actor = actor
        self.settings = settings
        self.setWindowTitle(self.tr("crmdesk — Sales CRM"))
        self.resize(1280, 800)

        self.tab_widget = QTabWidget(self)
        self.tab_widget.setObjectName("tabs")
        self.tab_widget.setDocumentMode(True)
        self.tabs: dict[str, RecordTab] = {}
        self.pages: dict[str, LazyPage] = {}  # the tabs that are not lists of records, by key
        self._switching = False  # show_tab is changing the current tab
        self.walk_in_dialog: WalkInDialog | None = None  # the walk-in registration open now, if any
        self.import_wizard: ImportWizard | None = None  # the import open now, if any
        self.duplicates_dialog: DuplicatesDialog | None = None  # the duplicates view open now, if any
        self.merge_history_dialog: MergeHistoryDialog | None = None  # the merge history open now, if any
        self.lead_rules_dialog: LeadRulesDialog | None = None  # the rules page open now, if any
        self.rules_report_dialog: QDialog | None = None  # the showroom rules report open now, if any
        self.audit_log_dialog: QDialog | None = None  # the audit log open now, if any
        self.users_dialog: QDialog | None = None  # users and permissions open now, if any
        self.change_password_dialog: QDialog | None = None  # the password change open now, if any
        for key in ENTITY_KEYS:
            tab = RecordTab(services, actor, key, settings, self.tab_widget)
            tab.count_changed.connect(self._on_count_changed)
            tab.records_changed.connect(self._on_records_changed)
            tab.record_converted.connect(self._on_converted)
            tab.export_started.connect(self._on_export_started)
            tab.export_finished.connect(self._on_export_finished)
            tab.duplicates_requested.connect(self.open_duplicates)
            self.tabs[key] = tab
            self.tab_widget.addTab(tab, entity_name(key))
        self._add_pages()
        self.setCentralWidget(self.tab_widget)
        self.startup_backup_result: Any = None  # the BackupInfo of today's start-up backup, once taken
        self.startup_backup_checked = False  # the check (and backup, if due) has finished
        self.book_damaged = False  # the start-up check found damage: no background maintenance writes to it
        QTimer.singleShot(0, self, self._start_reminders)  # follow-ups falling due: checked every minute

        self.global_search = GlobalSearchBox(services, actor, self)
        self.global_search.setMaximumWidth(360)
        self.global_search.hit_chosen.connect(self.open_hit)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.user_label = QLabel(self.tr("User: {name}").format(name=actor.display_name), self)
        self.user_label.setObjectName("userLabel")
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)
        self.role_label = QLabel(self._role_text(), self)  # beside the name: what this user may do is the role's
        self.role_label.setObjectName("roleLabel")
        self.statusBar().addPermanentWidget(self.role_label)
        # The hub sync: its status and 同步 button, the automatic sync when a hub is set (crmdesk.views.sync_panel).
        self.sync_controller: sync_panel.SyncController = sync_panel.mount_sync(self)

        self._build_menus()
        self._build_toolbar()
        self._restore_geometry()
        first = settings.last_tab if settings.last_tab in self.tabs or settings.last_tab in self.pages \
            else ENTITY_KEYS[0]
        self.show_tab(first)
        self.tab_widget.currentChanged.connect(self._on_tab_changed)

    # ---- menus ---------------------------------------------------------------------------
    def _action(self, text: str, slot: object, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        action.setObjectName(name)
        self.addAction(action)  # shortcuts work even while the menu bar is hidden
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.new_action = self._action(self.tr("&New"), self._new_record, QKeySequence.StandardKey.New, "newAction")
        self.refresh_action = self._action(self.tr("&Refresh"), self.refresh, "F5", "refreshAction")
        self.walk_in_action = self._action(self.tr("&Walk-in registration…"), self.open_walk_in,
                                           "Ctrl+Shift+N", "walkInAction")
        self.import_action = self._action(self.tr("&Import…"), self.open_import, None, "importAction")
        self.quit_action = self._action(self.tr("E&xit"), self.close, "Ctrl+Q", "quitAction")
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.walk_in_action)
        file_menu.addAction(self.refresh_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self._action(self.tr("&Backup and restore…"), self.open_backups, None,
                                         "backupRestoreAction"))
        self._build_security_actions(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addAction(self._action(self.tr("&Open record"), lambda: self._on_record_tab("edit_current"),
                                         "Ctrl+E", "editAction"))
        edit_menu.addAction(self._action(self.tr("&Delete record"), lambda: self._on_record_tab("delete_current"),
                                         None, "deleteAction"))
        edit_menu.addAction(self._action(self.tr("&Convert lead"), self._convert, None, "convertAction"))
        edit_menu.addAction(self._action(self.tr("&Log follow-up…"), self.log_activity, "Ctrl+L", "logActivityAction"))
        edit_menu.addSeparator()
        edit_menu.addAction(self._action(self.tr("&Find in list"), lambda: self._on_record_tab("focus_search"),
                                         QKeySequence.StandardKey.Find, "findAction"))
        edit_menu.addAction(self._action(self.tr("Search &everything"), self._focus_global_search,
                                         "Ctrl+Shift+F", "globalSearchAction"))

        view_menu = bar.addMenu(self.tr("&View"))
        for number, key in enumerate(ENTITY_KEYS, start=1):
            view_menu.addAction(self._action(entity_name(key), lambda _=False, k=key: self.show_tab(k),
                                             f"Ctrl+{number}", f"show_{key}"))
        view_menu.addSeparator()
        language_menu = view_menu.addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, label in (("zh_CN", "中文（简体）"), ("en", "English")):
            action = QAction(label, group)  # each language named in itself, never translated
            action.setCheckable(True)
            action.setChecked(self.settings.language == code)
            action.setObjectName(f"language_{code}")
            action.triggered.connect(lambda _=False, c=code: self.set_language(c))
            language_menu.addAction(action)
            self.language_actions[code] = action

        tools_menu = bar.addMenu(self.tr("&Tools"))
        tools_menu.addAction(self._action(self.tr("Lead r&ules: scoring, assignment, duplicates…"), self.open_lead_rules,
                                          None, "leadRulesAction"))
        tools_menu.addSeparator()
        tools_menu.addAction(self._action(self.tr("&Duplicates…"), lambda: self.open_duplicates(), "Ctrl+Shift+D",
                                          "duplicatesAction"))
        tools_menu.addAction(self._action(self.tr("Find duplicates of this &record"), self.find_duplicates_of_current,
                                          None, "recordDuplicatesAction"))
        tools_menu.addAction(self._action(self.tr("&Merge history…"), self.open_merge_history, None,
                                          "mergeHistoryAction"))
        tools_menu.addAction(self._action(self.tr("Showroom rules &report…"), self.open_rules_report, None,
                                          "rulesReportAction"))
        tools_menu.addSeparator()  # test drives and lost approvals (crmdesk.views.test_drive_dialog / lost_dialogs)
        tools_menu.addAction(self._action(self.tr("&Today's test drives…"), self.open_todays_test_drives, None,
                                          "todayTestDrivesAction"))
        tools_menu.addAction(self._action(self.tr("&Lost approvals…"), self.open_lost_approvals, "Ctrl+Shift+L",
                                          "lostApprovalsAction"))
        tools_menu.addAction(self._action(self.tr("&Stages…"), self.open_stages, None, "stagesAction"))
        tools_menu.addAction(self._action(self.tr("Sales &targets…"), self.open_targets, None, "targetsAction"))
        tools_menu.addAction(self._action(self.tr("&Company and discounts…"), self.open_company_settings, None,
                                          "companySettingsAction"))
        tools_menu.addAction(self._action(self.tr("Contract te&mplates…"), self.open_contract_templates, None,
                                          "contractTemplatesAction"))
        tools_menu.addSeparator()  # the team hub (crmdesk.views.sync_panel / conflicts_dialog)
        tools_menu.addAction(self._action(self.tr("&Sync now"), lambda: sync_panel.sync_now(self), "Ctrl+Shift+S",
                                          "syncNowAction"))
        tools_menu.addAction(self._action(self.tr("Sync &conflicts…"), lambda: sync_panel.open_conflicts(self), None,
                                          "conflictsAction"))
        tools_menu.addAction(self._action(self.tr("&Hub settings…"), lambda: sync_panel.open_hub_settings(self), None,
                                          "hubSettingsAction"))
        tools_menu.addSeparator()  # sign-in, roles and the audit log (crmdesk.views.users_dialog / audit_log_dialog)
        self.users_action = self._action(self.tr("&Users and permissions…"), self.open_users, None, "usersAction")
        self.audit_log_action = self._action(self.tr("&Audit log…"), self.open_audit_log, None, "auditLogAction")
        self._allow(self.users_action, self.actor.role == "admin")
        self._allow(self.audit_log_action, self.actor.role in ("admin", "manager"))
        tools_menu.addAction(self.users_action)
        tools_menu.addAction(self.audit_log_action)

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self._action(self.tr("&About crmdesk"), self.show_about, None, "aboutAction"))

    def _build_security_actions(self, file_menu: Any) -> None:
        """文件 › 修改密码… (only for a book with sign-in: the local desk user has no password) and 加密数据库…
        (administrators only, once the book has sign-in)."""
        from crmdesk.services.auth import sign_in_required

        with_sign_in = sign_in_required(self.services.db)
        self.change_password_action = self._action(self.tr("&Change password…"), self.open_change_password, None,
                                                   "changePasswordAction")
        self.encryption_action = self._action(self.tr("&Encrypt database…"), self.open_encryption, None,
                                              "encryptionAction")
        self._allow(self.change_password_action, with_sign_in)
        self._allow(self.encryption_action, not with_sign_in or self.actor.role == "admin")
        file_menu.addAction(self.change_password_action)
        file_menu.addAction(self.encryption_action)

    @staticmethod
    def _allow(action: QAction, allowed: bool) -> None:
        """An act this user may not do is neither shown nor reachable by its shortcut."""
        action.setEnabled(allowed)
        action.setVisible(allowed)

    def _role_text(self) -> str:
        from crmdesk.views.pool_page import role_name

        return self.tr("Role: {role}").format(role=role_name(self.actor.role))

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Toolbar"), self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_action.setIconText(self.tr("New"))  # the menu's text carries a mnemonic a button does not want
        self.refresh_action.setIconText(self.tr("Refresh"))
        toolbar.addAction(self.new_action)
        toolbar.addAction(self.refresh_action)
        spacer = QWidget(toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addWidget(self.global_search)
        self.addToolBar(toolbar)

    # ---- tabs ----------------------------------------------------------------------------
    def _add_pages(self) -> None:
        """The tabs beside the lists: each line names its key, title, place and widget class."""
        self.add_page("today", self.tr("Today"), "crmdesk.views.today_page", "TodayPage", index=0)
        self.add_page("pool", self.tr("Public pool"), "crmdesk.views.pool_page", "PoolPage",
                      index=self.tab_widget.indexOf(self.tabs["customer"]) + 1)
        self.add_page("board", self.tr("Board"), "crmdesk.views.pipeline_board", "PipelineBoard",
                      index=self.tab_widget.indexOf(self.tabs["opportunity"]) + 1)
        self.add_page("quotes", self.tr("Quotes"), "crmdesk.views.quotes_page", "QuotesPage",
                      index=self.tab_widget.indexOf(self.tabs["opportunity"]) + 2)
        self.add_page("contracts", self.tr("Contracts"), "crmdesk.views.contracts_page", "ContractsPage",
                      index=self.tab_widget.indexOf(self.tabs["opportunity"]) + 3)
        self.add_page("payments", self.tr("Payments"), "crmdesk.views.payments_page", "PaymentsPage",
                      index=self.tab_widget.indexOf(self.tabs["order"]) + 1)
        self.add_page("analytics", self.tr("Analytics"), "crmdesk.views.analytics_page", "AnalyticsPage")

    def _start_reminders(self) -> None:
        """A tray notification (or, with no tray, a status bar message) when a follow-up falls due."""
        from crmdesk.views.today_page import FollowupReminders

        self.reminders = FollowupReminders(self.services, self.actor, self)

    def log_activity(self) -> QDialog | None:
        """记录跟进 (Ctrl+L): a follow-up for the current row of a list, or from the page in front."""
        tab = self.current_tab()
        if tab is None:
            result: QDialog | None = self.pages[self.current_key()].call("log_activity")
            return result
        return tab.log_activity_current()

    def _start_pool_maintenance(self) -> None:
        """Warnings and the automatic reclaim of the public pool: now, then every hour."""
        from crmdesk.views.pool_page import PoolMaintenance

        if self.book_damaged:  # the hourly writes wait for a restored book (File › Backup and restore…)
            return
        self.pool_maintenance = PoolMaintenance(self.services, self.actor, self, first_ms=0)
        self.pool_maintenance.finished.connect(lambda result: self.refresh() if result.reclaimed or result.warned
                                               else None)

    def open_backups(self) -> QDialog:
        """备份与恢复: the book's backups; a restore closes the book, and the window then quits so that the
        next start reads the restored file."""
        from crmdesk.views.restore_dialog import RestoreDialog

        def close_database() -> None:
            QThreadPool.globalInstance().waitForDone()  # lists still reading the file
            self.services.db.close()

        dialog = RestoreDialog(self.services.db.path, close_database, self, key=self.services.db.key)
        dialog.accepted.connect(lambda: self._restored(dialog))
        return self._open_dialog("backups_dialog", dialog)

    def _restored(self, dialog: Any) -> None:
        if dialog.restored is None:
            return
        QMessageBox.information(self, self.tr("Backup and restore"), self.tr(
            "The backup is in place (the file it replaced is kept as {name}). crmdesk closes now; start it "
            "again to work on the restored book.").format(name=dialog.restored.replaced[0].name
                                                          if dialog.restored.replaced else "-"))
        self.close()

    def start_startup_backup(self) -> None:
        """After the window shows, off the GUI thread: every page of the book is checked, and an intact book
        gets the day's first backup (at most one a day, rotated; the online copy of a 20,000-lead book takes
        0.2-0.5 s). A damaged book is said at once, with the way to its backups."""
        from crmdesk.services.backups import check_and_back_up_at_start
        from crmdesk.views.background import BackgroundCaller

        path, key = self.services.db.path, self.services.db.key  # an encrypted book: checked and backed up with its key
        self.startup_backup_checked = False
        self._backup_caller = BackgroundCaller()
        self._backup_caller.finished.connect(self._startup_backup_done)
        self._backup_caller.start(lambda: check_and_back_up_at_start(path, key=key))

    def _startup_backup_done(self, _ticket: int, result: Any, error: BaseException | None) -> None:
        if error is not None:  # e.g. a full disk: said in the status bar and the log, the work goes on
            log.warning("the start-up check or backup failed: %s", error)
            self.statusBar().showMessage(self.tr("The start-up backup failed: {detail}").format(detail=error), 15000)
            self.startup_backup_result = None
        elif result.problem is not None:
            self.damage_warning = QMessageBox(QMessageBox.Icon.Warning, self.tr("The database is damaged"), self.tr(
                "Checking the book found damage ({detail}). Nothing was backed up today, so the good backups "
                "stay. Restore one in File › Backup and restore… (the damaged file is kept), or salvage it with "
                "crmdesk salvage.").format(detail=result.problem), QMessageBox.StandardButton.Ok, self)
            self.damage_warning.open()  # window-modal, not blocking: what is open stays open
            self.startup_backup_result = None
            self.book_damaged = True

        else:
            self.startup_backup_result = result.backup
            if result.backup is not None:
                log.info("start-up backup %s (%d bytes)", result.backup.path, result.backup.size)
        self.startup_backup_checked = True
        if not self.book_damaged:  # the public pool's maintenance: once the book is known sound, then hourly
            QTimer.singleShot(3000, self, self._start_pool_maintenance)

    def add_page(self, key: str, title: str, module: str, class_name: str, index: int | None = None) -> LazyPage:
        """A tab showing `module.class_name(services, actor, settings, parent)`, built when first shown."""

        def build() -> QWidget:
            page_class = getattr(importlib.import_module(module), class_name)
            page: QWidget = page_class(self.services, self.actor, self.settings, self.pages[key])
            changed = getattr(page, "records_changed", None)
            if changed is not None:
                changed.connect(lambda *_args: self._on_records_changed(key))
            opened = getattr(page, "open_requested", None)  # (entity, id): a record to open in its form
            if opened is not None:
                opened.connect(self.open_record)
            status = getattr(page, "status_changed", None)
            if status is not None:
                status.connect(lambda: self._show_count(key) if self.current_key() == key else None)
            return page

        lazy = LazyPage(key, build, self.tab_widget)
        self.pages[key] = lazy
        if index is None:
            self.tab_widget.addTab(lazy, title)
        else:
            self.tab_widget.insertTab(index, lazy, title)
        return lazy

    def page(self, key: str) -> QWidget:
        """The widget of a page tab (built now if it was never shown)."""
        return self.pages[key].build()

    def current_tab(self) -> RecordTab | None:
        """The list in front, or None while a page that is not a list (today, the pool, ...) is."""
        widget = self.tab_widget.currentWidget()
        return widget if isinstance(widget, RecordTab) else None

    def current_key(self) -> str:
        widget = self.tab_widget.currentWidget()
        if isinstance(widget, RecordTab):
            return widget.entity
        assert isinstance(widget, LazyPage)
        return widget.key

    def _on_record_tab(self, method: str) -> None:
        tab = self.current_tab()
        if tab is not None:
            getattr(tab, method)()
        elif method == "focus_search":
            self.pages[self.current_key()].call("focus_search")

    def _new_record(self) -> None:
        tab = self.current_tab()
        if tab is not None:
            tab.new_record()
        else:
            self.pages[self.current_key()].call("new_record")

    def show_tab(self, key: str) -> Any:
        """Bring a tab to the front, reading its list (or building its page) the first time."""
        tab: RecordTab | LazyPage = self.tabs[key] if key in self.tabs else self.pages[key]
        tab.activate()
        if self.tab_widget.currentWidget() is not tab:
            self._switching = True  # the tab bar's currentChanged must not activate the tab a second time
            try:
                self.tab_widget.setCurrentWidget(tab)
            finally:
                self._switching = False
        self._show_count(key)
        return tab if isinstance(tab, RecordTab) else tab.page()

    def _on_tab_changed(self, _index: int) -> None:
        if not self._switching:  # a click on the tab bar (show_tab is not already at work)
            self.show_tab(self.current_key())

    def refresh(self) -> None:
        for tab in self.tabs.values():
            if tab.is_loaded():
                tab.model.refresh()
        for page in self.pages.values():
            page.call("refresh")

    def _on_records_changed(self, entity: str) -> None:
        # A rename of a customer shows in deals and orders too: re-read the other lists already open.
        for key, tab in self.tabs.items():
            if key != entity and tab.is_loaded():
                tab.model.refresh()
        for key, page in self.pages.items():
            if key != entity:
                page.call("refresh")

    def _on_converted(self, conversion: object) -> None:
        if isinstance(conversion, Conversion):
            self.statusBar().showMessage(self.tr("Lead converted: customer and opportunity created."), 8000)

    # ---- status bar ----------------------------------------------------------------------
    def _on_export_started(self, _entity: str) -> None:
        self.statusBar().showMessage(self.tr("Exporting…"))

    def _on_export_finished(self, result: ExportResult) -> None:
        self.statusBar().showMessage(
            self.tr("{count} rows exported to {path}").format(count=format_count(result.rows), path=result.path), 15_000)

    def _on_count_changed(self, entity: str, _count: int) -> None:
        if entity == self.current_key():
            self._show_count(entity)

    def _show_count(self, entity: str) -> None:
        if entity in self.pages:
            self.count_label.setText(self.pages[entity].call("status_text") or "")
            return
        tab = self.tabs[entity]
        if not tab.is_loaded():
            self.count_label.clear()
            return
        if tab.model.is_loading():
            self.count_label.setText(self.tr("Searching…"))
            return
        count = format_count(tab.model.total)
        texts = {
            "lead": self.tr("{count} leads"),
            "customer": self.tr("{count} customers"),
            "opportunity": self.tr("{count} opportunities"),
            "order": self.tr("{count} orders"),
        }
        self.count_label.setText(texts[entity].format(count=count))

    # ---- actions -------------------------------------------------------------------------
    def _convert(self) -> None:
        self.show_tab("lead").convert_current()

    def open_walk_in(self) -> WalkInDialog:
        """The front desk's quick entry (Ctrl+Shift+N from anywhere in the window); one at a time."""
        if self.walk_in_dialog is not None:
            return self._bring_forward(self.walk_in_dialog)
        dialog = WalkInDialog(self.services, self.actor, self)
        dialog.accepted.connect(lambda: self._walk_in_saved(dialog))
        return self._open_dialog("walk_in_dialog", dialog)

    def _open_dialog(self, attribute: str, dialog: _Dialog) -> _Dialog:
        """Open `dialog` window-modal, deleted on close; `attribute` names it while it is open."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def forget(_result: int) -> None:
            if getattr(self, attribute) is dialog:  # not a newer one opened meanwhile
                setattr(self, attribute, None)

        dialog.finished.connect(forget)
        setattr(self, attribute, dialog)
        dialog.open()
        return dialog

    @staticmethod
    def _bring_forward(dialog: _Dialog) -> _Dialog:
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _walk_in_saved(self, dialog: WalkInDialog) -> None:
        if dialog.record is not None:
            self.show_tab("lead").show_record(dialog.record.id)
        else:  # a revisit: a lead's status or a customer's last follow-up changed
            self.refresh()

    def open_duplicates(self, record: RecordRef | None = None) -> DuplicatesDialog:
        """查重: candidate groups of the whole book (or of one record), merge and undo."""
        from crmdesk.views.duplicates import DuplicatesDialog

        dialog = DuplicatesDialog(self.services, self.actor, self, record=record)
        dialog.records_changed.connect(self.refresh)
        return self._open_dialog("duplicates_dialog", dialog)

    def open_merge_history(self) -> MergeHistoryDialog:
        """Every merge made, with undo of those that can still be undone; lists re-read after an undo."""
        from crmdesk.views.merge_history import MergeHistoryDialog

        dialog = MergeHistoryDialog(self.services, self.actor, self)
        dialog.records_changed.connect(self.refresh)
        return self._open_dialog("merge_history_dialog", dialog)

    def find_duplicates_of_current(self) -> DuplicatesDialog | None:
        """The lead or customer selected in the list, checked against the whole book."""
        tab = self.current_tab()
        record_id = tab.current_id() if tab is not None and tab.entity in ("lead", "customer") else None
        if record_id is None:
            self.statusBar().showMessage(self.tr("Select a lead or a customer first."), 8000)
            return None
        return self.open_duplicates(RecordRef(self.current_key(), record_id))

    def open_import(self) -> ImportWizard:
        """The import wizard, for the current tab's kind of record; one at a time."""
        if self.import_wizard is not None:
            return self._bring_forward(self.import_wizard)
        from crmdesk.views.import_wizard import ImportWizard, import_kind_for_tab

        wizard = ImportWizard(self.services, self.actor, self.settings, import_kind_for_tab(self.current_key()), self)
        wizard.import_finished.connect(self._on_imported)
        return self._open_dialog("import_wizard", wizard)

    def _on_imported(self, result: ImportResult) -> None:
        self.refresh()  # the current tab and every other list already read
        self.statusBar().showMessage(
            self.tr("{count} records imported").format(count=format_count(result.imported)), 15_000)

    def open_lead_rules(self) -> LeadRulesDialog:
        """The team's lead scoring, assignment and invalid-reason settings; leads re-read after a save."""
        from crmdesk.views.lead_rules_page import LeadRulesDialog

        dialog = LeadRulesDialog(self.services, self.actor, self)
        dialog.accepted.connect(self.refresh)
        return self._open_dialog("lead_rules_dialog", dialog)

    def open_rules_report(self) -> QDialog:
        """管理规则报告: the showroom rules per consultant; a record of the drill-down opens in its tab's way."""
        if self.rules_report_dialog is not None:
            return self._bring_forward(self.rules_report_dialog)
        from crmdesk.views.rules_report import RulesReportDialog

        dialog = RulesReportDialog(self.services, self.actor, self)
        dialog.record_requested.connect(self.open_record)
        return self._open_dialog("rules_report_dialog", dialog)

    def open_record(self, entity: str, record_id: str) -> QDialog | None:
        """Open a record as its list does (a customer in its 360° view)."""
        if entity not in self.tabs:
            return None
        opened: QDialog | None = self.show_tab(entity).open_record(record_id)
        return opened

    def open_todays_test_drives(self) -> QDialog:
        """今日试驾: today's bookings and the cars out, with check-out and return; lists re-read after each."""
        from crmdesk.views.test_drive_dialog import TodayTestDrivesDialog

        dialog = TodayTestDrivesDialog(self.services, self.actor, self)
        dialog.records_changed.connect(self.refresh)
        return self._open_dialog("today_test_drives_dialog", dialog)

    def open_lost_approvals(self) -> QDialog:
        """战败审批 (Ctrl+Shift+L): the lost requests waiting for a manager; lists re-read after a decision."""
        from crmdesk.views.lost_dialogs import LostApprovalsDialog

        dialog = LostApprovalsDialog(self.services, self.actor, self)
        dialog.records_changed.connect(self.refresh)
        return self._open_dialog("lost_approvals_dialog", dialog)

    def open_stages(self) -> QDialog:
        """阶段设置 (managers): each pipeline's stages; the lists and the board re-read after a save."""
        from crmdesk.views.stages_dialog import StagesDialog

        dialog = StagesDialog(self.services, self.actor, self)
        dialog.accepted.connect(self.refresh)
        return self._open_dialog("stages_dialog", dialog)

    def open_targets(self) -> QDialog:
        """目标设置 (managers): the targets the forecast's gap and the KPIs' achievement are read against."""
        from crmdesk.views.targets_dialog import TargetsDialog

        dialog = TargetsDialog(self.services, self.actor, self)
        dialog.finished.connect(lambda _result: self.refresh())
        return self._open_dialog("targets_dialog", dialog)

    def open_company_settings(self) -> QDialog:
        """公司与折扣设置: the letterhead the PDFs print and each role's discount limit."""
        from crmdesk.views.company_settings_dialog import CompanySettingsDialog

        return self._open_dialog("company_settings_dialog", CompanySettingsDialog(self.services, self.actor, self))

    def open_contract_templates(self) -> QDialog:
        """合同模板: the contract texts with their placeholders and versions (managers edit, others read)."""
        from crmdesk.views.contract_templates_dialog import ContractTemplatesDialog

        return self._open_dialog("contract_templates_dialog", ContractTemplatesDialog(self.services, self.actor, self))

    def open_change_password(self) -> QDialog:
        """文件 › 修改密码…: the signed-in user's own password."""
        if self.change_password_dialog is not None:
            return self._bring_forward(self.change_password_dialog)
        from crmdesk.views.sign_in_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.services.db, self.actor, self)
        dialog.accepted.connect(lambda: self.statusBar().showMessage(self.tr("Your password is changed."), 8000))
        return self._open_dialog("change_password_dialog", dialog)

    def open_encryption(self) -> QDialog:
        """文件 › 加密数据库…: encrypt the book or turn its encryption off (crmdesk.views.encryption_dialog)."""
        from crmdesk.views.encryption_dialog import open_encryption_dialog

        return open_encryption_dialog(self)

    def open_users(self) -> QDialog:
        """工具 › 用户与权限… (administrators): users, the roles' permissions and the tokens."""
        if self.users_dialog is not None:
            return self._bring_forward(self.users_dialog)
        from crmdesk.views.users_dialog import UsersDialog

        return self._open_dialog("users_dialog", UsersDialog(self.services, self.actor, self))

    def open_audit_log(self) -> QDialog:
        """工具 › 审计日志… (administrators and managers): who did what to which record."""
        if self.audit_log_dialog is not None:
            return self._bring_forward(self.audit_log_dialog)
        from crmdesk.views.audit_log_dialog import AuditLogDialog

        return self._open_dialog("audit_log_dialog", AuditLogDialog(self.services, self.actor, self))

    def _focus_global_search(self) -> None:
        self.global_search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.global_search.selectAll()

    def open_hit(self, hit: SearchHit) -> None:
        """Open the record a global search hit names (a contact opens its customer)."""
        entity, record_id = hit.entity, hit.id
        if entity == "contact" and hit.customer_id:
            entity, record_id = "customer", hit.customer_id
        if entity in self.tabs:
            self.show_tab(entity).open_record(record_id)

    def set_language(self, language: str) -> None:
        if language == self.settings.language:
            return
        self.settings.language = "en" if language == "en" else "zh_CN"
        self._save_settings()
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Language"),
                          self.tr("The new language is used from the next start of crmdesk."),
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("About crmdesk"),
                          self.tr("crmdesk {version}\nAn offline-first sales CRM: leads, customers, "
                                  "opportunities and orders.").format(version=__version__),
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ---- window state --------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode("ascii")))
        if self.settings.window_state:
            self.restoreState(QByteArray.fromBase64(self.settings.window_state.encode("ascii")))

    def save_state(self) -> None:
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        self.settings.window_state = bytes(self.saveState().toBase64().data()).decode("ascii")
        self.settings.last_tab = self.current_key()
        for tab in self.tabs.values():
            tab.save_state()

    def _save_settings(self) -> None:
        if not self.persist_settings:
            return
        try:
            self.settings.save()
        except OSError as error:  # a full disk or a read-only profile must not stop the window closing
            log.error("cannot save settings to %s: %s", self.settings.path, error)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.import_wizard is not None and self.import_wizard.is_running():
            answer = QMessageBox.question(
                self, self.tr("Import running"),
                self.tr("An import is still running. Stop it and close crmdesk? Nothing of the stopped import "
                        "is kept."),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.import_wizard.reject()  # cancels; the rows are rolled back before the file is closed
        self.save_state()
        self._save_settings()
        super().closeEvent(event)
