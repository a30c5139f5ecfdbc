"""Leads: validation, edits, soft delete, listing in SQL, and conversion."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from crmdesk.models import AuditEntry, Contact, Customer, Lead, Opportunity, OpportunityStageChange
from crmdesk.services.entities import ListQuery
from crmdesk.services.errors import ConflictError, NotFoundError, ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session


def test_create_normalises_phone_and_fills_search_columns(services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "曾小贤", "phone": "+86 138 1234 5678"})
    assert lead["phone"] == "13812345678"
    assert lead["source"] == "walk_in" and lead["status"] == "new"
    with read_session(services.db) as session:
        row = session.get_one(Lead, lead.id)
        assert (row.name_pinyin, row.name_initials, row.phone_rev) == ("zengxiaoxian", "zxx", "87654321831")
        assert row.created_by == actor.user_id and row.owner_id == actor.user_id
        assert row.created_at.tzinfo is not None


def test_rejected_lead_reports_every_bad_field_and_writes_nothing(services: Services, actor: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        services.leads.create(actor, {"name": "", "phone": "1381234abcd", "source": "fax"})
    assert set(caught.value.errors) == {"name", "phone", "source"}
    with read_session(services.db) as session:
        assert session.scalars(select(Lead)).first() is None


def test_a_lead_needs_a_way_to_reach_them(services: Services, actor: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        services.leads.create(actor, {"name": "王芳"})
    assert "phone" in caught.value.errors
    assert services.leads.create(actor, {"name": "王芳", "email": "wf@example.com"})["email"]


def test_invalid_status_needs_a_reason(services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "王芳", "phone": "13900001111"})
    with pytest.raises(ValidationError) as caught:
        services.leads.update(actor, lead.id, {"status": "invalid"})
    assert "invalid_reason" in caught.value.errors
    updated = services.leads.update(actor, lead.id, {"status": "invalid", "invalid_reason": "空号"})
    assert updated["status"] == "invalid"


def test_edit_is_audited_field_by_field(services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "王芳", "phone": "13900001111"})
    services.leads.update(actor, lead.id, {"name": "王芳芳", "city": "杭州"})
    with read_session(services.db) as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == lead.id, AuditEntry.action == "update")
        ).all()
    assert {(e.field, e.old_value, e.new_value) for e in entries} == {("name", "王芳", "王芳芳"), ("city", None, "杭州")}


def test_soft_delete_hides_the_lead_but_keeps_a_tombstone(services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "王芳", "phone": "13900001111"})
    services.leads.delete(actor, lead.id)
    with pytest.raises(NotFoundError):
        services.leads.get(actor, lead.id)
    assert services.leads.count(actor, ListQuery()) == 0
    with read_session(services.db) as session:
        assert session.get_one(Lead, lead.id).deleted_at is not None
    assert services.leads.count(actor, ListQuery(search="王芳")) == 0


def test_list_pages_sort_by_pinyin_and_read_the_end_from_the_far_side(services: Services, actor: Actor) -> None:
    names = ["赵敏", "张伟", "李娜", "王芳", "陈静", "刘洋", "杨磊"]
    for index, name in enumerate(names):
        services.leads.create(actor, {"name": name, "phone": f"1390000{index:04d}"})
    query = ListQuery(sort_key="name")
    total = services.leads.count(actor, query)
    expected = ["陈静", "李娜", "刘洋", "王芳", "杨磊", "张伟", "赵敏"]  # chen, li, liu, wang, yang, zhang, zhao
    assert [row[1] for row in services.leads.page(actor, query, 0, 10)] == expected
    # the tail read backwards from the other end must be the same rows in the same order
    assert [row[1] for row in services.leads.page(actor, query, 5, 3, total=total)] == expected[5:]
    assert [row[1] for row in services.leads.page(actor, query, 4, 2, total=total)] == expected[4:6]
    descending = ListQuery(sort_key="name", descending=True)
    assert [row[1] for row in services.leads.page(actor, descending, 0, 10, total=total)] == expected[::-1]
    assert services.leads.position_of(actor, query, services.leads.page(actor, query, 3, 1)[0][0]) == 3


def test_filters_and_unknown_sort_keys(services: Services, actor: Actor) -> None:
    services.leads.create(actor, {"name": "王芳", "phone": "13900001111", "source": "web"})
    services.leads.create(actor, {"name": "李娜", "phone": "13900002222"})
    assert services.leads.count(actor, ListQuery(filters={"source": "web"})) == 1
    with pytest.raises(KeyError):
        services.leads.page(actor, ListQuery(sort_key="password"), 0, 10)


def test_conversion_creates_linked_customer_contact_and_opportunity(services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "张伟", "phone": "13812345678", "company": "杭州远景科技有限公司",
                                         "intended_product": "Model Y"})
    result = services.leads.convert(actor, lead.id, amount=Decimal("263900"), pipeline_code="vehicle")
    with read_session(services.db) as session:
        customer = session.get_one(Customer, result.customer_id)
        contact = session.get_one(Contact, result.contact_id)
        opportunity = session.get_one(Opportunity, result.opportunity_id)
        stored = session.get_one(Lead, lead.id)
        history = session.scalars(select(OpportunityStageChange)
                                  .where(OpportunityStageChange.opportunity_id == opportunity.id)).all()
    assert (customer.kind, customer.name) == ("company", "杭州远景科技有限公司")
    assert contact.customer_id == customer.id and contact.name == "张伟" and contact.is_primary
    assert opportunity.customer_id == customer.id and opportunity.amount == Decimal("263900.00")
    assert opportunity.name == "Model Y" and opportunity.probability == 10 and opportunity.status == "open"
    for derived in (customer, contact, opportunity):
        assert (derived.source_type, derived.source_id) == ("lead", lead.id)
    assert (stored.status, stored.customer_id, stored.opportunity_id) == ("converted", customer.id, opportunity.id)
    assert len(history) == 1 and history[0].from_stage_id is None


def test_converting_twice_is_refused_and_changes_nothing(services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "张伟", "phone": "13812345678"})
    services.leads.convert(actor, lead.id)
    with pytest.raises(ConflictError):
        services.leads.convert(actor, lead.id)
    with read_session(services.db) as session:
        assert len(session.scalars(select(Customer)).all()) == 1


def test_failed_conversion_rolls_back_everything(services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "张伟", "phone": "13812345678"})
    with pytest.raises(ValidationError):
        services.leads.convert(actor, lead.id, pipeline_code="no-such-pipeline")
    with read_session(services.db) as session:
        assert session.scalars(select(Customer)).first() is None
        assert session.get_one(Lead, lead.id).status == "new"


def test_converted_status_cannot_be_typed(services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "张伟", "phone": "13812345678"})
    with pytest.raises(ValidationError):
        services.leads.update(actor, lead.id, {"status": "converted"})


def test_a_fields_own_message_wins_over_a_cross_check(services: Services, actor: Actor) -> None:
    """A bad phone says what is wrong with it, not 'enter a phone or an e-mail'; both bad fields come back."""
    with pytest.raises(ValidationError) as caught:
        services.leads.create(actor, {"name": "", "phone": "12345", "status": "invalid"})
    assert set(caught.value.errors) == {"name", "phone", "invalid_reason"}
    assert "e-mail" not in caught.value.errors["phone"]
