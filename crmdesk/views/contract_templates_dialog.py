"""合同模板 (`ContractTemplatesDialog`): pick a contract template, edit its text with the placeholders listed for
insertion, see its versions (an old one can be loaded back into the editor), and save a new version; an
unknown placeholder is refused with the message and the text stays as typed. Managers edit; others read."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from crmdesk.services import contracts
from crmdesk.services.contracts import ContractTemplateInfo
from crmdesk.services.errors import UserError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_datetime
from crmdesk.views.record_form import FORM_STYLE, FieldErrorMarks, banner_label, error_label, field_cell

NEW_TEMPLATE = "__new__"


class ContractTemplatesDialog(QDialog):
    """The contract templates: each saved text is a new version; contracts keep the version they used."""

    saved = Signal(object)  # the ContractTemplateInfo stored

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contractTemplatesDialog")
        self.setWindowTitle(self.tr("Contract templates"))
        self.setStyleSheet(FORM_STYLE)
        self.services, self.actor = services, actor
        self.may_edit = actor.role in contracts.TEMPLATE_EDITOR_ROLES
        self.versions: list[ContractTemplateInfo] = []
        self.last_error: QWidget | None = None
        self.resize(1100, 760)

        self.template_box = QComboBox(self)
        self.template_box.setObjectName("templateChoice")
        self.template_box.currentIndexChanged.connect(lambda _index: self._template_chosen())
        self.banner = banner_label(self)
        self.marks = FieldErrorMarks(self.banner)
        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName("templateCode")
        self.code_edit.setMaxLength(40)
        self.code_edit.setPlaceholderText(self.tr("lower-case letters, digits and _, e.g. lease_sale"))
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("templateName")
        self.name_edit.setMaxLength(100)
        self.body_edit = QPlainTextEdit(self)
        self.body_edit.setObjectName("templateBody")
        self.body_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.body_edit.textChanged.connect(self._text_changed)
        form = QGridLayout()
        for row, (name, title, widget) in enumerate((("code", self.tr("Code"), self.code_edit),
                                                     ("name", self.tr("Name"), self.name_edit),
                                                     ("body", self.tr("Text"), self.body_edit))):
            error = error_label(name, self)
            self.marks.add(name, widget, error)
            label = QLabel(title, self)
            label.setBuddy(widget)
            form.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            form.addWidget(field_cell(widget, error, self), row, 1)
        form.setColumnStretch(1, 1)
        form.setRowStretch(2, 1)
        editor = QWidget(self)
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self.banner)
        editor_layout.addLayout(form, 1)

        placeholders_box = QGroupBox(self.tr("Placeholders (double-click to insert)"), self)
        self.placeholder_list = QListWidget(placeholders_box)
        self.placeholder_list.setObjectName("placeholderList")
        for name, description in contracts.placeholders():
            item = QListWidgetItem(f"{name}  {description}", self.placeholder_list)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(description)
        self.placeholder_list.itemDoubleClicked.connect(lambda item: self.insert_placeholder(
            str(item.data(Qt.ItemDataRole.UserRole))))
        self.insert_button = QPushButton(self.tr("Insert"), placeholders_box)
        self.insert_button.setObjectName("insertPlaceholderButton")
        self.insert_button.clicked.connect(lambda: self._insert_current())
        placeholders_layout = QVBoxLayout(placeholders_box)
        placeholders_layout.addWidget(self.placeholder_list, 1)
        placeholders_layout.addWidget(self.insert_button)
        versions_box = QGroupBox(self.tr("Versions"), self)
        self.version_list = QListWidget(versions_box)
        self.version_list.setObjectName("versionList")
        self.version_list.currentRowChanged.connect(lambda _row: self._enable())
        self.version_list.itemDoubleClicked.connect(lambda _item: self.load_selected_version())
        self.load_button = QPushButton(self.tr("Load into the editor"), versions_box)
        self.load_button.setObjectName("loadVersionButton")
        self.load_button.setToolTip(self.tr("Saving it then makes it the newest version again"))
        self.load_button.clicked.connect(lambda: self.load_selected_version())
        versions_layout = QVBoxLayout(versions_box)
        versions_layout.addWidget(self.version_list, 1)
        versions_layout.addWidget(self.load_button)
        side = QSplitter(Qt.Orientation.Vertical, self)
        side.addWidget(placeholders_box)
        side.addWidget(versions_box)
        side.setStretchFactor(0, 3)
        side.setStretchFactor(1, 2)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(editor)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.state_label = QLabel(self)
        self.state_label.setObjectName("templateState")
        self.state_label.setProperty("role", "info")
        self.save_button = QPushButton(self.tr("Save as a new version"), self)
        self.save_button.setObjectName("saveTemplateButton")
        self.save_button.clicked.connect(lambda: self.save())
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("closeTemplatesButton")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Template:"), self))
        top.addWidget(self.template_box, 1)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state_label, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.reload()

    # ---- showing ---------------------------------------------------------------------------------------------
    def reload(self, code: str | None = None) -> None:
        chosen = code or self.current_code()
        self.template_box.blockSignals(True)
        self.template_box.clear()
        for template in contracts.list_templates(self.services.db):
            self.template_box.addItem(self.tr("{name} ({code}, V{version})").format(
                name=template.name, code=template.code, version=template.version), template.code)
        if self.may_edit:
            self.template_box.addItem(self.tr("New template…"), NEW_TEMPLATE)
        index = self.template_box.findData(chosen)
        self.template_box.setCurrentIndex(max(index, 0))
        self.template_box.blockSignals(False)
        self._template_chosen()

    def current_code(self) -> str | None:
        data = self.template_box.currentData()
        return str(data) if data else None

    def _template_chosen(self) -> None:
        code = self.current_code()
        self.marks.clear()
        self.version_list.clear()
        self.versions = []
        if code is None or code == NEW_TEMPLATE:
            self.code_edit.clear()
            self.name_edit.clear()
            self.body_edit.setPlainText("")
        else:
            self.versions = contracts.template_versions(self.services.db, code)
            for version in reversed(self.versions):  # newest first
                when = format_datetime(version.created_at) if version.created_at else self.tr("built in")
                item = QListWidgetItem(f"V{version.version}  {version.name}  {when}", self.version_list)
                item.setData(Qt.ItemDataRole.UserRole, version.version)
            current = self.versions[-1]
            self.code_edit.setText(current.code)
            self.name_edit.setText(current.name)
            self.body_edit.setPlainText(current.body)
            self.version_list.setCurrentRow(0)
        new = code == NEW_TEMPLATE
        self.code_edit.setReadOnly(not new)
        self.code_edit.setEnabled(new)  # a template keeps its code; only a new one is given one
        self.name_edit.setReadOnly(not self.may_edit)
        self.body_edit.setReadOnly(not self.may_edit)
        self.save_button.setVisible(self.may_edit)
        self.state_label.setText("" if self.may_edit else self.tr("Only a manager can change the templates."))
        self._enable()

    def _enable(self) -> None:
        self.insert_button.setEnabled(self.may_edit)
        self.placeholder_list.setEnabled(True)
        self.load_button.setEnabled(self.may_edit and self.version_list.currentRow() > 0)

    def _text_changed(self) -> None:
        if self.versions and self.may_edit:
            changed = self.body_edit.toPlainText() != self.versions[-1].body
            self.state_label.setText(self.tr("Changed: saving makes version {version}.").format(
                version=self.versions[-1].version + 1) if changed else "")

    # ---- editing -----------------------------------------------------------------------------------------------
    def insert_placeholder(self, name: str) -> None:
        """Put `name` ({customer_name}, ...) where the cursor is in the text."""
        if not self.may_edit:
            return
        self.body_edit.insertPlainText(name)
        self.body_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _insert_current(self) -> None:
        item = self.placeholder_list.currentItem()
        if item is not None:
            self.insert_placeholder(str(item.data(Qt.ItemDataRole.UserRole)))

    def load_selected_version(self) -> ContractTemplateInfo | None:
        """The text of the version chosen in the list, into the editor (saved, it becomes the newest)."""
        item = self.version_list.currentItem()
        if item is None or not self.may_edit:
            return None
        number = int(item.data(Qt.ItemDataRole.UserRole))
        version = next((info for info in self.versions if info.version == number), None)
        if version is None:
            return None
        self.name_edit.setText(version.name)
        self.body_edit.setPlainText(version.body)
        return version

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        return self.marks.mark(errors, self.tr("Please correct the marked fields."))

    def save(self) -> ContractTemplateInfo | None:
        """The text as typed stored as the template's next version; None (nothing lost) when refused."""
        if not self.may_edit:
            return None
        code = self.code_edit.text().strip()
        try:
            info = contracts.save_template(self.services.db, self.actor, code, self.name_edit.text(),
                                           self.body_edit.toPlainText())
        except UserError as error:
            self.last_error = show_user_error(self, error)
            return None
        self.reload(info.code)
        self.state_label.setText(self.tr("Saved as version {version}.").format(version=info.version))
        self.saved.emit(info)
        return info

