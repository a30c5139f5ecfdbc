"""Detail forms: `RecordDialog` (create/edit any entity from its FieldSpecs) and `ConvertLeadDialog`."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.labels import code_label, field_title
from crmdesk.services.entities import EntityService, Record
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.fields import FieldSpec, parse_money
from crmdesk.services.lead_rules import assignment_history, load_scoring
from crmdesk.services.leads import Conversion, invalid_reasons
from crmdesk.services.personal_data import MASK_CHAR, reveal_personal_data
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.errors import show_user_error
from crmdesk.views.field_editors import (
    BoolEditor,
    ComboEditor,
    CustomerEditor,
    DateEditor,
    DateField,
    FieldEditor,
    InvalidReasonEditor,
    LongTextEditor,
    TextEditor,
    choice_options,
    pipeline_options,
    related_options,
    stage_options,
    territory_options,
    user_options,
)
from crmdesk.views.formatting import format_datetime
from crmdesk.views.history_panel import open_history

# Fields a form does not show: ids from imports, and links no picker offers yet (contracts).
HIDDEN_FIELDS = frozenset({"external_id", "contract_id"})

FORM_STYLE = """
*[invalid="true"] { border: 1px solid #d93025; border-radius: 2px; background: #fff6f5; }
QLabel[role="field-error"] { color: #c5221f; }
QLabel[role="form-error"] { color: #c5221f; font-weight: bold; }
QLabel[role="info"] { color: #444; }
"""


def service_for(services: Services, entity: str) -> EntityService:
    return {
        "lead": services.leads, "customer": services.customers, "contact": services.contacts,
        "opportunity": services.opportunities, "order": services.orders,
    }[entity]


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Turn the red border of a field on or off (the `invalid` property the style sheet reads)."""
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    # A dynamic property is read by the style sheet only when the widget is polished again.
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


class FieldErrorMarks:
    """Marks bad fields on a form: red border, the message under the field, focus on the first."""

    def __init__(self, banner: QLabel) -> None:
        self.banner = banner
        self.widgets: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}

    def add(self, name: str, focus_widget: QWidget, label: QLabel) -> None:
        self.widgets[name] = focus_widget
        self.labels[name] = label

    def clear(self) -> None:
        self.banner.hide()
        for name, widget in self.widgets.items():
            set_invalid(widget, False)
            self.labels[name].hide()

    def mark(self, errors: Mapping[str, str], banner_text: str) -> dict[str, str]:
        """Mark every field `errors` names; return the errors that belong to no field here."""
        self.clear()
        first: QWidget | None = None
        for name, widget in self.widgets.items():  # form order, so focus goes to the topmost
            if name not in errors:
                continue
            set_invalid(widget, True)
            self.labels[name].setText(errors[name])
            self.labels[name].show()
            first = first or widget
        if first is not None:
            self.banner.setText(banner_text)
            self.banner.show()
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return {name: text for name, text in errors.items() if name not in self.widgets}


def error_label(name: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(f"error_{name}")
    label.setProperty("role", "field-error")
    label.setWordWrap(True)
    label.hide()
    return label


def banner_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("formError")
    label.setProperty("role", "form-error")
    label.setWordWrap(True)
    label.hide()
    return label


def field_cell(editor_widget: QWidget, error: QLabel, parent: QWidget) -> QWidget:
    """The editor with its (usually hidden) error message right under it."""
    cell = QWidget(parent)
    layout = QVBoxLayout(cell)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(editor_widget)
    layout.addWidget(error)
    return cell


class MaskedTextEditor(TextEditor):
    """A personal-data field the user sees masked (138****5678): read-only, with a Show button that
    reveals the real value (audited) and makes the field editable. Until then the form sends nothing
    for it, and the service ignores the mask should it come back anyway."""

    def __init__(self, spec: FieldSpec, show_text: str, reveal: Any, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self._reveal = reveal
        container = QWidget(parent)
        layout = QHBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.line, 1)
        self.reveal_button = QPushButton(show_text, container)
        self.reveal_button.setObjectName(f"reveal_{spec.name}")
        self.reveal_button.clicked.connect(self.reveal)
        layout.addWidget(self.reveal_button)
        self.line.setReadOnly(True)
        self.widget = container
        self.focus_widget = self.line

    def reveal(self) -> str | None:
        value = self._reveal(self.spec.name)
        if value is None:
            return None
        self.load(value)
        self.line.setReadOnly(False)
        self.reveal_button.hide()
        return str(value)


class RecordDialog(QDialog):
    """Create or edit one record of any entity; the service validates, the dialog shows the result.

    On a ValidationError the dialog stays open with everything typed still there, marks each bad
    field and focuses the first. `record` holds the saved record after `accepted`.
    """

    COLUMNS = 2

    def __init__(self, services: Services, actor: Actor, entity: str, record_id: str | None = None,
                 parent: QWidget | None = None, defaults: Mapping[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"recordDialog_{entity}")
        self.services = services
        self.actor = actor
        self.entity = entity
        self.service = service_for(services, entity)
        self.record_id = record_id
        self.record: Record | None = None
        self.editors: dict[str, FieldEditor] = {}
        self._line_height = QLineEdit().sizeHint().height()  # a throwaway, never shown
        self.setStyleSheet(FORM_STYLE)
        self.setWindowTitle(self._title(None))

        stored = self.service.get(actor, record_id) if record_id else None
        self.masked = self.service.masked_for(actor) if stored is not None else ()
        self.banner = banner_label(self)
        self.marks = FieldErrorMarks(self.banner)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        specs = [spec for spec in self.service.fields if spec.name not in HIDDEN_FIELDS]
        short = [spec for spec in specs if spec.kind != "longtext"]
        long = [spec for spec in specs if spec.kind == "longtext"]
        for number, spec in enumerate(short):
            row, column = divmod(number, self.COLUMNS)
            current = stored.get(spec.name) if stored else None
            editor = self._editor(spec, current)
            self._place(grid, spec, editor, row, column * 2, 1)
        for number, spec in enumerate(long):
            row = (len(short) + self.COLUMNS - 1) // self.COLUMNS + number
            editor = self._editor(spec, None)
            self._place(grid, spec, editor, row, 0, self.COLUMNS * 2 - 1)
            grid.setRowStretch(row, 1)
        for column in range(self.COLUMNS):
            grid.setColumnStretch(column * 2 + 1, 1)
        if not long:
            grid.setRowStretch(grid.rowCount(), 1)  # spare height goes below the fields, not between
        layout.addLayout(grid, 1)
        self.rules_box: QGroupBox | None = None
        if self.entity == "lead" and stored is not None:
            self.rules_box = self._lead_rules_box(stored)
            layout.addWidget(self.rules_box)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.history_dialog: QDialog | None = None
        if stored is not None:  # an existing record: its change history, beside the form
            history = self.buttons.addButton(self.tr("History…"), QDialogButtonBox.ButtonRole.HelpRole)
            history.setObjectName("historyButton")
            history.setAutoDefault(False)
            history.clicked.connect(self.show_history)

        self._link_dependent_pickers()
        values = dict(stored.values) if stored else self._defaults(defaults or {})
        reason = self.editors.get("invalid_reason")
        if isinstance(reason, InvalidReasonEditor):
            # Set before loading, so the remembered value is the one an untouched form sends back.
            reason.field.set_active(values.get("status") == "invalid")
        for name, editor in self.editors.items():
            editor.load(values.get(name))
        self._link_status_and_reason()
        if stored:
            self.setWindowTitle(self._title(str(stored.get("name") or stored.get("number") or "")))
        # Just tall enough (a text box's own size hint is a screen high); the notes take any more.
        self.resize(max(self.sizeHint().width(), 720), self.minimumSizeHint().height() + 40)

    def show_history(self) -> QDialog:
        assert self.record_id is not None
        self.history_dialog = open_history(self, self.services, self.actor, self.entity, self.record_id,
                                           self.windowTitle())
        return self.history_dialog

    # ---- building ------------------------------------------------------------------------
    def _title(self, name: str | None) -> str:
        if name is None:
            titles = {
                "lead": self.tr("New lead"), "customer": self.tr("New customer"),
                "opportunity": self.tr("New opportunity"), "order": self.tr("New order"),
                "contact": self.tr("New contact"),
            }
        else:
            titles = {
                "lead": self.tr("Lead: {name}"), "customer": self.tr("Customer: {name}"),
                "opportunity": self.tr("Opportunity: {name}"), "order": self.tr("Order: {name}"),
                "contact": self.tr("Contact: {name}"),
            }
        return titles[self.entity].format(name=name)

    def _defaults(self, given: Mapping[str, Any]) -> dict[str, Any]:
        # A new lead without an owner goes to whoever the assignment rules choose (by default the creator).
        defaults: dict[str, Any] = {} if self.entity == "lead" else {"owner_id": self.actor.user_id}
        for spec in self.service.fields:
            if spec.kind == "choice" and spec.required:
                defaults[spec.name] = spec.choices[0]
        defaults.update(given)
        return defaults

    def _editor(self, spec: FieldSpec, current: Any) -> FieldEditor:
        editor: FieldEditor
        if spec.kind == "longtext":
            editor = LongTextEditor(spec, self)
        elif self.entity == "lead" and spec.name == "invalid_reason":
            editor = InvalidReasonEditor(spec, invalid_reasons(self.services.db), self.tr("(choose a reason)"),
                                         self.tr("Your own words"), self)
        elif spec.kind == "choice":
            editor = ComboEditor(spec, choice_options(self.entity, spec, current), parent=self)
            if self.entity == "lead" and spec.name == "status" and current == "converted":
                editor.widget.setEnabled(False)
        elif spec.kind == "date":
            editor = DateEditor(spec, self.tr("not set"), self)
        elif spec.kind == "bool":
            editor = BoolEditor(spec, self)
        elif spec.kind == "ref":
            editor = self._ref_editor(spec)
        elif spec.name in self.masked and isinstance(current, str) and MASK_CHAR in current:
            editor = MaskedTextEditor(spec, self.tr("Show"), self._reveal_field, self)
            editor.reveal_button.setToolTip(self.tr("Show the full value (the reveal is recorded in the audit log)"))
        else:  # text, phone, email, money, int: typed as text, converted and checked by the service
            editor = TextEditor(spec, self)
            if spec.kind == "money":
                editor.line.setPlaceholderText(self.tr("e.g. 12345.67"))
            elif spec.kind == "phone":
                editor.line.setPlaceholderText(self.tr("e.g. 13812345678"))
            elif self.entity == "lead" and spec.name == "score":
                editor.line.setPlaceholderText(self.tr("empty: by the scoring rules"))
                editor.line.setToolTip(self.tr("The scoring rules set the score; a score typed here replaces theirs."))
        self.editors[spec.name] = editor
        return editor

    def _reveal_field(self, name: str) -> str | None:
        assert self.record_id is not None
        try:
            return reveal_personal_data(self.services.db, self.actor, self.entity, self.record_id, name)
        except UserError as error:
            show_user_error(self, error)
            return None

    def _ref_editor(self, spec: FieldSpec) -> FieldEditor:
        if spec.name == "customer_id":
            return CustomerEditor(spec, self.services, self.actor,
                                  self.tr("Type a name, pinyin initials or phone digits"), self)
        if spec.name == "owner_id":
            if self.entity == "customer":
                empty = self.tr("(public pool)")
            elif self.entity == "lead" and self.record_id is None:
                empty = self.tr("(by the assignment rules)")
            else:
                empty = self.tr("(nobody)")
            return ComboEditor(spec, user_options(self.services, self.actor), empty, self)
        if spec.name == "territory_id":
            return ComboEditor(spec, territory_options(self.services), self.tr("(no territory)"), self)
        if spec.name == "stage_id":
            return ComboEditor(spec, stage_options(self.services, self.actor), parent=self)
        # Links that depend on the chosen customer: its contacts, its deals.
        return ComboEditor(spec, [], parent=self)

    def _link_dependent_pickers(self) -> None:
        customer = self.editors.get("customer_id")
        if not isinstance(customer, CustomerEditor):
            return
        for name, entity in (("contact_id", "contact"), ("opportunity_id", "opportunity")):
            dependent = self.editors.get(name)
            if isinstance(dependent, ComboEditor):
                def reload(customer_id: object, dependent: ComboEditor = dependent, entity: str = entity) -> None:
                    options = related_options(self.services, self.actor, entity,
                                              customer_id if isinstance(customer_id, str) else None)
                    dependent.set_options(options)

                customer.picker.customer_changed.connect(reload)

    def _link_status_and_reason(self) -> None:
        """The reason field is open only while the status is invalid; leaving invalid clears the reason."""
        status, reason = self.editors.get("status"), self.editors.get("invalid_reason")
        if not isinstance(status, ComboEditor) or not isinstance(reason, InvalidReasonEditor):
            return
        status.combo.currentIndexChanged.connect(
            lambda _index: reason.field.set_active(status.value() == "invalid"))

    def _lead_rules_box(self, lead: Record) -> QGroupBox:
        """What the rules made of the lead: its qualification (MQL/SQL) and who it was assigned to, by which rule."""
        box = QGroupBox(self.tr("Scoring and assignment"), self)
        box.setObjectName("leadRulesBox")
        form = QFormLayout(box)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.qualification_label = QLabel(self._qualification_text(lead), box)
        self.qualification_label.setObjectName("qualificationLabel")
        self.qualification_label.setProperty("role", "info")
        self.qualification_label.setWordWrap(True)
        form.addRow(field_title("lead", "qualification"), self.qualification_label)
        self.assignment_label = QLabel(self._assignment_text(lead.id), box)
        self.assignment_label.setObjectName("assignmentHistoryLabel")
        self.assignment_label.setProperty("role", "info")
        self.assignment_label.setWordWrap(True)
        self.assignment_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Assignments"), self.assignment_label)
        return box

    def _qualification_text(self, lead: Record) -> str:
        qualification = lead.get("qualification")
        if qualification == "sql":
            text = code_label("lead", "qualification", "sql")
            return (self.tr("{qualification}, accepted {at}").format(
                qualification=text, at=format_datetime(lead.get("accepted_at"))) if lead.get("accepted_at") else text)
        if qualification == "mql":
            text = code_label("lead", "qualification", "mql")
            return (self.tr("{qualification} since {at}").format(
                qualification=text, at=format_datetime(lead.get("mql_at"))) if lead.get("mql_at") else text)
        score = lead.get("score") if lead.get("score") is not None else "–"
        if lead.get("status") in ("converted", "invalid"):
            return self.tr("Not qualified: score {score}").format(score=score)
        threshold = int(load_scoring(self.services.db).get("mql_threshold", 60))
        return self.tr("Not qualified yet: score {score}, MQL from {threshold}").format(score=score,
                                                                                      threshold=threshold)

    def _assignment_text(self, lead_id: str) -> str:
        lines = []
        for entry in assignment_history(self.services.db, lead_id):
            owner = entry.owner_name or self.tr("the public pool")
            rule = (self.tr("rule “{rule}”").format(rule=entry.rule_name) if entry.rule_name
                    else self.tr("no rule matched (fallback)"))
            lines.append(self.tr("{at}: to {owner}, {rule}").format(at=format_datetime(entry.at), owner=owner,
                                                                    rule=rule))
        return "\n".join(lines) or self.tr("No assignment by the rules recorded.")

    def _place(self, grid: QGridLayout, spec: FieldSpec, editor: FieldEditor, row: int, column: int,
               span: int) -> None:
        title = field_title(self.entity, spec.name)
        label = QLabel(f"{title} <span style='color:#c5221f'>*</span>" if spec.required else title, self)
        label.setObjectName(f"label_{spec.name}")
        label.setBuddy(editor.focus_widget)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        error = error_label(spec.name, self)
        self.marks.add(spec.name, editor.focus_widget, error)
        align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
        grid.addWidget(label, row, column, align)
        # Top-aligned: a message under a field in one column must not shift the field beside it.
        grid.addWidget(field_cell(editor.widget, error, self), row, column + 1, 1, span, Qt.AlignmentFlag.AlignTop)
        # The label sits level with the editor (its first line), not with the editor-plus-message cell.
        label.setMinimumHeight(self._line_height if spec.kind == "longtext" else editor.widget.sizeHint().height())

    # ---- saving --------------------------------------------------------------------------
    def values(self, *, changed_only: bool) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()
                if not changed_only or editor.is_changed()}

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        return self.marks.mark(errors, self.tr("Please correct the marked fields."))

    def save(self) -> None:
        self.marks.clear()
        try:
            if self.record_id is None:
                self.record = self.service.create(self.actor, self.values(changed_only=False))
            else:
                changes = self.values(changed_only=True)
                self.record = (self.service.update(self.actor, self.record_id, changes) if changes
                               else self.service.get(self.actor, self.record_id))
        except UserError as error:
            show_user_error(self, error)
            return
        self.accept()


class ConvertLeadDialog(QDialog):
    """Turn a lead into customer + contact + opportunity (one transaction in LeadService.convert)."""

    def __init__(self, services: Services, actor: Actor, lead_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("convertLeadDialog")
        self.services = services
        self.actor = actor
        self.lead_id = lead_id
        self.conversion: Conversion | None = None
        lead = services.leads.get(actor, lead_id)
        self.setWindowTitle(self.tr("Convert lead: {name}").format(name=lead["name"]))
        self.setStyleSheet(FORM_STYLE)

        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Converting creates a customer, a contact and an opportunity from this lead."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = banner_label(self)
        self.marks = FieldErrorMarks(self.banner)
        layout.addWidget(self.banner)

        grid = QGridLayout()
        grid.setVerticalSpacing(8)
        self.name_edit = QLineEdit(str(lead["intended_product"] or lead["name"]), self)
        self.name_edit.setObjectName("field_opportunity_name")
        self.amount_edit = QLineEdit(self)
        self.amount_edit.setObjectName("field_amount")
        self.amount_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount_edit.setPlaceholderText(self.tr("e.g. 12345.67"))
        pipeline_spec = FieldSpec("pipeline", "choice", required=True)
        self.pipeline = ComboEditor(pipeline_spec, pipeline_options(services, actor), parent=self)
        self.close_date = DateField(False, self.tr("not set"), self)
        self.close_date.set_value(lead["intended_purchase_date"])
        rows: list[tuple[str, str, QWidget, QWidget]] = [
            ("opportunity_name", self.tr("Opportunity name"), self.name_edit, self.name_edit),
            ("amount", field_title("opportunity", "amount"), self.amount_edit, self.amount_edit),
            ("pipeline", field_title("opportunity", "pipeline"), self.pipeline.combo, self.pipeline.combo),
            ("expected_close_date", field_title("opportunity", "expected_close_date"), self.close_date,
             self.close_date.edit),
        ]
        for row, (name, title, widget, focus) in enumerate(rows):
            label = QLabel(title, self)
            label.setBuddy(focus)
            error = error_label(name, self)
            self.marks.add(name, focus, error)
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(field_cell(widget, error, self), row, 1)
            label.setMinimumHeight(widget.sizeHint().height())
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        convert = self.buttons.addButton(self.tr("Convert"), QDialogButtonBox.ButtonRole.AcceptRole)
        convert.setObjectName("convertButton")
        self.buttons.accepted.connect(self.convert)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(max(self.sizeHint().width(), 460), self.sizeHint().height())

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        return self.marks.mark(errors, self.tr("Please correct the marked fields."))

    def convert(self) -> None:
        self.marks.clear()
        amount: Decimal | None = None
        if self.amount_edit.text().strip():
            try:
                amount = parse_money(self.amount_edit.text())
            except ValueError as problem:
                show_user_error(self, ValidationError({"amount": str(problem)}))
                return
        try:
            self.conversion = self.services.leads.convert(
                self.actor, self.lead_id,
                opportunity_name=self.name_edit.text().strip() or None,
                amount=amount,
                pipeline_code=str(self.pipeline.value()),
                expected_close_date=self.close_date.value(),
            )
        except UserError as error:
            show_user_error(self, error)
            return
        self.accept()
