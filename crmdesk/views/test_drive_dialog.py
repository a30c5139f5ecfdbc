"""`TestDriveDialog`: book, check out and return a test drive (试乘试驾) in one dialog, and
`TodayTestDrivesDialog`: the showroom's drives of today (booked or out) with check-out and return."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.labels import code_label
from crmdesk.services import test_drives
from crmdesk.services.entities import Record
from crmdesk.services.errors import UserError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor
from crmdesk.views.errors import show_user_error
from crmdesk.views.field_editors import user_options
from crmdesk.views.formatting import format_datetime
from crmdesk.views.record_form import (
    FORM_STYLE,
    FieldErrorMarks,
    banner_label,
    error_label,
    field_cell,
    set_invalid,
)

DRIVE_STYLE = FORM_STYLE + """
QLabel[role="status"] { font-weight: bold; padding: 2px 8px; border-radius: 3px; background: #e8f0fe; color: #174ea6; }
QLabel[role="done"] { color: #137333; font-weight: bold; }
QLabel[role="short"] { color: #b06000; font-weight: bold; }
"""


class TestDriveDialog(QDialog):
    """One test drive through its life: a new booking, then check-out (start odometer), then return
    (end odometer). The fields a status allows are enabled; each step is saved by its button and the
    dialog stays open showing the new status. `record` holds the drive as saved last; `changed`
    fires after every saved step."""

    __test__ = False  # not a pytest test class, despite the name
    changed = Signal(object)  # the test drive Record saved

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None, *, customer_id: str,
                 opportunity_id: str | None = None, test_drive_id: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("testDriveDialog")
        self.setStyleSheet(DRIVE_STYLE)
        self.services = services
        self.actor = actor
        self.record: Record | None = None
        if test_drive_id is not None:
            self.record = test_drives.get_test_drive(services.db, actor, test_drive_id)
            customer_id = str(self.record["customer_id"])
            opportunity_id = self.record["opportunity_id"]
        self.customer_id = customer_id
        self.customer = services.customers.get(actor, customer_id)
        self.setWindowTitle(self.tr("Test drive: {name}").format(name=self.customer["name"]))
        self.editors: dict[str, QWidget] = {}
        self._line_height = QLineEdit().sizeHint().height()  # a one-line field, not shown

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.customer_label = QLabel(self.tr("Customer: {name}").format(name=self.customer["name"]), self)
        self.customer_label.setObjectName("customerLabel")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.status_label.setProperty("role", "status")
        top.addWidget(self.customer_label, 1)
        top.addWidget(self.status_label)
        layout.addLayout(top)
        self.banner = banner_label(self)
        self.marks = FieldErrorMarks(self.banner)
        layout.addWidget(self.banner)

        self.booking_box = QGroupBox(self.tr("Booking"), self)
        booking = QGridLayout(self.booking_box)
        self.opportunity = QComboBox(self)
        self.opportunity.addItem(self.tr("(none)"), None)
        for deal in test_drives.open_opportunities(services.db, actor, customer_id):
            self.opportunity.addItem(str(deal["name"]), deal.id)
        self.consultant = QComboBox(self)
        for user_id, name in user_options(services, actor):
            self.consultant.addItem(name, user_id)
        self.vehicle = QComboBox(self)
        self.vehicle.addItem(self.tr("(choose a vehicle)"), None)
        for car in test_drives.list_vehicles(services.db, actor):
            self.vehicle.addItem(str(car["name_zh"]), car.id)
        self.vehicle_plate = QLineEdit(self)
        self.vehicle_plate.setPlaceholderText(self.tr("e.g. {plate}").format(plate="浙A12345"))
        self.vehicle_vin = QLineEdit(self)
        self.vehicle_vin.setMaxLength(17)
        self.vehicle_vin.setPlaceholderText(self.tr("17 characters"))
        self.booked_for = QDateTimeEdit(self)
        self.booked_for.setCalendarPopup(True)
        self.booked_for.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.booked_for.setDateTime(QDateTime.currentDateTime())
        self.notes = QPlainTextEdit(self)
        self.notes.setFixedHeight(self.fontMetrics().height() * 3 + 12)
        for row, (name, title, widget, required) in enumerate((
            ("opportunity_id", self.tr("Opportunity"), self.opportunity, False),
            ("consultant_id", self.tr("Consultant"), self.consultant, True),
            ("product_id", self.tr("Vehicle"), self.vehicle, True),
            ("vehicle_plate", self.tr("Plate"), self.vehicle_plate, False),
            ("vehicle_vin", self.tr("VIN"), self.vehicle_vin, False),
            ("booked_for", self.tr("Booked for"), self.booked_for, True),
            ("notes", self.tr("Notes"), self.notes, False),
        )):
            self._place(booking, row, name, title, widget, required)
        booking.setColumnStretch(1, 1)

        self.driver_box = QGroupBox(self.tr("Driver (required before the car goes out)"), self)
        driver = QGridLayout(self.driver_box)
        self.driver_name = QLineEdit(self)
        self.driver_phone = QLineEdit(self)
        self.driver_phone.setPlaceholderText(self.tr("e.g. 13812345678"))
        self.driver_id_number = QLineEdit(self)
        self.driver_id_number.setMaxLength(18)
        self.driver_id_number.setPlaceholderText(self.tr("18 characters, checked as you type"))
        self.driver_id_number.textChanged.connect(self.check_id_as_typed)
        self.licence_number = QLineEdit(self)
        self.licence_number.setMaxLength(18)
        self.licence_number.setPlaceholderText(self.tr("Usually the ID number (12–18 letters or digits)"))
        for index, (name, title, widget) in enumerate((
            ("driver_name", self.tr("Driver's name"), self.driver_name),
            ("driver_phone", self.tr("Driver's mobile"), self.driver_phone),
            ("driver_id_number", self.tr("Resident ID number"), self.driver_id_number),
            ("licence_number", self.tr("Driving licence number"), self.licence_number),
        )):
            self._place(driver, index, name, title, widget, True)
        driver.setColumnStretch(1, 1)

        self.mileage_box = QGroupBox(self.tr("Check-out and return"), self)
        mileage = QGridLayout(self.mileage_box)
        self.start_odometer = QLineEdit(self)
        self.start_odometer.setValidator(QIntValidator(0, 9_999_999, self))
        self.start_odometer.setPlaceholderText(self.tr("km on the odometer"))
        self.end_odometer = QLineEdit(self)
        self.end_odometer.setValidator(QIntValidator(0, 9_999_999, self))
        self.end_odometer.setPlaceholderText(self.tr("km on the odometer"))
        self.end_odometer.textChanged.connect(self._show_distance)
        self.times_label = QLabel(self)
        self.times_label.setObjectName("timesLabel")
        self.distance_label = QLabel(self)
        self.distance_label.setObjectName("distanceLabel")
        self.distance_label.setWordWrap(True)
        self._place(mileage, 0, "start_odometer_km", self.tr("Start odometer (km)"), self.start_odometer, True)
        self._place(mileage, 1, "end_odometer_km", self.tr("End odometer (km)"), self.end_odometer, True)
        mileage.addWidget(self.times_label, 2, 1)
        mileage.addWidget(self.distance_label, 3, 1)
        mileage.setColumnStretch(1, 1)

        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.booking_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.driver_box)
        right.addWidget(self.mileage_box)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout.addLayout(columns, 1)

        self.buttons = QDialogButtonBox(self)
        self.book_button = self._button(self.tr("Book"), "bookButton", self.book)
        self.save_button = self._button(self.tr("Save"), "saveButton", self.save_booking)
        self.check_out_button = self._button(self.tr("Check out"), "checkOutButton", self.check_out)
        self.return_button = self._button(self.tr("Return"), "returnButton", self.return_vehicle)
        self.cancel_drive_button = self._button(self.tr("Cancel test drive…"), "cancelDriveButton",
                                                self.ask_cancel_reason)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason_dialog: QInputDialog | None = None

        if self.record is not None:
            self._fill(self.record)
        else:
            self._fill_new(opportunity_id)
        self._apply_status()
        self.setMinimumWidth(880)
        self.resize(self.minimumWidth(), self.sizeHint().height())

    # ---- building ------------------------------------------------------------------------
    def _place(self, grid: QGridLayout, row: int, name: str, title: str, widget: QWidget, required: bool) -> None:
        label = QLabel(f"{title} <span style='color:#c5221f'>*</span>" if required else title, self)
        label.setObjectName(f"label_{name}")
        label.setBuddy(widget)
        error = error_label(name, self)
        self.marks.add(name, widget, error)
        self.editors[name] = widget
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(field_cell(widget, error, self), row, 1, Qt.AlignmentFlag.AlignTop)
        grid.setRowStretch(row + 1, 1)  # the fields packed at the top; the space left stays below them
        grid.setRowStretch(row, 0)
        label.setMinimumHeight(min(widget.sizeHint().height(), self._line_height))  # level with a one-line field

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _fill_new(self, opportunity_id: str | None) -> None:
        self._select(self.consultant, self.actor.user_id)
        if opportunity_id is not None:
            self._select(self.opportunity, opportunity_id)
        elif self.opportunity.count() == 2:  # the one open deal, as the service would link it
            self.opportunity.setCurrentIndex(1)
        if self.customer["kind"] != "company":
            self.driver_name.setText(str(self.customer["name"] or ""))
        self.driver_phone.setText(str(self.customer["phone"] or ""))
        self.driver_id_number.setText(str(self.customer["id_number"] or ""))

    def _fill(self, drive: Record) -> None:
        if drive["opportunity_id"] and self.opportunity.findData(drive["opportunity_id"]) < 0:
            self.opportunity.addItem(self.tr("(closed opportunity)"), drive["opportunity_id"])
        self._select(self.opportunity, drive["opportunity_id"])
        self._select(self.consultant, drive["consultant_id"])
        if drive["product_id"] and self.vehicle.findData(drive["product_id"]) < 0:
            self.vehicle.addItem(str(drive["vehicle_name"] or drive["product_id"]), drive["product_id"])
        self._select(self.vehicle, drive["product_id"])
        self.vehicle_plate.setText(drive["vehicle_plate"] or "")
        self.vehicle_vin.setText(drive["vehicle_vin"] or "")
        if drive["booked_for"] is not None:
            self.booked_for.setDateTime(QDateTime(drive["booked_for"].astimezone().replace(tzinfo=None)))
        self.notes.setPlainText(drive["notes"] or "")
        self.driver_name.setText(drive["driver_name"] or "")
        self.driver_phone.setText(drive["driver_phone"] or "")
        self.driver_id_number.setText(drive["driver_id_number"] or "")
        self.licence_number.setText(drive["licence_number"] or "")
        if drive["start_odometer_km"] is not None:
            self.start_odometer.setText(str(drive["start_odometer_km"]))
        if drive["end_odometer_km"] is not None:
            self.end_odometer.setText(str(drive["end_odometer_km"]))

    @property
    def status(self) -> str:
        return str(self.record["status"]) if self.record is not None else "new"

    def _apply_status(self) -> None:
        """Enable what the status allows: the booking while booked, the start reading to go out, the end
        reading to come back; closed drives are read-only."""
        status = self.status
        editable = status in ("new", "booked")
        for name in ("opportunity_id", "consultant_id", "product_id", "vehicle_plate", "vehicle_vin", "booked_for",
                     "driver_name", "driver_phone", "driver_id_number", "licence_number"):
            self.editors[name].setEnabled(editable)
        self.notes.setReadOnly(not editable)
        self.start_odometer.setEnabled(status == "booked")
        self.end_odometer.setEnabled(status == "out")
        self.book_button.setVisible(status == "new")
        self.save_button.setVisible(status == "booked")
        self.check_out_button.setVisible(status == "booked")
        self.cancel_drive_button.setVisible(status == "booked")
        self.return_button.setVisible(status == "out")
        self.status_label.setText(self.tr("New booking") if status == "new"
                                  else code_label("test_drive", "status", status))
        for button in (self.book_button, self.check_out_button, self.return_button):
            button.setDefault(button.isVisible())
        if status == "booked":
            self.start_odometer.setFocus(Qt.FocusReason.OtherFocusReason)
        elif status == "out":
            self.end_odometer.setFocus(Qt.FocusReason.OtherFocusReason)
        times = []
        if self.record is not None and self.record["started_at"] is not None:
            times.append(self.tr("Out at {time}").format(time=format_datetime(self.record["started_at"])))
        if self.record is not None and self.record["ended_at"] is not None:
            times.append(self.tr("back at {time}").format(time=format_datetime(self.record["ended_at"])))
        self.times_label.setText(", ".join(times))
        self.times_label.setVisible(bool(times))
        self._show_distance()

    def _show_distance(self) -> None:
        """The distance so far and whether it counts (more than 5 km, seed 003)."""
        start, end = self.start_odometer.text().strip(), self.end_odometer.text().strip()
        if not (start.isdigit() and end.isdigit()) or int(end) < int(start):
            self.distance_label.clear()
            self.distance_label.hide()
            return
        distance = int(end) - int(start)
        if distance > test_drives.DONE_MIN_DISTANCE_KM:
            text, role = self.tr("{km} km: counts as a test drive done").format(km=distance), "done"
        else:
            text = self.tr("{km} km: too short, a test drive counts only above {min} km").format(
                km=distance, min=test_drives.DONE_MIN_DISTANCE_KM)
            role = "short"
        self.distance_label.setText(text)
        self.distance_label.setProperty("role", role)
        self.distance_label.style().unpolish(self.distance_label)
        self.distance_label.style().polish(self.distance_label)
        self.distance_label.show()

    # ---- checks as typed -----------------------------------------------------------------
    def check_id_as_typed(self, text: str) -> None:
        """Mark the ID number once 18 characters are typed (and clear the mark while it is shorter)."""
        label = self.marks.labels["driver_id_number"]
        value = text.strip()
        message = None
        if len(value) == 18:
            try:
                test_drives.check_resident_id(value)
            except ValueError as error:
                message = str(error)
        set_invalid(self.driver_id_number, message is not None)
        label.setText(message or "")
        label.setVisible(message is not None)

    # ---- values and errors ---------------------------------------------------------------
    def booking_values(self) -> dict[str, Any]:
        moment = self.booked_for.dateTime().toPython()
        assert isinstance(moment, datetime)
        return {
            "opportunity_id": self.opportunity.currentData(),
            "consultant_id": self.consultant.currentData(),
            "product_id": self.vehicle.currentData(),
            "vehicle_plate": self.vehicle_plate.text(),
            "vehicle_vin": self.vehicle_vin.text(),
            "booked_for": moment.astimezone(),
            "driver_name": self.driver_name.text(),
            "driver_phone": self.driver_phone.text(),
            "driver_id_number": self.driver_id_number.text(),
            "licence_number": self.licence_number.text(),
            "notes": self.notes.toPlainText(),
        }

    def mark_field_errors(self, errors: Mapping[str, str]) -> dict[str, str]:
        return self.marks.mark(errors, self.tr("Please correct the marked fields."))

    def _run(self, call: Any) -> bool:
        try:
            record = call()
        except UserError as error:
            show_user_error(self, error)
            return False
        self.marks.clear()
        self.record = record
        self._fill(record)
        self._apply_status()
        self.changed.emit(record)
        return True

    # ---- steps ---------------------------------------------------------------------------
    def book(self) -> bool:
        values = {"customer_id": self.customer_id, **self.booking_values()}
        return self._run(lambda: test_drives.book_test_drive(self.services.db, self.actor, values))

    def save_booking(self) -> bool:
        assert self.record is not None
        drive_id, values = self.record.id, self.booking_values()
        return self._run(lambda: test_drives.update_test_drive(self.services.db, self.actor, drive_id, values))

    def check_out(self) -> bool:
        """The booking as typed now and the start reading, saved together: the car goes out."""
        assert self.record is not None
        drive_id, values, reading = self.record.id, self.booking_values(), self.start_odometer.text()
        return self._run(lambda: test_drives.check_out(self.services.db, self.actor, drive_id, reading,
                                                       changes=values))

    def return_vehicle(self) -> bool:
        assert self.record is not None
        drive_id, reading = self.record.id, self.end_odometer.text()
        return self._run(lambda: test_drives.return_vehicle(self.services.db, self.actor, drive_id, reading))

    def ask_cancel_reason(self) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setObjectName("cancelReasonDialog")
        dialog.setWindowTitle(self.tr("Cancel test drive"))
        dialog.setLabelText(self.tr("Why is the test drive cancelled?"))
        dialog.setOkButtonText(self.tr("Cancel test drive"))
        dialog.setCancelButtonText(self.tr("Keep it"))
        dialog.textValueSelected.connect(self.cancel_drive)
        self.reason_dialog = dialog
        dialog.open()
        return dialog

    def cancel_drive(self, reason: str) -> bool:
        assert self.record is not None
        drive_id = self.record.id
        return self._run(lambda: test_drives.cancel_test_drive(self.services.db, self.actor, drive_id, reason))


class TodayTestDrivesDialog(QDialog):
    """工具 › 今日试驾: today's bookings still to go and the cars out now, with check-out and return."""

    records_changed = Signal()

    COLUMNS = ("booked_for", "customer_name", "vehicle", "vehicle_plate", "consultant_name", "status")

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayTestDrivesDialog")
        self.setWindowTitle(self.tr("Today's test drives"))
        self.services = services
        self.actor = actor
        self.drives: list[Record] = []
        self.drive_dialog: TestDriveDialog | None = None

        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("summaryLabel")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("todayTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Time"), self.tr("Customer"), self.tr("Vehicle"), self.tr("Plate"), self.tr("Consultant"),
            self.tr("Status")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._enable)
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.check_out_button = QPushButton(self.tr("Check out…"), self)
        self.check_out_button.setObjectName("checkOutButton")
        self.return_button = QPushButton(self.tr("Return…"), self)
        self.return_button.setObjectName("returnButton")
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.check_out_button.clicked.connect(self.open_current)
        self.return_button.clicked.connect(self.open_current)
        self.refresh_button.clicked.connect(self.refresh)
        self.close_button.clicked.connect(self.reject)
        for button in (self.check_out_button, self.return_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.resize(820, 420)
        self.refresh()

    def refresh(self) -> None:
        current = self.current()
        self.drives = test_drives.todays_test_drives(self.services.db, self.actor)
        self.table.setRowCount(len(self.drives))
        for row, drive in enumerate(self.drives):
            vehicle = drive["vehicle_name"] or drive["vehicle_vin"] or ""
            texts = (format_datetime(drive["booked_for"]), drive["customer_name"] or "", vehicle,
                     drive["vehicle_plate"] or "", drive["consultant_name"] or "",
                     code_label("test_drive", "status", drive["status"]))
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(str(text)))
        out = sum(1 for drive in self.drives if drive["status"] == "out")
        self.summary.setText(self.tr("{booked} booked, {out} out now").format(
            booked=len(self.drives) - out, out=out))
        if current is not None:
            for row, drive in enumerate(self.drives):
                if drive.id == current.id:
                    self.table.selectRow(row)
        elif self.drives:
            self.table.selectRow(0)
        self._enable()

    def current(self) -> Record | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.drives):
            return None
        return self.drives[rows[0].row()]

    def _enable(self) -> None:
        drive = self.current()
        self.check_out_button.setEnabled(drive is not None and drive["status"] == "booked")
        self.return_button.setEnabled(drive is not None and drive["status"] == "out")

    def open_current(self) -> TestDriveDialog | None:
        drive = self.current()
        if drive is None:
            return None
        dialog = TestDriveDialog(self.services, self.actor, self, customer_id=str(drive["customer_id"]),
                                 test_drive_id=drive.id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._drive_changed)
        self.drive_dialog = dialog
        dialog.open()
        return dialog

    def _drive_changed(self, _record: object) -> None:
        self.refresh()
        self.records_changed.emit()
