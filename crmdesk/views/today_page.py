"""The 今日 tab (`TodayPage`: what is overdue and due today, done with one click and its result) and the
reminders of follow-ups falling due while the window is open (`FollowupReminders`)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QStyle,
    QSystemTrayIcon,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.labels import code_label
from crmdesk.services.errors import UserError
from crmdesk.services.followups import (
    ALL_OWNERS,
    FollowupItem,
    TodayCounts,
    TodayList,
    due_reminders,
    export_ics,
    owner_choices,
    plan_rule_label,
    today_list,
    utcnow,
)
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_count, format_datetime
from crmdesk.views.rows_model import RowsTableModel

log = logging.getLogger(__name__)

ModelIndex = QModelIndex | QPersistentModelIndex
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole
OVERDUE_COLOR = QColor("#c5221f")
MANAGER_ROLES = ("manager", "admin")
REMINDER_INTERVAL_MS = 60_000  # reminders look for follow-ups falling due once a minute
ICS_DAYS_AHEAD = 30
COLUMN_SAMPLE_ROWS = 40  # rows read to size the columns


@functools.cache
def _bold_font() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class FollowupTableModel(RowsTableModel):
    """Follow-ups of one Today section: when, who (name and phone), what, by which plan, for which deal."""

    COLUMNS = ("due", "name", "phone", "kind", "subject", "plan", "opportunity", "owner", "done")

    def __init__(self, overdue: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.overdue = overdue
        self.items: list[FollowupItem] = []
        self._texts: list[tuple[str, ...]] = []  # each row's column texts, made once per read

    def set_items(self, items: list[FollowupItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self._texts = [tuple(self.text(item, column) for column in self.COLUMNS) for item in self.items]
        self.endResetModel()

    def header(self, column: str) -> str:
        return {
            "due": self.tr("Due"), "name": self.tr("Customer / lead"), "phone": self.tr("Phone"),
            "kind": self.tr("Kind"), "subject": self.tr("Subject"), "plan": self.tr("Plan"),
            "opportunity": self.tr("Opportunity"), "owner": self.tr("Owner"), "done": "",
        }[column]

    def text(self, item: FollowupItem, column: str) -> str:
        if column == "due":
            shown = format_datetime(item.due_at)
            if self.overdue and item.days_overdue:
                return self.tr("{days} days overdue").format(days=item.days_overdue) + f" · {shown}"
            return shown
        values = {
            "name": item.name, "phone": item.phone or "", "kind": code_label("activity", "kind", item.kind),
            "subject": item.subject, "plan": plan_rule_label(item.plan_rule),
            "opportunity": item.opportunity_name or "", "owner": item.owner_name or "", "done": "",
        }
        return values[column]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items) or not 0 <= index.column() < len(self.COLUMNS):
            return None
        item = self.items[index.row()]
        column = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._texts[index.row()][index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and self.overdue and column in ("due", "name"):
            return OVERDUE_COLOR
        if role == Qt.ItemDataRole.FontRole and column == "name":
            return _bold_font()
        if role == ITEM_ID_ROLE:
            return item.id
        return None


class TodayPage(QWidget):
    """今日: the logged-in user's follow-ups overdue (red, with the days) and due for the rest of today.

    Managers and admins choose whose (mine, a team member's, everyone's). 完成 on a row asks for the
    result (and the next step and follow-up) and marks it done; 记录跟进 (Ctrl+L, the window's action)
    logs a new activity; 导出日历 writes the planned follow-ups as an .ics file.
    """

    records_changed = Signal(str)  # "activity": follow-ups (and so customers' follow-up dates) changed
    status_changed = Signal()  # what status_text() says changed: the window re-reads it

    def __init__(self, services: Services, actor: Actor, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayPage")
        self.services = services
        self.actor = actor
        self.settings = settings
        self.dialog: QWidget | None = None
        self.data = TodayList([], [], TodayCounts(0, 0))
        self.done_buttons: dict[str, QPushButton] = {}

        bar = QHBoxLayout()
        self.owner_label = QLabel(self.tr("Whose:"), self)
        self.owner_combo = QComboBox(self)
        self.owner_combo.setObjectName("ownerCombo")
        self.owner_combo.addItem(self.tr("Mine"), None)
        if actor.role in MANAGER_ROLES:
            for user_id, name in owner_choices(services.db, actor):
                if user_id != actor.user_id:
                    self.owner_combo.addItem(name, user_id)
            self.owner_combo.addItem(self.tr("Everyone"), ALL_OWNERS)
        else:
            self.owner_label.hide()
            self.owner_combo.hide()
        self.owner_combo.currentIndexChanged.connect(lambda _index: self.refresh())
        bar.addWidget(self.owner_label)
        bar.addWidget(self.owner_combo)
        bar.addStretch(1)
        self.log_button = QPushButton(self.tr("Log follow-up (Ctrl+L)"), self)
        self.log_button.setObjectName("logButton")
        self.log_button.clicked.connect(self.log_activity)
        self.export_button = QPushButton(self.tr("Export calendar…"), self)
        self.export_button.setObjectName("exportButton")
        self.export_button.setToolTip(self.tr("The planned follow-ups of the next {days} days as an .ics file "
                                              "for Outlook or Apple Calendar").format(days=ICS_DAYS_AHEAD))
        self.export_button.clicked.connect(lambda: self.export_calendar())
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.setObjectName("refreshButton")
        self.refresh_button.clicked.connect(self.refresh)
        for button in (self.log_button, self.export_button, self.refresh_button):
            bar.addWidget(button)

        self.overdue_title = QLabel(self)
        self.overdue_title.setObjectName("overdueTitle")
        self.overdue_title.setStyleSheet("color: #c5221f; font-weight: bold;")
        self.overdue_model = FollowupTableModel(True, self)
        self.overdue_view = self._view("overdueView", self.overdue_model)
        self.today_title = QLabel(self)
        self.today_title.setObjectName("todayTitle")
        self.today_title.setStyleSheet("font-weight: bold;")
        self.today_model = FollowupTableModel(False, self)
        self.today_view = self._view("todayView", self.today_model)
        self.message = QLabel(self)
        self.message.setObjectName("todayMessage")
        self.message.setStyleSheet("color: #444;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.overdue_title)
        layout.addWidget(self.overdue_view, 1)
        layout.addWidget(self.today_title)
        layout.addWidget(self.today_view, 1)
        layout.addWidget(self.message)
        self.refresh()
        self._just_built = True  # the first activate() (the window showing the new page) reads nothing

    def _view(self, name: str, model: FollowupTableModel) -> QTableView:
        view = QTableView(self)
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.verticalHeader().hide()
        view.setWordWrap(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(COLUMN_SAMPLE_ROWS)  # widths from the first rows, not all 200
        header.setStretchLastSection(False)
        header.setHighlightSections(False)
        view.doubleClicked.connect(lambda index, m=model: self.complete(m.items[index.row()].id)
                                   if index.isValid() else None)
        return view

    # ---- reading -------------------------------------------------------------------------
    def owner(self) -> str | None:
        value = self.owner_combo.currentData()
        return str(value) if value else None

    def set_owner(self, owner_id: str | None) -> None:
        index = self.owner_combo.findData(owner_id)
        self.owner_combo.setCurrentIndex(max(index, 0))

    def activate(self) -> None:
        """In front again: read again, unless the page was only just built (and read)."""
        if self._just_built:
            self._just_built = False
            return
        self.refresh()

    def refresh(self) -> None:
        """Read the two sections again for the chosen owner (indexed queries, at most a page each)."""
        self.data = today_list(self.services.db, self.actor, self.owner())
        counts = self.data.counts
        show_owner = self.owner() == ALL_OWNERS or self.owner() not in (None, self.actor.user_id)
        for model, view, items in ((self.overdue_model, self.overdue_view, self.data.overdue),
                                   (self.today_model, self.today_view, self.data.due_today)):
            model.set_items(items)
            view.setColumnHidden(FollowupTableModel.COLUMNS.index("owner"), not show_owner)
            self._add_done_buttons(model, view)
            view.resizeColumnsToContents()
            for column in ("subject", "opportunity"):
                section = FollowupTableModel.COLUMNS.index(column)
                view.setColumnWidth(section, min(view.columnWidth(section), 260))
            # The deal's column takes the rest of the width, so the table fills the page.
            view.horizontalHeader().setSectionResizeMode(FollowupTableModel.COLUMNS.index("opportunity"),
                                                         QHeaderView.ResizeMode.Stretch)
        self.overdue_title.setText(self.tr("Overdue ({count})").format(count=format_count(counts.overdue)))
        self.today_title.setText(self.tr("Due today ({count})").format(count=format_count(counts.due_today)))
        hidden = (counts.overdue - len(self.data.overdue)) + (counts.due_today - len(self.data.due_today))
        if not counts.overdue and not counts.due_today:
            self.message.setText(self.tr("Nothing due today. Well done."))
        elif hidden > 0:
            self.message.setText(self.tr("The earliest {shown} of each list are shown; {count} more are not.")
                                 .format(shown=len(self.data.overdue) or len(self.data.due_today),
                                         count=format_count(hidden)))
        else:
            self.message.clear()
        self.status_changed.emit()

    def _add_done_buttons(self, model: FollowupTableModel, view: QTableView) -> None:
        column = FollowupTableModel.COLUMNS.index("done")
        for row, item in enumerate(model.items):
            button = QPushButton(self.tr("Done…"), view)
            button.setObjectName(f"doneButton_{item.id}")
            button.setToolTip(self.tr("Record the result and mark this follow-up done"))
            button.clicked.connect(lambda _checked=False, activity_id=item.id: self.complete(activity_id))
            view.setIndexWidget(model.index(row, column), button)
            self.done_buttons[item.id] = button

    def status_text(self) -> str:
        counts = self.data.counts
        return self.tr("Overdue {overdue}, today {today}").format(
            overdue=format_count(counts.overdue), today=format_count(counts.due_today))

    def selected_item(self) -> FollowupItem | None:
        for model, view in ((self.overdue_model, self.overdue_view), (self.today_model, self.today_view)):
            if view.hasFocus() or view.selectionModel().hasSelection():
                rows = view.selectionModel().selectedRows()
                if rows:
                    return model.items[rows[0].row()]
        return None

    # ---- acting --------------------------------------------------------------------------
    def _open(self, dialog: Any) -> Any:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._changed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _changed(self) -> None:
        self.refresh()
        self.records_changed.emit("activity")

    def complete(self, activity_id: str) -> Any:
        """The result dialog for one follow-up (one click on 完成); done and the lists re-read on save."""
        from crmdesk.views.activity_dialog import ActivityDialog

        try:
            dialog = ActivityDialog(self.services, self.actor, self, activity_id=activity_id)
        except UserError as error:  # done or deleted elsewhere meanwhile
            show_user_error(self, error)
            self.refresh()
            return None
        return self._open(dialog)

    def log_activity(self) -> Any:
        """A new follow-up: about the selected row's customer or lead, or a customer picked in the dialog."""
        from crmdesk.views.activity_dialog import ActivityDialog

        item = self.selected_item()
        dialog = ActivityDialog(self.services, self.actor, self,
                                customer_id=item.customer_id if item else None,
                                lead_id=item.lead_id if item and not item.customer_id else None)
        return self._open(dialog)

    def new_record(self) -> Any:  # Ctrl+N on this tab: a new follow-up
        return self.log_activity()

    def export_calendar(self, path: str | None = None) -> int | None:
        """Write the planned follow-ups of the chosen owner for the next 30 days to an .ics file."""
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self, self.tr("Export calendar"), "crmdesk-followups.ics", self.tr("Calendar (*.ics)"))
            if not path:
                return None
        try:
            count = export_ics(self.services.db, self.actor, path, self.owner(), ICS_DAYS_AHEAD)
        except OSError as error:
            show_user_error(self, UserError(self.tr("Cannot write {path}: {detail}").format(
                path=path, detail=error.strerror or error)))
            return None
        self.message.setText(self.tr("{count} follow-ups written to {path}").format(count=count, path=path))
        return count


class FollowupReminders(QObject):
    """Once a minute, the logged-in user's follow-ups that fell due since the last look are announced:
    a tray notification (QSystemTrayIcon.showMessage) where the desktop has a system tray.

    Where it has none (the offscreen platform, some Linux desktops without a status notifier host),
    Qt cannot show a tray message at all: the reminder goes to the main window's status bar instead,
    and the limit is logged once at start. `reminded` carries the items announced each time.
    """

    reminded = Signal(list)

    def __init__(self, services: Services, actor: Actor, window: QMainWindow, *,
                 interval_ms: int = REMINDER_INTERVAL_MS, clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(window)
        self.services = services
        self.actor = actor
        self.window = window
        self.clock = clock
        self.last_check = clock()
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = window.windowIcon()
            if icon.isNull():
                icon = window.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("crmdesk")
            self.tray.show()
        else:
            log.info("no system tray on this desktop: follow-up reminders show in the status bar")
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> list[FollowupItem]:
        """Announce what fell due in (last look, now]."""
        now = self.clock()
        items = due_reminders(self.services.db, self.actor, None, self.last_check, now)
        self.last_check = now
        if items:
            self.announce(items)
        return items

    def message_for(self, items: list[FollowupItem]) -> tuple[str, str]:
        first = items[0]
        who = " · ".join(part for part in (first.name, first.phone or "") if part)
        title = self.tr("Follow-up due: {subject}").format(subject=first.subject)
        text = who
        if len(items) > 1:
            text = self.tr("{who} and {count} more").format(who=who, count=len(items) - 1)
        return title, text

    def announce(self, items: list[FollowupItem]) -> None:
        title, text = self.message_for(items)
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 15_000)
        else:
            self.window.statusBar().showMessage(f"{title} — {text}" if text else title, 60_000)
        self.reminded.emit(items)
