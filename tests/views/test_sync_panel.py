"""The sync panel without a hub to reach: offline states and their messages, the automatic sync's timer, and
the hub settings dialog (password to the keychain, inline errors, the connection test). Syncs that reach a
real hub are in tests/hub/test_sync_panel.py."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from crmdesk.models.database import Database
from crmdesk.services import hub, hub_credentials
from crmdesk.views.sync_panel import HubSettingsDialog, SyncController, SyncStatusWidget


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def panel(qtbot: QtBot, db: Database) -> tuple[SyncController, SyncStatusWidget]:
    controller = SyncController(db)
    widget = SyncStatusWidget(controller)
    qtbot.addWidget(widget)
    widget.show()
    return controller, widget


def test_without_a_hub_the_desk_works_standalone_and_says_how_to_set_one(app_en: QApplication, qtbot: QtBot,
                                                                   panel: tuple[SyncController, SyncStatusWidget]
                                                                   ) -> None:
    controller, widget = panel
    assert widget.state_label.text() == "Standalone" and "Hub settings" in widget.state_label.toolTip()
    assert widget.state_label.styleSheet() == ""  # not an alarm: the desk just has no team hub
    assert widget.text_label.text() == "Never synced · To upload 0"
    with qtbot.waitSignal(controller.failed, timeout=1_000) as blocker:
        assert not controller.sync_now()
    assert "No hub is set up" in blocker.args[0] and "No hub is set up" in widget.text_label.toolTip()
    assert not controller.timer.isActive()


def test_an_unreachable_hub_shows_offline_and_the_reason_while_the_window_stays_responsive(
        app_en: QApplication, qtbot: QtBot, db: Database, panel: tuple[SyncController, SyncStatusWidget],
        monkeypatch: pytest.MonkeyPatch) -> None:
    controller, widget = panel
    hub_credentials.set_hub_url(db, f"postgresql://boss@127.0.0.1:{_closed_port()}/crmdesk")
    real_connect = hub.connect

    def slow_connect(url: str, password: str | None = None, **options: Any) -> Any:
        time.sleep(0.3)  # a hub far away: the refusal takes a moment, long enough to see the window tick
        return real_connect(url, password, **options)

    monkeypatch.setattr(hub, "connect", slow_connect)
    widget.refresh()
    assert widget.state_label.text() == "Online"  # not tried yet
    ticks: list[int] = []
    beat = QTimer()
    beat.timeout.connect(lambda: ticks.append(1))
    beat.start(5)
    with qtbot.waitSignal(controller.failed, timeout=20_000) as blocker:
        widget.sync_button.click()
        assert controller.is_running() and not widget.sync_button.isEnabled()
        assert widget.state_label.text() == "Syncing…" and widget.progress_bar.isVisible()
    beat.stop()
    assert "cannot be reached" in blocker.args[0]
    assert widget.state_label.text() == "Offline" and controller.online is False
    assert "cannot be reached" in widget.text_label.toolTip()
    assert widget.sync_button.isEnabled() and not widget.progress_bar.isVisible()
    assert ticks  # the event loop ran while the sync tried
    assert QApplication.activeModalWidget() is None  # the panel alone shows no box


def test_the_automatic_sync_runs_every_n_minutes_only_with_a_hub(app_en: QApplication, db: Database,
                                                                 panel: tuple[SyncController, SyncStatusWidget]
                                                                 ) -> None:
    controller, _widget = panel
    controller.apply_auto_sync()
    assert not controller.timer.isActive()  # no hub set
    assert not controller.sync_automatically()
    hub_credentials.set_hub_url(db, f"postgresql://boss@127.0.0.1:{_closed_port()}/crmdesk")
    controller.apply_auto_sync()
    assert controller.timer.isActive() and controller.timer.interval() == 10 * 60_000  # the default
    hub_credentials.set_auto_sync_minutes(db, 3)
    controller.apply_auto_sync()
    assert controller.timer.interval() == 3 * 60_000
    hub_credentials.set_auto_sync_minutes(db, 0)
    controller.apply_auto_sync()
    assert not controller.timer.isActive()


def test_an_automatic_sync_is_skipped_while_one_runs(app_en: QApplication, qtbot: QtBot, db: Database,
                                                    panel: tuple[SyncController, SyncStatusWidget]) -> None:
    controller, _widget = panel
    hub_credentials.set_hub_url(db, f"postgresql://boss@127.0.0.1:{_closed_port()}/crmdesk")
    with qtbot.waitSignal(controller.failed, timeout=20_000):
        assert controller.sync_now(manual=False)
        assert not controller.sync_automatically() and not controller.sync_now()
    assert not controller.manual


def test_hub_settings_split_the_password_into_the_keychain(app_en: QApplication, qtbot: QtBot, db: Database,
                                                           keychain: object, tmp_path: Path) -> None:
    dialog = HubSettingsDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.address_edit.text() == "" and dialog.auto_spin.value() == 10
    dialog.address_edit.setText("postgresql://wanglei:s3cret-pw@hub.example.com:5433/crmdesk")
    dialog.auto_spin.setValue(5)
    dialog.save()
    assert dialog.result() == QDialog.DialogCode.Accepted
    url = "postgresql://wanglei@hub.example.com:5433/crmdesk"
    assert hub_credentials.hub_url(db) == url and hub_credentials.load_password(url) == "s3cret-pw"
    assert hub_credentials.auto_sync_minutes(db) == 5

    again = HubSettingsDialog(db)
    qtbot.addWidget(again)
    assert again.address_edit.text() == "postgresql://hub.example.com:5433/crmdesk"
    assert again.login_edit.text() == "wanglei" and again.password_edit.text() == ""
    assert again.password_edit.placeholderText().startswith("Kept in the keychain")
    again.login_edit.setText("lina")
    again.password_edit.setText("another-pw")
    again.save()
    lina = "postgresql://lina@hub.example.com:5433/crmdesk"
    assert hub_credentials.hub_url(db) == lina and hub_credentials.load_password(lina) == "another-pw"
    assert hub_credentials.load_password(url) == "s3cret-pw"  # wanglei's stays his


def test_hub_settings_show_errors_in_the_dialog(app_en: QApplication, qtbot: QtBot, db: Database,
                                                keychain: object) -> None:
    dialog = HubSettingsDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save()
    assert dialog.error_label.isVisible() and "Enter the hub's address" in dialog.error_label.text()
    dialog.address_edit.setText("mysql://hub.example.com/crmdesk")
    dialog.save()
    assert dialog.isVisible() and "postgresql://" in dialog.error_label.text()
    assert hub_credentials.hub_url(db) is None

    dialog.address_edit.setText(f"postgresql://127.0.0.1:{_closed_port()}/crmdesk")
    dialog.login_edit.setText("boss")
    dialog.test_button.click()
    assert dialog.is_testing() and not dialog.test_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.is_testing(), timeout=20_000)
    assert dialog.error_label.isVisible() and "cannot be reached" in dialog.error_label.text()
    assert dialog.test_button.isEnabled() and hub_credentials.hub_url(db) is None  # a test saves nothing
