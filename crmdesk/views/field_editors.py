"""One editor widget per field kind, built from a service's FieldSpec, plus the record pickers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from crmdesk.i18n import current_language
from crmdesk.labels import code_label, code_labels
from crmdesk.services.entities import ListQuery
from crmdesk.services.fields import FieldSpec
from crmdesk.services.lead_rules import assignment_targets
from crmdesk.services.leads import InvalidReason, invalid_reason_label
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.search import search
from crmdesk.services.uow import Actor
from crmdesk.services.users import list_users


class FieldEditor:
    """Holds the widget for one field; `value()` is what goes to the service, unconverted.

    Conversion and checking are the service's job: an editor hands over the text as typed
    (money, numbers) or the plain value a widget holds (dates, choices, ids).
    """

    def __init__(self, spec: FieldSpec, widget: QWidget, focus_widget: QWidget | None = None) -> None:
        self.spec = spec
        self.widget = widget
        self.focus_widget = focus_widget or widget
        self._initial: Any = None

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def load(self, value: Any) -> None:
        """Show a stored value and remember it, so an edit sends only what changed."""
        self.set_value(value)
        self._initial = self.value()

    def is_changed(self) -> bool:
        return bool(self.value() != self._initial)


class TextEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        self.line = QLineEdit(parent)
        self.line.setObjectName(f"field_{spec.name}")
        if spec.max_length:
            self.line.setMaxLength(spec.max_length)
        if spec.kind in ("money", "int"):
            self.line.setAlignment(Qt.AlignmentFlag.AlignRight)
        super().__init__(spec, self.line)
        self._initial = ""

    def value(self) -> str:
        return self.line.text()

    def set_value(self, value: Any) -> None:
        if value is None:
            self.line.setText("")
        elif isinstance(value, Decimal):
            self.line.setText(f"{value:.2f}")
        else:
            self.line.setText(str(value))


class LongTextEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        self.edit = QPlainTextEdit(parent)
        self.edit.setObjectName(f"field_{spec.name}")
        self.edit.setTabChangesFocus(True)
        # At least four lines; it takes whatever height the dialog has to spare.
        self.edit.setMinimumHeight(self.edit.fontMetrics().lineSpacing() * 4 + 12)
        super().__init__(spec, self.edit)
        self._initial = ""

    def value(self) -> str:
        return self.edit.toPlainText()

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class ComboEditor(FieldEditor):
    """A closed list of (value, label); an empty first entry when the field may stay empty."""

    def __init__(self, spec: FieldSpec, options: list[tuple[Any, str]], empty_label: str = "",
                 parent: QWidget | None = None) -> None:
        self.combo = QComboBox(parent)
        self.combo.setObjectName(f"field_{spec.name}")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)
        super().__init__(spec, self.combo)
        self._empty_label = empty_label
        self.set_options(options)
        self._initial = self.value()

    def set_options(self, options: list[tuple[Any, str]]) -> None:
        current = self.value() if self.combo.count() else None
        self.combo.blockSignals(True)
        self.combo.clear()
        if not self.spec.required:
            self.combo.addItem(self._empty_label, None)
        for value, label in options:
            self.combo.addItem(label, value)
        self.combo.blockSignals(False)
        if current is not None:
            self.set_value(current)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value)
        if index < 0 and value is not None:
            # A value the list does not offer (an inactive user, a retired code): show it as it is.
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))


class BoolEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        self.box = QCheckBox(parent)
        self.box.setObjectName(f"field_{spec.name}")
        super().__init__(spec, self.box)
        self._initial = False

    def value(self) -> bool:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(bool(value))


class DateField(QWidget):
    """A date that may stay empty: a tick says a date is set; no tick stores nothing (never 1900-01-01)."""

    changed = Signal()

    def __init__(self, required: bool = False, empty_text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.required = required
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.check = QCheckBox(self)
        self.check.setToolTip(self.tr("Tick to enter a date; no tick leaves the date empty"))
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        # The minimum is only the "not set" marker shown as empty_text; it is never handed out.
        self._unset = QDate(1900, 1, 1)
        self.edit.setMinimumDate(self._unset)
        self.edit.setMaximumDate(QDate(2100, 12, 31))
        self.edit.setSpecialValueText(empty_text)
        layout.addWidget(self.check)
        layout.addWidget(self.edit, 1)
        self.check.setVisible(not required)
        self.check.toggled.connect(self._on_toggled)
        self.edit.dateChanged.connect(lambda _date: self.changed.emit())
        self.set_value(date.today() if required else None)

    def _on_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(checked)
        if checked and self.edit.date() == self._unset:
            self.edit.setDate(QDate.currentDate())
        elif not checked:
            self.edit.setDate(self._unset)
        self.changed.emit()

    def value(self) -> date | None:
        if not self.required and not self.check.isChecked():
            return None
        value = self.edit.date()
        return None if value == self._unset else date(value.year(), value.month(), value.day())

    def set_value(self, value: date | None) -> None:
        if value is None and not self.required:
            self.check.setChecked(False)
            self._on_toggled(False)
            return
        value = value or date.today()
        self.check.setChecked(True)
        self.edit.setEnabled(True)
        self.edit.setDate(QDate(value.year, value.month, value.day))


class DateEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, empty_text: str, parent: QWidget | None = None) -> None:
        self.field = DateField(spec.required, empty_text, parent)
        self.field.setObjectName(f"field_{spec.name}")
        super().__init__(spec, self.field, self.field.edit)
        self._initial = self.value()

    def value(self) -> date | None:
        return self.field.value()

    def set_value(self, value: Any) -> None:
        self.field.set_value(value)


class InvalidReasonField(QWidget):
    """Why a lead is invalid, as the lead tab's "mark invalid…" asks it: a reason from the team's list and,
    for a reason that allows them, the user's own words (stored "code:words", shown "label：words")."""

    changed = Signal()

    def __init__(self, reasons: list[InvalidReason], empty_label: str, detail_placeholder: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reasons = {reason.code: reason for reason in reasons}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.combo = QComboBox(self)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(6)
        self.combo.addItem(empty_label, None)
        for reason in reasons:
            self.combo.addItem(reason.label, reason.code)
        self.detail = QLineEdit(self)
        self.detail.setMaxLength(150)  # as the mark-invalid dialog: "code:" and the words fit in 200
        self.detail.setPlaceholderText(detail_placeholder)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.detail, 1)
        self._active = True
        self.combo.currentIndexChanged.connect(self._on_reason)
        self.detail.textChanged.connect(lambda _text: self.changed.emit())
        self._on_reason()

    def _takes_words(self) -> bool:
        reason = self.reasons.get(str(self.combo.currentData()))
        return reason is not None and reason.free_text

    def _on_reason(self) -> None:
        if not self._takes_words():
            self.detail.clear()
        self.detail.setEnabled(self._active and self._takes_words())
        self.changed.emit()

    def set_active(self, active: bool) -> None:
        """Only an invalid lead has a reason: inactive, the field is greyed out and holds nothing."""
        self._active = active
        self.combo.setEnabled(active)
        self.detail.setEnabled(active and self._takes_words())
        self.changed.emit()

    def is_active(self) -> bool:
        return self._active

    def value(self) -> str | None:
        if not self._active or self.combo.currentData() is None:
            return None
        code, words = str(self.combo.currentData()), self.detail.text().strip()
        return f"{code}:{words}" if words and code in self.reasons else code

    def set_value(self, stored: str | None) -> None:
        code, _sep, words = (stored or "").partition(":")
        if stored and code not in self.reasons:
            # Typed before the list existed, or a code since removed: shown (and kept) as it is.
            index = self.combo.findData(stored)
            if index < 0:
                self.combo.addItem(invalid_reason_label(list(self.reasons.values()), stored), stored)
                index = self.combo.count() - 1
            code, words = stored, ""
        else:
            index = max(self.combo.findData(code if stored else None), 0)
        self.combo.setCurrentIndex(index)
        self.detail.setText(words)
        self.detail.setEnabled(self._active and (self._takes_words() or bool(words)))
        self.setToolTip(invalid_reason_label(list(self.reasons.values()), stored))


class InvalidReasonEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, reasons: list[InvalidReason], empty_label: str, detail_placeholder: str,
                 parent: QWidget | None = None) -> None:
        self.field = InvalidReasonField(reasons, empty_label, detail_placeholder, parent)
        self.field.setObjectName(f"field_{spec.name}")
        self.field.combo.setObjectName(f"field_{spec.name}_reason")
        self.field.detail.setObjectName(f"field_{spec.name}_detail")
        super().__init__(spec, self.field, self.field.combo)

    def value(self) -> str | None:
        return self.field.value()

    def set_value(self, value: Any) -> None:
        self.field.set_value(None if value is None else str(value))


NAME_ROLE = Qt.ItemDataRole.UserRole + 10
ID_ROLE = Qt.ItemDataRole.UserRole + 11


class CustomerPicker(QLineEdit):
    """Type a name, pinyin initials or phone digits; pick the customer from the list that drops down.

    The picked customer's id is the value; editing the text afterwards clears it, so a half-typed
    name is never saved as a link to the wrong customer.
    """

    customer_changed = Signal(object)  # the id, or None

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self._customer_id: str | None = None
        self._chosen_text = ""
        self.hits = QStandardItemModel(self)
        self.completer_ = QCompleter(self.hits, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setCompletionRole(NAME_ROLE)
        self.completer_.setWidget(self)
        self.completer_.activated[QModelIndex].connect(self._on_activated)  # type: ignore[index]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.run_search)
        self.textEdited.connect(self._on_edited)

    def customer_id(self) -> str | None:
        return self._customer_id

    def set_customer(self, customer_id: str | None, name: str | None = None) -> None:
        if customer_id is not None and name is None:
            name = str(self.services.customers.get(self.actor, customer_id)["name"])
        self._customer_id = customer_id
        self._chosen_text = name or ""
        self.setText(self._chosen_text)
        self.customer_changed.emit(customer_id)

    def _on_edited(self, text: str) -> None:
        if self._customer_id is not None and text != self._chosen_text:
            self._customer_id = None
            self.customer_changed.emit(None)
        self._timer.start()

    def run_search(self) -> None:
        """Fill the drop-down with the customers matching the text (the search service, indexed)."""
        text = self.text().strip()
        self.hits.clear()
        if not text:
            return
        for hit in search(self.services.db, self.actor, text, limit=20, entities=("customer",)):
            label = " · ".join(part for part in (hit.title, hit.detail, hit.phone or "") if part)
            item = QStandardItem(label)
            item.setData(hit.title, NAME_ROLE)
            item.setData(hit.id, ID_ROLE)
            self.hits.appendRow(item)
        if self.hits.rowCount() and self.hasFocus():
            self.completer_.complete()

    def _on_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self.set_customer(index.data(ID_ROLE), index.data(NAME_ROLE))


class CustomerEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, services: Services, actor: Actor, placeholder: str,
                 parent: QWidget | None = None) -> None:
        self.picker = CustomerPicker(services, actor, parent)
        self.picker.setObjectName(f"field_{spec.name}")
        self.picker.setPlaceholderText(placeholder)
        super().__init__(spec, self.picker)

    def value(self) -> str | None:
        return self.picker.customer_id()

    def set_value(self, value: Any) -> None:
        self.picker.set_customer(value)


def user_options(services: Services, actor: Actor) -> list[tuple[Any, str]]:
    return [(user.id, str(user["display_name"])) for user in list_users(services.db, actor) if user["active"]]


def territory_options(services: Services) -> list[tuple[Any, str]]:
    """The team's territories by name (the ones the assignment rules can match), for the lead's picker."""
    return [(choice.id, choice.name) for choice in assignment_targets(services.db).territories]


def stage_options(services: Services, actor: Actor) -> list[tuple[Any, str]]:
    stages = list_stages(services.db, actor)
    pipelines = {stage["pipeline_code"] for stage in stages}
    name_key = "name_en" if current_language() == "en" else "name_zh"
    options = []
    for stage in stages:
        label = str(stage[name_key])
        if len(pipelines) > 1:
            label = f"{code_label('', 'pipeline', stage['pipeline_code'])} · {label}"
        options.append((stage.id, label))
    return options


def pipeline_options(services: Services, actor: Actor) -> list[tuple[Any, str]]:
    codes: list[str] = []
    for stage in list_stages(services.db, actor):
        if stage["pipeline_code"] not in codes:
            codes.append(str(stage["pipeline_code"]))
    return code_labels("", "pipeline", tuple(codes))


def related_options(services: Services, actor: Actor, entity: str, customer_id: str | None) -> list[tuple[Any, str]]:
    """A customer's contacts or deals, for the pickers that depend on the chosen customer."""
    if customer_id is None:
        return []
    service = services.contacts if entity == "contact" else services.opportunities
    query = ListQuery(filters={"customer_id": customer_id})
    return [(row[0], str(row[1])) for row in service.page(actor, query, 0, 200)]


def choice_options(entity: str, spec: FieldSpec, current: Any = None) -> list[tuple[Any, str]]:
    codes = spec.choices
    if entity == "lead" and spec.name == "status" and current != "converted":
        # Only converting a lead makes it converted: do not offer what the service refuses.
        codes = tuple(code for code in codes if code != "converted")
    return code_labels(entity, spec.name, codes)
