"""Data scope on every read path (issue 9): lists, search, analytics, receivables, quotes, contracts, orders,
the 360 view, the PDFs, exports, today's lists, the rules report, duplicates, history, merges and the CLI.

The book: team A with consultants A1 (孟浩) and A2 (韩梅) and their manager (赵敏); team B with consultant B1
(孙立); a finance user (钱会计, no team). B1 owns the customer 孙悦 and everything made for her: a lead, a won
deal of 333,333 yuan, a quote, a signed contract, an order, a payment plan and a payment; a done follow-up,
a planned one due today, a test drive today, a second customer with her phone (a duplicate) merged into her.
A1 owns the customer 孟客 and a won deal of 111,111 yuan. Default grants: consultants "own", the manager
"team", finance "all". Each path shows A1 and A's manager cannot read B1's records and B1 and finance can.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from crmdesk.cli import main
from crmdesk.models import ActivityDayCount, Product, Team, User
from crmdesk.services import (
    analytics,
    audit,
    contracts,
    customer360,
    duplicates,
    followups,
    merge,
    payments,
    quotes,
    rules_report,
    search,
    test_drives,
)
from crmdesk.services.analytics import AnalyticsFilter
from crmdesk.services.documents import render_contract_pdf, render_quote_pdf
from crmdesk.services.duplicates import RecordRef
from crmdesk.services.entities import ListQuery
from crmdesk.services.errors import NotFoundError, UserError
from crmdesk.services.exporter import export_list
from crmdesk.services.opportunities import list_stages
from crmdesk.services.permissions import PermissionDeniedError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session, unit_of_work

D = Decimal
B1_CUSTOMER = "孙悦"
A1_CUSTOMER = "孟客"
B1_WON = D("333333.00")
A1_WON = D("111111.00")
VALID_ID = "11010519491231002X"  # a resident ID with a correct check digit
OUTSIDERS = ("a1", "manager_a")  # may not read B1's records
INSIDERS = ("b1", "finance")  # may


@dataclass(frozen=True)
class Book:
    services: Services
    users: dict[str, Actor]
    ids: dict[str, str]
    path: Path

    def who(self, name: str) -> Actor:
        return self.users[name]


def _stage(services: Services, actor: Actor, code: str) -> str:
    return next(s.id for s in list_stages(services.db, actor, "vehicle") if s["code"] == code)


@pytest.fixture
def book(services: Services, actor: Actor, new_user: Callable[..., Actor]) -> Book:
    db = services.db
    with unit_of_work(db, actor) as session:
        team_a, team_b = Team(name="A组"), Team(name="B组")
        session.add_all([team_a, team_b])
        session.flush()
        team_ids = (team_a.id, team_b.id)
        car = Product(code="HC-S5", name_zh="华驰 S5", is_vehicle=True, model="华驰 S5", list_price=D("333333"))
        session.add(car)
        session.flush()
        car_id = car.id
    users = {
        "a1": new_user("menghao", "孟浩", "consultant", team_ids[0]),
        "a2": new_user("hanmei", "韩梅", "consultant", team_ids[0]),
        "manager_a": new_user("zhaomin", "赵敏", "manager", team_ids[0]),
        "b1": new_user("sunli", "孙立", "consultant", team_ids[1]),
        "finance": new_user("qianacc", "钱会计", "finance"),
    }
    a1, b1 = users["a1"], users["b1"]
    ids: dict[str, str] = {"team_a": team_ids[0], "team_b": team_ids[1]}
    address = {"province": "浙江省", "city": "杭州市", "address": "西湖区1号"}
    ids["customer"] = services.customers.create(b1, {"name": B1_CUSTOMER, "phone": "13655557777",
                                                     "id_number": VALID_ID, "owner_id": b1.user_id,
                                                     **address}).id
    ids["twin"] = services.customers.create(b1, {"name": B1_CUSTOMER, "phone": "13655557777",
                                                 "owner_id": b1.user_id}).id
    ids["a1_customer"] = services.customers.create(a1, {"name": A1_CUSTOMER, "phone": "13511112222",
                                                        "owner_id": a1.user_id}).id
    ids["lead"] = services.leads.create(b1, {"name": "孙悦线索", "phone": "13655558888", "source": "trade_show",
                                             "owner_id": b1.user_id}).id
    negotiation, won = _stage(services, b1, "negotiation"), _stage(services, b1, "won")
    deal = services.opportunities.create(b1, {"name": "孙悦购车", "customer_id": ids["customer"],
                                              "stage_id": negotiation, "amount": B1_WON})
    ids["deal"] = deal.id
    a1_deal = services.opportunities.create(a1, {"name": "孟客购车", "customer_id": ids["a1_customer"],
                                                 "stage_id": negotiation, "amount": A1_WON})
    quote = quotes.create_quote(db, b1, {"opportunity_id": deal.id, "valid_until": date.today() + timedelta(days=15)},
                                [{"product_id": car_id}])
    ids["quote"], ids["quote_number"] = quote.id, quote.number
    quotes.submit_quote(db, b1, quote.id)
    quotes.send_quote(db, b1, quote.id)
    quotes.accept_quote(db, b1, quote.id)
    contract = contracts.create_contract_from_quote(db, b1, quote.id)
    contracts.sign_contract(db, b1, contract.id, date.today())
    ids["contract"], ids["contract_number"] = contract.id, str(contract["number"])
    order = services.orders.create_from_contract(b1, contract.id).order
    ids["order"] = order.id
    plan = payments.create_payment_plan(db, b1, order_id=order.id, installments=[
        {"due_date": date.today() - timedelta(days=40), "percent": "30"},
        {"due_date": date.today() + timedelta(days=30), "percent": "70"}])
    ids["plan"] = plan.id
    paid = payments.record_payment(db, b1, {"customer_id": ids["customer"], "order_id": order.id,
                                            "received_on": date.today(), "amount": "50000", "method": "wechat"})
    ids["payment"] = paid.payment.id
    for who, opportunity in ((b1, deal.id), (a1, a1_deal.id)):
        services.opportunities.update(who, opportunity, {"stage_id": won})
    followups.log_activity(db, b1, {"kind": "visit", "customer_id": ids["customer"], "outcome": "到店看车"})
    now = datetime.now(UTC)
    ids["planned"] = followups.log_activity(db, b1, {
        "kind": "call", "status": "planned", "subject": "孙悦今日回访", "customer_id": ids["customer"],
        "due_at": max(now + timedelta(minutes=5), datetime.combine(date.today(), time(12)).astimezone())}).id
    ids["overdue"] = followups.log_activity(db, b1, {
        "kind": "call", "status": "planned", "subject": "孙悦逾期回访", "customer_id": ids["customer"],
        "due_at": now - timedelta(days=3)}).id
    ids["drive"] = test_drives.book_test_drive(db, b1, {
        "customer_id": ids["customer"], "product_id": car_id, "vehicle_plate": "浙A·12345",
        "licence_number": VALID_ID, "booked_for": datetime.combine(date.today(), time(23, 30)).astimezone()}).id
    analytics.set_target(db, actor, owner_id=b1.user_id, period_kind="month",
                         period_start=date.today(), amount=D("777000"))
    analytics.set_target(db, actor, period_kind="month", period_start=date.today(), amount=D("9990000"))
    ids["duplicate_probe"] = services.customers.create(b1, {"name": B1_CUSTOMER + "二", "phone": "13655559999",
                                                                     "owner_id": b1.user_id}).id
    merged = services.customers.create(b1, {"name": "孙悦旧档", "phone": "13655559999",
                                                "owner_id": b1.user_id}).id
    ids["merge"] = merge.merge_records(db, b1, RecordRef("customer", ids["duplicate_probe"]),
                                       RecordRef("customer", merged)).merge_ids[0]
    return Book(services, users, ids, Path(str(db.path)))


def _viewers(names: tuple[str, ...]) -> Any:
    return pytest.mark.parametrize("viewer", names)


# ---- entity lists, search, export ------------------------------------------------------------------------


@pytest.mark.parametrize("viewer", OUTSIDERS + INSIDERS)
@pytest.mark.parametrize("service_name, key", [("customers", "customer"), ("leads", "lead"),
                                               ("opportunities", "deal"), ("orders", "order")])
def test_entity_lists_show_b1s_records_only_to_those_in_scope(book: Book, viewer: str, service_name: str,
                                                               key: str) -> None:
    service = getattr(book.services, service_name)
    actor = book.who(viewer)
    ids = [row[0] for row in service.page(actor, ListQuery(), 0, 500)]
    allowed = viewer in INSIDERS
    assert (book.ids[key] in ids) is allowed
    assert service.count(actor, ListQuery()) == len(ids)
    if allowed:
        assert service.get(actor, book.ids[key]).id == book.ids[key]
    else:
        with pytest.raises(NotFoundError):
            service.get(actor, book.ids[key])


def test_a1_still_sees_his_own_customer_and_a2_does_not(book: Book) -> None:
    customers = book.services.customers
    assert book.ids["a1_customer"] in [row[0] for row in customers.page(book.who("a1"), ListQuery(), 0, 50)]
    assert book.ids["a1_customer"] not in [row[0] for row in customers.page(book.who("a2"), ListQuery(), 0, 50)]
    assert book.ids["a1_customer"] in [row[0] for row in customers.page(book.who("manager_a"), ListQuery(), 0, 50)]


@_viewers(OUTSIDERS + INSIDERS)
def test_global_search_finds_b1s_customer_only_in_scope(book: Book, viewer: str) -> None:
    hits = search.search(book.services.db, book.who(viewer), B1_CUSTOMER)
    assert (book.ids["customer"] in {hit.id for hit in hits}) is (viewer in INSIDERS)


@pytest.mark.parametrize("viewer, present", [("manager_a", False), ("finance", True)])
def test_export_writes_b1s_customer_only_in_scope(book: Book, viewer: str, present: bool, tmp_path: Path) -> None:
    path = tmp_path / f"{viewer}.csv"
    export_list(book.services.customers, book.who(viewer), path)
    text = path.read_text(encoding="utf-8-sig")
    assert (B1_CUSTOMER in text) is present
    assert (A1_CUSTOMER in text) is True  # the manager's team's customer is in both


def test_consultants_may_not_export_at_all(book: Book, tmp_path: Path) -> None:
    with pytest.raises(PermissionDeniedError):
        export_list(book.services.customers, book.who("a1"), tmp_path / "a1.csv")


# ---- analytics -------------------------------------------------------------------------------------------


@_viewers(OUTSIDERS + INSIDERS)
def test_b1s_won_deal_counts_in_the_analytics_only_in_scope(book: Book, viewer: str) -> None:
    db, actor, allowed = book.services.db, book.who(viewer), viewer in INSIDERS
    flt = AnalyticsFilter()
    kpis = analytics.kpis(db, actor, flt)
    owners = {row.owner_id for row in kpis.leaderboard}
    assert (book.who("b1").user_id in owners) is allowed
    b1_part = B1_WON if allowed else D(0)
    a1_part = A1_WON if viewer != "b1" else D(0)  # A1's deal: A1, A's manager, finance
    assert kpis.won_amount == b1_part + a1_part
    funnel = analytics.funnel(db, actor, flt)
    won_stage = next(stage for stage in funnel.stages if stage.code == "won")
    assert won_stage.amount == b1_part + a1_part
    forecast = analytics.forecast(db, actor, flt)
    assert forecast.totals is not None and forecast.totals.won == b1_part + a1_part
    sources = {row.source: row.leads for row in analytics.conversion_by_source(db, actor, flt)}
    assert ("trade_show" in sources) is allowed
    reverse = analytics.reverse_calculation(db, actor, D("1000000"), flt)
    assert reverse.avg_deal_size == ((b1_part + a1_part) / (int(allowed) + int(viewer != "b1")))


@_viewers(OUTSIDERS + INSIDERS)
def test_targets_and_done_activities_in_the_kpis_follow_the_scope(book: Book, viewer: str) -> None:
    db, actor = book.services.db, book.who(viewer)
    this_month = date.today().replace(day=1)
    kpis = analytics.kpis(db, actor, AnalyticsFilter(this_month, date.today()))
    with read_session(db) as session:
        b1_visits = session.scalar(select(ActivityDayCount.n).where(
            ActivityDayCount.owner_id == book.who("b1").user_id, ActivityDayCount.kind == "visit"))
    assert b1_visits
    if viewer == "finance":  # the whole book: the company-wide target, B1's visit among the activities
        assert kpis.target == D("9990000.00") and kpis.activities.get("visit", 0) >= b1_visits
    elif viewer == "b1":  # their own target and visit
        assert kpis.target == D("777000.00") and kpis.activities.get("visit") == b1_visits
    else:  # team A has no target; nobody in it logged a visit
        assert kpis.target == D(0) and "visit" not in kpis.activities


@_viewers(OUTSIDERS)
def test_asking_for_another_owners_figures_gives_nothing(book: Book, viewer: str) -> None:
    db, actor = book.services.db, book.who(viewer)
    flt = AnalyticsFilter(date.today().replace(day=1), date.today(), owner_id=book.who("b1").user_id)
    kpis = analytics.kpis(db, actor, flt)
    assert (kpis.won_count, kpis.won_amount, kpis.target, dict(kpis.activities)) == (0, D(0), D(0), {})
    totals = analytics.forecast(db, actor, flt).totals
    assert totals is not None and (totals.won, totals.target, totals.open_count) == (D(0), D(0), 0)
    other_team = AnalyticsFilter(team_id=book.ids["team_b"])
    assert analytics.kpis(db, actor, other_team).won_count == 0


def test_a_manager_without_a_team_reads_the_users_without_one(book: Book, new_user: Callable[..., Actor]) -> None:
    """A book's teamless part is one team: its manager sees the company-wide target, none of the teams'
    deals, installments or visits."""
    db, boss = book.services.db, new_user("laowang", "老王", "manager")
    kpis = analytics.kpis(db, boss, AnalyticsFilter(date.today().replace(day=1), date.today()))
    assert (kpis.won_count, kpis.target, dict(kpis.activities)) == (0, D("9990000.00"), {})
    assert payments.receivables(db, boss).customers == 0
    assert book.ids["customer"] not in {hit.id for hit in search.search(db, boss, B1_CUSTOMER)}


# ---- receivables, payments, orders, contracts, quotes ----------------------------------------------------


@_viewers(OUTSIDERS + INSIDERS)
def test_receivables_count_b1s_installments_and_payments_only_in_scope(book: Book, viewer: str) -> None:
    db, actor, allowed = book.services.db, book.who(viewer), viewer in INSIDERS
    report = payments.receivables(db, actor)
    assert (book.ids["customer"] in {row.key for row in report.by_customer}) is allowed
    assert (book.who("b1").user_id in {row.key for row in report.by_rep}) is allowed
    assert (report.totals.scheduled == B1_WON) is allowed  # the plan is the book's only one
    assert (report.totals.overdue > 0) is allowed
    assert (sum(amount for _month, amount in report.received_by_month) == D("50000.00")) is allowed
    assert report.customers == int(allowed)
    limited = payments.receivables(db, actor, customer_limit=5)  # the top-customers path
    assert limited.customers == int(allowed)
    assert (book.ids["customer"] in {row.key for row in limited.by_customer}) is allowed


@_viewers(OUTSIDERS)
def test_single_payment_records_are_not_found_outside_the_scope(book: Book, viewer: str) -> None:
    db, actor, ids = book.services.db, book.who(viewer), book.ids
    reads: dict[str, Callable[[], object]] = {
        "payment plan": lambda: payments.payment_plan(db, actor, ids["plan"]),
        "allocations": lambda: payments.allocations_of(db, actor, ids["payment"]),
        "credit": lambda: payments.customer_credit(db, ids["customer"], actor),
        "order lines": lambda: book.services.orders.lines(actor, ids["order"]),
        "contract": lambda: contracts.get_contract(db, actor, ids["contract"]),
        "attachments": lambda: contracts.list_attachments(db, actor, ids["contract"]),
        "quote": lambda: quotes.get_quote(db, actor, ids["quote"]),
        "quote by number": lambda: quotes.get_quote_by_number(db, actor, ids["quote_number"]),
    }
    for label, read in reads.items():
        with pytest.raises(NotFoundError):
            read()
            pytest.fail(f"{label} was read outside the scope")
    assert payments.payments_for(db, actor, ids["customer"]) == []
    assert payments.plan_for(db, actor, order_id=ids["order"]) is None  # "no plan" rather than an error
    assert quotes.quote_versions(db, actor, ids["quote_number"]) == []


@_viewers(INSIDERS)
def test_single_payment_records_are_read_in_scope(book: Book, viewer: str) -> None:
    db, actor, ids = book.services.db, book.who(viewer), book.ids
    assert payments.payment_plan(db, actor, ids["plan"]).total == B1_WON
    found = payments.plan_for(db, actor, order_id=ids["order"])
    assert found is not None and found.id == ids["plan"]
    assert [p.id for p in payments.payments_for(db, actor, ids["customer"])] == [ids["payment"]]
    assert payments.customer_credit(db, ids["customer"], actor) == D(0)
    assert contracts.get_contract(db, actor, ids["contract"])["customer_name"] == B1_CUSTOMER
    assert quotes.get_quote(db, actor, ids["quote"]).customer_name == B1_CUSTOMER


@_viewers(OUTSIDERS + INSIDERS)
def test_quote_and_contract_lists_show_b1s_only_in_scope(book: Book, viewer: str) -> None:
    db, actor, allowed = book.services.db, book.who(viewer), viewer in INSIDERS
    assert (book.ids["quote"] in {row.id for row in quotes.list_quotes(db, actor)}) is allowed
    assert quotes.count_quotes(db, actor) == int(allowed)
    assert (book.ids["contract"] in {row.id for row in contracts.list_contracts(db, actor)}) is allowed


# ---- 360 view, PDFs --------------------------------------------------------------------------------------


@_viewers(OUTSIDERS + INSIDERS)
def test_the_360_view_and_the_pdfs_are_refused_outside_the_scope(book: Book, viewer: str) -> None:
    db, actor, ids = book.services.db, book.who(viewer), book.ids
    reads = (lambda: customer360.customer_overview(db, actor, ids["customer"]),
             lambda: customer360.customer_timeline(db, actor, ids["customer"]),
             lambda: quotes.quote_document(db, actor, ids["quote"]),
             lambda: contracts.contract_document(db, actor, ids["contract"]))
    if viewer in OUTSIDERS:
        for read in reads:
            with pytest.raises(NotFoundError):
                read()
        return
    assert customer360.customer_overview(db, actor, ids["customer"]).profile["name"] == B1_CUSTOMER
    assert customer360.customer_timeline(db, actor, ids["customer"]).items
    quote_doc = quotes.quote_document(db, actor, ids["quote"])
    contract_doc = contracts.contract_document(db, actor, ids["contract"])
    assert quote_doc.customer.name == B1_CUSTOMER and contract_doc.customer.name == B1_CUSTOMER
    assert render_quote_pdf(quote_doc).startswith(b"%PDF") and render_contract_pdf(contract_doc).startswith(b"%PDF")


# ---- today's lists, rules report, duplicates, history, merges --------------------------------------------


@_viewers(OUTSIDERS + INSIDERS)
def test_todays_followups_and_test_drives_show_b1s_only_in_scope(book: Book, viewer: str) -> None:
    db, actor, allowed = book.services.db, book.who(viewer), viewer in INSIDERS
    today = followups.today_list(db, actor, owner_id=followups.ALL_OWNERS)
    assert (book.ids["planned"] in {item.id for item in today.due_today}) is allowed
    assert (book.ids["overdue"] in {item.id for item in today.overdue}) is allowed
    assert (followups.overdue_count(db, actor, followups.ALL_OWNERS) > 0) is allowed
    assert (book.ids["drive"] in {drive.id for drive in test_drives.todays_test_drives(db, actor)}) is allowed
    if not allowed:
        with pytest.raises(NotFoundError):
            followups.get_activity(db, actor, book.ids["planned"])
        with pytest.raises(NotFoundError):
            test_drives.get_test_drive(db, actor, book.ids["drive"])


@_viewers(OUTSIDERS + INSIDERS)
def test_the_rules_report_counts_b1s_breaches_only_in_scope(book: Book, viewer: str) -> None:
    db, actor, allowed = book.services.db, book.who(viewer), viewer in INSIDERS
    report = rules_report.rules_report(db, actor)
    assert (book.who("b1").user_id in {row.owner_id for row in report.consultants}) is allowed
    rows = rules_report.rules_report_rows(db, actor, "overdue_activities")
    assert (book.ids["overdue"] in {row.record_id for row in rows}) is allowed


@_viewers(OUTSIDERS + INSIDERS)
def test_duplicate_groups_show_b1s_customers_only_in_scope(book: Book, viewer: str) -> None:
    db, actor, allowed = book.services.db, book.who(viewer), viewer in INSIDERS
    members = {member.id for group in duplicates.find_groups(db, actor, entity="customer")
               for member in group.members}
    assert ({book.ids["customer"], book.ids["twin"]} <= members) is allowed
    listed = {member.id for group in duplicates.list_groups(db, actor, entity="customer").groups
              for member in group.members}
    assert (book.ids["twin"] in listed) is allowed


@_viewers(OUTSIDERS + INSIDERS)
def test_history_and_merges_of_b1s_customer_only_in_scope(book: Book, viewer: str) -> None:
    db, actor, ids, allowed = book.services.db, book.who(viewer), book.ids, viewer in INSIDERS
    merges = {info.id for info in merge.list_merges(db, actor)}
    assert (ids["merge"] in merges) is allowed
    assert (ids["merge"] in {info.id for info in merge.list_merges(db, actor, record_id=ids["duplicate_probe"])}) \
        is allowed
    if allowed:
        assert audit.record_history(db, actor, "customer", ids["customer"]).entries
        assert quotes.quote_history(db, actor, ids["quote_number"])
        return
    for entity, key in (("customer", "customer"), ("quote", "quote"), ("contract", "contract"),
                        ("order", "order"), ("payment_plan", "plan")):
        with pytest.raises(NotFoundError):
            audit.record_history(db, actor, entity, ids[key])
    with pytest.raises(NotFoundError):
        merge.undo_merge(db, actor, ids["merge"])


# ---- the command line ------------------------------------------------------------------------------------


def _cli(book: Book, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main([*args, "--db", str(book.path)]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("username, present", [("menghao", False), ("zhaomin", False), ("sunli", True),
                                               ("qianacc", True)])
def test_the_cli_lists_searches_and_reports_within_the_scope(book: Book, username: str, present: bool,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    found = _cli(book, capsys, "search", B1_CUSTOMER, "--json", "--user", username)
    assert (B1_CUSTOMER in {hit["name"] for hit in json.loads(found)["hits"]}) is present
    kpi = json.loads(_cli(book, capsys, "report", "kpi", "--json", "--user", username))
    assert (any(row["owner"] == "孙立" for row in kpi["leaderboard"]) is present)
    rules = _cli(book, capsys, "report", "rules", "--json", "--user", username)
    assert ("孙立" in rules) is present
    quote_list = _cli(book, capsys, "quote", "list", "--json", "--as", username)
    assert (B1_CUSTOMER in quote_list) is present
    contract_list = _cli(book, capsys, "contract", "list", "--json", "--user", username)
    assert (B1_CUSTOMER in contract_list) is present


@pytest.mark.parametrize("username, present", [("zhaomin", False), ("qianacc", True)])
def test_the_cli_export_writes_only_the_scope(book: Book, username: str, present: bool, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "customers.csv"
    _cli(book, capsys, "export", "customers", "-o", str(out), "--user", username)
    assert (B1_CUSTOMER in out.read_text(encoding="utf-8-sig")) is present


def test_the_cli_refuses_b1s_quote_pdf_to_a1(book: Book, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "quote.pdf"
    with pytest.raises(SystemExit):
        main(["quote", "pdf", book.ids["quote_number"], "-o", str(out), "--db", str(book.path), "--as", "menghao"])
    assert not out.exists()
    assert main(["quote", "pdf", book.ids["quote_number"], "-o", str(out), "--db", str(book.path),
                 "--as", "sunli"]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_the_cli_with_sign_in_reads_as_the_signed_in_consultant(book: Book, capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from crmdesk.services import auth

    admin = _admin(book)
    with read_session(book.services.db) as session:
        local_name = session.get(User, admin.user_id).username
    admin = auth.create_first_admin(book.services.db, local_name, "Scope-Admin-2026!")  # the admin's own first
    for name in ("a1", "b1"):
        auth.reset_password(book.services.db, admin, book.who(name).user_id, "Scope-Test-2026!")
    assert auth.sign_in_required(book.services.db)
    monkeypatch.setenv("CRMDESK_PASSWORD", "Scope-Test-2026!")
    as_a1 = json.loads(_cli(book, capsys, "search", B1_CUSTOMER, "--json", "--user", "menghao"))
    as_b1 = json.loads(_cli(book, capsys, "search", B1_CUSTOMER, "--json", "--user", "sunli"))
    assert B1_CUSTOMER not in {hit["name"] for hit in as_a1["hits"]}
    assert B1_CUSTOMER in {hit["name"] for hit in as_b1["hits"]}


def _admin(book: Book) -> Actor:
    from crmdesk.services.users import ensure_local_user

    return ensure_local_user(book.services.db)



def test_a_manager_sets_only_their_own_teams_targets(book: Book) -> None:
    db, manager = book.services.db, book.who("manager_a")
    with pytest.raises(UserError, match="own team"):
        analytics.set_target(db, manager, owner_id=book.who("b1").user_id, period_start=date.today(),
                             amount=D("1"))
    with pytest.raises(UserError, match="own team"):
        analytics.set_target(db, manager, period_start=date.today(), amount=D("1"))  # the company's
    saved = analytics.set_target(db, manager, owner_id=book.who("a1").user_id, period_start=date.today(),
                                 amount=D("500000"))
    assert saved["owner_id"] == book.who("a1").user_id
