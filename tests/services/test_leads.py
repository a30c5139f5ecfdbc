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


# ---- lifecycle: invalid with a reason, reopen, the list filtered by status and qualification ----------
def test_mark_invalid_with_a_reason_code_from_the_list(services: Services, actor: Actor) -> None:
    from crmdesk.services.leads import invalid_reason_label, invalid_reasons

    lead = services.leads.create(actor, {"name": "王芳", "phone": "13900001111"})
    marked = services.leads.mark_invalid(actor, lead.id, "wrong_number")
    assert (marked["status"], marked["invalid_reason"]) == ("invalid", "wrong_number")
    assert invalid_reason_label(invalid_reasons(services.db), marked["invalid_reason"]) == "Wrong number"
    with pytest.raises(ValidationError) as caught:
        services.leads.mark_invalid(actor, lead.id, "spam")
    assert caught.value.errors == {"invalid_reason": "Choose a reason from the list."}
    with pytest.raises(ValidationError):  # only a reason that takes words takes words
        services.leads.mark_invalid(actor, lead.id, "duplicate", "和张伟重复")
    assert services.leads.get(actor, lead.id)["invalid_reason"] == "wrong_number"


def test_other_reason_takes_free_text_and_reads_in_chinese(services: Services, actor: Actor) -> None:
    from crmdesk import i18n
    from crmdesk.services.leads import invalid_reason_label, invalid_reasons

    lead = services.leads.create(actor, {"name": "王芳", "phone": "13900001111"})
    marked = services.leads.mark_invalid(actor, lead.id, "other", " 号码是公司总机 ")
    assert marked["invalid_reason"] == "other:号码是公司总机"
    i18n.set_language("zh_CN")
    reasons = invalid_reasons(services.db)
    assert [reason.label for reason in reasons] == ["空号", "无意向", "重复", "同行", "其他"]
    assert invalid_reason_label(reasons, marked["invalid_reason"]) == "其他：号码是公司总机"
    assert invalid_reason_label(reasons, "空号") == "空号"  # typed before the list existed: as written


def test_the_reasons_list_is_configurable(services: Services, actor: Actor) -> None:
    from crmdesk.services.leads import invalid_reasons, save_invalid_reasons

    with pytest.raises(ValidationError) as caught:
        save_invalid_reasons(services.db, actor, [{"code": "a:b", "label": "x"}, {"code": "x", "label": ""}])
    assert set(caught.value.errors) == {"reasons[0].code", "reasons[1].label"}
    save_invalid_reasons(services.db, actor, [{"code": "test_drive_only", "label": "只试驾"},
                                              {"code": "misc", "label": "杂项", "free_text": True}])
    assert [r.code for r in invalid_reasons(services.db)] == ["test_drive_only", "misc"]
    lead = services.leads.create(actor, {"name": "王芳", "phone": "13900001111"})
    assert services.leads.mark_invalid(actor, lead.id, "misc", "随便看看")["invalid_reason"] == "misc:随便看看"
    with pytest.raises(ValidationError):
        services.leads.mark_invalid(actor, lead.id, "wrong_number")  # no longer on the list


def test_a_converted_lead_cannot_be_marked_invalid(services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "王芳", "phone": "13900001111"})
    services.leads.convert(actor, lead.id)
    with pytest.raises(ConflictError):
        services.leads.mark_invalid(actor, lead.id, "not_interested")
    assert services.leads.get(actor, lead.id)["status"] == "converted"


def test_reopen_restores_the_status_before_invalid_and_clears_the_reason(services: Services, actor: Actor) -> None:
    lead = services.leads.create(actor, {"name": "王芳", "phone": "13900001111", "status": "contacted"})
    services.leads.mark_invalid(actor, lead.id, "not_interested")
    reopened = services.leads.reopen(actor, lead.id)
    assert (reopened["status"], reopened["invalid_reason"]) == ("contacted", None)
    with pytest.raises(ConflictError, match="Only an invalid lead"):
        services.leads.reopen(actor, lead.id)


def test_reopen_of_a_lead_entered_invalid_goes_by_its_follow_ups(services: Services, actor: Actor) -> None:
    from crmdesk.services.walk_in import log_revisit

    never = services.leads.create(actor, {"name": "王芳", "phone": "13900001111", "status": "invalid",
                                          "invalid_reason": "空号"})
    assert services.leads.reopen(actor, never.id)["status"] == "new"
    visited = services.leads.create(actor, {"name": "李娜", "phone": "13900002222"})
    log_revisit(services.db, actor, "lead", visited.id, None)
    with read_session(services.db) as session:  # an old file: no audit entry says what it was before
        session.query(Lead).filter(Lead.id == visited.id).update({"status": "invalid", "invalid_reason": "duplicate"})
        session.commit()
    assert services.leads.reopen(actor, visited.id)["status"] == "contacted"


def test_the_list_filters_by_every_status_and_qualification(services: Services, actor: Actor) -> None:
    from crmdesk.services.leads import LEAD_STATUSES

    ids = {}
    for n, status in enumerate(("new", "contacted", "qualified")):
        ids[status] = services.leads.create(actor, {"name": f"客{n}", "phone": f"1390000{n:04d}",
                                                    "status": status, "score": 20}).id
    ids["invalid"] = services.leads.mark_invalid(
        actor, services.leads.create(actor, {"name": "客3", "phone": "13900000003", "score": 90}).id, "duplicate").id
    ids["converted"] = services.leads.convert(
        actor, services.leads.create(actor, {"name": "客4", "phone": "13900000004", "score": 20}).id).lead_id
    mql = services.leads.create(actor, {"name": "客5", "phone": "13900000005", "score": 80})
    sql = services.leads.accept_lead(actor, services.leads.create(
        actor, {"name": "客6", "phone": "13900000006", "score": 80}).id)
    for status in LEAD_STATUSES:
        found = {row[0] for row in services.leads.page(actor, ListQuery(filters={"status": status}), 0, 50)}
        expected = {ids[status]} | ({mql.id} if status == "new" else set()) | ({sql.id} if status == "qualified"
                                                                                 else set())
        assert found == expected, status
    by_qualification = {q: {row[0] for row in services.leads.page(actor, ListQuery(filters={"qualification": q}), 0, 50)}
                        for q in ("mql", "sql", None)}
    assert by_qualification["mql"] == {mql.id, ids["invalid"]}  # the invalid one kept its mark
    assert by_qualification["sql"] == {sql.id}
    assert len(by_qualification[None]) == 4
    assert "qualification" in [column.key for column in services.leads.columns]


def test_new_fields_are_checked(services: Services, actor: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        services.leads.create(actor, {"name": "王芳", "phone": "13900001111", "company_size": "-1",
                                      "budget": "很多", "territory_id": "nowhere"})
    assert set(caught.value.errors) == {"company_size", "budget", "territory_id"}
    lead = services.leads.create(actor, {"name": "王芳", "phone": "13900001111", "company_size": "250",
                                         "budget": "¥1,200,000", "industry": "制造业"})
    assert (lead["company_size"], lead["budget"], lead["industry"]) == (250, Decimal("1200000"), "制造业")
