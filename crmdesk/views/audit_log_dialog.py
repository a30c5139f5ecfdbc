"""`AuditLogDialog` (工具 › 审计日志…): who did what to which record, filtered by user, act, kind of record and
period; read-only, newest first, read off the GUI thread a page at a time. Administrators and managers."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services.audit import (
    AuditFilter,
    HistoryCursor,
    HistoryPage,
    audit_actions,
    audit_entities,
    audit_log_page,
    may_read_audit_log,
)
from crmdesk.services.errors import UserError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.services.users import list_users
from crmdesk.views.field_editors import DateField
from crmdesk.views.history_panel import HistoryTableModel, HistoryView

DEFAULT_DAYS = 30
PAGE = 200


class AuditLogModel(HistoryTableModel):
    """The log's entries: the history's columns and the record each concerns."""

    COLUMNS = ("at", "user", "action", "record", "field", "change")


class AuditLogDialog(QDialog):
    """审计日志: the filters on top, the entries below (newest first, "load more" for older ones)."""

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditLogDialog")
        self.setWindowTitle(self.tr("Audit log"))
        self.services, self.actor = services, actor

        self.user_combo = QComboBox(self)
        self.user_combo.setObjectName("auditUser")
        self.user_combo.addItem(self.tr("Everyone"), None)
        for user in list_users(services.db, actor):
            self.user_combo.addItem(str(user["display_name"]), user.id)
        self.action_combo = QComboBox(self)
        self.action_combo.setObjectName("auditAction")
        self.action_combo.addItem(self.tr("Every act"), None)
        for action, label in audit_actions():
            self.action_combo.addItem(label, action)
        self.entity_combo = QComboBox(self)
        self.entity_combo.setObjectName("auditEntity")
        self.entity_combo.addItem(self.tr("Every kind of record"), None)
        for entity, label in audit_entities():
            self.entity_combo.addItem(label, entity)
        self.since = DateField(False, self.tr("any day"), self)
        self.since.setObjectName("auditSince")
        self.since.set_value(date.today() - timedelta(days=DEFAULT_DAYS))
        self.until = DateField(False, self.tr("today"), self)
        self.until.setObjectName("auditUntil")
        self.apply_button = QPushButton(self.tr("Show"), self)
        self.apply_button.setObjectName("auditApplyButton")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.refresh)
        for combo in (self.user_combo, self.action_combo, self.entity_combo):
            combo.setMinimumWidth(150)
            combo.activated.connect(lambda _index: self.refresh())

        filters = QGridLayout()
        filters.setHorizontalSpacing(8)
        cells = ((self.tr("Who:"), self.user_combo), (self.tr("Act:"), self.action_combo),
                 (self.tr("Record:"), self.entity_combo), (self.tr("From:"), self.since),
                 (self.tr("To:"), self.until))
        for column, (caption, widget) in enumerate(cells):
            title = QLabel(caption, self)
            title.setBuddy(widget.edit if isinstance(widget, DateField) else widget)
            filters.addWidget(title, 0, column * 2)
            filters.addWidget(widget, 0, column * 2 + 1)
        filters.addWidget(self.apply_button, 0, len(cells) * 2)
        filters.setColumnStretch(len(cells) * 2 - 1, 1)

        self.view = HistoryView(AuditLogModel(self), self, name="auditLog")
        self.view.set_column_widths({"at": 125, "user": 80, "action": 150, "record": 200, "field": 130})
        self.model = self.view.model
        self.error_label = QLabel(self)
        self.error_label.setObjectName("auditError")
        self.error_label.setStyleSheet("color: #c5221f;")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.error_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(1150, 640)
        if may_read_audit_log(actor):
            self.refresh()
        else:
            self._refuse(UserError(self.tr("Only administrators and managers can read the audit log.")))

    def current_filter(self) -> AuditFilter:
        return AuditFilter(user_id=self.user_combo.currentData(), action=self.action_combo.currentData(),
                           entity=self.entity_combo.currentData(), since=self.since.value(),
                           until=self.until.value())

    def refresh(self) -> None:
        """Read the log again with the filters as they are now (each page of this list with these filters)."""
        flt = self.current_filter()
        if flt.since and flt.until and flt.since > flt.until:
            self._refuse(UserError(self.tr("The end of the period is before its start.")))
            return
        db, actor = self.services.db, self.actor

        def load(cursor: HistoryCursor | None) -> HistoryPage:
            return audit_log_page(db, actor, flt, before=cursor, limit=PAGE)

        self.view.loader = load
        self.error_label.hide()
        self.view.reload()

    def _refuse(self, error: UserError) -> None:
        self.error_label.setText(error.message)
        self.error_label.show()
        self.view.model.set_items([])
        self.view.more_button.hide()
        self.view.status_label.setText("")

    def is_loading(self) -> bool:
        return self.view.is_loading()


__all__ = ["AuditLogDialog", "AuditLogModel"]
