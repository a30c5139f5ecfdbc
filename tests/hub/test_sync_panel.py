"""The sync panel and the conflicts dialog against a real hub: two desks (two book files) sync through the
test PostgreSQL with the 同步 button, progress arrives, a conflict made on both desks is resolved in the dialog
and the value kept travels to the other desk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.models.database import Database, open_database
from crmdesk.services import hub, hub_credentials, sync
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.conflicts_dialog import CONFLICT_ROLE, ConflictsDialog
from crmdesk.views.main_window import MainWindow
from crmdesk.views.sync_panel import SyncController, SyncStatusWidget

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise|grabbing the keyboard)")


@pytest.fixture
def app_en(qapp: QApplication) -> QApplication:
    """The application in English (a test before may have left the Chinese catalog installed)."""
    from crmdesk.app import create_application

    return create_application([], language="en")


@pytest.fixture
def desk_url(hub_url: str, actor: Actor) -> str:
    """A hub with the schema and a login "boss" for the desk's administrator; the URL a desk connects with."""
    hub.init_hub(hub_url)
    hub.add_hub_user(hub_url, "boss", None, user_id=actor.user_id, role="admin", team_id=None, scope="all")
    return hub.libpq_url(hub_url).replace("crmdesk_admin@", "boss@")


@pytest.fixture
def other_db(tmp_path: Path) -> Iterator[Database]:
    """The second desk's book, a file of its own."""
    database = open_database(tmp_path / "other.sqlite3")
    yield database
    QThreadPool.globalInstance().waitForDone(10_000)
    database.close()


def _desk(qtbot: QtBot, db: Database, url: str) -> tuple[SyncController, SyncStatusWidget]:
    hub_credentials.set_hub_url(db, url)
    controller = SyncController(db)
    widget = SyncStatusWidget(controller)
    qtbot.addWidget(widget)
    widget.show()
    return controller, widget


def _click_sync(qtbot: QtBot, controller: SyncController, widget: SyncStatusWidget) -> sync.SyncResult:
    with qtbot.waitSignal(controller.finished, timeout=30_000) as blocker:
        widget.sync_button.click()
        assert controller.is_running() and not widget.sync_button.isEnabled()  # the sync runs off the GUI thread
    assert widget.sync_button.isEnabled()
    result = blocker.args[0]
    assert isinstance(result, sync.SyncResult)
    return result


def test_the_sync_button_syncs_two_desks_through_the_hub(app_en: QApplication, qtbot: QtBot, db: Database,
                                                         services: Services, actor: Actor, other_db: Database,
                                                         desk_url: str) -> None:
    customer = services.customers.create(actor, {"name": "张伟", "phone": "13812345678", "city": "杭州市"})
    first, first_widget = _desk(qtbot, db, desk_url)
    assert sync.sync_status(db).pending > 0 and "To upload 0" not in first_widget.text_label.text()
    progress: list[tuple[str, int, int]] = []
    first.progress.connect(lambda phase, done, total: progress.append((phase, done, total)))
    result = _click_sync(qtbot, first, first_widget)
    assert result.pushed > 0
    assert {phase for phase, _done, _total in progress} == {"push", "pull"}  # progress came while it ran
    assert sync.sync_status(db).pending == 0
    text = first_widget.text_label.text()
    assert f"Last sync {datetime.now().astimezone():%H:}" in text and "To upload 0" in text
    assert first_widget.state_label.text() == "Online" and first.online is True

    second, second_widget = _desk(qtbot, other_db, desk_url)
    assert second_widget.text_label.text().startswith("Never synced")
    result = _click_sync(qtbot, second, second_widget)
    assert result.pulled > 0
    assert Services(other_db).customers.get(actor, customer.id)["name"] == "张伟"
    assert "To upload 0" in second_widget.text_label.text() and second_widget.state_label.text() == "Online"
    # The sync keeps the address as host/database: the book still knows its login.
    assert hub_credentials.hub_url(other_db) == desk_url


def test_a_conflict_made_on_two_desks_is_resolved_in_the_dialog_and_syncs(
        app_en: QApplication, qtbot: QtBot, db: Database, services: Services, actor: Actor, other_db: Database,
        desk_url: str) -> None:
    customer = services.customers.create(actor, {"name": "张伟", "phone": "13812345678"})
    first, first_widget = _desk(qtbot, db, desk_url)
    second, second_widget = _desk(qtbot, other_db, desk_url)
    other = Services(other_db)
    _click_sync(qtbot, first, first_widget)
    _click_sync(qtbot, second, second_widget)
    services.customers.update(actor, customer.id, {"name": "张伟（一店）"})
    other.customers.update(actor, customer.id, {"name": "张伟（二店）"})  # later: the rule keeps this one
    _click_sync(qtbot, first, first_widget)
    result = _click_sync(qtbot, second, second_widget)
    assert result.conflicts == 1
    assert second_widget.conflicts_button.text() == "Conflicts 1" and second_widget.conflicts_button.isVisible()
    _click_sync(qtbot, first, first_widget)
    assert services.customers.get(actor, customer.id)["name"] == "张伟（二店）"

    dialog = ConflictsDialog(other, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    model = dialog.model
    assert model.rowCount() == 1
    cells = [model.index(0, column).data() for column in range(model.columnCount())]
    assert cells[:5] == ["Customer: 张伟（二店）", "Customer name", "张伟（二店）", "张伟（一店）", actor.display_name]
    assert dialog.keep_other_button.isEnabled()
    dialog.keep_other_button.click()
    assert other.customers.get(actor, customer.id)["name"] == "张伟（一店）"
    assert model.rowCount() == 0 and dialog.empty_label.isVisible() and not dialog.keep_other_button.isEnabled()
    dialog.show_resolved.setChecked(True)
    assert model.rowCount() == 1 and model.index(0, model.COLUMNS.index("state")).data() == "Other value kept"
    assert model.index(0, 0).data(CONFLICT_ROLE).resolution == "other"

    second_widget.refresh()
    assert not second_widget.conflicts_button.isVisible()
    _click_sync(qtbot, second, second_widget)  # the value kept is this desk's new edit: the later one
    _click_sync(qtbot, first, first_widget)
    assert services.customers.get(actor, customer.id)["name"] == "张伟（一店）"


def test_the_window_rereads_its_lists_after_a_sync_that_pulled(app_en: QApplication, qtbot: QtBot, db: Database,
                                                               services: Services, actor: Actor,
                                                               other_db: Database, desk_url: str,
                                                               tmp_path: Path) -> None:
    first, first_widget = _desk(qtbot, db, desk_url)
    _click_sync(qtbot, first, first_widget)
    hub_credentials.set_hub_url(other_db, desk_url)
    window = MainWindow(Services(other_db), actor, Settings(tmp_path / "settings.json"), persist_settings=False)
    qtbot.addWidget(window)
    window.show()
    assert window.sync_controller.timer.isActive()  # a hub is set: the automatic sync runs
    tab = window.show_tab("customer")
    qtbot.waitUntil(lambda: not tab.model.is_loading(), timeout=10_000)
    assert tab.model.rowCount() == 0
    services.customers.create(actor, {"name": "陈静", "phone": "13600003333"})
    _click_sync(qtbot, first, first_widget)
    with qtbot.waitSignal(window.sync_controller.finished, timeout=30_000):
        status = window.statusBar().findChild(SyncStatusWidget, "syncStatus")
        assert isinstance(status, SyncStatusWidget)
        status.sync_button.click()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10_000)
