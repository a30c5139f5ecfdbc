"""The audit log read back: a record's history (creation, field changes newest first, readable values, masked
personal data, keyset pages, child rows), access, the audit log viewer, and every sensitive act audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from crmdesk.models import AuditEntry, Quote, QuoteLine
from crmdesk.models.base import utcnow
from crmdesk.services import audit, contracts, followups, merge, pool, quotes
from crmdesk.services.audit import AuditFilter, audit_log_page, record_export, record_history
from crmdesk.services.catalog import ProductService
from crmdesk.services.duplicates import RecordRef
from crmdesk.services.errors import NotFoundError, UserError, ValidationError
from crmdesk.services.exporter import export_list
from crmdesk.services.lost import approve_lost, reject_lost, request_lost
from crmdesk.services.opportunities import list_stages
from crmdesk.services.personal_data import reveal_personal_data
from crmdesk.services.registry import Services
from crmdesk.services.rules_report import export_rules_report, rules_report
from crmdesk.services.uow import Actor, read_session, unit_of_work

QUALIFY = "01900000-0000-7000-8000-000000001000"  # vehicle sales: the first stage


@pytest.fixture
def rep(new_user: Callable[..., Actor]) -> Actor:
    return new_user("wanglei", "王磊", "consultant")


@pytest.fixture
def manager(new_user: Callable[..., Actor]) -> Actor:
    return new_user("zhaomin", "赵敏", "manager")


def _stage(services: Services, actor: Actor, code: str) -> str:
    return next(s.id for s in list_stages(services.db, actor, "vehicle") if s["code"] == code)


def _changes(page: audit.HistoryPage) -> list[tuple[str, str | None, str, str]]:
    return [(e.action, e.field, e.old_value, e.new_value) for e in page.entries]


def _audited(services: Services, action: str, entity_type: str | None = None,
             entity_id: str | None = None) -> list[AuditEntry]:
    with read_session(services.db) as session:
        statement = select(AuditEntry).where(AuditEntry.action == action)
        if entity_type is not None:
            statement = statement.where(AuditEntry.entity_type == entity_type)
        if entity_id is not None:
            statement = statement.where(AuditEntry.entity_id == entity_id)
        return list(session.scalars(statement.order_by(AuditEntry.at, AuditEntry.id)))


# ---- a record's history ------------------------------------------------------------------------------
def test_a_history_starts_with_the_creation_and_lists_changes_newest_first(
        services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "陈静", "city": "宁波市"})
    services.customers.update(actor, customer.id, {"city": "杭州市"})
    services.customers.update(actor, customer.id, {"name": "陈静静"})
    page = record_history(services.db, actor, "customer", customer.id)
    assert _changes(page) == [("update", "name", "陈静", "陈静静"), ("update", "city", "宁波市", "杭州市"),
                              ("create", None, "", "")]
    newest = page.entries[0]
    assert (newest.user_name, newest.action_label, newest.field_label) == (actor.display_name, "Changed",
                                                                           "Customer name")
    assert page.entries[-1].action_label == "Created"
    assert [e.at for e in page.entries] == sorted((e.at for e in page.entries), reverse=True)
    assert page.next_cursor is None


def test_stage_owner_status_and_money_read_as_words(services: Services, actor: Actor, rep: Actor) -> None:
    customer = services.customers.create(actor, {"name": "苏州群英电子有限公司", "kind": "company"})
    deal = services.opportunities.create(actor, {"name": "华驰 S5 十台", "customer_id": customer.id,
                                                 "stage_id": QUALIFY, "amount": Decimal("1234567.5")})
    services.opportunities.update(actor, deal.id, {"stage_id": _stage(services, actor, "negotiation"),
                                                   "owner_id": rep.user_id, "amount": Decimal("1300000")})
    shown = {e.field: (e.field_label, e.old_value, e.new_value)
             for e in record_history(services.db, actor, "opportunity", deal.id).entries if e.field}
    stages = {s["code"]: s["name_en"] for s in list_stages(services.db, actor, "vehicle")}
    assert shown["stage_id"] == ("Stage", stages["qualify"], stages["negotiation"])
    assert shown["owner_id"] == ("Owner", actor.display_name, "王磊")
    assert shown["amount"] == ("Amount", "¥1,234,567.50", "¥1,300,000.00")
    lead = services.leads.create(actor, {"name": "李娜", "phone": "13900001111", "source": "web"})
    services.leads.update(actor, lead.id, {"status": "contacted", "source": "referral"})
    codes = {e.field: (e.old_value, e.new_value) for e in record_history(services.db, actor, "lead", lead.id).entries}
    assert codes["status"] == ("New", "Contacted") and codes["source"] == ("Web", "Referral")


def test_codes_and_times_in_chinese(services: Services, actor: Actor) -> None:
    from crmdesk import i18n

    customer = services.customers.create(actor, {"name": "陈静", "tier": "B"})
    services.customers.update(actor, customer.id, {"tier": "A", "intent_grade": "H"})
    services.opportunities.create(actor, {"name": "华驰 S5", "customer_id": customer.id, "stage_id": QUALIFY})
    i18n.set_language("zh_CN")
    shown = {e.field: (e.field_label, e.old_value, e.new_value)
             for e in record_history(services.db, actor, "customer", customer.id).entries if e.field}
    assert shown["tier"] == ("客户分级", "B 类", "A 类")
    assert shown["intent_grade"][2].startswith("H")
    planned = shown["next_followup_at"][2]  # the deal planned a first revisit: a local time, to the minute
    assert len(planned) == 16 and planned[4] == "-" and planned[13] == ":"


def test_personal_data_is_masked_for_a_consultant_and_shown_to_a_manager(
        services: Services, actor: Actor, rep: Actor, manager: Actor) -> None:
    customer = services.customers.create(rep, {"name": "陈静", "phone": "13600003333", "owner_id": rep.user_id,
                                               "id_number": "33010619900101123X"})
    services.customers.update(actor, customer.id, {"phone": "13900001111", "id_number": "11010519491231002X"})
    for who, phone, id_number in (
            (rep, ("136****3333", "139****1111"), ("330***********123X", "110***********002X")),
            (manager, ("13600003333", "13900001111"), ("33010619900101123X", "11010519491231002X"))):
        shown = {e.field: (e.old_value, e.new_value)
                 for e in record_history(services.db, who, "customer", customer.id).entries if e.field}
        assert shown["phone"] == phone and shown["id_number"] == id_number


def test_pages_are_keyset_pages_newest_first_without_gaps_or_repeats(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "陈静"})
    for number in range(1, 8):
        services.customers.update(actor, customer.id, {"notes": f"第 {number} 次"})
    seen: list[str] = []
    cursor = None
    sizes = []
    while True:
        page = record_history(services.db, actor, "customer", customer.id, before=cursor, limit=3)
        sizes.append(len(page.entries))
        seen.extend(e.new_value for e in page.entries)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sizes == [3, 3, 2]
    assert seen == [f"第 {n} 次" for n in range(7, 0, -1)] + [""]


def test_a_quote_history_includes_its_lines(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "陈静"})
    deal = services.opportunities.create(actor, {"name": "华驰 S5", "customer_id": customer.id,
                                                 "stage_id": QUALIFY})
    product = ProductService(services.db).create(actor, {"code": "HC-S5", "name_zh": "华驰 S5 豪华版",
                                                         "list_price": "100000"})
    quote = quotes.create_quote(services.db, actor, {"opportunity_id": deal.id}, [{"product_id": product.id}])
    line = quote.lines[0]
    quotes.update_line(services.db, actor, quote.id, line.id, {"quantity": "2"})
    entries = record_history(services.db, actor, "quote", quote.id).entries
    quantity = next(e for e in entries if e.field == "quantity")
    assert quantity.record == "Quote line: 华驰 S5 豪华版"
    assert (quantity.field_label, quantity.old_value, quantity.new_value) == ("Quantity", "1", "2")
    total = next(e for e in entries if e.field == "total" and e.entity == "quote")
    assert total.record == "" and total.new_value == "¥200,000.00"


def test_an_unknown_or_unseen_record_is_not_found(services: Services, actor: Actor, rep: Actor) -> None:
    with pytest.raises(NotFoundError):
        record_history(services.db, actor, "customer", "no-such-id")
    theirs = services.customers.create(actor, {"name": "别人的客户", "owner_id": actor.user_id})
    with pytest.raises(NotFoundError):
        record_history(services.db, rep, "customer", theirs.id)  # not in the consultant's scope
    with pytest.raises(ValidationError):
        record_history(services.db, actor, "spaceship", theirs.id)
    with pytest.raises(NotFoundError):
        record_history(services.db, rep, "user", actor.user_id)  # sign-ins are the administrators'


def test_entries_of_unknown_or_system_users_are_named_so(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "陈静"})
    with unit_of_work(services.db, actor) as session:
        for user_id in (None, quotes.SYSTEM_ACTOR.user_id, "gone-user"):
            session.add(AuditEntry(user_id=user_id, action="update", entity_type="customers",
                                   entity_id=customer.id, field="city", old_value=None, new_value="杭州市"))
    names = {e.user_name for e in record_history(services.db, actor, "customer", customer.id).entries}
    assert names == {"System", "Unknown user", actor.display_name}


# ---- the audit log viewer -----------------------------------------------------------------------------
def test_the_audit_log_is_refused_to_a_consultant(services: Services, rep: Actor) -> None:
    with pytest.raises(UserError):
        audit_log_page(services.db, rep)


def test_the_audit_log_filters_by_user_action_entity_and_period(
        services: Services, actor: Actor, rep: Actor, manager: Actor) -> None:
    mine = services.customers.create(actor, {"name": "陈静"})
    theirs = services.customers.create(rep, {"name": "王芳", "owner_id": rep.user_id})
    services.leads.create(rep, {"name": "李娜", "phone": "13900001111", "owner_id": rep.user_id})
    by_rep = audit_log_page(services.db, actor, AuditFilter(user_id=rep.user_id, entity="customer"))
    assert {(e.entity_id, e.record, e.user_name) for e in by_rep.entries} == {(theirs.id, "Customer 王芳", "王磊")}
    created = audit_log_page(services.db, actor, AuditFilter(action="create", entity="customer")).entries
    assert {e.entity_id for e in created} == {mine.id, theirs.id}
    today = datetime.now().astimezone().date()
    assert audit_log_page(services.db, actor, AuditFilter(since=today - timedelta(days=1), until=today)).entries
    assert audit_log_page(services.db, actor, AuditFilter(until=today - timedelta(days=1))).entries == ()
    with pytest.raises(ValidationError):
        audit_log_page(services.db, actor, AuditFilter(since=today, until=today - timedelta(days=1)))
    # A manager (team scope, no team) reads the acts of the users without a team: here everyone's.
    assert audit_log_page(services.db, manager, AuditFilter(user_id=rep.user_id)).entries
    first = audit_log_page(services.db, actor, limit=2)
    rest = audit_log_page(services.db, actor, before=first.next_cursor, limit=500)
    assert not {e.id for e in first.entries} & {e.id for e in rest.entries}


# ---- every sensitive act is audited ---------------------------------------------------------------------
def test_merges_and_unmerges_are_audited(services: Services, actor: Actor) -> None:
    kept = services.leads.create(actor, {"name": "张伟", "phone": "13812345678"}).id
    merged = services.leads.create(actor, {"name": "张玮", "phone": "13812345678"}).id
    result = merge.merge_records(services.db, actor, RecordRef("lead", kept), RecordRef("lead", merged))
    entry = next(e for e in record_history(services.db, actor, "lead", kept).entries if e.action == "merge")
    assert (entry.action_label, entry.field_label, entry.new_value) == ("Merged", "Merged record", "张玮")
    merge.undo_merge(services.db, actor, result.merge_ids[0])
    undone = next(e for e in record_history(services.db, actor, "lead", merged).entries if e.action == "unmerge")
    assert (undone.field_label, undone.old_value) == ("Merged into", "张伟")


def test_pool_moves_are_audited(services: Services, actor: Actor, rep: Actor, manager: Actor) -> None:
    customer = services.customers.create(actor, {"name": "公海客户", "owner_id": None}).id
    start = datetime.combine(date(2026, 3, 2), time(12)).astimezone().astimezone(UTC)
    pool.claim_from_public_pool(services.db, rep, [customer], now=start)
    pool.release_to_public_pool(services.db, rep, [customer], "客户不买了", now=start + timedelta(days=1))
    pool.assign_customers(services.db, manager, [customer], rep.user_id, now=start + timedelta(days=2))
    pool.run_pool_maintenance(services.db, actor, now=start + timedelta(days=60))  # no follow-up: reclaimed
    entries = record_history(services.db, actor, "customer", customer).entries
    moves = {(e.action, e.user_name, e.old_value, e.new_value) for e in entries
             if e.action in ("claim", "release", "assign", "reclaim")}
    assert moves == {("reclaim", actor.display_name, "王磊", ""), ("assign", "赵敏", "", "王磊"),
                     ("release", "王磊", "王磊", ""), ("claim", "王磊", "", "王磊")}
    # The owner changes the moves made are said once, by the move.
    assert not [e for e in entries if e.action == "update" and e.field == "owner_id"]


def test_lost_approvals_and_rejections_and_the_move_to_the_pool_are_audited(
        services: Services, rep: Actor, manager: Actor) -> None:
    customer = services.customers.create(rep, {"name": "陈静", "owner_id": rep.user_id}).id
    deal = services.opportunities.create(rep, {"name": "华驰 S5", "customer_id": customer, "stage_id": QUALIFY,
                                               "owner_id": rep.user_id}).id
    rejected = request_lost(services.db, rep, deal, "price")
    reject_lost(services.db, manager, rejected.id, "再跟一次")
    approved = request_lost(services.db, rep, deal, "price")
    approve_lost(services.db, manager, approved.id, "同意")
    assert [e.user_id for e in _audited(services, "reject", "lost_requests", rejected.id)] == [manager.user_id]
    assert [e.user_id for e in _audited(services, "approve", "lost_requests", approved.id)] == [manager.user_id]
    (to_pool,) = _audited(services, "lost", "customers", customer)
    assert (to_pool.user_id, to_pool.old_value, to_pool.new_value) == (manager.user_id, rep.user_id, None)
    shown = next(e for e in record_history(services.db, manager, "customer", customer).entries if e.action == "lost")
    assert shown.action_label == "Lost: to the public pool"


def test_quote_discount_approvals_and_rejections_are_audited(services: Services, rep: Actor,
                                                             manager: Actor) -> None:
    customer = services.customers.create(rep, {"name": "陈静", "owner_id": rep.user_id}).id
    deal = services.opportunities.create(rep, {"name": "华驰 S5", "customer_id": customer, "stage_id": QUALIFY,
                                               "owner_id": rep.user_id}).id
    product = ProductService(services.db).create(manager, {"code": "HC-S5", "name_zh": "华驰 S5",
                                                           "list_price": "100000"}).id
    first = quotes.create_quote(services.db, rep, {"opportunity_id": deal},
                                [{"product_id": product, "discount_percent": "8"}])
    quotes.submit_quote(services.db, rep, first.id)
    quotes.reject_quote(services.db, manager, first.id, "折扣太大")
    quotes.submit_quote(services.db, rep, first.id)
    quotes.approve_quote(services.db, manager, first.id, "同意")
    decisions = [(e.action, e.user_name, e.old_value, e.new_value)
                 for e in record_history(services.db, rep, "quote", first.id).entries
                 if e.action in ("approve", "reject")]
    assert decisions == [("approve", "赵敏", "Pending approval", "Approved"),
                         ("reject", "赵敏", "Pending approval", "Rejected")]


def test_exports_are_audited(services: Services, actor: Actor, tmp_path: Path) -> None:
    services.leads.create(actor, {"name": "张伟", "phone": "13812345678"})
    export_list(services.leads, actor, tmp_path / "leads.csv")
    export_rules_report(services.db, actor, rules_report(services.db, actor), tmp_path / "rules.xlsx")
    record_export(services.db, actor, "analytics", 7, tmp_path / "funnel.xlsx")
    customer = services.customers.create(actor, {"name": "陈静"}).id
    with unit_of_work(services.db, actor) as session:
        from crmdesk.models import Activity

        session.add(Activity(subject="回访", status="planned", owner_id=actor.user_id, customer_id=customer,
                             due_at=utcnow() + timedelta(days=1)))
    followups.export_ics(services.db, actor, tmp_path / "calendar.ics")
    exports = [(e.entity_type, e.field, e.new_value) for e in _audited(services, "export")]
    assert exports == [("lead", "csv", "1 rows -> leads.csv"), ("rules_report", "xlsx", "1 rows -> rules.xlsx"),
                       ("analytics", "xlsx", "7 rows -> funnel.xlsx"), ("activities", "ics", "1 rows -> calendar.ics")]
    shown = audit_log_page(services.db, actor, AuditFilter(action="export")).entries
    assert [(e.record, e.field_label) for e in shown][:2] == [("Follow-up", "ICS"), ("Analytics", "XLSX")]


def test_printed_quotes_and_contracts_are_audited(services: Services, actor: Actor) -> None:
    customer = services.customers.create(actor, {"name": "张伟"}).id
    with unit_of_work(services.db, actor) as session:
        quote = Quote(number="QT-TEST-20261201-0001", version=2, customer_id=customer, status="accepted",
                      total=Decimal("100"), owner_id=actor.user_id)
        session.add(quote)
        session.flush()
        session.add(QuoteLine(quote_id=quote.id, position=1, description="华驰 A3", line_total=Decimal("100")))
        quote_id = quote.id
    quotes.quote_document(services.db, actor, quote_id)
    contract = contracts.create_contract_from_quote(services.db, actor, quote_id)
    contracts.contract_document(services.db, actor, contract.id)
    assert [e.new_value for e in _audited(services, "print", "quotes", quote_id)] == ["QT-TEST-20261201-0001 V2"]
    assert [e.new_value for e in _audited(services, "print", "contracts", contract.id)] == [contract["number"]]
    printed = next(e for e in record_history(services.db, actor, "contract", contract.id).entries
                   if e.action == "print")
    assert printed.action_label == "Printed (PDF made)"


def test_reveals_of_personal_data_are_audited_without_the_value(services: Services, rep: Actor) -> None:
    customer = services.customers.create(rep, {"name": "陈静", "phone": "13600003333", "owner_id": rep.user_id}).id
    reveal_personal_data(services.db, rep, "customer", customer, "phone")
    (entry,) = _audited(services, "reveal", "customers", customer)
    assert (entry.user_id, entry.field, entry.old_value, entry.new_value) == (rep.user_id, "phone", None, None)
    shown = next(e for e in record_history(services.db, rep, "customer", customer).entries if e.action == "reveal")
    assert (shown.action_label, shown.field_label, shown.new_value) == ("Personal data shown", "Phone", "")


def test_lead_assignment_by_the_rules_is_audited(services: Services, actor: Actor, rep: Actor) -> None:
    lead = services.leads.create(actor, {"name": "李娜", "phone": "13900001111", "owner_id": rep.user_id})
    with unit_of_work(services.db, actor) as session:
        from crmdesk.services.lead_rules import Assignment, log_assignment

        log_assignment(session, actor, lead.id, Assignment(owner_id=rep.user_id, team_id=None, rule_name="杭州"))
    shown = [(e.field_label, e.new_value) for e in record_history(services.db, actor, "lead", lead.id).entries
             if e.action == "assign"]
    assert ("Owner", "王磊") in shown and ("Assignment rule", "杭州") in shown
