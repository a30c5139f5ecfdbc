"""Test drives (试乘试驾): booking, vehicle check-out and return, mileage, the driver's ID and licence.

A drive is booked, goes out (start odometer) and comes back (end odometer). Seed 003: it counts as
done (试驾完成) only when it covered more than 5 km; a shorter one is kept as returned, flagged too
short. A done drive is also logged as a done activity (a visit, subject 试乘试驾 …), so the customer's last
follow-up moves and the timeline shows it. The driver's name, phone, resident ID number (check
digit, GB 11643) and licence number must all be there before the car leaves.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any, TypeVar

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from stdnum.cn import ric

from crmdesk.i18n import _
from crmdesk.models import Activity, Customer, Opportunity, Product, TestDrive, User
from crmdesk.models.base import utcnow
from crmdesk.models.database import Database
from crmdesk.services import followups
from crmdesk.services.entities import Record, visible_rows
from crmdesk.services.errors import ConflictError, NotFoundError, ValidationError
from crmdesk.services.fields import EARLIEST_DATE, LATEST_DATE, normalize_phone, unstorable
from crmdesk.services.personal_data import is_mask_of, mask_id_number, mask_value, masked_fields
from crmdesk.services.uow import Actor, read_session, unit_of_work

TEST_DRIVE_STATUSES = ("booked", "out", "returned", "cancelled")
DONE_MIN_DISTANCE_KM = 5  # seed 003: a test drive counts only when it covers MORE than 5 km
MAX_ODOMETER_KM = 10_000_000
LIST_LIMIT = 500
ACTIVITY_KIND = "visit"  # the follow-up kinds are fixed (followups.ACTIVITY_KINDS); a drive is a visit

# The fields a booking takes (and a booked drive may still change).
BOOKING_FIELDS = (
    "customer_id", "opportunity_id", "consultant_id", "product_id", "vehicle_plate", "vehicle_vin",
    "booked_for", "driver_name", "driver_phone", "driver_id_number", "licence_number", "notes",
)
# Required before the car leaves the showroom (seed 003: name, phone, ID and licence numbers).
DRIVER_FIELDS = ("driver_name", "driver_phone", "driver_id_number", "licence_number")

_LICENCE = re.compile(r"^[0-9A-Z]{12,18}$")
_VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")  # ISO 3779: no I, O or Q


# ---- reading -----------------------------------------------------------------------------------
def _counts_as_done(status: str, distance: int | None) -> bool:
    return status == "returned" and distance is not None and distance > DONE_MIN_DISTANCE_KM


def _record(drive: TestDrive, customer_name: str | None = None, vehicle_name: str | None = None,
            consultant_name: str | None = None) -> Record:
    values: dict[str, Any] = {column.key: getattr(drive, column.key) for column in TestDrive.__table__.columns}
    distance = None
    if drive.start_odometer_km is not None and drive.end_odometer_km is not None:
        distance = drive.end_odometer_km - drive.start_odometer_km
    values["distance_km"] = distance
    values["counts_as_done"] = _counts_as_done(drive.status, distance)
    values["too_short"] = drive.status == "returned" and not values["counts_as_done"]
    values["customer_name"] = customer_name
    values["vehicle_name"] = vehicle_name
    values["consultant_name"] = consultant_name
    return Record("test_drive", drive.id, MappingProxyType(values))


# The driver's personal data, shown masked to roles that may not see it (the licence number is most
# often the ID number itself, so it is masked like one).
_DRIVER_PERSONAL = ("driver_phone", "driver_id_number", "licence_number")
_Returns = TypeVar("_Returns")


def _mask_driver(record: Record, hidden: tuple[str, ...]) -> Record:
    values = dict(record.values)
    for name in hidden:
        value = values.get(name)
        values[name] = mask_id_number(value) if name == "licence_number" else mask_value(name, value)
    return Record(record.entity, record.id, MappingProxyType(values))


def _masked_for_actor(function: Callable[..., _Returns]) -> Callable[..., _Returns]:
    """The drives a public function returns, with the driver's personal data masked for `actor` (its
    second argument, after the database) when the team's setting says so."""

    @functools.wraps(function)
    def masked(db: Database, actor: Actor, *args: Any, **kwargs: Any) -> Any:
        result: Any = function(db, actor, *args, **kwargs)
        hidden = masked_fields(db, actor, _DRIVER_PERSONAL)
        if not hidden:
            return result
        if isinstance(result, list):
            return [_mask_driver(record, hidden) for record in result]
        return _mask_driver(result, hidden)

    return masked


def _with_names(actor: Actor) -> Any:
    return (
        select(TestDrive, Customer.name, Product.name_zh, User.display_name)
        .join(Customer, Customer.id == TestDrive.customer_id)
        .outerjoin(Product, Product.id == TestDrive.product_id)
        .outerjoin(User, User.id == TestDrive.consultant_id)
        .where(TestDrive.deleted_at.is_(None), visible_rows(actor, TestDrive))
    )


def counts_as_done_condition() -> Any:
    """The SQL form of `counts_as_done` (returned and more than 5 km), for reports and counts."""
    return (TestDrive.status == "returned") & (
        TestDrive.end_odometer_km - TestDrive.start_odometer_km > DONE_MIN_DISTANCE_KM)


@_masked_for_actor
def list_test_drives(db: Database, actor: Actor, customer_id: str | None = None, status: str | None = None,
                     day: date | None = None) -> list[Record]:
    """Test drives, latest booking first (at most LIST_LIMIT): a customer's (on its index), in a status,
    or booked for a local calendar day. Each Record carries the drive's columns and distance_km,
    counts_as_done, too_short, customer_name, vehicle_name and consultant_name."""
    statement = _with_names(actor)
    if customer_id is not None:
        statement = statement.where(TestDrive.customer_id == customer_id)
    if status is not None:
        statement = statement.where(TestDrive.status == status)
    if day is not None:
        start = datetime.combine(day, time.min).astimezone()
        statement = statement.where(TestDrive.booked_for >= start, TestDrive.booked_for < start + timedelta(days=1))
    statement = statement.order_by(TestDrive.booked_for.desc(), TestDrive.id.desc()).limit(LIST_LIMIT)
    with read_session(db) as session:
        return [_record(*row) for row in session.execute(statement)]


@_masked_for_actor
def todays_test_drives(db: Database, actor: Actor, day: date | None = None) -> list[Record]:
    """What the showroom has on today (or `day`): drives booked for it still to go or still out, and
    any car out since an earlier day, earliest booking first."""
    day = day or date.today()
    start = datetime.combine(day, time.min).astimezone()
    statement = _with_names(actor).where(
        or_(
            (TestDrive.status == "booked") & (TestDrive.booked_for >= start)
            & (TestDrive.booked_for < start + timedelta(days=1)),
            TestDrive.status == "out",
        )
    ).order_by(TestDrive.booked_for, TestDrive.id).limit(LIST_LIMIT)
    with read_session(db) as session:
        return [_record(*row) for row in session.execute(statement)]


@_masked_for_actor
def get_test_drive(db: Database, actor: Actor, drive_id: str) -> Record:
    with read_session(db) as session:
        row = session.execute(_with_names(actor).where(TestDrive.id == drive_id)).first()
        if row is None:
            raise NotFoundError("test_drive", drive_id)
        return _record(*row)


def list_vehicles(db: Database, actor: Actor) -> list[Record]:
    """The catalog's active vehicle products (model, trim, colour) for the vehicle picker."""
    statement = (
        select(Product)
        .where(Product.is_vehicle.is_(True), Product.active.is_(True), Product.deleted_at.is_(None))
        .order_by(Product.model, Product.trim, Product.colour, Product.code)
        .limit(LIST_LIMIT)
    )
    with read_session(db) as session:
        return [
            Record("product", product.id, MappingProxyType({
                "code": product.code, "name_zh": product.name_zh, "name_en": product.name_en,
                "model": product.model, "trim": product.trim, "colour": product.colour,
            }))
            for product in session.scalars(statement)
        ]


def open_opportunities(db: Database, actor: Actor, customer_id: str) -> list[Record]:
    """A customer's open opportunities (for the test drive's opportunity picker), newest first."""
    statement = (
        select(Opportunity.id, Opportunity.name)
        .where(Opportunity.customer_id == customer_id, Opportunity.status == "open",
               Opportunity.deleted_at.is_(None), visible_rows(actor, Opportunity))
        .order_by(Opportunity.created_at.desc())
        .limit(LIST_LIMIT)
    )
    with read_session(db) as session:
        return [Record("opportunity", row.id, MappingProxyType({"name": row.name}))
                for row in session.execute(statement)]


# ---- checking ----------------------------------------------------------------------------------
def parse_moment(raw: Any) -> datetime:
    """A datetime from a datetime or text (2026-03-05 10:30, ISO); a time without a zone is local."""
    if isinstance(raw, datetime):
        value = raw
    else:
        text = str(raw).strip().replace("/", "-").replace("T", " ")
        try:
            value = datetime.fromisoformat(text)
        except ValueError as error:
            raise ValueError(_("Not a date and time; write it as 2024-03-05 14:30.")) from error
    if not EARLIEST_DATE <= value.date() <= LATEST_DATE:  # also: no UTC conversion past year 1 or 9999
        raise ValueError(_("The date is out of range (1900-2100)."))
    if value.tzinfo is None:
        value = value.astimezone()  # the computer's local time
    return value


def _text(raw: Any) -> str | None:
    if raw is None:
        return None
    text = str(raw).strip()
    return text or None


def check_resident_id(raw: str) -> str:
    """The ID number in upper case, or ValueError with a message in the user's language."""
    value = raw.strip().upper()
    if len(value) != 18:
        raise ValueError(_("A resident ID number has 18 characters."))
    if not ric.is_valid(value):
        raise ValueError(_("Not a valid resident ID number (the check digit or the birth date is wrong)."))
    return value


def check_licence(raw: str) -> str:
    value = raw.strip().upper()
    if not _LICENCE.match(value):
        raise ValueError(_("A driving licence number has 12 to 18 letters or digits."))
    return value


def _clean_booking(session: Session, actor: Actor, values: Mapping[str, Any], drive: TestDrive | None,
                   errors: dict[str, str]) -> dict[str, Any]:
    """The booking fields given, checked and converted; a message in `errors` for each bad one."""
    unknown = set(values) - set(BOOKING_FIELDS)
    if unknown:
        raise KeyError(f"unknown fields: {sorted(unknown)}")
    cleaned: dict[str, Any] = {}
    given: dict[str, Any] = {key: value if key == "booked_for" and isinstance(value, datetime) else _text(value)
                             for key, value in values.items()}
    bad_text = {key: _("Contains characters that cannot be stored.") for key, value in given.items()
                if isinstance(value, str) and unstorable(value)}
    if bad_text:
        raise ValidationError(bad_text)

    customer: Customer | None = None
    customer_id = given.get("customer_id", drive.customer_id if drive is not None else None)
    if "customer_id" in given or drive is None:
        if not customer_id:
            errors["customer_id"] = _("Choose the customer.")
        else:
            customer = session.get(Customer, customer_id)
            if customer is None or customer.deleted_at is not None:
                errors["customer_id"] = _("Choose an existing customer.")
                customer = None
            else:
                cleaned["customer_id"] = customer.id
    else:
        customer = session.get(Customer, customer_id)

    if "opportunity_id" in given or drive is None:
        opportunity_id = given.get("opportunity_id")
        if opportunity_id:
            opportunity = session.get(Opportunity, opportunity_id)
            if opportunity is None or opportunity.deleted_at is not None:
                errors["opportunity_id"] = _("Choose an existing opportunity.")
            elif customer is not None and opportunity.customer_id != customer.id:
                errors["opportunity_id"] = _("The opportunity belongs to another customer.")
            else:
                cleaned["opportunity_id"] = opportunity.id
        elif customer is not None and drive is None:
            # Not chosen: the customer's one open opportunity, if there is exactly one.
            open_ids = session.scalars(
                select(Opportunity.id).where(Opportunity.customer_id == customer.id, Opportunity.status == "open",
                                             Opportunity.deleted_at.is_(None)).limit(2)).all()
            cleaned["opportunity_id"] = open_ids[0] if len(open_ids) == 1 else None
        else:
            cleaned["opportunity_id"] = None

    if "consultant_id" in given or drive is None:
        consultant_id = given.get("consultant_id") or actor.user_id
        user = session.get(User, consultant_id)
        if user is None or user.deleted_at is not None:
            errors["consultant_id"] = _("Choose an existing user.")
        else:
            cleaned["consultant_id"] = user.id

    if "product_id" in given:
        product_id = given["product_id"]
        if product_id:
            product = session.get(Product, product_id)
            if product is None or product.deleted_at is not None or not product.is_vehicle:
                errors["product_id"] = _("Choose a vehicle of the catalog.")
            else:
                cleaned["product_id"] = product.id
        else:
            cleaned["product_id"] = None
    if "vehicle_plate" in given:
        plate = given["vehicle_plate"]
        plate = plate.upper().replace(" ", "").replace("·", "") if plate else None
        if plate and len(plate) > 20:
            errors["vehicle_plate"] = _("At most {count} characters.", count=20)
        cleaned["vehicle_plate"] = plate
    if "vehicle_vin" in given:
        vin = given["vehicle_vin"].upper().replace(" ", "") if given["vehicle_vin"] else None
        if vin and not _VIN.match(vin):
            errors["vehicle_vin"] = _("A VIN has 17 letters or digits (no I, O or Q).")
        cleaned["vehicle_vin"] = vin

    if "booked_for" in given or drive is None:
        raw = given.get("booked_for")
        try:
            cleaned["booked_for"] = parse_moment(raw) if raw else utcnow()
        except ValueError as error:
            errors["booked_for"] = str(error)

    # The driver is the customer unless told otherwise.
    defaults = {
        "driver_name": customer.name if customer is not None and customer.kind != "company" else None,
        "driver_phone": customer.phone if customer is not None else None,
        "driver_id_number": customer.id_number if customer is not None else None,
    }
    for key in ("driver_name", "driver_phone", "driver_id_number", "licence_number"):
        if key not in given and drive is not None:
            continue
        value = given.get(key) or (defaults.get(key) if drive is None else None)
        if value is None:
            cleaned[key] = None
            continue
        try:
            if key == "driver_name":
                if len(value) > 100:
                    raise ValueError(_("At most {count} characters.", count=100))
                cleaned[key] = value
            elif key == "driver_phone":
                cleaned[key] = normalize_phone(value)
            elif key == "driver_id_number":
                cleaned[key] = check_resident_id(value)
            else:
                cleaned[key] = check_licence(value)
        except ValueError as error:
            errors[key] = str(error)
    if "notes" in given:
        notes = given["notes"]
        if notes and len(notes) > 10000:
            errors["notes"] = _("At most {count} characters.", count=10000)
        cleaned["notes"] = notes
    return cleaned


def _check_vehicle(values: Mapping[str, Any], errors: dict[str, str]) -> None:
    if not (values.get("product_id") or values.get("vehicle_plate") or values.get("vehicle_vin")):
        errors.setdefault("product_id", _("Choose the vehicle (model, plate or VIN)."))


def _load(session: Session, actor: Actor, drive_id: str) -> TestDrive:
    drive = session.scalars(select(TestDrive).where(
        TestDrive.id == drive_id, TestDrive.deleted_at.is_(None), visible_rows(actor, TestDrive))).first()
    if drive is None:
        raise NotFoundError("test_drive", drive_id)
    return drive


def _names(session: Session, drive: TestDrive) -> Record:
    customer = session.get(Customer, drive.customer_id)
    product = session.get(Product, drive.product_id) if drive.product_id else None
    user = session.get(User, drive.consultant_id) if drive.consultant_id else None
    return _record(drive, customer.name if customer else None, product.name_zh if product else None,
                   user.display_name if user else None)


# ---- writing -----------------------------------------------------------------------------------
@_masked_for_actor
def book_test_drive(db: Database, actor: Actor, values: Mapping[str, Any]) -> Record:
    """Book a test drive: customer (required), opportunity (the customer's; its one open opportunity when
    none is chosen), consultant (the actor by default), vehicle (a catalog vehicle and/or plate / VIN),
    booked_for (now by default), the driver (the customer by default) and notes. The driver's data are
    checked as given; all of them are required at check-out."""
    with unit_of_work(db, actor) as session:
        errors: dict[str, str] = {}
        cleaned = _clean_booking(session, actor, values, None, errors)
        _check_vehicle(cleaned, errors)
        if errors:
            raise ValidationError(errors)
        drive = TestDrive(status="booked", **cleaned)
        session.add(drive)
        session.flush()
        return _names(session, drive)


@_masked_for_actor
def update_test_drive(db: Database, actor: Actor, drive_id: str, changes: Mapping[str, Any]) -> Record:
    """Change a booked drive's booking fields (a drive that went out keeps its booking as it was)."""
    with unit_of_work(db, actor) as session:
        drive = _load(session, actor, drive_id)
        _apply_changes(session, actor, drive, changes)
        session.flush()
        return _names(session, drive)


def _apply_changes(session: Session, actor: Actor, drive: TestDrive, changes: Mapping[str, Any]) -> None:
    if drive.status != "booked":
        raise ConflictError(_("Only a booked test drive can be changed."))
    errors: dict[str, str] = {}
    # A form that showed the driver's data masked sends the mask back: that is no change.
    changes = {key: value for key, value in changes.items()
               if not (key in _DRIVER_PERSONAL and (is_mask_of(key, value, getattr(drive, key)) or (
                   key == "licence_number" and value and value == mask_id_number(drive.licence_number))))}
    cleaned = _clean_booking(session, actor, changes, drive, errors)
    merged = {key: cleaned.get(key, getattr(drive, key)) for key in ("product_id", "vehicle_plate", "vehicle_vin")}
    _check_vehicle(merged, errors)
    if errors:
        raise ValidationError(errors)
    for key, value in cleaned.items():
        setattr(drive, key, value)


def _odometer(raw: Any, field: str, errors: dict[str, str]) -> int | None:
    try:
        value = int(str(raw).strip().replace(",", "")) if raw is not None and str(raw).strip() else None
    except ValueError:
        errors[field] = _("Give the odometer reading in whole kilometres.")
        return None
    if value is None:
        errors[field] = _("Give the odometer reading in whole kilometres.")
    elif not 0 <= value < MAX_ODOMETER_KM:
        errors[field] = _("The odometer reading is out of range.")
        return None
    return value


@_masked_for_actor
def check_out(db: Database, actor: Actor, drive_id: str, start_odometer_km: Any, started_at: datetime | None = None,
              changes: Mapping[str, Any] | None = None) -> Record:
    """booked -> out, with the start odometer reading. `changes` (booking fields typed in the same
    dialog) are applied first, in the same transaction. Refused when the driver's name, phone, ID
    number or licence number is missing, when the car is not named by plate or VIN, or when the same
    car is out on another drive."""
    with unit_of_work(db, actor) as session:
        drive = _load(session, actor, drive_id)
        if drive.status != "booked":
            raise ConflictError(_("Only a booked test drive can go out (this one is {status}).",
                                  status=_status_text(drive.status)))
        if changes:
            _apply_changes(session, actor, drive, changes)
        errors: dict[str, str] = {}
        reading = _odometer(start_odometer_km, "start_odometer_km", errors)
        for key in DRIVER_FIELDS:
            if not getattr(drive, key):
                errors[key] = _("Required before the car goes out.")
        if not (drive.vehicle_plate or drive.vehicle_vin):
            errors["vehicle_plate"] = _("Give the plate or the VIN of the car that goes out.")
        if errors:
            raise ValidationError(errors)
        same_car = []
        if drive.vehicle_plate:
            same_car.append(TestDrive.vehicle_plate == drive.vehicle_plate)
        if drive.vehicle_vin:
            same_car.append(TestDrive.vehicle_vin == drive.vehicle_vin)
        busy = session.scalars(select(TestDrive).where(
            TestDrive.status == "out", TestDrive.id != drive.id, TestDrive.deleted_at.is_(None), or_(*same_car),
        ).limit(1)).first()
        if busy is not None:
            customer = session.get(Customer, busy.customer_id)
            raise ConflictError(_("This car ({car}) is already out on a test drive with {customer}; it must "
                                  "come back first.", car=busy.vehicle_plate or busy.vehicle_vin or "",
                                  customer=customer.name if customer else ""))
        drive.status = "out"
        drive.start_odometer_km = reading
        drive.started_at = started_at or utcnow()
        session.flush()
        return _names(session, drive)


@_masked_for_actor
def return_vehicle(db: Database, actor: Actor, drive_id: str, end_odometer_km: Any,
                   ended_at: datetime | None = None) -> Record:
    """out -> returned, with the end odometer reading (not below the start). A drive of more than 5 km
    counts as done and is logged as a done test-drive activity on the customer (and opportunity)."""
    with unit_of_work(db, actor) as session:
        drive = _load(session, actor, drive_id)
        if drive.status != "out":
            raise ConflictError(_("Only a test drive that is out can be returned (this one is {status}).",
                                  status=_status_text(drive.status)))
        errors: dict[str, str] = {}
        reading = _odometer(end_odometer_km, "end_odometer_km", errors)
        start = drive.start_odometer_km or 0
        if reading is not None and reading < start:
            errors["end_odometer_km"] = _("The end reading cannot be below the start reading ({start} km).",
                                          start=start)
        when = ended_at or utcnow()
        if drive.started_at is not None and when < drive.started_at:
            errors["ended_at"] = _("The car cannot come back before it went out.")
        if errors:
            raise ValidationError(errors)
        assert reading is not None
        drive.status = "returned"
        drive.end_odometer_km = reading
        drive.ended_at = when
        distance = reading - start
        if _counts_as_done("returned", distance):
            _log_done_drive(session, actor, drive, distance, when)
        session.flush()
        return _names(session, drive)


def _log_done_drive(session: Session, actor: Actor, drive: TestDrive, distance: int, when: datetime) -> None:
    """The done test drive as a done activity, and the customer's last follow-up moved to it."""
    product = session.get(Product, drive.product_id) if drive.product_id else None
    car = product.name_zh if product is not None else (drive.vehicle_plate or drive.vehicle_vin or "")
    session.add(Activity(
        kind=ACTIVITY_KIND, status="done", subject=_("Test drive: {car}", car=car).strip()[:200],
        outcome=_("{km} km driven", km=distance), done_at=when, owner_id=drive.consultant_id or actor.user_id,
        customer_id=drive.customer_id, opportunity_id=drive.opportunity_id,
        source_type="test_drive", source_id=drive.id,
    ))
    # The customer's last follow-up moves, a pool warning clears, the cadence call is re-planned.
    followups.note_followup_done(session, drive.customer_id, when)


@_masked_for_actor
def cancel_test_drive(db: Database, actor: Actor, drive_id: str, reason: str) -> Record:
    """A booked drive called off, with the reason added to its notes (a car that is out is returned)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the test drive is cancelled.")})
    if len(reason) > 200 or unstorable(reason):
        raise ValidationError({"reason": _("At most {count} characters.", count=200) if len(reason) > 200
                               else _("Contains characters that cannot be stored.")})
    with unit_of_work(db, actor) as session:
        drive = _load(session, actor, drive_id)
        if drive.status != "booked":
            raise ConflictError(_("Only a booked test drive can be cancelled (this one is {status}).",
                                  status=_status_text(drive.status)))
        drive.status = "cancelled"
        line = _("Cancelled: {reason}", reason=reason)
        drive.notes = f"{drive.notes}\n{line}" if drive.notes else line
        session.flush()
        return _names(session, drive)


def _status_text(status: str) -> str:
    from crmdesk.labels import code_label

    return code_label("test_drive", "status", status)
