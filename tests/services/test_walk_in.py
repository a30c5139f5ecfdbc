"""Walk-in registration: the showroom's required fields, the known-person check, logging a revisit."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from crmdesk import i18n
from crmdesk.models import Activity, Customer, Lead
from crmdesk.services.entities import ListQuery
from crmdesk.services.errors import NotFoundError, ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.team_settings import save_setting
from crmdesk.services.uow import Actor, read_session, unit_of_work
from crmdesk.services.walk_in import (
    DEFAULT_WALK_IN_SOURCES,
    SHOWROOM_REQUIRED,
    WALK_IN_FIELDS,
    WALK_IN_SOURCES_SETTING,
    KnownPerson,
    configured_walk_in_sources,
    find_known,
    log_revisit,
    register_walk_in,
    walk_in_sources,
)

WALK_IN = {
    "name": "张先生", "phone": "13812345678", "gender": "M", "source": "walk_in", "intended_product": "华驰 A3",
    "intended_purchase_date": date(2026, 3, 5), "residential_area": "西湖区文三路", "visitors_count": "2",
}


@pytest.fixture
def chinese() -> Iterator[None]:
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("en")


def _lead_count(services: Services) -> int:
    with read_session(services.db) as session:
        return int(session.scalar(select(func.count()).select_from(Lead)) or 0)


def _done_visit(services: Services, actor: Actor, when: datetime, *, lead_id: str | None = None,
                customer_id: str | None = None, status: str = "done") -> None:
    with unit_of_work(services.db, actor) as session:
        session.add(Activity(kind="call", status=status, subject="电话回访", lead_id=lead_id, customer_id=customer_id,
                             done_at=when, due_at=when))


# ---- the fields and the register ------------------------------------------------------------
def test_the_showroom_fields_are_required_and_the_rest_are_the_leads_own() -> None:
    by_name = {spec.name: spec for spec in WALK_IN_FIELDS}
    assert [spec.name for spec in WALK_IN_FIELDS] == [
        "name", "phone", "gender", "source", "intended_product", "intended_purchase_date", "residential_area",
        "visitors_count", "owner_id"]
    assert {name for name, spec in by_name.items() if spec.required} == SHOWROOM_REQUIRED == {
        "name", "phone", "gender", "source", "intended_purchase_date", "residential_area"}
    assert by_name["phone"].kind == "phone" and by_name["visitors_count"].maximum == 99


def test_register_creates_a_new_walk_in_lead_owned_by_the_desk(services: Services, actor: Actor) -> None:
    values = {key: value for key, value in WALK_IN.items() if key != "source"}
    lead = register_walk_in(services, actor, {**values, "phone": "+86 138 1234 5678"})
    assert lead.entity == "lead"
    stored = services.leads.get(actor, lead.id)
    assert (stored["name"], stored["phone"], stored["gender"], stored["source"], stored["status"]) == (
        "张先生", "13812345678", "M", "walk_in", "new")
    assert (stored["intended_product"], stored["intended_purchase_date"], stored["residential_area"],
            stored["visitors_count"], stored["owner_id"]) == (
        "华驰 A3", date(2026, 3, 5), "西湖区文三路", 2, actor.user_id)


def test_the_chosen_consultant_owns_the_lead(services: Services, actor: Actor, consultant: str) -> None:
    lead = register_walk_in(services.db, actor, {**WALK_IN, "source": "referral", "owner_id": consultant})
    assert lead["owner_id"] == consultant and lead["source"] == "referral"
    assert lead["created_by"] == actor.user_id


def test_every_missing_showroom_field_is_named_at_once_in_chinese(services: Services, actor: Actor,
                                                                  chinese: None) -> None:
    with pytest.raises(ValidationError) as caught:
        register_walk_in(services, actor, {"name": "  ", "phone": "1381234", "owner_id": "no-such-user",
                                           "visitors_count": "0"})
    errors = caught.value.errors
    assert set(errors) == {"name", "phone", "gender", "intended_purchase_date", "residential_area", "owner_id",
                           "visitors_count"}
    assert errors["name"] == errors["gender"] == errors["residential_area"] == "此项必填。"
    assert errors["owner_id"] == "请选择一位已有的用户。"
    assert caught.value.message == "请更正标红的字段。"
    assert _lead_count(services) == 0


def test_a_bad_source_is_refused_and_a_missing_one_is_walk_in(services: Services, actor: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        register_walk_in(services, actor, {**WALK_IN, "source": "fax"})
    assert set(caught.value.errors) == {"source"}
    assert register_walk_in(services, actor, {**WALK_IN, "source": None})["source"] == "walk_in"


def test_the_offered_sources_are_the_configured_lead_sources_or_the_issues_six() -> None:
    assert walk_in_sources() == DEFAULT_WALK_IN_SOURCES == (
        "walk_in", "phone", "web", "campaign", "referral", "ad_keyword")
    assert walk_in_sources(["referral", "fax", "walk_in", "referral"]) == ("referral", "walk_in")
    assert walk_in_sources(["fax"]) == DEFAULT_WALK_IN_SOURCES


def test_the_team_setting_chooses_the_offered_sources(services: Services, actor: Actor) -> None:
    assert configured_walk_in_sources(services) == DEFAULT_WALK_IN_SOURCES
    save_setting(services.db, actor, WALK_IN_SOURCES_SETTING, ["phone", "walk_in"])
    assert configured_walk_in_sources(services) == ("phone", "walk_in")


# ---- who is already known -------------------------------------------------------------------
def test_a_known_mobile_shows_the_lead_with_owner_and_last_follow_up(
        services: Services, actor: Actor, consultant: str) -> None:
    lead = register_walk_in(services, actor, {**WALK_IN, "owner_id": consultant})
    earlier = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    _done_visit(services, actor, earlier, lead_id=lead.id)
    _done_visit(services, actor, earlier - timedelta(days=3), lead_id=lead.id)
    _done_visit(services, actor, earlier + timedelta(days=30), lead_id=lead.id, status="planned")
    _done_visit(services, actor, earlier + timedelta(days=1), lead_id=lead.id, status="cancelled")
    assert find_known(services.db, actor, phone="13812345678") == [KnownPerson(
        entity="lead", id=lead.id, name="张先生", phone="13812345678", owner_name="王磊", status="new",
        last_followup_at=earlier, match="phone")]


@pytest.mark.parametrize("typed", ["+86 138 1234 5678", "138-1234-5678", "0086 13812345678", " 13812345678 "])
def test_a_phone_typed_with_country_code_spaces_or_dashes_still_matches(
        services: Services, actor: Actor, typed: str) -> None:
    lead = register_walk_in(services, actor, WALK_IN)
    assert [person.id for person in find_known(services, actor, phone=typed)] == [lead.id]


def test_from_seven_digits_numbers_starting_with_them_are_candidates(services: Services, actor: Actor) -> None:
    lead = register_walk_in(services, actor, WALK_IN)
    register_walk_in(services, actor, {**WALK_IN, "name": "李女士", "phone": "13912345678"})
    assert [p.id for p in find_known(services, actor, phone="1381234")] == [lead.id]
    assert [p.id for p in find_known(services, actor, phone="138 1234 56")] == [lead.id]
    assert find_known(services, actor, phone="138123") == []  # six digits: too many strangers
    assert find_known(services, actor, phone="5678") == []  # a suffix is no start of a number
    assert find_known(services, actor, phone="13812345679") == []
    assert find_known(services, actor, phone="1381234abcd") == []


def test_a_deleted_lead_is_not_known(services: Services, actor: Actor) -> None:
    lead = register_walk_in(services, actor, WALK_IN)
    services.leads.delete(actor, lead.id)
    assert find_known(services, actor, phone="13812345678", name="张先生") == []
    assert find_known(services, actor, phone="1381234") == []


def test_customers_come_first_with_their_last_follow_up_and_pool_customers_have_no_owner(
        services: Services, actor: Actor) -> None:
    lead = register_walk_in(services, actor, WALK_IN)
    customer = services.customers.create(actor, {"name": "张伟", "phone": "13812345678", "owner_id": None})
    followed = datetime(2025, 12, 1, 8, 0, tzinfo=UTC)
    with unit_of_work(services.db, actor) as session:
        row = session.get_one(Customer, customer.id)
        row.last_followup_at = followed
        row.owner_id = None
    _done_visit(services, actor, followed - timedelta(days=10), customer_id=customer.id)
    found = find_known(services, actor, phone="13812345678")
    assert [(p.entity, p.id) for p in found] == [("customer", customer.id), ("lead", lead.id)]
    assert (found[0].owner_name, found[0].status, found[0].last_followup_at) == (None, "active", followed)
    assert found[1].owner_name == actor.display_name and found[1].last_followup_at is None


def test_the_same_name_matches_exactly_after_the_phone_matches(services: Services, actor: Actor) -> None:
    by_phone = register_walk_in(services, actor, {**WALK_IN, "name": "王芳"})
    same_name = register_walk_in(services, actor, {**WALK_IN, "name": "张伟", "phone": "13900001111"})
    register_walk_in(services, actor, {**WALK_IN, "name": "张伟明", "phone": "13900002222"})
    register_walk_in(services, actor, {**WALK_IN, "name": "章伟", "phone": "13900003333"})  # same pinyin
    found = find_known(services, actor, phone="13812345678", name=" 张伟 ")
    assert [(p.id, p.match) for p in found] == [(by_phone.id, "phone"), (same_name.id, "name")]
    assert find_known(services, actor, name="张") == []
    assert [p.id for p in find_known(services, actor, phone="13900001111", name="张伟")] == [same_name.id]


def test_a_converted_lead_is_shown_as_its_customer(services: Services, actor: Actor) -> None:
    lead = register_walk_in(services, actor, WALK_IN)
    conversion = services.leads.convert(actor, lead.id)
    found = find_known(services, actor, phone="13812345678", name="张先生")
    assert [(p.entity, p.id) for p in found] == [("customer", conversion.customer_id)]


def test_at_most_limit_people_are_listed(services: Services, actor: Actor) -> None:
    for number in range(8):
        register_walk_in(services, actor, {**WALK_IN, "phone": f"1381234000{number}"})
    assert len(find_known(services, actor, phone="13812340")) == 5
    assert len(find_known(services, actor, phone="13812340", limit=3)) == 3
    assert len(find_known(services, actor, name="张先生", limit=20)) == 8
    assert find_known(services, actor, phone="13812340", limit=0) == []
    assert find_known(services, actor) == []


# ---- logging a revisit ----------------------------------------------------------------------
def test_a_revisit_of_a_new_lead_is_a_done_visit_and_the_lead_becomes_contacted(
        services: Services, actor: Actor, consultant: str, chinese: None) -> None:
    lead = register_walk_in(services, actor, WALK_IN)
    before = datetime.now(UTC)
    activity = log_revisit(services, actor, "lead", lead.id, "想看 S5 的配置", visitors_count="3",
                           consultant_id=consultant)
    assert activity.entity == "activity"
    assert (activity["kind"], activity["status"], activity["subject"], activity["lead_id"],
            activity["customer_id"], activity["owner_id"]) == (
        "visit", "done", "到店回访", lead.id, None, consultant)
    assert activity["outcome"] == "想看 S5 的配置\n到店人数：3"
    assert activity["done_at"] >= before
    assert services.leads.get(actor, lead.id)["status"] == "contacted"
    assert services.leads.count(actor, ListQuery()) == 1
    assert find_known(services, actor, phone="13812345678")[0].last_followup_at == activity["done_at"]


def test_a_revisit_leaves_a_lead_past_new_as_it_is(services: Services, actor: Actor) -> None:
    lead = register_walk_in(services, actor, WALK_IN)
    services.leads.update(actor, lead.id, {"status": "qualified"})
    activity = log_revisit(services.db, actor, "lead", lead.id, "")
    assert activity["outcome"] is None and activity["owner_id"] == actor.user_id
    assert activity["subject"] == "Showroom revisit"
    assert services.leads.get(actor, lead.id)["status"] == "qualified"


def test_a_revisit_of_a_customer_updates_the_last_follow_up(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333"})
    activity = log_revisit(services, actor, "customer", customer.id, "试驾 S5")
    stored = services.customers.get(actor, customer.id)
    assert stored["last_followup_at"] == activity["done_at"]
    assert activity["customer_id"] == customer.id and activity["lead_id"] is None
    assert _lead_count(services) == 0


def test_a_bad_revisit_writes_nothing(services: Services, actor: Actor) -> None:
    lead = register_walk_in(services, actor, WALK_IN)
    with pytest.raises(ValidationError) as caught:
        log_revisit(services, actor, "lead", lead.id, "x" * 10001, visitors_count="很多", consultant_id="nobody")
    assert set(caught.value.errors) == {"note", "visitors_count", "owner_id"}
    services.leads.delete(actor, lead.id)
    with pytest.raises(NotFoundError):
        log_revisit(services, actor, "lead", lead.id, "")
    with pytest.raises(ValueError):
        log_revisit(services, actor, "opportunity", lead.id, "")
    with read_session(services.db) as session:
        assert session.scalar(select(func.count()).select_from(Activity)) == 0
        assert session.get_one(Lead, lead.id).status == "new"


def test_a_consultant_sees_a_known_persons_number_masked(services: Services, actor: Actor, consultant: str) -> None:
    services.leads.create(actor, {"name": "张伟", "phone": "13812345678"})
    rep = Actor(user_id=consultant, display_name="王磊", role="consultant")
    assert [p.phone for p in find_known(services, rep, name="张伟")] == ["138****5678"]
    assert [p.phone for p in find_known(services, actor, name="张伟")] == ["13812345678"]
