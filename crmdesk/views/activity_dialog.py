"""`ActivityDialog`: log a follow-up (跟进) in a few keystrokes, or complete a planned one with its result."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTime
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crmdesk.labels import code_label, entity_singular
from crmdesk.services.entities import Record
from crmdesk.services.errors import UserError
from crmdesk.services.followups import (
    ACTIVITY_KINDS,
    complete_activity,
    default_subject,
    get_activity,
    log_activity,
    plan_rule_label,
)
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.errors import show_user_error
from crmdesk.views.field_editors import CustomerPicker
from crmdesk.views.formatting import format_datetime
from crmdesk.views.record_form import FORM_STYLE, FieldErrorMarks, banner_label, error_label, field_cell

# One letter per kind, typed on the kind box or with Alt from anywhere in the dialog: the English word's
# first letter, S (SMS) for a text message so that M stays for a meeting.
KIND_KEYS = {"call": "C", "visit": "V", "message": "S", "wechat": "W", "meeting": "M"}
NEXT_FOLLOWUP_HOUR = 10  # a next follow-up is offered for tomorrow at this hour (local)


class KindCombo(QComboBox):
    """The kind of activity; a kind's letter (C, V, S, W, M) chooses it."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text().upper()
        for index in range(self.count()):
            if text and KIND_KEYS.get(self.itemData(index)) == text:
                self.setCurrentIndex(index)
                return
        super().keyPressEvent(event)


class ActivityDialog(QDialog):
    """Log a call, visit, message, WeChat or meeting about a lead, customer or opportunity: kind (a letter
    or Alt+letter), subject (prefilled by the kind), outcome, next step and, optionally, the next follow-up's
    date and time. Enter saves (Shift+Enter starts a new line in the outcome), Esc cancels; a rejected
    form keeps what was typed and marks the bad fields.

    With `activity_id` (a planned follow-up), the dialog completes it instead: its result is required.
    With no lead, customer or opportunity given, a customer is picked in the dialog. After `accepted`,
    `record` holds the activity logged or completed.
    """

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None, *,
                 lead_id: str | None = None, customer_id: str | None = None, opportunity_id: str | None = None,
                 activity_id: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityDialog")
        self.setStyleSheet(FORM_STYLE + "QLabel[role=\"hint\"] { color: #666; }")
        self.services = services
        self.actor = actor
        self.lead_id = lead_id
        self.customer_id = customer_id
        self.opportunity_id = opportunity_id
        self.planned: Record | None = get_activity(services.db, actor, activity_id) if activity_id else None
        self.record: Record | None = None
        self._subject_default = ""
        if self.planned is not None:
            self.lead_id = self.planned["lead_id"]
            self.customer_id = self.planned["customer_id"]
            self.opportunity_id = self.planned["opportunity_id"]
        self.setWindowTitle(self.tr("Complete follow-up") if self.planned is not None else self.tr("Log follow-up"))

        layout = QVBoxLayout(self)
        self.banner = banner_label(self)
        self.marks = FieldErrorMarks(self.banner)
        layout.addWidget(self.banner)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(6)
        self._row = 0

        self.customer_picker: CustomerPicker | None = None
        self.target_label = QLabel(self._target_text(), self)
        self.target_label.setObjectName("targetLabel")
        self.target_label.setTextFormat(Qt.TextFormat.PlainText)
        self.target_label.setWordWrap(True)
        if self.lead_id or self.customer_id or self.opportunity_id:
            self._add_row("target", self.tr("About"), self.target_label)
        else:
            self.customer_picker = CustomerPicker(services, actor, self)
            self.customer_picker.setObjectName("field_customer_id")
            self.customer_picker.setPlaceholderText(self.tr("Name, pinyin initials or phone"))
            self._add_row("customer_id", self.tr("Customer"), self.customer_picker, required=True)

        if self.planned is not None:
            planned = self.planned
            rule = plan_rule_label(planned["plan_rule"])
            what = " · ".join(part for part in (
                code_label("activity", "kind", planned["kind"]), str(planned["subject"]),
                rule if rule != planned["subject"] else "",
                self.tr("due {time}").format(time=format_datetime(planned["due_at"]))) if part)
            self.planned_label = QLabel(what, self)
            self.planned_label.setObjectName("plannedLabel")
            self.planned_label.setTextFormat(Qt.TextFormat.PlainText)
            self.planned_label.setWordWrap(True)
            self._add_row("planned", self.tr("Follow-up"), self.planned_label)

        self.kind = KindCombo(self)
        self.kind.setObjectName("field_kind")
        for kind in ACTIVITY_KINDS:
            self.kind.addItem(code_label("activity", "kind", kind), kind)
        self.subject = QLineEdit(self)
        self.subject.setObjectName("field_subject")
        self.subject.setMaxLength(200)
        if self.planned is None:
            kind_row = QWidget(self)
            kind_line = QHBoxLayout(kind_row)
            kind_line.setContentsMargins(0, 0, 0, 0)
            kind_line.addWidget(self.kind)
            hint = QLabel(" · ".join(f"{KIND_KEYS[kind]} {code_label('activity', 'kind', kind)}"
                                     for kind in ACTIVITY_KINDS), kind_row)
            hint.setObjectName("kindHint")
            hint.setProperty("role", "hint")
            hint.setToolTip(self.tr("Type the letter on the kind box, or Alt+letter anywhere in the dialog"))
            kind_line.addWidget(hint, 1)
            self._add_row("kind", self.tr("&Kind"), kind_row, focus=self.kind, required=True)
            self._add_row("subject", self.tr("Subjec&t"), self.subject)
            self.kind.currentIndexChanged.connect(self._on_kind_changed)
            self._on_kind_changed()
            for kind, letter in KIND_KEYS.items():
                shortcut = QShortcut(QKeySequence(f"Alt+{letter}"), self)
                shortcut.activated.connect(lambda k=kind: self.set_kind(k))
        else:  # completing: the kind and subject were planned, the line above shows them
            self.set_kind(str(self.planned["kind"]))
            self.subject.setText(str(self.planned["subject"]))
            self.kind.hide()
            self.subject.hide()

        self.outcome = QPlainTextEdit(self)
        self.outcome.setObjectName("field_outcome")
        self.outcome.setTabChangesFocus(True)
        self.outcome.setPlaceholderText(self.tr("What came of it: the customer's answer, the offer, the mood"))
        self.outcome.setFixedHeight(self.outcome.fontMetrics().lineSpacing() * 3 + 14)
        self.outcome.installEventFilter(self)
        self._add_row("outcome", self.tr("&Outcome"), self.outcome, required=self.planned is not None)
        self.next_step = QLineEdit(self)
        self.next_step.setObjectName("field_next_step")
        self.next_step.setMaxLength(2000)
        self.next_step.setPlaceholderText(self.tr("e.g. send the quote, invite to a test drive"))
        self._add_row("next_step", self.tr("&Next step"), self.next_step)

        next_row = QWidget(self)
        next_line = QHBoxLayout(next_row)
        next_line.setContentsMargins(1, 1, 1, 1)
        self.next_check = QCheckBox(self.tr("Plan"), next_row)
        self.next_check.setObjectName("nextCheck")
        self.next_due = QDateTimeEdit(next_row)
        self.next_due.setObjectName("field_next_due_at")
        self.next_due.setCalendarPopup(True)
        self.next_due.setDisplayFormat("yyyy-MM-dd HH:mm")
        tomorrow = QDateTime(QDateTime.currentDateTime().date().addDays(1), QTime(NEXT_FOLLOWUP_HOUR, 0))
        self.next_due.setDateTime(tomorrow)
        self.next_due.setEnabled(False)
        self.next_check.toggled.connect(self.next_due.setEnabled)
        next_line.addWidget(self.next_check)
        next_line.addWidget(self.next_due, 1)
        next_row.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._add_row("next_due_at", self.tr("Next &follow-up"), next_row, focus=self.next_check)
        self.plan_only: QCheckBox | None = None
        if self.planned is None:
            self.plan_only = QCheckBox(self.tr("Only plan it (not done yet): the date above is when"), self)
            self.plan_only.setObjectName("planOnly")
            self.plan_only.toggled.connect(self._on_plan_only)
            self.grid.addWidget(self.plan_only, self._row, 1)
            self._row += 1
        self.grid.setColumnStretch(1, 1)
        layout.addLayout(self.grid)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)  # Enter in any line saves
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        first: QWidget = self.customer_picker or (self.outcome if self.planned is not None else self.kind)
        first.setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(520)
        self.resize(self.minimumWidth(), self.sizeHint().height())

    # ---- building ------------------------------------------------------------------------
    def _add_row(self, name: str, title: str, widget: QWidget, *, focus: QWidget | None = None,
                 required: bool = False) -> None:
        label = QLabel(f"{title} <span style='color:#c5221f'>*</span>" if required else title, self)
        label.setObjectName(f"label_{name}")
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setBuddy(focus or widget)
        error = error_label(name, self)
        self.marks.add(name, widget, error)
        self.grid.addWidget(label, self._row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(field_cell(widget, error, self), self._row, 1)
        label.setMinimumHeight(min(widget.sizeHint().height(), 30))
        self._row += 1

    def _target_text(self) -> str:
        """Whom the follow-up is about: kind, name and phone (the deal's customer for a deal)."""
        if self.opportunity_id:
            deal = self.services.opportunities.get(self.actor, self.opportunity_id)
            return f"{entity_singular('opportunity')} · {deal['name']} · {deal['customer_name']}"
        if self.customer_id:
            customer = self.services.customers.get(self.actor, self.customer_id)
            return " · ".join(part for part in (entity_singular("customer"), str(customer["name"]),
                                                customer.get("phone") or "") if part)
        if self.lead_id:
            lead = self.services.leads.get(self.actor, self.lead_id)
            return " · ".join(part for part in (entity_singular("lead"), str(lead["name"]),
                                                lead.get("phone") or "") if part)
        return ""

    def set_kind(self, kind: str) -> None:
        index = self.kind.findData(kind)
        if index >= 0:
            self.kind.setCurrentIndex(index)

    def _on_kind_changed(self, _index: int = 0) -> None:
        """The subject follows the kind until the user types one of their own."""
        text = self.subject.text().strip()
        if not text or text == self._subject_default:
            self._subject_default = default_subject(str(self.kind.currentData()))
            self.subject.setText(self._subject_default)

    def _on_plan_only(self, checked: bool) -> None:
        self.next_check.setChecked(checked or self.next_check.isChecked())
        self.next_check.setEnabled(not checked)
        self.outcome.setEnabled(not checked)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the outcome saves, as in every other field; Shift+Enter starts a new line."""
        if watched is self.outcome and event.type() == QEvent.Type.KeyPress:
            key_event = event if isinstance(event, QKeyEvent) else None
            if key_event is not None and key_event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                    and not key_event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.save()
                return True
        return super().eventFilter(watched, event)

    # ---- saving --------------------------------------------------------------------------
    def next_due_at(self) -> datetime | None:
        """The next follow-up's time (local, as typed) when ticked."""
        if not self.next_check.isChecked():
            return None
        value: datetime = self.next_due.dateTime().toPython()  # type: ignore[assignment]
        return value.astimezone()

    def set_next_due_at(self, value: datetime | None) -> None:
        self.next_check.setChecked(value is not None)
        if value is not None:
            local = value.astimezone()
            self.next_due.setDateTime(QDateTime(local.year, local.month, local.day, local.hour, local.minute, 0))

    def values(self) -> dict[str, Any]:
        """What `log_activity` takes, as typed."""
        plan_only = self.plan_only is not None and self.plan_only.isChecked()
        values: dict[str, Any] = {
            "kind": self.kind.currentData(), "subject": self.subject.text(), "next_step": self.next_step.text(),
            "status": "planned" if plan_only else "done", "lead_id": self.lead_id,
            "customer_id": self.customer_picker.customer_id() if self.customer_picker is not None else self.customer_id,
            "opportunity_id": self.opportunity_id,
        }
        if plan_only:
            values["due_at"] = self.next_due_at()
        else:
            values["outcome"] = self.outcome.toPlainText()
            values["next_due_at"] = self.next_due_at()
        return values

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        named = dict(errors)
        for other, shown in (("due_at", "next_due_at"), ("lead_id", "target"), ("opportunity_id", "target")):
            if other in named and shown in self.marks.widgets:
                named.setdefault(shown, named.pop(other))
        if "customer_id" in named and "customer_id" not in self.marks.widgets:
            named.setdefault("target", named.pop("customer_id"))
        rest = self.marks.mark(named, self.tr("Please correct the marked fields."))
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))
        return rest

    def save(self) -> None:
        """Log (or complete) the follow-up; on a ValidationError stay open with everything typed."""
        self.marks.clear()
        try:
            if self.planned is not None:
                self.record = complete_activity(self.services.db, self.actor, self.planned.id,
                                                self.outcome.toPlainText(), self.next_step.text() or None,
                                                self.next_due_at())
            else:
                self.record = log_activity(self.services.db, self.actor, self.values())
        except UserError as error:
            show_user_error(self, error)
            return
        self.accept()


def next_followup_default(now: datetime | None = None) -> datetime:
    """Tomorrow at NEXT_FOLLOWUP_HOUR local time: what the dialog offers for the next follow-up."""
    local = (now or datetime.now()).astimezone()
    return (local + timedelta(days=1)).replace(hour=NEXT_FOLLOWUP_HOUR, minute=0, second=0, microsecond=0)


def open_activity_dialog(tab: Any, entity: str, record_id: str | None) -> ActivityDialog | None:
    """The dialog for the current row of a list (a RecordTab: services, actor, records_changed), opened
    window-modal; on save the list is re-read (the customer's follow-up dates changed) and the window told."""
    if record_id is None or entity not in ("lead", "customer", "opportunity"):
        return None
    try:
        dialog = ActivityDialog(tab.services, tab.actor, tab, **{f"{entity}_id": record_id})
    except UserError as error:  # deleted meanwhile
        show_user_error(tab, error)
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def saved() -> None:
        tab.model.refresh()
        tab.records_changed.emit(entity)

    dialog.accepted.connect(saved)
    tab.activity_dialog = dialog
    dialog.open()
    return dialog
