"""阶段设置: each pipeline's stages in a table (names, win probability, order, won / lost), for managers.

A rejected save keeps every edit, marks the cells named by the ValidationError and lists each problem.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.i18n import current_language
from crmdesk.services import lost, pipelines
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.errors import show_user_error

COLUMNS = ("code", "name_zh", "name_en", "probability", "is_won", "is_lost")
ERROR_BRUSH = QBrush(QColor("#fde2e1"))
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class StagesTable(QWidget):
    """One pipeline's stages, in order, with buttons to add, remove and move a stage."""

    def __init__(self, pipeline_code: str, stages: list[Any], editable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pipeline_code = pipeline_code
        self.setObjectName(f"stages_{pipeline_code}")
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("stagesTable")
        self.table.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Name (Chinese)"), self.tr("Name (English)"),
                                              self.tr("Probability %"), self.tr("Won"), self.tr("Lost")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        if not editable:
            self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add stage"), self)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.up_button = QPushButton(self.tr("Move up"), self)
        self.down_button = QPushButton(self.tr("Move down"), self)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setEnabled(editable)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(lambda: self.add_row(None))
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        for stage in stages:
            self.add_row(stage)
        self.table.resizeColumnToContents(0)

    def add_row(self, stage: Any | None) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        values = stage or {"code": "", "name_zh": "", "name_en": "", "probability": 50, "is_won": False,
                           "is_lost": False}
        for column, key in enumerate(COLUMNS):
            item = QTableWidgetItem()
            if key in ("is_won", "is_lost"):
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
                item.setCheckState(Qt.CheckState.Checked if values[key] else Qt.CheckState.Unchecked)
            else:
                item.setText(str(values[key]))
            if column == 0 and stage is not None:
                item.setData(ID_ROLE, getattr(stage, "id", None))
            self.table.setItem(row, column, item)
        self.table.setCurrentCell(row, 1)
        return row

    def remove_current(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def move_current(self, step: int) -> None:
        row = self.table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.table.rowCount():
            return
        taken = [self.table.takeItem(row, column) for column in range(len(COLUMNS))]
        others = [self.table.takeItem(target, column) for column in range(len(COLUMNS))]
        for column in range(len(COLUMNS)):
            self.table.setItem(target, column, taken[column])
            self.table.setItem(row, column, others[column])
        self.table.setCurrentCell(target, self.table.currentColumn())

    def values(self) -> list[dict[str, Any]]:
        stages = []
        for row in range(self.table.rowCount()):
            items = [self.table.item(row, column) for column in range(len(COLUMNS))]
            stage: dict[str, Any] = {"id": items[0].data(ID_ROLE) if items[0] else None, "position": row}
            for key, item in zip(COLUMNS, items, strict=True):
                if key in ("is_won", "is_lost"):
                    stage[key] = item is not None and item.checkState() == Qt.CheckState.Checked
                else:
                    stage[key] = item.text().strip() if item is not None else ""
            stages.append(stage)
        return stages

    def mark_errors(self, errors: dict[str, str]) -> None:
        for row in range(self.table.rowCount()):
            for column, key in enumerate(COLUMNS):
                item = self.table.item(row, column)
                if item is None:
                    continue
                message = errors.get(f"stages[{row}].{key}")
                item.setBackground(ERROR_BRUSH if message else QBrush())
                item.setToolTip(message or "")


class StagesDialog(QDialog):
    """The stage settings of every pipeline; Save stores each pipeline's table."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stagesDialog")
        self.setWindowTitle(self.tr("Stages"))
        self.services = services
        self.actor = actor
        self.editable = lost.may_approve(actor)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Each pipeline needs one won stage (100%), one lost stage (0%) and at least one "
                               "open stage. Deals follow a changed order and probability (unless their "
                               "probability was set by hand)."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if not self.editable:
            note = QLabel(self.tr("Only a manager can change the stages."), self)
            note.setObjectName("readOnlyNote")
            layout.addWidget(note)
        self.tabs = QTabWidget(self)
        self.tables: dict[str, StagesTable] = {}
        name_key = "name_en" if current_language() == "en" else "name_zh"
        for pipeline in pipelines.list_pipelines(services.db, actor):
            stages = pipelines.list_stages(services.db, actor, pipeline["code"])
            table = StagesTable(pipeline["code"], stages, self.editable, self.tabs)
            self.tables[pipeline["code"]] = table
            self.tabs.addTab(table, str(pipeline[name_key]))
        layout.addWidget(self.tabs, 1)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet("color: #b42318;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(self.editable)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(760, 460)

    def save(self) -> bool:
        """Store every pipeline's stages; on a problem nothing closes and every problem is listed."""
        problems: list[str] = []
        for index in range(self.tabs.count()):
            table = self.tables[self.tables_code(index)]
            try:
                pipelines.save_stages(self.services.db, self.actor, table.pipeline_code, table.values())
            except ValidationError as error:
                table.mark_errors(error.errors)
                name = self.tabs.tabText(index)
                problems += [f"{name} · {self._where(field)}{text}" for field, text in error.errors.items()]
            except UserError as error:
                show_user_error(self, error)
                return False
            else:
                table.mark_errors({})
        if problems:
            self.error_label.setText("\n".join(problems))
            self.error_label.show()
            return False
        self.accept()
        return True

    def tables_code(self, index: int) -> str:
        return list(self.tables)[index]

    def _where(self, field: str) -> str:
        if not field.startswith("stages["):
            return ""
        row = field[len("stages["):].split("]", 1)[0]
        return self.tr("row {row}: ").format(row=int(row) + 1) if row.isdigit() else ""
