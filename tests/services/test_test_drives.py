"""Test drives: booking with the driver's data checked, check-out, return, the 5 km rule, activities."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from stdnum.cn import ric

from crmdesk import i18n
from crmdesk.models import Activity, Customer, Product
from crmdesk.models.base import utcnow
from crmdesk.services.demo import resident_id_number
from crmdesk.services.errors import ConflictError, ValidationError
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.test_drives import (
    book_test_drive,
    cancel_test_drive,
    check_out,
    counts_as_done_condition,
    list_test_drives,
    list_vehicles,
    return_vehicle,
    todays_test_drives,
    update_test_drive,
)
from crmdesk.services.uow import Actor, read_session, unit_of_work

VALID_ID = resident_id_number("330106", date(1988, 5, 17), 123, male=True)
OTHER_ID = resident_id_number("320102", date(1992, 11, 3), 456, male=False)


def _wrong_check_digit(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


@pytest.fixture
def vehicle_id(services: Services, actor: Actor) -> str:
    with unit_of_work(services.db, actor) as session:
        product = Product(code="HC-S5-LUX-WHT", name_zh="华驰 S5 豪华版 珍珠白", name_en="Huachi S5 Luxury White",
                          is_vehicle=True, model="华驰 S5", trim="豪华版", colour="珍珠白", list_price=Decimal("189800"))
        session.add(product)
        session.add(Product(code="HC-MAT", name_zh="脚垫", is_vehicle=False))
        session.flush()
        return product.id


@pytest.fixture
def customer_id(services: Services, actor: Actor) -> str:
    return services.customers.create(actor, {"name": "张伟", "phone": "13812345678", "id_number": VALID_ID,
                                             "owner_id": actor.user_id}).id


def _deal(services: Services, actor: Actor, customer_id: str, name: str = "华驰 S5") -> str:
    stage = next(s.id for s in list_stages(services.db, actor, "vehicle") if s["code"] == "qualify")
    return services.opportunities.create(actor, {"name": name, "customer_id": customer_id, "stage_id": stage}).id


def _book(services: Services, actor: Actor, customer_id: str, vehicle_id: str, **values: object):
    return book_test_drive(services.db, actor, {
        "customer_id": customer_id, "product_id": vehicle_id, "vehicle_plate": "浙A·12345",
        "licence_number": VALID_ID, **values})


def test_valid_ids_pass_the_check_digit_and_built_ones_agree_with_stdnum() -> None:
    assert ric.is_valid(VALID_ID) and ric.is_valid(OTHER_ID)
    assert not ric.is_valid(_wrong_check_digit(VALID_ID))


def test_booking_defaults_driver_from_customer_and_links_the_one_open_deal(
        services: Services, actor: Actor, customer_id: str, vehicle_id: str) -> None:
    deal = _deal(services, actor, customer_id)
    drive = _book(services, actor, customer_id, vehicle_id)
    assert drive["status"] == "booked"
    assert (drive["driver_name"], drive["driver_phone"], drive["driver_id_number"]) == ("张伟", "13812345678", VALID_ID)
    assert drive["opportunity_id"] == deal and drive["consultant_id"] == actor.user_id
    assert drive["vehicle_plate"] == "浙A12345" and drive["vehicle_name"] == "华驰 S5 豪华版 珍珠白"
    assert drive["customer_name"] == "张伟"


def test_two_open_deals_link_none_unless_chosen_and_a_foreign_deal_is_refused(
        services: Services, actor: Actor, customer_id: str, vehicle_id: str) -> None:
    _deal(services, actor, customer_id, "一")
    second = _deal(services, actor, customer_id, "二")
    assert _book(services, actor, customer_id, vehicle_id)["opportunity_id"] is None
    assert _book(services, actor, customer_id, vehicle_id, opportunity_id=second)["opportunity_id"] == second
    other = services.customers.create(actor, {"name": "李娜"}).id
    foreign = _deal(services, actor, other)
    with pytest.raises(ValidationError) as caught:
        _book(services, actor, customer_id, vehicle_id, opportunity_id=foreign)
    assert set(caught.value.errors) == {"opportunity_id"}


def test_bad_driver_data_are_all_named_at_once(services: Services, actor: Actor, customer_id: str,
                                               vehicle_id: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _book(services, actor, customer_id, vehicle_id, driver_id_number=_wrong_check_digit(VALID_ID),
              driver_phone="12345", licence_number="ABC", vehicle_vin="LHCS5I0000000001O")
    assert set(caught.value.errors) == {"driver_id_number", "driver_phone", "licence_number", "vehicle_vin"}
    assert "check digit" in caught.value.errors["driver_id_number"]


def test_id_message_in_the_users_language(services: Services, actor: Actor, customer_id: str,
                                          vehicle_id: str) -> None:
    i18n.set_language("zh_CN")
    with pytest.raises(ValidationError) as caught:
        _book(services, actor, customer_id, vehicle_id, driver_id_number=_wrong_check_digit(VALID_ID))
    assert "身份证" in caught.value.errors["driver_id_number"]


def test_a_vehicle_is_required_and_must_be_a_vehicle(services: Services, actor: Actor, customer_id: str,
                                                     vehicle_id: str) -> None:
    with pytest.raises(ValidationError) as caught:
        book_test_drive(services.db, actor, {"customer_id": customer_id})
    assert "product_id" in caught.value.errors
    with read_session(services.db) as session:
        mat = session.scalar(select(Product.id).where(Product.code == "HC-MAT"))
    with pytest.raises(ValidationError) as caught:
        book_test_drive(services.db, actor, {"customer_id": customer_id, "product_id": mat})
    assert "product_id" in caught.value.errors
    assert [v["name_zh"] for v in list_vehicles(services.db, actor)] == ["华驰 S5 豪华版 珍珠白"]


def test_licence_and_id_are_required_before_check_out(services: Services, actor: Actor, vehicle_id: str) -> None:
    customer = services.customers.create(actor, {"name": "王芳", "phone": "13700002222"}).id
    drive = book_test_drive(services.db, actor, {"customer_id": customer, "product_id": vehicle_id,
                                                 "vehicle_plate": "浙A88888"})
    with pytest.raises(ValidationError) as caught:
        check_out(services.db, actor, drive.id, 1200)
    assert set(caught.value.errors) == {"driver_id_number", "licence_number"}
    assert list_test_drives(services.db, actor, customer_id=customer)[0]["status"] == "booked"
    out = check_out(services.db, actor, drive.id, 1200,
                    changes={"driver_id_number": OTHER_ID, "licence_number": "330106198805171234"})
    assert out["status"] == "out" and out["licence_number"] == "330106198805171234"


def test_licence_of_12_to_18_letters_or_digits(services: Services, actor: Actor, customer_id: str,
                                               vehicle_id: str) -> None:
    assert _book(services, actor, customer_id, vehicle_id, licence_number="a1b2c3d4e5f6")["licence_number"] == \
        "A1B2C3D4E5F6"
    for bad in ("A1B2C3D4E5F", "1234567890123456789", "3301-0619880517"):
        with pytest.raises(ValidationError):
            _book(services, actor, customer_id, vehicle_id, licence_number=bad)


def test_the_same_car_cannot_go_out_twice(services: Services, actor: Actor, customer_id: str,
                                          vehicle_id: str) -> None:
    first = _book(services, actor, customer_id, vehicle_id)
    second = _book(services, actor, customer_id, vehicle_id)
    check_out(services.db, actor, first.id, 1000)
    with pytest.raises(ConflictError) as caught:
        check_out(services.db, actor, second.id, 1000)
    assert "张伟" in caught.value.message
    vin = _book(services, actor, customer_id, vehicle_id, vehicle_plate="", vehicle_vin="LHCS5A1B2C3456789")
    check_out(services.db, actor, vin.id, 20)
    by_vin = _book(services, actor, customer_id, vehicle_id, vehicle_plate="浙B00001",
                   vehicle_vin="LHCS5A1B2C3456789")
    with pytest.raises(ConflictError):
        check_out(services.db, actor, by_vin.id, 20)
    return_vehicle(services.db, actor, first.id, 1020)
    assert check_out(services.db, actor, second.id, 1020)["status"] == "out"


def test_five_km_or_less_is_returned_but_not_done(services: Services, actor: Actor, customer_id: str,
                                                  vehicle_id: str) -> None:
    drive = _book(services, actor, customer_id, vehicle_id)
    check_out(services.db, actor, drive.id, 1000)
    back = return_vehicle(services.db, actor, drive.id, 1005)
    assert back["status"] == "returned" and back["distance_km"] == 5
    assert not back["counts_as_done"] and back["too_short"]
    with read_session(services.db) as session:
        assert session.scalar(select(Activity.id).where(Activity.customer_id == customer_id,
                                                       Activity.status == "done")) is None
        assert session.get_one(Customer, customer_id).last_followup_at is None


def test_more_than_five_km_is_done_and_logged_as_a_follow_up(services: Services, actor: Actor, customer_id: str,
                                                            vehicle_id: str) -> None:
    deal = _deal(services, actor, customer_id)
    drive = _book(services, actor, customer_id, vehicle_id)
    started = utcnow() - timedelta(minutes=40)
    check_out(services.db, actor, drive.id, 1000, started_at=started)
    back = return_vehicle(services.db, actor, drive.id, 1006)
    assert back["counts_as_done"] and back["distance_km"] == 6 and not back["too_short"]
    with read_session(services.db) as session:
        activity = session.scalars(select(Activity).where(Activity.customer_id == customer_id,
                                                      Activity.status == "done")).one()
        assert (activity.kind, activity.status, activity.opportunity_id) == ("visit", "done", deal)
        assert activity.subject.startswith("Test drive") and activity.source_id == drive.id
        assert session.get_one(Customer, customer_id).last_followup_at == back["ended_at"]
        done = session.scalar(select(Activity.id).select_from(Activity).where(Activity.id == activity.id))
        assert done is not None
        from crmdesk.models import TestDrive

        assert session.scalar(select(TestDrive.id).where(counts_as_done_condition())) == drive.id


def test_end_below_start_is_refused_and_the_car_stays_out(services: Services, actor: Actor, customer_id: str,
                                                          vehicle_id: str) -> None:
    drive = _book(services, actor, customer_id, vehicle_id)
    check_out(services.db, actor, drive.id, 1000)
    with pytest.raises(ValidationError) as caught:
        return_vehicle(services.db, actor, drive.id, 999)
    assert set(caught.value.errors) == {"end_odometer_km"}
    assert list_test_drives(services.db, actor, customer_id=customer_id)[0]["status"] == "out"
    with pytest.raises(ValidationError):
        return_vehicle(services.db, actor, drive.id, "很多")


def test_status_order_is_enforced(services: Services, actor: Actor, customer_id: str, vehicle_id: str) -> None:
    drive = _book(services, actor, customer_id, vehicle_id)
    with pytest.raises(ConflictError):
        return_vehicle(services.db, actor, drive.id, 10)
    check_out(services.db, actor, drive.id, 0)
    with pytest.raises(ConflictError):
        check_out(services.db, actor, drive.id, 0)
    with pytest.raises(ConflictError):
        cancel_test_drive(services.db, actor, drive.id, "客户有事")
    with pytest.raises(ConflictError):
        update_test_drive(services.db, actor, drive.id, {"notes": "x"})


def test_cancel_needs_a_reason_and_keeps_it(services: Services, actor: Actor, customer_id: str,
                                            vehicle_id: str) -> None:
    drive = _book(services, actor, customer_id, vehicle_id, notes="客户想试高速")
    with pytest.raises(ValidationError):
        cancel_test_drive(services.db, actor, drive.id, "  ")
    cancelled = cancel_test_drive(services.db, actor, drive.id, "客户临时有事")
    assert cancelled["status"] == "cancelled" and "客户临时有事" in cancelled["notes"]
    assert "客户想试高速" in cancelled["notes"]


def test_lists_by_customer_status_day_and_today(services: Services, actor: Actor, customer_id: str,
                                                vehicle_id: str) -> None:
    now = datetime.now().astimezone()
    today = _book(services, actor, customer_id, vehicle_id, booked_for=now.replace(hour=10, minute=0))
    tomorrow = _book(services, actor, customer_id, vehicle_id,
                     booked_for=(now + timedelta(days=1)).strftime("%Y-%m-%d 15:30"))
    assert [d.id for d in list_test_drives(services.db, actor, day=now.date())] == [today.id]
    assert {d.id for d in list_test_drives(services.db, actor, status="booked")} == {today.id, tomorrow.id}
    assert [d.id for d in todays_test_drives(services.db, actor)] == [today.id]
    with pytest.raises(ValidationError) as caught:
        _book(services, actor, customer_id, vehicle_id, booked_for="明天下午")
    assert "booked_for" in caught.value.errors


def test_a_consultant_sees_the_drivers_numbers_masked_and_a_masked_echo_changes_nothing(
        services: Services, actor: Actor, consultant: str, customer_id: str, vehicle_id: str) -> None:
    rep = Actor(user_id=consultant, display_name="王磊", role="consultant")
    services.customers.update(actor, customer_id, {"owner_id": consultant})  # the consultant's customer
    drive = _book(services, actor, customer_id, vehicle_id)
    [seen] = list_test_drives(services.db, rep, customer_id=customer_id)
    assert seen["driver_phone"] == "138****5678"
    assert seen["driver_id_number"] == VALID_ID[:3] + "*" * 11 + VALID_ID[-4:]
    assert seen["licence_number"] == seen["driver_id_number"]  # the licence number is the ID number here
    assert list_test_drives(services.db, actor, customer_id=customer_id)[0]["driver_phone"] == "13812345678"
    # The booking form sends back what it showed: the real numbers stay.
    update_test_drive(services.db, rep, drive.id, {key: seen[key] for key in
                                                    ("driver_phone", "driver_id_number", "licence_number")})
    with read_session(services.db) as session:
        from crmdesk.models import TestDrive

        row = session.get_one(TestDrive, drive.id)
        assert (row.driver_phone, row.driver_id_number, row.licence_number) == ("13812345678", VALID_ID, VALID_ID)
    out = check_out(services.db, rep, drive.id, 1200)
    assert out["status"] == "out" and out["driver_phone"] == "138****5678"
