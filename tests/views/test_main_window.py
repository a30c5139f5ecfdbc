"""MainWindow: lazy tabs, the status bar, menus and shortcuts, language switch, global search, settings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.main_window import MainWindow
from crmdesk.views.record_form import RecordDialog


@pytest.fixture
def window(app: QApplication, qtbot: QtBot, services: Services, actor: Actor, settings: Settings,
           book: dict[str, str]) -> MainWindow:
    window = MainWindow(services, actor, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_tabs_are_keyed_and_only_the_first_is_read_at_start(window: MainWindow) -> None:
    assert list(window.tabs) == ["lead", "customer", "opportunity", "order"]
    assert [window.tab_widget.tabText(window.tab_widget.indexOf(tab)) for tab in window.tabs.values()] == [
        "线索", "客户", "商机", "订单"]
    assert window.tab_widget.tabText(0) == "今日" and window.pages["today"].page() is None  # first, built when shown
    assert [key for key, tab in window.tabs.items() if tab.is_loaded()] == ["lead"]
    tab = window.show_tab("order")
    assert window.tab_widget.currentWidget() is tab and tab.is_loaded() and tab.model.rowCount() == 1
    assert not window.tabs["customer"].is_loaded()
    window.tab_widget.setCurrentIndex(window.tab_widget.indexOf(window.tabs["customer"]))  # clicking a tab reads it too
    assert window.tabs["customer"].is_loaded()


def test_status_bar_shows_the_count_of_the_current_tab_and_the_user(window: MainWindow, actor: Actor,
                                                                   qtbot: QtBot) -> None:
    assert window.count_label.text() == "共 4 条线索"
    assert window.user_label.text() == f"当前用户：{actor.display_name}"
    window.show_tab("customer")
    assert window.count_label.text() == "共 2 个客户"
    with qtbot.waitSignal(window.tabs["customer"].model.loaded, timeout=5_000):
        window.tabs["customer"].model.set_search("陈静")
        assert window.count_label.text() == "正在查找…"
    assert window.count_label.text() == "共 1 个客户"


def test_menus_and_shortcuts(window: MainWindow) -> None:
    assert [action.text() for action in window.menuBar().actions()] == ["文件(&F)", "编辑(&E)", "视图(&V)", "工具(&T)",
                                                                        "帮助(&H)"]
    assert window.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.refresh_action.shortcut() == QKeySequence("F5")
    assert window.quit_action.shortcut() == QKeySequence("Ctrl+Q")
    window.new_action.trigger()
    dialog = window.tabs["lead"].dialog
    assert isinstance(dialog, RecordDialog) and dialog.isVisible() and dialog.entity == "lead"
    dialog.reject()


def test_ctrl_f_focuses_the_search_box_of_the_current_tab(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    window.show_tab("customer")
    tab = window.tabs["customer"]
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus)
    qtbot.keyClick(tab.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.search_box.hasFocus()


def test_refresh_rereads_the_open_lists(window: MainWindow, services: Services, actor: Actor) -> None:
    services.leads.create(actor, {"name": "孙丽", "phone": "13311112222"})
    assert window.tabs["lead"].model.rowCount() == 4
    window.refresh_action.trigger()
    assert window.tabs["lead"].model.rowCount() == 5 and window.count_label.text() == "共 5 条线索"


def test_language_switch_is_stored_in_the_settings(window: MainWindow, settings: Settings, qtbot: QtBot) -> None:
    assert window.language_actions["zh_CN"].isChecked()
    window.language_actions["en"].trigger()
    assert settings.language == "en"
    assert json.loads(settings.path.read_text(encoding="utf-8"))["language"] == "en"
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert [box.text() for box in boxes] == ["新的语言将在下次启动 crmdesk 时生效。"]
    boxes[0].close()


def test_global_search_opens_the_record(window: MainWindow, qtbot: QtBot, book: dict[str, str]) -> None:
    window.global_search.setText("zw")
    hits = window.global_search.run_search()
    assert [(hit.entity, hit.title) for hit in hits] == [("lead", "张伟")]
    model = window.global_search.hits
    assert model.rowCount() == 1 and "张伟" in model.index(0, 0).data() and "[线索]" in model.index(0, 0).data()
    completer = window.global_search.popup_completer
    completer.activated[type(model.index(0, 0))].emit(model.index(0, 0))  # type: ignore[index]
    dialog = window.tabs["lead"].dialog
    assert isinstance(dialog, RecordDialog) and dialog.record_id == book["zhangwei"]
    assert dialog.windowTitle() == "线索：张伟"
    dialog.reject()
    window.global_search.setText("苏州群英")
    assert [hit.entity for hit in window.global_search.run_search()] == ["customer", "opportunity"]
    window.global_search.setText("qqqqqqqq")
    assert window.global_search.run_search() == [] and window.global_search.hits.index(0, 0).data() == "没有找到"


def test_closing_saves_geometry_tab_and_columns(window: MainWindow, settings: Settings) -> None:
    window.show_tab("customer")
    window.tabs["customer"].view.setColumnWidth(0, 250)
    window.close()
    saved = json.loads(settings.path.read_text(encoding="utf-8"))
    assert saved["last_tab"] == "customer"
    assert saved["column_widths"]["customers"]["name"] == 250
    assert saved["window_geometry"] and "phone" in saved["visible_columns"]["customers"]
    reopened = Settings.load(settings.path)
    assert reopened.last_tab == "customer"


def test_the_window_reopens_on_the_last_tab(app: QApplication, qtbot: QtBot, services: Services, actor: Actor,
                                            settings: Settings) -> None:
    settings.last_tab = "opportunity"
    window = MainWindow(services, actor, settings)
    qtbot.addWidget(window)
    assert window.current_key() == "opportunity"
    assert [key for key, tab in window.tabs.items() if tab.is_loaded()] == ["opportunity"]


def test_building_the_window_imports_no_charts_or_pdf_library(tmp_path: Path) -> None:
    """Start-up stays light: pyqtgraph and reportlab are imported on first use, never at start."""
    script = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from pathlib import Path\n"
        "from crmdesk.app import create_application, create_main_window\n"
        "from crmdesk.models.database import open_database\n"
        "from crmdesk.services.registry import Services\n"
        "from crmdesk.services.users import ensure_local_user\n"
        "app = create_application([])\n"
        f"db = open_database(Path({str(tmp_path / 'light.sqlite3')!r}))\n"
        "window = create_main_window(Services(db), ensure_local_user(db))\n"
        "window.show(); app.processEvents()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pyqtgraph', 'reportlab'}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]"


def test_the_start_up_backup_is_taken_off_the_gui_thread_once_a_day(window: MainWindow, qtbot: QtBot,
                                                                    services: Services) -> None:
    from crmdesk.services.backups import list_backups

    window.start_startup_backup()
    qtbot.waitUntil(lambda: window.startup_backup_checked, timeout=10_000)
    taken = list_backups(services.db.path)
    assert window.startup_backup_result is not None
    assert [backup.path for backup in taken] == [window.startup_backup_result.path]
    window.start_startup_backup()  # a second start the same day takes none
    qtbot.waitUntil(lambda: window.startup_backup_checked, timeout=10_000)
    assert window.startup_backup_result is None and len(list_backups(services.db.path)) == 1


def test_a_damaged_page_found_after_start_is_said_and_not_backed_up(window: MainWindow, qtbot: QtBot,
                                                                     services: Services, actor: Actor) -> None:
    import os

    from crmdesk.services.backups import list_backups

    for number in range(400):  # enough rows for pages beyond the schema's
        services.customers.create(actor, {"name": f"客户{number}", "phone": f"1371234{number:04d}"})
    services.db.close()
    path = services.db.path
    with path.open("r+b") as stream:
        stream.seek(path.stat().st_size // 2 // 4096 * 4096)
        stream.write(os.urandom(4096 * 8))
    window.start_startup_backup()
    qtbot.waitUntil(lambda: window.startup_backup_checked, timeout=10_000)
    text = window.damage_warning.text()
    assert window.damage_warning.isVisible() and ("damage" in text or "损坏" in text)
    assert list_backups(path) == []  # the damage is not copied into a backup
    assert window.book_damaged
    window._start_pool_maintenance()  # its 3 s timer firing now: the damaged book gets no maintenance
    assert not hasattr(window, "pool_maintenance")
    window.damage_warning.close()


# ---- sign-in, users and the audit log in the menus (crmdesk.views.sign_in_dialog / users_dialog) ----
def _signed_in_window(qtbot: QtBot, services: Services, settings: Settings, role: str) -> MainWindow:
    from crmdesk.services import auth

    admin = auth.create_first_admin(services.db, "boss", "correct-horse-7", "老板")
    actor = admin
    if role != "admin":
        auth.add_user(services.db, admin, "someone", "王芳", role, "first-pass-1")
        actor = auth.sign_in(services.db, "someone", "first-pass-1")
    window = MainWindow(services, actor, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _menu_of(window: MainWindow, position: int) -> list[str]:
    from PySide6.QtWidgets import QMenu

    menu = window.menuBar().actions()[position].menu()
    assert isinstance(menu, QMenu)
    return [action.objectName() for action in menu.actions() if action.isVisible() and not action.isSeparator()]


def test_a_desk_without_sign_in_has_no_password_to_change(window: MainWindow) -> None:
    file_items = _menu_of(window, 0)
    assert file_items[file_items.index("backupRestoreAction") + 1] == "encryptionAction"
    assert "changePasswordAction" not in file_items and not window.change_password_action.isEnabled()
    assert _menu_of(window, 3)[-2:] == ["usersAction", "auditLogAction"]  # the local desk user is an administrator
    assert window.role_label.text().endswith("管理员")


def test_the_administrator_opens_users_and_the_audit_log_once_each(app: QApplication, qtbot: QtBot,
                                                                  services: Services, settings: Settings) -> None:
    from crmdesk.views.audit_log_dialog import AuditLogDialog
    from crmdesk.views.sign_in_dialog import ChangePasswordDialog
    from crmdesk.views.users_dialog import UsersDialog

    window = _signed_in_window(qtbot, services, settings, "admin")
    file_items = _menu_of(window, 0)
    assert file_items[file_items.index("backupRestoreAction") + 1:][:2] == ["changePasswordAction", "encryptionAction"]
    window.users_action.trigger()
    users = window.users_dialog
    assert isinstance(users, UsersDialog) and users.isVisible() and users.users_table.rowCount() == 1
    window.users_action.trigger()
    assert window.users_dialog is users  # brought forward, not a second one
    users.reject()
    assert window.users_dialog is None
    window.audit_log_action.trigger()
    log_dialog = window.audit_log_dialog
    assert isinstance(log_dialog, AuditLogDialog) and log_dialog.isVisible()
    qtbot.waitUntil(lambda: not log_dialog.is_loading(), timeout=10_000)
    log_dialog.reject()
    window.change_password_action.trigger()
    change = window.change_password_dialog
    assert isinstance(change, ChangePasswordDialog) and change.isVisible() and not change.forced
    change.reject()


@pytest.mark.parametrize(("role", "audit"), [("consultant", False), ("manager", True)])
def test_a_signed_in_user_sees_only_the_tools_of_their_role(app: QApplication, qtbot: QtBot, services: Services,
                                                            settings: Settings, role: str, audit: bool) -> None:
    window = _signed_in_window(qtbot, services, settings, role)
    tools = _menu_of(window, 3)
    assert "usersAction" not in tools and not window.users_action.isEnabled()
    assert ("auditLogAction" in tools) is audit and window.audit_log_action.isEnabled() is audit
    file_items = _menu_of(window, 0)
    assert "changePasswordAction" in file_items and "encryptionAction" not in file_items
    assert window.user_label.text() == "当前用户：王芳"
    assert window.role_label.text().endswith("销售经理" if role == "manager" else "销售顾问")


def test_the_pool_maintenance_starts_once_the_book_is_checked_sound(window: MainWindow, qtbot: QtBot) -> None:
    assert not hasattr(window, "pool_maintenance")  # not before the start-up check
    window.start_startup_backup()
    qtbot.waitUntil(lambda: window.startup_backup_checked, timeout=10_000)
    assert not window.book_damaged
    qtbot.waitUntil(lambda: hasattr(window, "pool_maintenance"), timeout=10_000)
    window.pool_maintenance.timer.stop()
    qtbot.waitUntil(lambda: not window.pool_maintenance._running, timeout=10_000)


def test_the_sync_actions_and_status_are_in_the_window(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtGui import QAction

    from crmdesk.views.conflicts_dialog import ConflictsDialog
    from crmdesk.views.sync_panel import HubSettingsDialog, SyncStatusWidget

    tools = _menu_of(window, 3)
    first = tools.index("syncNowAction")
    assert tools[first:first + 3] == ["syncNowAction", "conflictsAction", "hubSettingsAction"]
    sync_now = window.findChild(QAction, "syncNowAction")
    assert isinstance(sync_now, QAction) and sync_now.shortcut() == QKeySequence("Ctrl+Shift+S")
    status = window.statusBar().findChild(SyncStatusWidget, "syncStatus")
    assert isinstance(status, SyncStatusWidget) and status.isVisible()
    assert not window.sync_controller.timer.isActive()  # no hub set: no automatic sync
    sync_now.trigger()  # no hub yet: its settings open instead
    settings_dialog = window.sync_controller.settings_dialog
    assert isinstance(settings_dialog, HubSettingsDialog) and settings_dialog.isVisible()
    settings_dialog.reject()
    assert window.sync_controller.settings_dialog is None
    conflicts = window.findChild(QAction, "conflictsAction")
    assert isinstance(conflicts, QAction)
    conflicts.trigger()
    dialog = window.sync_controller.conflicts_dialog
    assert isinstance(dialog, ConflictsDialog) and dialog.isVisible() and dialog.model.rowCount() == 0
    dialog.reject()


def test_a_manual_sync_that_fails_says_why_in_a_box(app: QApplication, qtbot: QtBot, services: Services,
                                                    actor: Actor, settings: Settings, keychain: object) -> None:
    import socket

    from PySide6.QtGui import QAction

    from crmdesk.services import hub_credentials

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    hub_credentials.set_hub_url(services.db, f"postgresql://boss@127.0.0.1:{port}/crmdesk")
    window = MainWindow(services, actor, settings)
    qtbot.addWidget(window)
    window.show()
    controller = window.sync_controller
    assert controller.timer.isActive() and controller.timer.interval() == 10 * 60_000  # a hub: auto-sync on
    sync_now = window.findChild(QAction, "syncNowAction")
    assert isinstance(sync_now, QAction)
    with qtbot.waitSignal(controller.failed, timeout=20_000):
        sync_now.trigger()
    box = window.findChild(QMessageBox, "userErrorBox")
    assert isinstance(box, QMessageBox) and box.isVisible() and str(port) in box.text()
    box.reject()
    with qtbot.waitSignal(controller.failed, timeout=20_000):
        controller.sync_automatically()  # an automatic one only says it in the status bar
    assert all(not found.isVisible() for found in window.findChildren(QMessageBox, "userErrorBox"))
