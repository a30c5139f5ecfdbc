"""文件 › 备份与恢复…: the book's backups (time, kind, size), a backup now, and a restore that checks the
backup first; and, at start, what to do with a damaged file (restore the newest good backup or salvage)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services import backups
from crmdesk.services.errors import UserError
from crmdesk.views.errors import show_user_error


def _size_text(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(size, 1) / 1024:.0f} KB"


class RestoreDialog(QDialog):
    """The backups of the open book, newest first. Restoring needs the book closed: `close_database` is
    called first (the window quits afterwards, so it starts again on the restored file). `key`: an encrypted
    book's (its backups are made, checked and restored with it)."""

    def __init__(self, db_path: Path, close_database: Callable[[], None], parent: QWidget | None = None,
                 confirm: Callable[[str], bool] | None = None, *, key: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle(self.tr("Backup and restore"))
        self.db_path, self.close_database, self.key = db_path, close_database, key
        self.confirm = confirm or self._ask
        self.restored: backups.RestoreResult | None = None
        self.note = QLabel(self.tr("Backups are kept in {folder}: one at the first start of each day (7 kept), "
                                   "one a week (4 kept), one before every upgrade, and those made here (10 kept)."
                                   ).format(folder=backups.backups_folder(db_path)), self)
        self.note.setWordWrap(True)
        self.table = QTableWidget(self)
        self.table.setObjectName("backupsTable")
        self.table.setColumnCount(4)
        self.table.setHorizontalHeaderLabels([self.tr("Taken at"), self.tr("Kind"), self.tr("Size"),
                                              self.tr("Check")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel(self)
        self.status.setObjectName("restoreStatus")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for name, title, slot in (("backupNowButton", self.tr("Back up now"), self.backup_now),
                                  ("checkButton", self.tr("Check"), self.check_selected),
                                  ("restoreButton", self.tr("Restore…"), self.restore_selected),
                                  ("closeButton", self.tr("Close"), self.reject)):
            button = QPushButton(title, self)
            button.setObjectName(name)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())
            buttons.addWidget(button)
            if name == "restoreButton":
                buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(640, 420)
        self.load()

    def _kind_title(self, kind: str) -> str:
        return {backups.DAILY: self.tr("Daily"), backups.WEEKLY: self.tr("Weekly"), backups.MANUAL: self.tr("Manual"),
                backups.BEFORE_MIGRATION: self.tr("Before an upgrade")}.get(kind, kind)

    def load(self) -> None:
        self.backups = backups.list_backups(self.db_path)
        self.table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            for column, text in enumerate((f"{info.taken_at.astimezone():%Y-%m-%d %H:%M}",
                                           self._kind_title(info.kind), _size_text(info.size), "")):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        if self.backups:
            self.table.selectRow(0)

    def selected(self) -> backups.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def backup_now(self) -> backups.BackupInfo | None:
        try:
            info = backups.backup_now(self.db_path, backups.MANUAL, key=self.key)
        except (UserError, OSError) as error:
            show_user_error(self, error if isinstance(error, UserError) else UserError(str(error)))
            return None
        self.load()
        self.status.setText(self.tr("Backed up to {path}.").format(path=info.path.name))
        return info

    def check_selected(self) -> backups.BackupCheck | None:
        info = self.selected()
        if info is None:
            return None
        check = backups.check_backup(info.path, self.key)
        row = self.backups.index(info)
        item = self.table.item(row, 3)
        assert item is not None
        item.setText(self.tr("Good") if check.ok else self.tr("Damaged"))
        item.setForeground(Qt.GlobalColor.darkGreen if check.ok else Qt.GlobalColor.red)
        self.status.setText(check.message)
        return check

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Restore"), question)
        return answer == QMessageBox.StandardButton.Yes

    def restore_selected(self) -> backups.RestoreResult | None:
        """Check the backup, ask, close the book and put the backup in its place (the file it replaces is kept
        beside it). A backup that fails its check is never restored."""
        info = self.selected()
        check = self.check_selected()
        if info is None or check is None:
            return None
        if not check.ok:
            show_user_error(self, UserError(check.message))
            return None
        if not self.confirm(self.tr("Replace the book with the backup of {time}? Changes made since then are not "
                                    "in it; the current file is kept beside it.").format(
                                        time=f"{info.taken_at.astimezone():%Y-%m-%d %H:%M}")):
            return None
        self.close_database()
        try:
            self.restored = backups.restore_backup(self.db_path, info.path, key=self.key)
        except UserError as error:
            show_user_error(self, error)
            return None
        self.accept()
        return self.restored


class DamagedDatabaseDialog(QDialog):
    """At start, for a file that cannot be read: restore the newest good backup, salvage what can be read,
    or quit. `choice` is "restore", "salvage" or "" (quit)."""

    def __init__(self, message: str, newest: backups.BackupInfo | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("damagedDatabaseDialog")
        self.setWindowTitle(self.tr("The database is damaged"))
        self.choice = ""
        text = QLabel(message, self)
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        buttons = QHBoxLayout()
        if newest is not None:
            restore = QPushButton(self.tr("Restore the backup of {time}").format(
                time=f"{newest.taken_at.astimezone():%Y-%m-%d %H:%M}"), self)
            restore.setObjectName("restoreNewestButton")
            restore.clicked.connect(lambda: self._choose("restore"))
            buttons.addWidget(restore)
        else:
            layout.addWidget(QLabel(self.tr("There is no good backup to restore."), self))
        salvage = QPushButton(self.tr("Salvage what can be read"), self)
        salvage.setObjectName("salvageButton")
        salvage.clicked.connect(lambda: self._choose("salvage"))
        buttons.addWidget(salvage)
        buttons.addStretch(1)
        leave = QPushButton(self.tr("Quit"), self)
        leave.setObjectName("quitButton")
        leave.clicked.connect(self.reject)
        buttons.addWidget(leave)
        layout.addLayout(buttons)
        self.resize(560, 200)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def salvage_report(result: backups.SalvageResult) -> str:
    """What a salvage kept and lost, table by table, for the message shown before the salvaged file is used."""
    from PySide6.QtCore import QCoreApplication

    translate = QCoreApplication.translate
    lines = [translate("salvage", "Recovered into {path}:").format(path=result.out_path.name)]
    for table in result.tables:
        if table.lost:
            lines.append(translate("salvage", "{table}: {kept} rows kept, {lost} lost").format(
                table=table.table, kept=table.recovered, lost=table.lost))
        elif table.lost is None and table.error:
            lines.append(translate("salvage", "{table}: {kept} rows kept, the rest unreadable").format(
                table=table.table, kept=table.recovered))
    for name in result.unreadable_tables:
        lines.append(translate("salvage", "{table}: nothing could be read").format(table=name))
    if result.complete:
        lines.append(translate("salvage", "Nothing was lost."))
    return "\n".join(lines)


__all__ = ["DamagedDatabaseDialog", "RestoreDialog", "salvage_report"]
