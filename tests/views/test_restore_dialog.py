"""备份与恢复: the list of backups, a backup now, a restore checked first (a damaged backup never restored),
and at start a damaged book replaced by its newest good backup or by what a salvage could read."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from crmdesk.app import offer_recovery
from crmdesk.models.database import DatabaseDamagedError, open_database
from crmdesk.services import backups
from crmdesk.services.registry import Services
from crmdesk.services.users import ensure_local_user
from crmdesk.views.restore_dialog import RestoreDialog


def _book(tmp_path: Path, names: tuple[str, ...]) -> Path:
    path = tmp_path / "book" / "crmdesk.sqlite3"
    db = open_database(path)
    services, actor = Services(db), ensure_local_user(db)
    for number, name in enumerate(names):
        services.leads.create(actor, {"name": name, "phone": f"1381234{number:04d}", "source": "walk_in"})
    db.close()
    return path


def _names(path: Path) -> list[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(row[0] for row in connection.execute("SELECT name FROM leads"))
    finally:
        connection.close()


def _add_lead(path: Path, name: str) -> None:
    db = open_database(path)
    Services(db).leads.create(ensure_local_user(db), {"name": name, "phone": "13900009999", "source": "web"})
    db.close()


def _garbage(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as stream:
        stream.seek(size // 2 // 4096 * 4096)
        stream.write(os.urandom(4096 * 4))


def test_back_up_now_then_restore_the_checked_backup(qtbot: QtBot, app: QApplication, tmp_path: Path) -> None:
    path = _book(tmp_path, ("张伟", "李娜"))
    closed: list[bool] = []
    dialog = RestoreDialog(path, lambda: closed.append(True), confirm=lambda _question: True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 0
    info = dialog.backup_now()
    assert info is not None and dialog.table.rowCount() == 1 and info.path.exists()
    _add_lead(path, "王芳")  # after the backup: the restore takes it away
    result = dialog.restore_selected()
    assert closed == [True] and result is not None and dialog.restored is result
    assert _names(path) == ["张伟", "李娜"]
    assert result.replaced and "王芳" in _names(result.replaced[0])  # the replaced file is kept beside it
    dialog.grab().save(str(tmp_path / "restore.png"))


def test_a_damaged_backup_is_never_restored(qtbot: QtBot, app: QApplication, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    path = _book(tmp_path, tuple(f"客户{number}" for number in range(300)))
    info = backups.backup_now(path, backups.MANUAL)
    _garbage(info.path)
    shown: list[str] = []
    monkeypatch.setattr("crmdesk.views.restore_dialog.show_user_error",
                        lambda _parent, error: shown.append(error.message))
    closed: list[bool] = []
    dialog = RestoreDialog(path, lambda: closed.append(True), confirm=lambda _question: True)
    qtbot.addWidget(dialog)
    assert dialog.restore_selected() is None
    assert shown and closed == [] and len(_names(path)) == 300
    assert dialog.table.item(0, 3).text() != ""  # the check's verdict is shown


class _Choose:
    """Stands in for DamagedDatabaseDialog: answers with a fixed choice."""

    def __init__(self, choice: str) -> None:
        self.choice = choice

    def __call__(self, _message: str, newest: Any) -> _Choose:
        self.newest = newest
        return self

    def exec(self) -> int:
        return 1


@pytest.mark.parametrize("choice", ["restore", "salvage"])
def test_a_damaged_book_at_start_is_replaced_by_a_good_file(app: QApplication, tmp_path: Path, choice: str) -> None:
    path = _book(tmp_path, tuple(f"客户{number}" for number in range(300)))
    backups.backup_now(path, backups.DAILY)
    with path.open("r+b") as stream:  # a copy cut off in its last page (an interrupted copy or sync)
        stream.truncate(path.stat().st_size - 1000)
    with pytest.raises(DatabaseDamagedError):
        open_database(path)
    chooser = _Choose(choice)
    asked: list[str] = []
    assert offer_recovery(path, "损坏", dialog_factory=chooser, ask=lambda text: asked.append(text) or True)
    assert chooser.newest is not None  # the newest good backup was offered
    db = open_database(path)  # a good file is in place and opens
    db.close()
    if choice == "restore":
        assert len(_names(path)) == 300 and asked == []
    else:
        assert asked and "crmdesk" in asked[0]  # the salvage report names the salvaged file before its use


def test_quitting_leaves_the_damaged_file_as_it_was(app: QApplication, tmp_path: Path) -> None:
    path = _book(tmp_path, ("张伟",))
    with path.open("r+b") as stream:
        stream.truncate(path.stat().st_size - 1000)
    before = path.read_bytes()
    assert not offer_recovery(path, "损坏", dialog_factory=_Choose(""))
    assert path.read_bytes() == before
