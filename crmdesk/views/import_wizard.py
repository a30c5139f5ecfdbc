"""`ImportWizard`: bring leads, customers, contacts or opportunities in from a CSV or Excel file.

Four pages: the file and the kind of record; the columns (and values) mapped to our fields; the import
running on the thread pool with progress and cancel; what happened, with the first rejected rows.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from crmdesk.labels import code_label, entity_name, field_title
from crmdesk.services.errors import UserError
from crmdesk.services.fields import FieldSpec
from crmdesk.services.importer import (
    DATE_ORDERS,
    DUPLICATE_MODES,
    ENTITIES,
    FilePreview,
    ImportCancelled,
    ImportMapping,
    ImportOptions,
    ImportResult,
    import_file,
    inspect_file,
    list_mappings,
    load_mapping,
    mappable_fields,
    plan_columns,
    save_mapping,
)
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.settings import Settings
from crmdesk.views.background import BackgroundCaller
from crmdesk.views.errors import show_user_error
from crmdesk.views.formatting import format_count

MAPPINGS_FILE = "import-mappings.json"  # beside the settings file
SAMPLE_ROWS = 50  # rows read before importing: sample values and the distinct values of coded columns
SHOWN_PROBLEMS = 500  # rejected cells listed on the result page; the errors file has every row
SHOWN_VALUES = 12  # distinct values of a coded column listed as a hint for the value maps

# The tab a wizard opens from decides what it imports first; orders are not imported.
_KIND_OF_TAB = {"lead": "leads", "customer": "customers", "opportunity": "opportunities", "contact": "contacts"}
_TAB_OF_KIND = {"leads": "lead", "customers": "customer", "opportunities": "opportunity", "contacts": "contact"}
# Names that are not fields but fill one (the importer resolves a name to the record's id).
_FILLS = {"owner": "owner_id", "customer": "customer_id", "customer_external_id": "customer_id",
          "stage": "stage_id"}
_CODED_PSEUDO = ("stage", "pipeline", "owner")  # pseudo fields whose values name something of ours

IGNORE = ""  # the combo's data for "do not import this column"

_Button = QWizard.WizardButton
BUTTONS = [_Button.Stretch, _Button.BackButton, _Button.NextButton, _Button.CommitButton, _Button.FinishButton,
           _Button.CancelButton]  # QWizard's own order on Linux and Windows
RUNNING_BUTTONS = [_Button.Stretch, _Button.NextButton, _Button.CancelButton]


def import_kind_for_tab(tab: str) -> str:
    """What the wizard imports when opened from a tab (leads from the orders tab, which has no import)."""
    return _KIND_OF_TAB.get(tab, "leads")


def mappings_path(settings: Settings) -> Path:
    return Path(settings.path).parent / MAPPINGS_FILE


def cell_text(value: Any) -> str:
    """A cell as the sample shows it: Excel's whole floats without .0, dates without midnight."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _ProgressRelay(QObject):
    """Carries the importer's progress calls from the pool thread to the GUI thread (a queued signal)."""

    progressed = Signal(int, float)  # rows read, fraction of the file (-1: unknown)


class ImportWizard(QWizard):
    """Import a file; `import_finished(ImportResult)` is emitted when rows were committed."""

    import_finished = Signal(object)

    FILE_PAGE, MAPPING_PAGE, RUN_PAGE, RESULT_PAGE = range(4)

    def __init__(self, services: Services, actor: Actor, settings: Settings, entity: str = "leads",
                 parent: QWidget | None = None, *, path: str | Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.setWindowTitle(self.tr("Import records"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonLayout(BUTTONS)
        self.services = services
        self.actor = actor
        self.settings = settings
        self.mappings_file = mappings_path(settings)
        self.preview: FilePreview | None = None  # the headers and first rows of the chosen file
        self.preview_key: tuple[str, str, float] | None = None
        self.import_result: ImportResult | None = None
        self.error: UserError | None = None  # why the last run ended without a result
        self._cancel = threading.Event()
        self._running: int | None = None  # the ticket of the import running now
        self._close_when_done = False
        self._caller = BackgroundCaller()
        self._caller.finished.connect(self._on_finished)
        self._relay = _ProgressRelay()  # unparented: the running import holds it too
        self._relay.progressed.connect(self._on_progress)

        self.file_page = FilePage(self, entity if entity in ENTITIES else "leads", path)
        self.mapping_page = MappingPage(self)
        self.run_page = RunPage(self)
        self.result_page = ResultPage(self)
        for number, page in enumerate((self.file_page, self.mapping_page, self.run_page, self.result_page)):
            self.setPage(number, page)
        self.setStartId(self.FILE_PAGE)
        self.resize(1000, 760)

    # ---- what the pages chose ----------------------------------------------------------------
    @property
    def entity(self) -> str:
        return self.file_page.entity()

    @property
    def path(self) -> Path:
        return self.file_page.path()

    def specs(self) -> tuple[FieldSpec, ...]:
        service = {"leads": self.services.leads, "customers": self.services.customers,
                   "contacts": self.services.contacts, "opportunities": self.services.opportunities}[self.entity]
        return tuple(service.fields)

    def title_of(self, target: str) -> str:
        """A mapping target's Chinese (or English) title: the field's, or the one of the field it fills."""
        own = {"customer_external_id": self.tr("Customer external ID"),
               "stage_changed_at": self.tr("Stage changed on")}
        if target in own:
            return own[target]
        return field_title(_TAB_OF_KIND[self.entity], {"owner": "owner_id", "customer": "customer_id",
                                                      "stage": "stage_id"}.get(target, target))

    # ---- the import --------------------------------------------------------------------------
    def is_running(self) -> bool:
        return self._running is not None

    def start_import(self) -> None:
        """Run the import on the pool; progress and the outcome come back as signals."""
        if self._running is not None:
            return
        db, actor, entity, path = self.services.db, self.actor, self.entity, self.path
        options = self.mapping_page.options()
        relay, cancel = self._relay, threading.Event()
        self._cancel = cancel
        self.import_result = None
        self.error = None

        def progress(rows: int, fraction: float | None) -> None:
            relay.progressed.emit(rows, -1.0 if fraction is None else fraction)

        self._running = self._caller.start(
            lambda: import_file(db, actor, entity, path, options, progress=progress, cancel=cancel))
        self.run_page.started()

    def cancel_import(self) -> None:
        """Ask the running import to stop; it rolls back and reports ImportCancelled."""
        if self._running is not None:
            self._cancel.set()
            self.run_page.cancelling()

    def _on_progress(self, rows: int, fraction: float) -> None:
        if self._running is not None:
            self.run_page.show_progress(rows, None if fraction < 0 else fraction)

    def _on_finished(self, ticket: int, result: ImportResult | None, error: BaseException | None) -> None:
        if ticket != self._running:
            return
        self._running = None
        if error is not None and not isinstance(error, UserError):
            self.run_page.stopped(None)
            raise error  # a bug: the crash hook shows it
        self.error = error if isinstance(error, UserError) else None
        self.import_result = result
        if self._close_when_done:
            super().reject()
            return
        self.run_page.stopped(self.error)
        if result is not None:
            self.import_finished.emit(result)
            if self.currentId() == self.RUN_PAGE:
                self.next()

    def reject(self) -> None:
        # Closing while rows are being written cancels them first; the wizard closes once rolled back.
        if self._running is not None:
            self._close_when_done = True
            self.cancel_import()
            return
        super().reject()


class FilePage(QWizardPage):
    """Page 1: the file (typed or chosen) and what it holds."""

    def __init__(self, wizard: ImportWizard, entity: str, path: str | Path | None) -> None:
        super().__init__(wizard)
        self.import_wizard = wizard
        self.setObjectName("filePage")
        self.setTitle(self.tr("Choose a file"))
        self.setSubTitle(self.tr("A CSV file (UTF-8 or GBK, as Excel saves it) or an Excel workbook (.xlsx)."))

        self.path_edit = QLineEdit(str(path or ""), self)
        self.path_edit.setObjectName("pathEdit")
        self.path_edit.setPlaceholderText(self.tr("Path of the file to import"))
        self.path_edit.setClearButtonEnabled(True)
        self.path_edit.textChanged.connect(lambda _text: self.completeChanged.emit())
        self.browse_button = QPushButton(self.tr("Choose…"), self)
        self.browse_button.setObjectName("browseButton")
        self.browse_button.clicked.connect(self.choose_file)
        self.entity_combo = QComboBox(self)
        self.entity_combo.setObjectName("entityCombo")
        for kind in ENTITIES:
            self.entity_combo.addItem(entity_name(_TAB_OF_KIND[kind]), kind)
        self.entity_combo.setCurrentIndex(ENTITIES.index(entity))

        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        file_label = QLabel(self.tr("&File:"), self)
        file_label.setBuddy(self.path_edit)
        kind_label = QLabel(self.tr("&Import as:"), self)
        kind_label.setBuddy(self.entity_combo)
        form.addRow(file_label, row)
        form.addRow(kind_label, self.entity_combo)
        hint = QLabel(self.tr("The first row must hold the column headers. Headers in Chinese or English "
                              "(name, mobile, company, source …) are recognised; the others can be "
                              "mapped on the next page. Rows with problems are not imported: they are listed "
                              "and written to an errors file you can fix and import again."), self)
        hint.setWordWrap(True)
        hint.setObjectName("fileHint")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(12)
        layout.addWidget(hint)
        layout.addStretch(1)

    def entity(self) -> str:
        return str(self.entity_combo.currentData())

    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def choose_file(self) -> None:
        start = self.path_edit.text().strip() or str(Path.home())
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import a file"), start,
            self.tr("Spreadsheets (*.csv *.xlsx *.txt *.tsv);;CSV (*.csv *.txt *.tsv);;Excel (*.xlsx);;All files (*)"))
        if chosen:
            self.path_edit.setText(chosen)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:
        """Read the headers and a sample now, so a wrong file is said before any mapping is done."""
        path = self.path()
        try:
            key = (str(path.resolve()), self.entity(), path.stat().st_mtime if path.exists() else 0.0)
            if key != self.import_wizard.preview_key:
                self.import_wizard.preview = inspect_file(path, self.entity(), sample_rows=SAMPLE_ROWS)
                self.import_wizard.preview_key = key
        except UserError as error:
            show_user_error(self, error)
            return False
        except OSError as error:
            show_user_error(self, UserError(self.tr("The file cannot be read: {reason}").format(
                reason=error.strerror or error)))
            return False
        preview = self.import_wizard.preview
        if preview is None or not any(preview.plan.headers):
            show_user_error(self, UserError(self.tr("The file has no header row.")))
            return False
        return True


class MappingPage(QWizardPage):
    """Page 2: a field for each column (recognised ones chosen already), value maps and options."""

    COLUMN, SAMPLE, TARGET, STATUS = range(4)

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.import_wizard = wizard
        self.setObjectName("mappingPage")
        self.setTitle(self.tr("Map the columns"))
        self.setSubTitle(self.tr("Choose the field each column fills. Recognised columns are chosen already; "
                                 "the ones not recognised are marked."))
        self.built_for: tuple[str, str, float] | None = None
        self.headers: tuple[str, ...] = ()
        self.recognised: tuple[str | None, ...] = ()
        self.combos: list[QComboBox] = []
        self.sample: Sequence[Sequence[Any]] = ()

        self.saved_combo = QComboBox(self)
        self.saved_combo.setObjectName("savedMappingCombo")
        self.saved_combo.setMinimumWidth(180)
        self.apply_button = QPushButton(self.tr("Apply"), self)
        self.apply_button.setObjectName("applyMappingButton")
        self.apply_button.clicked.connect(self.apply_saved)
        self.save_name = QLineEdit(self)
        self.save_name.setObjectName("mappingNameEdit")
        self.save_name.setPlaceholderText(self.tr("Name for this mapping"))
        self.save_button = QPushButton(self.tr("Save mapping"), self)
        self.save_button.setObjectName("saveMappingButton")
        self.save_button.clicked.connect(self.save_current)
        saved_row = QHBoxLayout()
        saved_label = QLabel(self.tr("Saved mapping:"), self)
        saved_label.setBuddy(self.saved_combo)
        saved_row.addWidget(saved_label)
        saved_row.addWidget(self.saved_combo, 1)
        saved_row.addWidget(self.apply_button)
        saved_row.addSpacing(16)
        saved_row.addWidget(self.save_name, 1)
        saved_row.addWidget(self.save_button)

        self.summary = QLabel(self)
        self.summary.setObjectName("mappingSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("columnsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Column in the file"), self.tr("Sample values"),
                                              self.tr("Import as"), self.tr("Status")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.SAMPLE, QHeaderView.ResizeMode.Stretch)
        self.missing = QLabel(self)
        self.missing.setObjectName("missingFields")
        self.missing.setStyleSheet("color: #b00020;")
        self.missing.setWordWrap(True)

        self.date_order = QComboBox(self)
        self.date_order.setObjectName("dateOrderCombo")
        self.date_order.addItem(self.tr("Only unambiguous dates (2024-03-05, 2024/3/5)"), None)
        names = {"dmy": self.tr("Day/month/year (5/3/2024)"), "mdy": self.tr("Month/day/year (3/5/2024)"),
                 "ymd": self.tr("Year/month/day (2024/3/5)")}
        for order in DATE_ORDERS:
            self.date_order.addItem(names[order], order)
        self.duplicates = QComboBox(self)
        self.duplicates.setObjectName("duplicatesCombo")
        modes = {"skip": self.tr("Skip them"), "merge": self.tr("Merge: fill the empty fields of the existing record"),
                 "new": self.tr("Import as new records and flag them")}
        for mode in DUPLICATE_MODES:
            self.duplicates.addItem(modes[mode], mode)
        self.create_customers = QCheckBox(self.tr("Create the customers the file names that do not exist yet"), self)
        self.create_customers.setObjectName("createCustomersCheck")
        options = QGroupBox(self.tr("Options"), self)
        options_form = QFormLayout(options)
        options_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        options_form.addRow(self.tr("Dates like 3/5/2024:"), self.date_order)
        options_form.addRow(self.tr("Duplicates:"), self.duplicates)
        options_form.addRow(self.create_customers)

        values = QGroupBox(self.tr("Value maps"), self)
        self.values_hint = QLabel(self)
        self.values_hint.setObjectName("valuesHint")
        self.values_hint.setWordWrap(True)
        self.values_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.values_edit = QPlainTextEdit(self)
        self.values_edit.setObjectName("valueMapsEdit")
        self.values_edit.setPlaceholderText(self.tr("One per line, field: value in the file = our value, e.g.\n"
                                                    "Source: Douyin = Web"))
        self.values_edit.setTabChangesFocus(True)
        self.values_error = QLabel(self)
        self.values_error.setObjectName("valueMapsError")
        self.values_error.setStyleSheet("color: #b00020;")
        self.values_error.setWordWrap(True)
        self.values_edit.textChanged.connect(self.values_error.clear)
        # Four lines: enough for the usual stage or source names, and the column table keeps the room.
        self.values_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        values_layout = QVBoxLayout(values)
        values_layout.addWidget(self.values_hint)
        values_layout.addWidget(self.values_edit)
        values_layout.addWidget(self.values_error)
        values_layout.addStretch(1)

        bottom = QGridLayout()
        bottom.addWidget(options, 0, 0)
        bottom.addWidget(values, 0, 1)
        bottom.setColumnStretch(0, 2)
        bottom.setColumnStretch(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(saved_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.missing)
        layout.addLayout(bottom)

    # ---- building the page for a file -----------------------------------------------------------
    def initializePage(self) -> None:
        wizard = self.import_wizard
        if self.built_for == wizard.preview_key:
            return  # back from the run page, or to page 1 and on again: keep what the user chose
        self.built_for = wizard.preview_key
        preview = wizard.preview
        assert preview is not None  # the file page read it
        self.sample = preview.sample
        self.headers = tuple(preview.plan.headers)
        self.recognised = tuple(preview.plan.targets)
        self.create_customers.setVisible(wizard.entity in ("opportunities", "contacts"))
        self.create_customers.setChecked(False)
        self.values_edit.clear()
        self.date_order.setCurrentIndex(0)
        self.duplicates.setCurrentIndex(0)
        self._fill_table(preview.sample)
        self.set_targets(self.recognised)
        self.refresh_saved()

    def _targets_offered(self) -> list[str]:
        """Fields a user maps a column to: ids are left out where a name fills them (owner, customer, stage)."""
        wizard = self.import_wizard
        kinds = {spec.name: spec.kind for spec in wizard.specs()}
        return [name for name in mappable_fields(wizard.entity) if kinds.get(name) != "ref"]

    def _fill_table(self, sample: Sequence[Sequence[Any]]) -> None:
        wizard = self.import_wizard
        required = set(plan_columns(wizard.entity, []).missing_required)  # required and without a default
        offered = self._targets_offered()
        self.table.setRowCount(len(self.headers))
        self.combos = []
        for row, header in enumerate(self.headers):
            values = [cell_text(cells[row]) for cells in sample if row < len(cells)]
            distinct = list(dict.fromkeys(value for value in values if value))
            column_item = QTableWidgetItem(header or self.tr("(no header)"))
            sample_item = QTableWidgetItem(" | ".join(distinct[:4]))
            sample_item.setToolTip("\n".join(distinct[:20]))
            self.table.setItem(row, self.COLUMN, column_item)
            self.table.setItem(row, self.SAMPLE, sample_item)
            self.table.setItem(row, self.STATUS, QTableWidgetItem())
            combo = QComboBox(self.table)
            combo.setObjectName(f"target_{row}")
            combo.addItem(self.tr("(do not import)"), IGNORE)
            targets = list(offered)
            if self.recognised[row] and self.recognised[row] not in targets:
                targets.append(str(self.recognised[row]))  # an id column mapped by its own name
            for target in targets:
                title = wizard.title_of(target)
                if target in required or _FILLS.get(target) in required:
                    title = self.tr("{field} (required)").format(field=title)
                combo.addItem(title, target)
            combo.currentIndexChanged.connect(lambda _index, r=row: self._target_changed(r))
            self.table.setCellWidget(row, self.TARGET, combo)
            self.combos.append(combo)
        self.table.resizeColumnToContents(self.COLUMN)
        widest = max([combo.sizeHint().width() for combo in self.combos] or [120])
        self.table.setColumnWidth(self.TARGET, widest + 8)
        self.table.setColumnWidth(self.STATUS, max(self.fontMetrics().horizontalAdvance(self.tr("Not recognised"))
                                                   + 36, 96))
        self.table.setColumnWidth(self.COLUMN, min(max(self.table.columnWidth(self.COLUMN) + 12, 110), 260))
        self.table.verticalHeader().setDefaultSectionSize(
            max(self.combos[0].sizeHint().height() + 4 if self.combos else 0, self.fontMetrics().height() + 10))

    def set_targets(self, targets: Sequence[str | None]) -> None:
        for row, combo in enumerate(self.combos):
            target = targets[row] if row < len(targets) else None
            index = combo.findData(target if target else IGNORE)
            combo.blockSignals(True)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
            self._show_status(row)
        self._update_summary()

    def _target_changed(self, row: int) -> None:
        self._show_status(row)
        self._update_summary()

    def target(self, row: int) -> str:
        return str(self.combos[row].currentData() or "")

    def _show_status(self, row: int) -> None:
        item = self.table.item(row, self.STATUS)
        column_item = self.table.item(row, self.COLUMN)
        assert item is not None and column_item is not None
        chosen, recognised = self.target(row), self.recognised[row]
        warning = not chosen and not recognised
        if warning:
            text = self.tr("Not recognised")
        elif not chosen:
            text = self.tr("Left out")
        elif chosen == recognised:
            text = self.tr("Recognised")
        else:
            text = self.tr("Mapped by hand")
        item.setText(text)
        item.setData(Qt.ItemDataRole.UserRole, "unrecognised" if warning else "")
        item.setForeground(QBrush(QColor("#b26a00" if warning else "#2e7d32" if chosen else "#666666")))
        column_item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning) if warning
                            else QIcon())
        header = self.headers[row]
        column_item.setToolTip(header + "\n" + self.tr("Not recognised: choose a field for this column, or it is "
                                                       "not imported.") if warning else header)

    def unrecognised_rows(self) -> list[int]:
        return [row for row in range(len(self.combos)) if not self.target(row) and not self.recognised[row]]

    def _update_summary(self) -> None:
        unrecognised = len(self.unrecognised_rows())
        imported = sum(1 for row in range(len(self.combos)) if self.target(row))
        text = self.tr("{imported} of {total} columns are imported.").format(
            imported=imported, total=len(self.combos))
        if unrecognised:
            text += " " + self.tr("{count} not recognised: choose a field for them or leave them out.").format(
                count=unrecognised)
        self.summary.setText(text)
        try:
            plan = plan_columns(self.import_wizard.entity, self.headers, ImportMapping(self.columns()))
        except UserError as error:
            self.missing.setText(error.message)
        else:
            titles = self.tr(", ").join(field_title(_TAB_OF_KIND[self.import_wizard.entity], name)
                                        for name in plan.missing_required)
            self.missing.setText(self.tr("Required fields without a column: {fields}").format(fields=titles)
                                 if titles else "")
        self.missing.setVisible(bool(self.missing.text()))
        self._update_values_hint()

    def _update_values_hint(self) -> None:
        """The distinct values of the coded columns in the sample, so a value map can be written for them."""
        wizard = self.import_wizard
        choices = {spec.name: spec for spec in wizard.specs() if spec.kind == "choice"}
        lines = []
        for row in range(len(self.combos)):
            target = self.target(row)
            if target not in choices and target not in _CODED_PSEUDO:
                continue
            values = [cell_text(cells[row]) for cells in self.sample if row < len(cells)]
            distinct = list(dict.fromkeys(value for value in values if value))[:SHOWN_VALUES]
            if distinct:
                lines.append(self.tr("{field} ({column}): {values}").format(
                    field=wizard.title_of(target), column=self.headers[row], values=self.tr(", ").join(distinct)))
        if lines:
            self.values_hint.setText(self.tr("Values in the file's coded columns:") + "\n" + "\n".join(lines))
        else:
            self.values_hint.setText(self.tr("No coded column (source, status, stage …) is mapped."))
        self.values_hint.setToolTip(self._accepted_values_text(choices))

    def _accepted_values_text(self, choices: dict[str, FieldSpec]) -> str:
        entity = _TAB_OF_KIND[self.import_wizard.entity]
        lines = []
        for name, spec in choices.items():
            labels = self.tr(", ").join(code_label(entity, name, code) for code in spec.choices)
            lines.append(f"{self.import_wizard.title_of(name)}: {labels}")
        return "\n".join(lines)

    # ---- what the page says ---------------------------------------------------------------------
    def columns(self) -> dict[str, str]:
        """header -> field or "" (left out): every column, so a saved mapping says what the user chose."""
        return {header: self.target(row) for row, header in enumerate(self.headers) if header}

    def value_maps(self) -> tuple[dict[str, dict[str, str]], list[str]]:
        """The value-map lines as field -> {value in the file: code}, and a message for each bad line."""
        wizard = self.import_wizard
        entity = _TAB_OF_KIND[wizard.entity]
        specs = {spec.name: spec for spec in wizard.specs()}
        names: dict[str, str] = {}
        for offered in (*self._targets_offered(), *mappable_fields(wizard.entity)):
            names.setdefault(offered, offered)
            names.setdefault(wizard.title_of(offered), offered)
        maps: dict[str, dict[str, str]] = {}
        problems: list[str] = []
        for number, raw in enumerate(self.values_edit.toPlainText().splitlines(), start=1):
            line = raw.strip().replace("：", ":").replace("＝", "=")
            if not line or line.startswith("#"):
                continue
            field_text, colon, rest = line.partition(":")
            source, equals, ours = rest.partition("=")
            field_text, source, ours = field_text.strip(), source.strip(), ours.strip()
            if not colon or not equals or not field_text or not source:
                problems.append(self.tr("Line {line}: write it as field: value in the file = our value.").format(
                    line=number))
                continue
            target = names.get(field_text)
            if target is None:
                problems.append(self.tr("Line {line}: there is no field “{field}”.").format(
                    line=number, field=field_text))
                continue
            spec = specs.get(target)
            if spec is not None and spec.kind == "choice" and ours:
                codes = {code_label(entity, target, code): code for code in spec.choices}
                found: str | None = ours if ours in spec.choices else codes.get(ours)
                if found is None:
                    problems.append(self.tr("Line {line}: “{value}” is not a value of {field}; use one of: "
                                            "{values}").format(line=number, value=ours, field=field_text,
                                                               values=self.tr(", ").join(codes)))
                    continue
                ours = found
            maps.setdefault(target, {})[source] = ours
        return maps, problems

    def mapping(self) -> ImportMapping:
        values, _problems = self.value_maps()
        order = self.date_order.currentData()
        return ImportMapping(self.columns(), values, str(order) if order else None)

    def options(self) -> ImportOptions:
        duplicates = str(self.duplicates.currentData())
        create = self.create_customers.isChecked() and self.import_wizard.entity in ("opportunities", "contacts")
        mapping = self.mapping()
        return ImportOptions(mapping=mapping, duplicates=duplicates, date_order=mapping.date_order,
                             create_missing_customers=create)

    def validatePage(self) -> bool:
        _values, problems = self.value_maps()
        if problems:
            self.values_error.setText("\n".join(problems))
            self.values_edit.setFocus()
            return False
        try:
            plan = plan_columns(self.import_wizard.entity, self.headers, self.mapping())
        except UserError as error:
            show_user_error(self, error)
            return False
        if plan.missing_required:
            titles = self.tr(", ").join(field_title(_TAB_OF_KIND[self.import_wizard.entity], name)
                              for name in plan.missing_required)
            show_user_error(self, UserError(self.tr("Map a column to each required field: {fields}").format(
                fields=titles)))
            return False
        return True

    # ---- saved mappings -------------------------------------------------------------------------
    def refresh_saved(self, select: str | None = None) -> None:
        """List the saved mappings; one whose columns are exactly this file's headers is chosen first."""
        try:
            names = list_mappings(self.import_wizard.mappings_file)
        except UserError as error:
            names = []
            self.summary.setText(error.message)
        self.saved_combo.clear()
        for name in names:
            self.saved_combo.addItem(name, name)
        self.saved_combo.setEnabled(bool(names))
        self.apply_button.setEnabled(bool(names))
        if not names:
            self.saved_combo.addItem(self.tr("(none saved yet)"), None)
            return
        if select is None:
            headers = {header for header in self.headers if header}
            for name in names:
                try:
                    saved = load_mapping(name, self.import_wizard.mappings_file)
                except UserError:
                    continue
                if set(saved.columns) == headers:
                    select = name
                    break
        if select is not None:
            self.saved_combo.setCurrentIndex(max(self.saved_combo.findData(select), 0))

    def apply_saved(self) -> None:
        name = self.saved_combo.currentData()
        if not name:
            return
        wizard = self.import_wizard
        try:
            saved = load_mapping(str(name), wizard.mappings_file)
            plan = plan_columns(wizard.entity, self.headers, saved)
        except UserError as error:
            show_user_error(self, error)
            return
        self.set_targets(plan.targets)
        self.save_name.setText(str(name))
        entity = _TAB_OF_KIND[wizard.entity]
        lines = []
        for target, values in saved.values.items():
            for source, code in values.items():
                ours = code_label(entity, target, code) if code else ""
                lines.append(f"{wizard.title_of(target)}: {source} = {ours}")
        self.values_edit.setPlainText("\n".join(lines))
        index = self.date_order.findData(saved.date_order) if saved.date_order else 0
        self.date_order.setCurrentIndex(max(index, 0))

    def save_current(self) -> None:
        name = self.save_name.text().strip()
        if not name:
            self.save_name.setFocus()
            show_user_error(self, UserError(self.tr("Type a name for the mapping first.")))
            return
        _values, problems = self.value_maps()
        if problems:
            self.values_error.setText("\n".join(problems))
            return
        try:
            save_mapping(name, self.mapping(), self.import_wizard.mappings_file)
        except UserError as error:
            show_user_error(self, error)
            return
        except OSError as error:
            show_user_error(self, UserError(self.tr("The mapping cannot be saved: {reason}").format(
                reason=error.strerror or error)))
            return
        self.refresh_saved(select=name)
        self.summary.setText(self.tr("Mapping “{name}” saved.").format(name=name))


class RunPage(QWizardPage):
    """Page 3: the import running, with progress and a cancel button (cancelling rolls everything back)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.import_wizard = wizard
        self.setObjectName("runPage")
        self.setTitle(self.tr("Importing"))
        self.setSubTitle(self.tr("The rows are checked as the forms check them and written in one go: "
                                 "cancelling leaves the database as it was."))
        self.what = QLabel(self)
        self.what.setObjectName("runWhat")
        self.what.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("progressBar")
        self.progress.setRange(0, 1000)
        self.rows_label = QLabel(self)
        self.rows_label.setObjectName("rowsRead")
        self.status = QLabel(self)
        self.status.setObjectName("runStatus")
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel the import"), self)
        self.cancel_button.setObjectName("cancelImportButton")
        self.cancel_button.clicked.connect(wizard.cancel_import)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.what)
        layout.addSpacing(8)
        layout.addWidget(self.progress)
        layout.addWidget(self.rows_label)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def initializePage(self) -> None:
        wizard = self.import_wizard
        self.what.setText(self.tr("Importing {file} as {kind}.").format(file=wizard.path.name,
                                                                         kind=entity_name(_TAB_OF_KIND[wizard.entity])))
        wizard.start_import()

    def cleanupPage(self) -> None:
        self.status.clear()

    def started(self) -> None:
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.rows_label.setText(self.tr("Reading the file…"))
        self.status.clear()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        # No Back while rows are being written (a wizard page cannot refuse Back): the button is left out.
        self.import_wizard.setButtonLayout(RUNNING_BUTTONS)
        self.completeChanged.emit()

    def show_progress(self, rows: int, fraction: float | None) -> None:
        if fraction is None:
            self.progress.setRange(0, 0)  # busy: the file's length is not known (some .xlsx)
        else:
            self.progress.setRange(0, 1000)
            self.progress.setValue(round(fraction * 1000))
        self.rows_label.setText(self.tr("{count} rows read").format(count=format_count(rows)))

    def cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.status.setText(self.tr("Cancelling: undoing what was written…"))

    def stopped(self, error: UserError | None) -> None:
        self.cancel_button.setEnabled(False)
        self.import_wizard.setButtonLayout(BUTTONS)
        if error is not None:
            self.progress.setRange(0, 1000)
            self.progress.setValue(0)
            self.cancel_button.hide()
            if isinstance(error, ImportCancelled):
                self.rows_label.setText(self.tr("Cancelled."))
            self.status.setText(error.message + "\n" + self.tr("Go back to change the mapping and try again."))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.import_wizard.is_running() and self.import_wizard.import_result is not None


class ResultPage(QWizardPage):
    """Page 4: the counts, the first rejected rows and where the errors file is."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.import_wizard = wizard
        self.setObjectName("resultPage")
        self.setTitle(self.tr("Import finished"))
        self.counts: dict[str, QLabel] = {}
        form = QFormLayout()
        titles = {"read": self.tr("Rows read:"), "imported": self.tr("Imported:"), "updated": self.tr("Updated:"),
                  "skipped_duplicates": self.tr("Duplicates skipped:"), "rejected": self.tr("Rejected:"),
                  "flagged": self.tr("Imported but flagged as possible duplicates:"),
                  "customers_created": self.tr("Customers created:")}
        self.count_titles: dict[str, QLabel] = {}
        for key, title in titles.items():
            value = QLabel(self)
            value.setObjectName(f"count_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label = QLabel(title, self)
            form.addRow(label, value)
            self.counts[key] = value
            self.count_titles[key] = label
        self.problems_title = QLabel(self.tr("Rejected rows:"), self)
        self.problems = QTableWidget(0, 3, self)
        self.problems.setObjectName("problemsTable")
        self.problems.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Column"), self.tr("Reason")])
        self.problems.verticalHeader().hide()
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.setWordWrap(False)
        self.problems.horizontalHeader().setStretchLastSection(True)
        self.more = QLabel(self)
        self.more.setObjectName("moreProblems")
        self.more.setWordWrap(True)
        self.errors_file = QLabel(self)
        self.errors_file.setObjectName("errorsFile")
        self.errors_file.setWordWrap(True)
        self.errors_file.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(self.tr("Open the errors file's folder"), self)
        self.open_button.setObjectName("openErrorsButton")
        self.open_button.clicked.connect(self.open_errors_location)
        errors_row = QHBoxLayout()
        errors_row.addWidget(self.errors_file, 1)
        errors_row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(self.problems_title)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.more)
        layout.addLayout(errors_row)

    def initializePage(self) -> None:
        result = self.import_wizard.import_result
        assert result is not None
        counts = result.counts
        for key, label in self.counts.items():
            label.setText(format_count(int(getattr(counts, key))))
        opportunities = result.entity in ("opportunities", "contacts")
        for key in ("customers_created",):
            self.counts[key].setVisible(opportunities)
            self.count_titles[key].setVisible(opportunities)
        self.setSubTitle(self.tr("{imported} new, {updated} updated, {rejected} rejected, in {seconds} s.").format(
            imported=format_count(counts.imported), updated=format_count(counts.updated),
            rejected=format_count(counts.rejected), seconds=f"{result.seconds:.1f}"))
        shown = result.problems[:SHOWN_PROBLEMS]
        self.problems.setRowCount(len(shown))
        for row, problem in enumerate(shown):
            number = QTableWidgetItem()
            number.setData(Qt.ItemDataRole.DisplayRole, problem.row)
            self.problems.setItem(row, 0, number)
            self.problems.setItem(row, 1, QTableWidgetItem(problem.column))
            reason = QTableWidgetItem(problem.message)
            reason.setToolTip(problem.message)
            self.problems.setItem(row, 2, reason)
        self.problems.resizeColumnToContents(0)
        self.problems.resizeColumnToContents(1)
        self.problems.setColumnWidth(0, max(self.problems.columnWidth(0) + 12, 64))
        self.problems.setColumnWidth(1, min(max(self.problems.columnWidth(1) + 12, 96), 240))
        has_problems = bool(result.problems)
        self.problems.setVisible(has_problems)
        self.problems_title.setVisible(has_problems)
        if len(result.problems) > len(shown) or result.truncated:
            self.more.setText(self.tr("Only the first {count} problems are listed; the errors file has every "
                                      "rejected row.").format(count=format_count(len(shown))))
        else:
            self.more.clear()
        self.more.setVisible(bool(self.more.text()))
        if result.errors_file is not None:
            self.errors_file.setText(self.tr("The rejected rows, with the reason in a last column, are in {path}. "
                                             "Fix them there and import that file again.").format(
                path=result.errors_file))
        else:
            self.errors_file.setText(self.tr("No row was rejected."))
        self.open_button.setVisible(result.errors_file is not None)

    def open_errors_location(self) -> None:
        result = self.import_wizard.import_result
        if result is not None and result.errors_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(result.errors_file).parent)))
