"""`WalkInDialog`: the front desk's quick entry of a showroom visitor (客流登记), keyboard only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.labels import code_label, code_labels, entity_singular, field_title
from crmdesk.services.entities import Record
from crmdesk.services.errors import UserError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.services.walk_in import (
    WALK_IN_FIELDS,
    KnownPerson,
    configured_walk_in_sources,
    find_known,
    log_revisit,
    register_walk_in,
    walk_in_sources,
)
from crmdesk.views.errors import show_user_error
from crmdesk.views.field_editors import ComboEditor, DateEditor, FieldEditor, TextEditor, user_options
from crmdesk.views.formatting import format_date, format_datetime
from crmdesk.views.record_form import FORM_STYLE, FieldErrorMarks, banner_label, error_label, field_cell

KNOWN_DELAY_MS = 150  # the known-person check waits for a pause in typing this long

KNOWN_STYLE = """
QFrame#knownPanel { background: #fff8e1; border: 1px solid #f0c36d; border-radius: 3px; }
QFrame#knownPanel QLabel { background: transparent; border: none; }
QLabel[role="known-title"] { color: #7a5400; font-weight: bold; }
"""


class WalkInDialog(QDialog):
    """Register a showroom visitor in under 30 seconds: fields in tab order, Enter saves, Esc cancels.

    While the mobile number or the name is typed, the people already in the book with that number
    (or name) are listed under the mobile field, each with a button that logs a revisit for them
    instead of a new lead. After `accepted`, `record` holds the new lead or `revisit` the logged visit
    (and `revisited` whom it was for).
    """

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None, *,
                 sources: Sequence[str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("walkInDialog")
        self.setWindowTitle(self.tr("Walk-in registration"))
        self.setStyleSheet(FORM_STYLE + KNOWN_STYLE)
        self.services = services
        self.actor = actor
        self.record: Record | None = None
        self.revisit: Record | None = None
        self.revisited: KnownPerson | None = None
        self.known: list[KnownPerson] = []
        self.editors: dict[str, FieldEditor] = {}
        self.revisit_buttons: list[QPushButton] = []

        layout = QVBoxLayout(self)
        self.banner = banner_label(self)
        self.marks = FieldErrorMarks(self.banner)
        layout.addWidget(self.banner)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        specs = {spec.name: spec for spec in WALK_IN_FIELDS}
        row = 0
        for spec in WALK_IN_FIELDS:
            editor = self._editor(spec.name, sources)
            self._place(grid, row, spec.name, editor, spec.required)
            row += 1
            if spec.name == "phone":
                self.known_panel = self._known_panel()
                grid.addWidget(self.known_panel, row, 1)
                row += 1
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(row, 1)
        layout.addLayout(grid, 1)
        assert set(self.editors) == set(specs)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)  # Enter in any field saves
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._known_timer = QTimer(self)
        self._known_timer.setSingleShot(True)
        self._known_timer.setInterval(KNOWN_DELAY_MS)
        self._known_timer.timeout.connect(self.refresh_known)
        self._line("phone").textChanged.connect(lambda _text: self._known_timer.start())
        self._line("name").textChanged.connect(lambda _text: self._known_timer.start())

        self._line("name").setFocus(Qt.FocusReason.OtherFocusReason)
        self.setMinimumWidth(500)
        self.resize(max(self.minimumWidth(), self.sizeHint().width()), self.sizeHint().height())

    # ---- building ------------------------------------------------------------------------
    def _editor(self, name: str, sources: Sequence[str] | None) -> FieldEditor:
        spec = next(spec for spec in WALK_IN_FIELDS if spec.name == name)
        editor: FieldEditor
        if name == "gender":
            # Offered empty, never pre-chosen: the showroom rules want it right, not defaulted.
            editor = ComboEditor(replace(spec, required=False), code_labels("lead", name, spec.choices), "", self)
        elif name == "source":
            offered = walk_in_sources(sources) if sources else configured_walk_in_sources(self.services)
            editor = ComboEditor(spec, code_labels("lead", name, offered), parent=self)
        elif name == "intended_purchase_date":
            # Empty until the visitor says (today would be a guess); required, so the tick must be set.
            editor = DateEditor(replace(spec, required=False), self.tr("not set"), self)
        elif name == "owner_id":
            editor = ComboEditor(spec, user_options(self.services, self.actor), "", self)
            editor.set_value(self.actor.user_id)
        else:
            editor = TextEditor(spec, self)
            placeholders = {
                "name": self.tr("Surname at least, e.g. Mr Zhang"),
                "phone": self.tr("e.g. 13812345678"),
                "visitors_count": "1",
            }
            if name in placeholders:
                editor.line.setPlaceholderText(placeholders[name])
        self.editors[name] = editor
        return editor

    def _title(self, name: str) -> str:
        if name == "owner_id":
            return self.tr("Consultant")
        if name == "phone":
            return self.tr("Mobile")
        return field_title("lead", name)

    def _place(self, grid: QGridLayout, row: int, name: str, editor: FieldEditor, required: bool) -> None:
        title = self._title(name)
        label = QLabel(f"{title} <span style='color:#c5221f'>*</span>" if required else title, self)
        label.setObjectName(f"label_{name}")
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        focus = editor.focus_widget
        if isinstance(editor, DateEditor):
            # An empty date is set with its tick box: the label and an error lead there, and the red
            # border goes round tick and date together (a style sheet border needs a styled background).
            focus = editor.field
            focus.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
            inner = focus.layout()
            if inner is not None:
                inner.setContentsMargins(1, 1, 1, 1)  # room for that border outside tick and date
            focus.setFocusProxy(editor.field.check)
        label.setBuddy(focus)
        error = error_label(name, self)
        self.marks.add(name, focus, error)
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(field_cell(editor.widget, error, self), row, 1, Qt.AlignmentFlag.AlignTop)
        label.setMinimumHeight(editor.widget.sizeHint().height())

    def _known_panel(self) -> QFrame:
        panel = QFrame(self)
        panel.setObjectName("knownPanel")
        box = QVBoxLayout(panel)
        box.setContentsMargins(8, 6, 8, 6)
        box.setSpacing(4)
        title = QLabel(self.tr("Already in the book: log a revisit instead of a new lead?"), panel)
        title.setObjectName("knownTitle")
        title.setProperty("role", "known-title")
        title.setWordWrap(True)
        box.addWidget(title)
        self.known_rows = QVBoxLayout()
        self.known_rows.setSpacing(4)
        box.addLayout(self.known_rows)
        panel.hide()
        return panel

    def _line(self, name: str) -> Any:
        editor = self.editors[name]
        assert isinstance(editor, TextEditor)
        return editor.line

    def _fit_height(self) -> None:
        """As tall as the fields, the matches and the messages need now: no gaps, nothing squeezed."""
        self.resize(self.width(), self.heightForWidth(self.width()) if self.hasHeightForWidth()
                    else self.sizeHint().height())

    # ---- who is already known ------------------------------------------------------------
    def refresh_known(self) -> None:
        """List the people the typed mobile number (or name) already belongs to (an indexed lookup)."""
        self._known_timer.stop()
        phone = self._line("phone").text().strip() or None
        name = self._line("name").text().strip() or None
        known = find_known(self.services, self.actor, phone=phone, name=name)
        if known == self.known:
            return  # unchanged: keep the buttons, and the focus if it is on one
        self.known = known
        while self.known_rows.count():
            item = self.known_rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.revisit_buttons = []
        for number, person in enumerate(known):
            self.known_rows.addWidget(self._known_row(number, person))
        # Tab from the mobile field reaches the revisit buttons before the next field.
        previous: QWidget = self._line("phone")
        for button in self.revisit_buttons:
            QWidget.setTabOrder(previous, button)
            previous = button
        if self.revisit_buttons:
            QWidget.setTabOrder(previous, self.editors["gender"].focus_widget)
        self.known_panel.setVisible(bool(known))
        self._fit_height()

    def _known_row(self, number: int, person: KnownPerson) -> QWidget:
        row = QWidget(self.known_panel)
        row.setObjectName(f"known_{number}")
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        text = QLabel(self.describe(person), row)
        text.setObjectName(f"knownText_{number}")
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        line.addWidget(text, 1)
        button = QPushButton(self.tr("Log revisit"), row)
        button.setObjectName(f"revisitButton_{number}")
        button.setToolTip(self.tr("Record this visit on the existing record; no new lead is made"))
        button.clicked.connect(lambda _checked=False, p=person: self.log_revisit_for(p))
        line.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self.revisit_buttons.append(button)
        return row

    def describe(self, person: KnownPerson) -> str:
        """Two lines: who it is (kind, name, phone, status); whose it is and when it was last followed up."""
        same_name = self.tr("same name") if person.match == "name" else ""
        who = " · ".join(part for part in (
            entity_singular(person.entity), person.name, person.phone or "",
            code_label(person.entity, "status", person.status), same_name) if part)
        if person.owner_name:
            owner = self.tr("Owner: {name}").format(name=person.owner_name)
        elif person.entity == "customer":
            owner = self.tr("Owner: public pool")
        else:
            owner = self.tr("Owner: nobody")
        followed = (self.tr("Last follow-up: {time}").format(time=format_datetime(person.last_followup_at))
                    if person.last_followup_at else self.tr("Not followed up yet"))
        return f"{who}\n{owner} · {followed}"

    def log_revisit_for(self, person: KnownPerson) -> None:
        """Log the visit on the known lead or customer (with what was typed as its note) and close."""
        self.marks.clear()
        try:
            self.revisit = log_revisit(
                self.services, self.actor, person.entity, person.id, self._revisit_note(),
                self.editors["visitors_count"].value() or None,
                consultant_id=self.editors["owner_id"].value(),
            )
        except UserError as error:
            show_user_error(self, error)
            return
        self.revisited = person
        self.accept()

    def _revisit_note(self) -> str:
        """What the desk typed about this visit (product, purchase date, area), kept on the revisit."""
        lines = []
        for name in ("intended_product", "intended_purchase_date", "residential_area"):
            value = self.editors[name].value()
            text = format_date(value) if name == "intended_purchase_date" and value else str(value or "").strip()
            if text:
                lines.append(self.tr("{title}: {value}").format(title=field_title("lead", name), value=text))
        return "\n".join(lines)

    # ---- saving --------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        rest = self.marks.mark(errors, self.tr("Please correct the marked fields."))
        self._fit_height()
        return rest

    def save(self) -> None:
        """Create the lead; on a ValidationError stay open with everything typed and the bad fields marked."""
        self.marks.clear()
        try:
            self.record = register_walk_in(self.services, self.actor, self.values())
        except UserError as error:
            show_user_error(self, error)
            return
        self.accept()
