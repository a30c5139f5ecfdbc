"""Quotes: totals rounded to the fen per line (prices include VAT), the discount policy per role, the approval
flow and its history, versions (read-only old ones, comparison), accepting once, expiry, numbers, and bad
input that leaves nothing behind."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from crmdesk.models import AuditEntry, Opportunity, Quote, QuoteEvent, QuoteLine
from crmdesk.services import catalog, quotes
from crmdesk.services.catalog import ProductService
from crmdesk.services.errors import ConflictError, NotFoundError, UserError, ValidationError
from crmdesk.services.opportunities import list_stages
from crmdesk.services.quotes import QuoteFilter, line_amounts, quote_totals
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session, unit_of_work

D = Decimal


@pytest.fixture
def rep(new_user: Callable[[str, str, str], Actor]) -> Actor:
    return new_user("wanglei", "王磊", "consultant")


@pytest.fixture
def field_rep(new_user: Callable[[str, str, str], Actor]) -> Actor:
    return new_user("liuyang", "刘洋", "field_rep")


@pytest.fixture
def manager(new_user: Callable[[str, str, str], Actor]) -> Actor:
    return new_user("zhaomin", "赵敏", "manager")


@pytest.fixture
def customer_id(services: Services, rep: Actor) -> str:
    return services.customers.create(rep, {"name": "陈静", "phone": "13600003333", "owner_id": rep.user_id,
                                           "province": "浙江省", "city": "杭州市", "address": "西湖区文三路 90 号"}).id


@pytest.fixture
def opportunity_id(services: Services, rep: Actor, customer_id: str) -> str:
    stage = next(s.id for s in list_stages(services.db, rep, "vehicle") if s["code"] == "negotiation")
    return services.opportunities.create(rep, {"name": "华驰 S5 购车", "customer_id": customer_id, "stage_id": stage,
                                               "amount": D("189800"), "owner_id": rep.user_id}).id


@pytest.fixture
def product(services: Services, actor: Actor) -> dict[str, str]:
    products = ProductService(services.db)
    return {
        "car": products.create(actor, {"code": "HC-S5", "name_zh": "华驰 S5 豪华版", "list_price": "100000",
                                       "is_vehicle": True, "model": "S5", "colour": "珍珠白"}).id,
        "warranty": products.create(actor, {"code": "EW-3Y", "name_zh": "三年延保", "list_price": "3000",
                                            "tax_rate_bp": 600, "unit": "份"}).id,
        "mats": products.create(actor, {"code": "ACC-MAT", "name_zh": "脚垫", "list_price": "33.33", "unit": "套"}).id,
    }


def _quote(services: Services, who: Actor, opportunity_id: str, *lines: dict[str, object],
           **values: object) -> quotes.QuoteView:
    return quotes.create_quote(services.db, who, {"opportunity_id": opportunity_id, **values}, list(lines))


def _counts(services: Services) -> tuple[int, int, int]:
    with read_session(services.db) as session:
        return (session.scalar(select(func.count()).select_from(Quote)) or 0,
                session.scalar(select(func.count()).select_from(QuoteLine)) or 0,
                session.scalar(select(func.count()).select_from(QuoteEvent)) or 0)


# ---- amounts ---------------------------------------------------------------------------------------------
def test_each_line_is_rounded_to_the_fen_half_up() -> None:
    line = line_amounts(D(3), D("33.33"), discount_bp=500, tax_rate_bp=1300)
    assert (line.gross, line.discount, line.total, line.tax) == (D("99.99"), D("5.00"), D("94.99"), D("10.93"))
    half = line_amounts(D("0.5"), D("0.01"))  # 0.005 rounds up to 0.01 (half up, not to even)
    assert half.gross == D("0.01")
    typed = line_amounts(D(2), D("19.99"), discount_amount=D("0.99"), tax_rate_bp=1300)
    assert (typed.gross, typed.discount, typed.total, typed.tax) == (D("39.98"), D("0.99"), D("38.99"), D("4.49"))
    assert line_amounts(D(1), D(100), tax_rate_bp=1300).tax == D("11.50")  # 100 x 13/113 = 11.504...
    assert line_amounts(D("1.5"), D("0.35"), tax_rate_bp=600).gross == D("0.53")
    # A tax of exactly half a fen rounds up too (a rate of 100 % makes 0.05 contain 0.025).
    assert line_amounts(D(1), D("0.05"), tax_rate_bp=10000).tax == D("0.03")
    assert line_amounts(D(1), D("0.05"), discount_bp=5000).discount == D("0.03")  # 0.025 -> 0.03


def test_quote_totals_are_the_sums_of_the_rounded_lines() -> None:
    lines = [line_amounts(D(1), D("0.20"), tax_rate_bp=1300) for _ in range(3)]
    totals = quote_totals(lines)
    # Each line contains 0.023 -> 0.02 of VAT: 0.06 in all (the VAT of 0.60 at once would be 0.07).
    assert (totals.subtotal, totals.discount_total, totals.total, totals.tax_total) == (
        D("0.60"), D("0.00"), D("0.60"), D("0.06"))
    mixed = quote_totals([line_amounts(D(3), D("33.33"), 500, D(0), 1300),
                          line_amounts(D("1.5"), D("0.35"), 0, D(0), 600),
                          line_amounts(D(2), D("19.99"), 0, D("0.99"), 1300)])
    assert (mixed.subtotal, mixed.discount_total, mixed.tax_total, mixed.total) == (
        D("140.50"), D("5.99"), D("15.45"), D("134.51"))
    assert mixed.total == mixed.subtotal - mixed.discount_total


def test_the_discount_share_counts_a_lowered_price_and_the_whole_quote() -> None:
    lowered = line_amounts(D(1), D(970), list_price=D(1000))
    assert lowered.discount == 0 and lowered.discount_share_bp == 300
    above = line_amounts(D(1), D(1200), list_price=D(1000))
    assert above.discount_share_bp == 0
    both = quote_totals([line_amounts(D(1), D(1000), 1000, D(0), 1300, D(1000)),  # 10 % off
                         line_amounts(D(1), D(1500), 0, D(0), 1300, D(1000))])  # 50 % above list
    assert both.max_discount_bp == 1000  # the whole quote is above list: the line's 10 % counts
    assert quote_totals([]).max_discount_bp == 0


def test_a_quote_stores_hand_computed_totals(services: Services, rep: Actor, opportunity_id: str,
                                             product: dict[str, str]) -> None:
    quote = _quote(services, rep, opportunity_id,
                   {"product_id": product["mats"], "quantity": 3, "discount_percent": "5"},
                   {"description": "上牌服务", "quantity": "1.5", "unit_price": "0.35", "tax_rate_bp": 600},
                   {"description": "精品礼包", "quantity": 2, "unit_price": "19.99", "discount_amount": "0.99"})
    assert (quote.subtotal, quote.discount_total, quote.tax_total, quote.total) == (
        D("140.50"), D("5.99"), D("15.45"), D("134.51"))
    first = quote.lines[0]
    assert (first.description, first.unit, first.unit_price, first.list_price) == ("脚垫", "套", D("33.33"), D("33.33"))
    assert (first.discount_bp, first.discount_amount, first.line_total, first.tax_amount) == (
        500, D("5.00"), D("94.99"), D("10.93"))
    assert quote.lines[1].list_price is None and quote.lines[1].tax_rate_bp == 600
    assert quote.max_discount_bp == 500
    with read_session(services.db) as session:
        stored = session.get_one(Quote, quote.id)
        assert (stored.subtotal, stored.total, stored.max_discount_bp) == (D("140.50"), D("134.51"), 500)


def test_a_line_takes_the_price_of_the_quotes_list(services: Services, actor: Actor, rep: Actor,
                                                   opportunity_id: str, product: dict[str, str]) -> None:
    dealer = catalog.create_price_list(services.db, actor, {"name": "大客户价"})
    catalog.set_list_price(services.db, actor, dealer.id, product["car"], "95000")
    quote = _quote(services, rep, opportunity_id, {"product_id": product["car"]}, price_list_id=dealer.id)
    line = quote.lines[0]
    assert (line.unit_price, line.list_price, line.description) == (D("95000.00"), D("95000.00"), "华驰 S5 豪华版 珍珠白")
    assert quote.max_discount_bp == 0  # the list's own price is no discount
    cheaper = quotes.update_line(services.db, rep, quote.id, line.id, {"unit_price": "92150"})
    assert cheaper.lines[0].list_price == D("95000.00") and cheaper.max_discount_bp == 300


# ---- the discount policy ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("role", "percent", "status"), [
    ("consultant", "3", "approved"), ("consultant", "3.01", "pending_approval"),
    ("field_rep", "5", "approved"), ("field_rep", "6", "pending_approval"),
    ("manager", "15", "approved"), ("manager", "15.5", "pending_approval"),
    ("admin", "60", "approved"), ("finance", "0.5", "pending_approval"),
])
def test_submit_approves_within_the_role_limit_and_asks_above_it(services: Services, actor: Actor, new_user: Callable[[str, str, str], Actor],
                                                                 opportunity_id: str, product: dict[str, str],
                                                                 role: str, percent: str, status: str) -> None:
    who = actor if role == "admin" else new_user(f"u_{role}", role, role)
    quote = _quote(services, who, opportunity_id, {"product_id": product["car"], "discount_percent": percent})
    submitted = quotes.submit_quote(services.db, who, quote.id)
    assert submitted.status == status
    assert submitted.needs_approval is (status == "pending_approval")
    assert submitted.approval_status == ("pending" if status == "pending_approval" else None)


def test_the_policy_is_a_team_setting_only_an_administrator_changes(services: Services, actor: Actor,
                                                                    manager: Actor, rep: Actor,
                                                                    opportunity_id: str,
                                                                    product: dict[str, str]) -> None:
    assert quotes.load_discount_policy(services.db) == quotes.DEFAULT_DISCOUNT_POLICY
    with pytest.raises(UserError):
        quotes.save_discount_policy(services.db, manager, {"manager": None})
    with pytest.raises(ValidationError) as refused:
        quotes.save_discount_policy(services.db, actor, {"consultant": 30.5, "boss": 100, "field_rep": 20000})
    assert set(refused.value.errors) == {"consultant", "boss", "field_rep"}
    saved = quotes.save_discount_policy(services.db, actor, {"consultant": 800})
    assert saved["consultant"] == 800 and saved["manager"] == 1500  # the rest keep their defaults
    quote = _quote(services, rep, opportunity_id, {"product_id": product["car"], "discount_percent": "8"})
    assert quotes.submit_quote(services.db, rep, quote.id).status == "approved"


# ---- approval --------------------------------------------------------------------------------------------
def test_a_manager_approves_with_a_comment_and_the_history_shows_it(services: Services, rep: Actor,
                                                                    manager: Actor, opportunity_id: str,
                                                                    product: dict[str, str]) -> None:
    quote = _quote(services, rep, opportunity_id, {"product_id": product["car"], "discount_percent": "8"})
    pending = quotes.submit_quote(services.db, rep, quote.id, "客户是老车主")
    assert pending.status == "pending_approval"
    assert [row.id for row in quotes.pending_approvals(services.db, manager)] == [quote.id]
    assert quotes.pending_approvals(services.db, rep) == []
    with pytest.raises(UserError):
        quotes.approve_quote(services.db, rep, quote.id)
    approved = quotes.approve_quote(services.db, manager, quote.id, "同意，本月冲量")
    assert (approved.status, approved.approval_status, approved.approved_by, approved.approval_comment) == (
        "approved", "approved", manager.user_id, "同意，本月冲量")
    assert approved.approved_by_name == "赵敏" and approved.approved_at is not None
    history = [(e.action, e.from_status, e.to_status, e.user_name, e.comment) for e in approved.events]
    assert history == [
        ("create", None, "draft", "王磊", None),
        ("submit", "draft", "pending_approval", "王磊", "客户是老车主"),
        ("approve", "pending_approval", "approved", "赵敏", "同意，本月冲量"),
    ]
    with pytest.raises(ConflictError):
        quotes.approve_quote(services.db, manager, quote.id)  # decided already


def test_a_rejection_needs_a_comment_and_sends_the_quote_back_to_draft(services: Services, rep: Actor,
                                                                       manager: Actor, opportunity_id: str,
                                                                       product: dict[str, str]) -> None:
    quote = _quote(services, rep, opportunity_id, {"product_id": product["car"], "discount_percent": "8"})
    quotes.submit_quote(services.db, rep, quote.id)
    with pytest.raises(ValidationError) as refused:
        quotes.reject_quote(services.db, manager, quote.id, "  ")
    assert set(refused.value.errors) == {"comment"}
    rejected = quotes.reject_quote(services.db, manager, quote.id, "折扣太大，最多 5%")
    assert (rejected.status, rejected.approval_status, rejected.approval_comment) == (
        "draft", "rejected", "折扣太大，最多 5%")
    assert rejected.events[-1].action == "reject" and rejected.events[-1].comment == "折扣太大，最多 5%"
    # The rep lowers the discount; a field rep's limit is 5 %, a consultant's 3 %: it waits again.
    lowered = quotes.update_line(services.db, rep, quote.id, rejected.lines[0].id, {"discount_percent": "5"})
    again = quotes.submit_quote(services.db, rep, lowered.id)
    assert again.status == "pending_approval" and again.approval_status == "pending"
    assert quotes.approve_quote(services.db, manager, quote.id).status == "approved"
    assert [e.action for e in quotes.quote_history(services.db, rep, quote.number)] == [
        "create", "submit", "reject", "submit", "approve"]


def test_a_discount_above_the_managers_own_limit_needs_an_administrator(services: Services, actor: Actor,
                                                                        rep: Actor, manager: Actor,
                                                                        opportunity_id: str,
                                                                        product: dict[str, str]) -> None:
    quote = _quote(services, rep, opportunity_id, {"product_id": product["car"], "discount_percent": "20"})
    quotes.submit_quote(services.db, rep, quote.id)
    assert quotes.pending_approvals(services.db, manager) == []
    assert quotes.get_quote(services.db, manager, quote.id).may_approve is False
    with pytest.raises(UserError):
        quotes.approve_quote(services.db, manager, quote.id)
    with pytest.raises(UserError):
        quotes.reject_quote(services.db, manager, quote.id, "不行")
    assert quotes.approve_quote(services.db, actor, quote.id).status == "approved"  # the administrator


def test_changing_the_lines_of_an_approved_quote_sends_it_back_to_draft(services: Services, rep: Actor,
                                                                        manager: Actor, opportunity_id: str,
                                                                        product: dict[str, str]) -> None:
    quote = _quote(services, rep, opportunity_id, {"product_id": product["car"], "discount_percent": "8"})
    quotes.submit_quote(services.db, rep, quote.id)
    approved = quotes.approve_quote(services.db, manager, quote.id)
    later = date.today() + timedelta(days=20)
    kept = quotes.update_quote(services.db, rep, quote.id, {"terms": "含上牌服务", "valid_until": later})
    assert (kept.status, kept.terms, kept.valid_until) == ("approved", "含上牌服务", later)
    same = quotes.update_quote(services.db, rep, quote.id, None, [{"id": approved.lines[0].id}])
    assert same.status == "approved"  # the lines given back unchanged: no change
    changed = quotes.add_line(services.db, rep, quote.id, {"product_id": product["warranty"]})
    assert (changed.status, changed.approval_status, changed.approved_by) == ("draft", None, None)
    assert changed.events[-1].action == "edit" and changed.events[-1].from_status == "approved"


# ---- transitions -----------------------------------------------------------------------------------------
def test_transitions_are_checked(services: Services, rep: Actor, opportunity_id: str, product: dict[str, str]) -> None:
    empty = _quote(services, rep, opportunity_id)
    with pytest.raises(ValidationError) as refused:
        quotes.submit_quote(services.db, rep, empty.id)
    assert set(refused.value.errors) == {"lines"}
    quote = _quote(services, rep, opportunity_id, {"product_id": product["car"]})
    for step in (quotes.send_quote, quotes.accept_quote, quotes.decline_quote, quotes.revise_quote):
        with pytest.raises(ConflictError):
            step(services.db, rep, quote.id)
    quotes.submit_quote(services.db, rep, quote.id)
    with pytest.raises(ConflictError):
        quotes.submit_quote(services.db, rep, quote.id)
    sent = quotes.send_quote(services.db, rep, quote.id)
    assert sent.status == "sent" and sent.sent_at is not None and sent.read_only
    with pytest.raises(ValidationError) as refused:
        quotes.update_quote(services.db, rep, quote.id, {"terms": "改"})
    assert set(refused.value.errors) == {"status"}
    declined = quotes.decline_quote(services.db, rep, quote.id, "客户买了别家")
    assert declined.status == "rejected"
    with pytest.raises(NotFoundError):
        quotes.get_quote(services.db, rep, "no-such-quote")


# ---- versions --------------------------------------------------------------------------------------------
def _sent(services: Services, rep: Actor, opportunity_id: str, product: dict[str, str]) -> quotes.QuoteView:
    quote = _quote(services, rep, opportunity_id,
                   {"product_id": product["car"], "discount_percent": "2"},
                   {"product_id": product["warranty"]},
                   {"product_id": product["mats"], "quantity": 2})
    quotes.submit_quote(services.db, rep, quote.id)
    return quotes.send_quote(services.db, rep, quote.id)


def test_revising_a_sent_quote_makes_the_next_version_and_keeps_the_old_one_read_only(
        services: Services, rep: Actor, opportunity_id: str, product: dict[str, str]) -> None:
    v1 = _sent(services, rep, opportunity_id, product)
    v2 = quotes.revise_quote(services.db, rep, v1.id)
    assert (v2.number, v2.version, v2.previous_version_id, v2.status, v2.is_current) == (
        v1.number, 2, v1.id, "draft", True)
    assert [(line.description, line.line_total, line.lineage_id) for line in v2.lines] == [
        (line.description, line.line_total, line.lineage_id) for line in v1.lines]
    assert v2.total == v1.total
    old = quotes.get_quote(services.db, rep, v1.id)
    assert (old.is_current, old.status, old.read_only) == (False, "sent", True)
    for attempt in (lambda: quotes.update_quote(services.db, rep, v1.id, {"terms": "改"}),
                    lambda: quotes.add_line(services.db, rep, v1.id, {"product_id": product["mats"]}),
                    lambda: quotes.remove_line(services.db, rep, v1.id, v1.lines[0].id),
                    lambda: quotes.submit_quote(services.db, rep, v1.id),
                    lambda: quotes.revise_quote(services.db, rep, v1.id)):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert set(refused.value.errors) == {"quote"}
        assert "old version" in refused.value.errors["quote"]
    assert quotes.get_quote_by_number(services.db, rep, v1.number).id == v2.id
    assert quotes.get_quote_by_number(services.db, rep, v1.number, 1).id == v1.id
    assert [(v.version, v.is_current) for v in quotes.quote_versions(services.db, rep, v1.number)] == [
        (1, False), (2, True)]
    assert v2.events[-1].action == "revise" and v2.events[-1].version == 2


def test_versions_compare_line_by_line(services: Services, rep: Actor, opportunity_id: str,
                                       product: dict[str, str]) -> None:
    v1 = _sent(services, rep, opportunity_id, product)
    v2 = quotes.revise_quote(services.db, rep, v1.id)
    car, _warranty, mats = v2.lines
    v2 = quotes.update_quote(services.db, rep, v2.id, None, [
        {"id": car.id, "discount_percent": "3"},
        {"id": mats.id},
        {"description": "上牌服务", "unit_price": "500", "tax_rate_bp": 600},
    ])
    comparison = quotes.compare_versions(services.db, rep, v1.number, 1, 2)
    changes = [(d.change, d.position_a, d.position_b, d.description) for d in comparison.lines]
    assert changes == [
        ("changed", 1, 1, "华驰 S5 豪华版 珍珠白"),
        ("unchanged", 3, 2, "脚垫"),  # moved up: the same content, the positions tell the move
        ("added", None, 3, "上牌服务"),
        ("removed", 2, None, "三年延保"),
    ]
    car_fields = {change.field: (change.old, change.new) for change in comparison.lines[0].fields}
    assert car_fields == {"discount_bp": (200, 300), "discount_amount": (D("2000.00"), D("3000.00")),
                          "line_total": (D("98000.00"), D("97000.00"))}
    assert comparison.lines[1].fields == ()
    totals = {change.field: (change.old, change.new) for change in comparison.totals}
    assert totals["total"] == (D("101066.66"), D("97566.66"))  # 98000 + 3000 + 66.66 -> 97000 + 66.66 + 500
    assert totals["max_discount_bp"] == (200, 300)
    assert not comparison.identical
    assert quotes.compare_versions(services.db, rep, v1.number, 1, 1).identical
    with pytest.raises(NotFoundError):
        quotes.compare_versions(services.db, rep, v1.number, 1, 7)


def test_accepted_once_and_carried_forward(services: Services, rep: Actor, opportunity_id: str,
                                           product: dict[str, str]) -> None:
    v1 = _sent(services, rep, opportunity_id, product)
    assert quotes.accepted_version(services.db, v1.number) is None
    quotes.decline_quote(services.db, rep, v1.id)
    v2 = quotes.revise_quote(services.db, rep, v1.id)
    quotes.submit_quote(services.db, rep, v2.id)
    quotes.send_quote(services.db, rep, v2.id)
    accepted = quotes.accept_quote(services.db, rep, v2.id, "客户已签字")
    assert accepted.status == "accepted" and accepted.accepted_at is not None
    with pytest.raises(ConflictError):
        quotes.accept_quote(services.db, rep, v2.id)
    with pytest.raises(ConflictError):
        quotes.revise_quote(services.db, rep, v2.id)  # an accepted quote is final
    carried = quotes.accepted_version(services.db, v1.number)
    assert carried is not None and (carried.id, carried.version) == (v2.id, 2)
    # The database holds to it too: a second accepted version of one number is refused.
    with pytest.raises(Exception, match="UNIQUE"), unit_of_work(services.db, rep) as session:
        session.execute(update(Quote).where(Quote.id == v1.id).values(status="accepted"))


def test_sent_quotes_past_their_date_expire_and_can_be_revised(services: Services, rep: Actor, opportunity_id: str,
                                                               product: dict[str, str]) -> None:
    today = date.today()
    sent = _sent(services, rep, opportunity_id, product)
    draft = _quote(services, rep, opportunity_id, {"product_id": product["car"]}, valid_until=today)
    assert quotes.expire_quotes(services.db, today) == 0
    assert quotes.expire_quotes(services.db, today + timedelta(days=quotes.DEFAULT_VALIDITY_DAYS + 1)) == 1
    expired = quotes.get_quote(services.db, rep, sent.id)
    assert expired.status == "expired" and expired.events[-1].action == "expire"
    assert quotes.get_quote(services.db, rep, draft.id).status == "draft"
    assert quotes.revise_quote(services.db, rep, sent.id).version == 2


def test_an_expired_validity_is_refused_on_send_and_accept(services: Services, rep: Actor, opportunity_id: str,
                                                           product: dict[str, str]) -> None:
    quote = _quote(services, rep, opportunity_id, {"product_id": product["car"]})
    quotes.submit_quote(services.db, rep, quote.id)
    with unit_of_work(services.db, rep) as session:
        session.execute(update(Quote).where(Quote.id == quote.id).values(valid_until=date.today() - timedelta(days=1)))
    with pytest.raises(ValidationError) as refused:
        quotes.send_quote(services.db, rep, quote.id)
    assert set(refused.value.errors) == {"valid_until"}
    with pytest.raises(ValidationError):
        _quote(services, rep, quote.opportunity_id or "", valid_until=date.today() - timedelta(days=1))


# ---- numbers, links, input -------------------------------------------------------------------------------
def test_numbers_are_per_device_date_and_sequence_and_link_to_the_opportunity(
        services: Services, rep: Actor, opportunity_id: str, customer_id: str) -> None:
    first, second = _quote(services, rep, opportunity_id), _quote(services, rep, opportunity_id)
    pattern = re.compile(rf"^QT-[0-9A-HJKMNP-TV-Z]{{4}}-{date.today():%Y%m%d}-(\d{{4}})$")
    assert (match := pattern.match(first.number)) and match.group(1) == "0001"
    assert (match := pattern.match(second.number)) and match.group(1) == "0002"
    assert first.number.split("-")[1] == second.number.split("-")[1]
    assert (first.customer_id, first.opportunity_id, first.customer_name, first.opportunity_name) == (
        customer_id, opportunity_id, "陈静", "华驰 S5 购车")
    with read_session(services.db) as session:
        stored = session.get_one(Quote, first.id)
        assert (stored.source_type, stored.source_id) == ("opportunity", opportunity_id)
        audited = session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.entity_type == "quotes", AuditEntry.entity_id == first.id))
        assert audited


def test_bad_input_keeps_nothing(services: Services, rep: Actor, opportunity_id: str, product: dict[str, str]) -> None:
    before = _counts(services)
    with pytest.raises(ValidationError) as refused:
        _quote(services, rep, opportunity_id,
               {"product_id": product["car"]},
               {"product_id": product["mats"], "quantity": "0"},
               {"description": "", "unit_price": "abc"},
               {"product_id": product["car"], "discount_percent": "5", "discount_amount": "100"},
               {"product_id": product["warranty"], "discount_amount": "3000.01"},
               {"product_id": "no-such-product"})
    assert set(refused.value.errors) == {"lines[1].quantity", "lines[2].description", "lines[2].unit_price",
                                         "lines[3].discount", "lines[4].discount", "lines[5].product_id"}
    assert _counts(services) == before
    with pytest.raises(ValidationError) as refused:  # a bad header does not hide the lines' mistakes
        _quote(services, rep, opportunity_id, {"product_id": product["car"], "quantity": "x"},
               valid_until=date.today() - timedelta(days=1))
    assert set(refused.value.errors) == {"valid_until", "lines[0].quantity"}
    assert _counts(services) == before
    quote = _quote(services, rep, opportunity_id, {"product_id": product["car"]})
    assert quote.number.endswith("-0001")  # the refused quote burned no number
    with pytest.raises(ValidationError):
        quotes.update_quote(services.db, rep, quote.id, {"terms": "新条款"},
                            [{"id": quote.lines[0].id, "quantity": 2}, {"quantity": "-1", "description": "x",
                                                                         "unit_price": "1"}])
    unchanged = quotes.get_quote(services.db, rep, quote.id)
    assert unchanged.lines == quote.lines and unchanged.terms == quote.terms and unchanged.total == quote.total


def test_the_opportunity_and_contact_are_checked(services: Services, rep: Actor, opportunity_id: str,
                                                 customer_id: str) -> None:
    other = services.customers.create(rep, {"name": "刘洋"}).id
    stranger = services.contacts.create(rep, {"customer_id": other, "name": "刘夫人"}).id
    with pytest.raises(ValidationError) as refused:
        _quote(services, rep, opportunity_id, contact_id=stranger)
    assert set(refused.value.errors) == {"contact_id"}
    with pytest.raises(ValidationError) as refused:
        quotes.create_quote(services.db, rep, {})
    assert set(refused.value.errors) == {"opportunity_id"}
    with unit_of_work(services.db, rep) as session:
        session.execute(update(Opportunity).where(Opportunity.id == opportunity_id).values(status="lost"))
    with pytest.raises(ValidationError) as refused:
        _quote(services, rep, opportunity_id)
    assert set(refused.value.errors) == {"opportunity_id"}


def test_lines_are_edited_in_place_and_removed(services: Services, rep: Actor, opportunity_id: str,
                                               product: dict[str, str]) -> None:
    quote = _quote(services, rep, opportunity_id, {"product_id": product["car"]}, {"product_id": product["mats"]})
    car, mats = quote.lines
    edited = quotes.update_line(services.db, rep, quote.id, mats.id, {"quantity": 4, "discount_amount": "13.32"})
    assert edited.lines[1].id == mats.id and edited.lines[1].line_total == D("120.00")
    assert edited.lines[1].unit_price == D("33.33")  # kept, not re-priced
    swapped = quotes.update_line(services.db, rep, quote.id, mats.id, {"product_id": product["warranty"]})
    line = swapped.lines[1]
    assert (line.description, line.unit, line.unit_price, line.tax_rate_bp) == ("三年延保", "份", D("3000.00"), 600)
    removed = quotes.remove_line(services.db, rep, quote.id, car.id)
    assert [line.position for line in removed.lines] == [1] and removed.total == D("12000.00")
    with pytest.raises(NotFoundError):
        quotes.remove_line(services.db, rep, quote.id, car.id)


def test_the_list_shows_current_versions_filtered_and_searched(services: Services, rep: Actor, manager: Actor,
                                                               opportunity_id: str, product: dict[str, str]) -> None:
    v1 = _sent(services, rep, opportunity_id, product)
    v2 = quotes.revise_quote(services.db, rep, v1.id)
    draft = _quote(services, manager, opportunity_id, {"product_id": product["car"]})
    rows = quotes.list_quotes(services.db, manager)  # the manager sees the team's quotes
    assert [(row.number, row.version) for row in rows] == [(draft.number, 1), (v2.number, 2)]
    assert quotes.count_quotes(services.db, manager, QuoteFilter(current_only=False)) == 3
    assert [row.id for row in quotes.list_quotes(services.db, manager, QuoteFilter(owner_id=manager.user_id))] \
        == [draft.id]
    # The consultant sees their own (scope "own"): not the manager's draft.
    assert [(row.number, row.version) for row in quotes.list_quotes(services.db, rep)] == [(v2.number, 2)]
    assert quotes.list_quotes(services.db, rep, QuoteFilter(owner_id=manager.user_id)) == []
    assert quotes.count_quotes(services.db, rep, QuoteFilter(status="sent")) == 0
    assert quotes.count_quotes(services.db, rep, QuoteFilter(search=v1.number[-4:])) == 1
    assert quotes.count_quotes(services.db, rep, QuoteFilter(search="陈静")) == 1
    assert quotes.count_quotes(services.db, manager, QuoteFilter(search="陈静")) == 2
    assert quotes.count_quotes(services.db, manager, QuoteFilter(search="chenj")) == 2
    by_total = quotes.list_quotes(services.db, manager, sort_key="total", descending=False)
    assert [row.total for row in by_total] == sorted(row.total for row in rows)
    assert rows[0].customer_name == "陈静" and rows[0].owner_name == "赵敏"


def test_the_printed_quote_carries_the_lines_totals_and_customer(services: Services, actor: Actor, rep: Actor,
                                                                 opportunity_id: str, product: dict[str, str]) -> None:
    quote = _sent(services, rep, opportunity_id, product)
    document = quotes.quote_document(services.db, actor, quote.id)
    assert (document.number, document.version, document.total, document.tax_total) == (
        quote.number, 1, quote.total, quote.tax_total)
    assert document.customer.name == "陈静" and document.customer.phone == "13600003333"
    assert document.customer.address == "浙江省杭州市西湖区文三路 90 号"
    assert [(line.code, line.discount, line.line_total) for line in document.lines] == [
        ("HC-S5", D("2000.00"), D("98000.00")), ("EW-3Y", D("0.00"), D("3000.00")), ("ACC-MAT", D("0.00"), D("66.66"))]
    assert document.owner_name == "王磊" and document.valid_until == quote.valid_until
    assert sum(line.line_total for line in document.lines) == document.total
    assert quotes.quote_document(services.db, rep, quote.id).customer.phone == "136****3333"  # masked for a rep
