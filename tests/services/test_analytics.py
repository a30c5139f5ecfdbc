"""Analytics on a small hand-made book: every expected figure computed by hand in the comments.

The book (vehicle pipeline positions: qualify 0, needs_analysis 1, test_drive 2, negotiation 3, contract 4,
won 5, lost 6; the project pipeline's position 2 is "proposal"). Owners: A (the acting user), B (王磊).

deal owner status stage        amount   prob cat(rep/manager)  close       created  won/lost       history
D1   A     open   qualify      100000   10   -                 2026-12-15  11-02                   q
D2   A     open   needs_anal.  200000   20   best_case         2026-12-20  11-03                   q na
D3   B     open   test_drive   150000   40   pipeline/commit   2026-12-05  11-04                   q td (skips na)
D4   B     open   negotiation  300000   60   commit            2027-01-10  11-05                   q na td neg
D5   A     open   contract     250000   90   commit            2026-11-25  11-06                   q con (skips)
D6   A     won    won          180000 (won 175000)                         11-01    won 11-20 (C1)  q td won
D7   B     won    won          220000 (won 220000)                         11-07    won 11-10 (C2)  q na td neg con won
D8   A     won    won          120000 (won 118000)                         11-08    won 11-28 (C1)  q won
D9   B     lost   lost          90000   -    -                 2026-12-01  11-09    lost 11-15      q na lost
D10  A     lost   lost          60000                                      11-10    lost 11-18      q td lost
D11  A     open   proposal(prj) 1000000 40   commit            2026-12-10  11-11                   q proposal
D12  A     won    won           80000 (won 80000)                          10-05    won 10-20 (C3)  q won
D13  B     open   qualify       50000   10   -                 2026-11-30  10-10                   q
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from crmdesk.models import Activity, Customer, Lead, Opportunity, OpportunityStageChange, Pipeline, Stage
from crmdesk.models.database import Database
from crmdesk.services import analytics
from crmdesk.services.analytics import AnalyticsFilter
from crmdesk.services.errors import ValidationError
from crmdesk.services.uow import Actor, unit_of_work

NOV = AnalyticsFilter(date(2026, 11, 1), date(2026, 11, 30))
Y = Decimal


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12)).astimezone().astimezone(UTC)


@pytest.fixture
def book(db: Database, actor: Actor, consultant: str) -> dict[str, str]:
    a, b = actor.user_id, consultant
    deals = {  # name: (owner, pipeline, stage, amount, prob, rep cat, manager cat, close, created, won/lost, history)
        "D1": (a, "vehicle", "qualify", 100000, 10, None, None, date(2026, 12, 15), 2, None, ["qualify"]),
        "D2": (a, "vehicle", "needs_analysis", 200000, 20, "best_case", None, date(2026, 12, 20), 3, None,
               ["qualify", "needs_analysis"]),
        "D3": (b, "vehicle", "test_drive", 150000, 40, "pipeline", "commit", date(2026, 12, 5), 4, None,
               ["qualify", "test_drive"]),
        "D4": (b, "vehicle", "negotiation", 300000, 60, "commit", None, date(2027, 1, 10), 5, None,
               ["qualify", "needs_analysis", "test_drive", "negotiation"]),
        "D5": (a, "vehicle", "contract", 250000, 90, "commit", None, date(2026, 11, 25), 6, None,
               ["qualify", "contract"]),
        "D6": (a, "vehicle", "won", 180000, 100, None, None, None, 1, (date(2026, 11, 20), 175000, "C1"),
               ["qualify", "test_drive", "won"]),
        "D7": (b, "vehicle", "won", 220000, 100, None, None, None, 7, (date(2026, 11, 10), 220000, "C2"),
               ["qualify", "needs_analysis", "test_drive", "negotiation", "contract", "won"]),
        "D8": (a, "vehicle", "won", 120000, 100, None, None, None, 8, (date(2026, 11, 28), 118000, "C1"),
               ["qualify", "won"]),
        "D9": (b, "vehicle", "lost", 90000, 0, None, None, date(2026, 12, 1), 9, date(2026, 11, 15),
               ["qualify", "needs_analysis", "lost"]),
        "D10": (a, "vehicle", "lost", 60000, 0, None, None, None, 10, date(2026, 11, 18),
                ["qualify", "test_drive", "lost"]),
        "D11": (a, "project", "proposal", 1000000, 40, "commit", None, date(2026, 12, 10), 11, None,
                ["qualify", "proposal"]),
        "D12": (a, "vehicle", "won", 80000, 100, None, None, None, -27, (date(2026, 10, 20), 80000, "C3"),
                ["qualify", "won"]),
        "D13": (b, "vehicle", "qualify", 50000, 10, None, None, date(2026, 11, 30), -22, None, ["qualify"]),
    }
    ids: dict[str, str] = {"A": a, "B": b}
    with unit_of_work(db, actor) as session:
        stages = {(code, stage_code): (sid, pid) for sid, pid, stage_code, code in session.execute(
            select(Stage.id, Stage.pipeline_id, Stage.code, Pipeline.code).join(Pipeline))}
        for name in ("C1", "C2", "C3", "C4"):
            customer = Customer(name=f"客户{name}", owner_id=a)
            session.add(customer)
            session.flush()
            ids[name] = customer.id
        for name, (owner, pipe, stage, amount, prob, cat, mcat, close, created, closed, history) in deals.items():
            sid, pid = stages[(pipe, stage)]
            created_day = date(2026, 11, 1) + timedelta(days=created - 1) if created > 0 else \
                date(2026, 11, 1) + timedelta(days=created)
            o = Opportunity(name=name, customer_id=ids["C4"], pipeline_id=pid, stage_id=sid,
                            kind="project" if pipe == "project" else "standard", amount=Y(amount), probability=prob,
                            forecast_category=cat, forecast_category_manager=mcat, expected_close_date=close,
                            owner_id=owner, created_at=_at(created_day),
                            product_interest="汉 EV" if name in ("D1", "D2") else "宋PLUS")
            if stage == "won":
                assert isinstance(closed, tuple)
                o.status, o.won_at, o.won_amount, o.customer_id = "won", closed[0], Y(closed[1]), ids[closed[2]]
            elif stage == "lost":
                assert isinstance(closed, date)
                o.status, o.lost_at, o.lost_reason = "lost", closed, "price"
            session.add(o)
            session.flush()
            ids[name] = o.id
            previous = None
            for step, code in enumerate(history):
                to = stages[(pipe, code)][0]
                session.add(OpportunityStageChange(opportunity_id=o.id, from_stage_id=previous, to_stage_id=to,
                                                   changed_at=_at(created_day) + timedelta(hours=step)))
                previous = to
        # Leads in November: walk_in 4 (2 converted into D6, D7; 1 contacted; 1 invalid), web 2 (1 into D1, 1 new).
        for source, status, deal in (("walk_in", "converted", "D6"), ("walk_in", "converted", "D7"),
                                     ("walk_in", "contacted", None), ("walk_in", "invalid", None),
                                     ("web", "converted", "D1"), ("web", "new", None)):
            lead = Lead(name="线索", source=source, status=status, owner_id=a, created_at=_at(date(2026, 11, 1)),
                        opportunity_id=ids[deal] if deal else None)
            session.add(lead)
            session.flush()
            if deal:
                session.get_one(Opportunity, ids[deal]).source_type = "lead"
                session.get_one(Opportunity, ids[deal]).source_id = lead.id
        # Activities: done in November 2 calls + 1 visit (A); a planned one and one done in October don't count.
        for kind, status, day in (("call", "done", 3), ("call", "done", 12), ("visit", "done", 20),
                                  ("call", "planned", 21), ("call", "done", -5)):
            when = _at(date(2026, 11, 1) + timedelta(days=day))
            session.add(Activity(kind=kind, status=status, subject="跟进", owner_id=a,
                                 done_at=when if status == "done" else None, due_at=when))
    analytics.set_target(db, actor, owner_id=a, period_start=date(2026, 11, 1), amount=Y(600000), deal_count=3)
    analytics.set_target(db, actor, owner_id=a, period_start=date(2026, 12, 9), amount=Y(500000))
    analytics.set_target(db, actor, period_start=date(2026, 11, 1), amount=Y(1000000), deal_count=5)
    analytics.set_target(db, actor, period_kind="quarter", period_start=date(2026, 11, 15), amount=Y(3000000))
    return ids


def _replace_filter(flt: AnalyticsFilter, **changes: Any) -> AnalyticsFilter:
    from dataclasses import replace

    return replace(flt, **changes)


def _stages(funnel: analytics.Funnel) -> list[tuple[Any, ...]]:
    return [(s.code, s.count, s.amount, s.reached, s.conversion_to_next) for s in funnel.stages]


def test_funnel_counts_amounts_reached_and_conversion(db: Database, actor: Actor, book: dict[str, str]) -> None:
    f = analytics.funnel(db, actor, NOV)
    # Created in November: D1..D11 (11 deals). Furthest non-lost position reached (history or current):
    # D1 0, D2 1, D3 2, D4 3, D5 4, D6 5, D7 5, D8 5, D9 1, D10 2, D11 2.
    # reached >= 0: 11; >= 1: 10 (not D1); >= 2: 8 (not D1, D2, D9); >= 3: 5 (D4..D8); >= 4: 4; >= 5: 3.
    assert _stages(f) == [
        ("qualify", 1, Y("100000.00"), 11, 10 / 11),
        ("needs_analysis", 1, Y("200000.00"), 10, 8 / 10),
        ("test_drive", 2, Y("1150000.00"), 8, 5 / 8),  # D3 150000 + D11 (proposal) 1000000
        ("negotiation", 1, Y("300000.00"), 5, 4 / 5),
        ("contract", 1, Y("250000.00"), 4, 3 / 4),
        ("won", 3, Y("513000.00"), 3, None),  # won at won amounts: 175000 + 220000 + 118000
    ]
    assert f.stages[2].name_zh == "试乘试驾 / 方案 | 方案报价"  # both pipelines' stage at position 2
    # lost D9 90000 + D10 60000; total 100000+200000+1150000+300000+250000+513000+150000 = 2663000
    assert (f.lost_count, f.lost_amount, f.total_count, f.total_amount) == (2, Y("150000.00"), 11, Y("2663000.00"))
    assert [s.ideal_ratio for s in f.stages] == [1.0, 0.6, 0.4, 0.25, 0.15, 0.1]


def test_funnel_previous_period(db: Database, actor: Actor, book: dict[str, str]) -> None:
    f = analytics.funnel(db, actor, NOV)
    assert f.previous is not None and f.previous.date_from == date(2026, 10, 2)  # 30 days before Nov 1
    assert f.previous.date_to == date(2026, 10, 31)
    # D12 (won, history q -> won: reached every stage) and D13 (qualify): reached 2, 1, 1, 1, 1, 1
    assert [(s.count, s.reached) for s in f.previous.stages] == [(1, 2), (0, 1), (0, 1), (0, 1), (0, 1), (1, 1)]
    assert [s.conversion_to_next for s in f.previous.stages] == [0.5, 1.0, 1.0, 1.0, 1.0, None]
    assert f.previous.total_amount == Y("130000.00") and f.previous.previous is None
    assert analytics.funnel(db, actor, AnalyticsFilter()).previous is None  # no period, no previous
    assert analytics.funnel(db, actor, AnalyticsFilter()).total_count == 13


def test_funnel_filters(db: Database, actor: Actor, book: dict[str, str]) -> None:
    no_project = analytics.funnel(db, actor, AnalyticsFilter(NOV.date_from, NOV.date_to, include_project=False))
    # D11 out: 10 deals; reached 10, 9, 7, 5, 4, 3; position 2 only the test drive (150000)
    assert [s.reached for s in no_project.stages] == [10, 9, 7, 5, 4, 3]
    assert no_project.stages[2].amount == Y("150000.00") and no_project.stages[2].name_zh == "试乘试驾 / 方案"
    assert no_project.total_count == 10
    b = analytics.funnel(db, actor, AnalyticsFilter(NOV.date_from, NOV.date_to, owner_id=book["B"]))
    # B: D3 (2), D4 (3), D7 (5), D9 (1, lost): reached 4, 4, 3, 2, 1, 1
    assert [s.reached for s in b.stages] == [4, 4, 3, 2, 1, 1]
    project = analytics.funnel(db, actor, AnalyticsFilter(NOV.date_from, NOV.date_to, pipeline_code="project"))
    assert project.total_count == 1 and [s.code for s in project.stages][2] == "proposal"
    walk_in = analytics.funnel(db, actor, AnalyticsFilter(NOV.date_from, NOV.date_to, source="walk_in"))
    assert walk_in.total_count == 2 and walk_in.stages[-1].amount == Y("395000.00")  # D6 175000 + D7 220000
    product = analytics.funnel(db, actor, AnalyticsFilter(NOV.date_from, NOV.date_to, product="汉"))
    assert product.total_count == 2 and product.total_amount == Y("300000.00")  # D1 + D2


def test_ideal_funnel_setting(db: Database, actor: Actor, book: dict[str, str]) -> None:
    analytics.save_ideal_funnel(db, actor, {"qualify": 1, "won": 0.2})
    f = analytics.funnel(db, actor, NOV)
    assert [s.ideal_ratio for s in f.stages] == [1.0, None, None, None, None, 0.2]
    with pytest.raises(ValidationError) as error:
        analytics.save_ideal_funnel(db, actor, {"won": 2, "qualify": "x"})
    assert set(error.value.errors) == {"won", "qualify"}


def test_conversion_by_source(db: Database, actor: Actor, book: dict[str, str]) -> None:
    rows = {row.source: row for row in analytics.conversion_by_source(db, actor, NOV)}
    # walk_in: 4 leads, 2 deals (D6, D7), both won; web: 2 leads, 1 deal (D1), none won
    assert (rows["walk_in"].leads, rows["walk_in"].opportunities, rows["walk_in"].won) == (4, 2, 2)
    assert (rows["walk_in"].lead_to_opportunity, rows["walk_in"].opportunity_to_won) == (0.5, 1.0)
    assert (rows["web"].leads, rows["web"].opportunities, rows["web"].won, rows["web"].opportunity_to_won) == (
        2, 1, 0, 0.0)
    assert analytics.conversion_by_source(db, actor, AnalyticsFilter(date(2020, 1, 1), date(2020, 1, 31))) == ()
    # A deal scope reads the deals themselves: the same figures in the vehicle pipeline (D1, D6, D7 are in it),
    # none of the deals of the project pipeline.
    vehicle = {row.source: (row.leads, row.opportunities, row.won) for row in analytics.conversion_by_source(
        db, actor, _replace_filter(NOV, pipeline_code="vehicle"))}
    assert vehicle == {"walk_in": (4, 2, 2), "web": (2, 1, 0)}
    project = {row.source: (row.leads, row.opportunities) for row in analytics.conversion_by_source(
        db, actor, _replace_filter(NOV, pipeline_code="project"))}
    assert project == {"walk_in": (4, 0), "web": (2, 0)}


def test_a_leads_deal_status_follows_its_deal(db: Database, actor: Actor, book: dict[str, str]) -> None:
    """The lead's copy of its deal's status (kept by triggers): lost, deleted, and linked anew."""
    with db.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE opportunities SET status = 'lost' WHERE id = ?", (book["D6"],))
        connection.exec_driver_sql("UPDATE opportunities SET deleted_at = '2026-11-30 00:00:00.000000' WHERE id = ?",
                                   (book["D1"],))
    rows = {row.source: (row.opportunities, row.won) for row in analytics.conversion_by_source(db, actor, NOV)}
    assert rows == {"walk_in": (2, 1), "web": (0, 0)}
    with db.engine.begin() as connection:  # the web lead that was new now becomes D8 (won)
        connection.exec_driver_sql("UPDATE leads SET opportunity_id = ? WHERE source = 'web' AND opportunity_id IS NULL",
                                   (book["D8"],))
    rows = {row.source: (row.opportunities, row.won) for row in analytics.conversion_by_source(db, actor, NOV)}
    assert rows == {"walk_in": (2, 1), "web": (1, 1)}


def test_forecast_months_quarters_targets_and_gap(db: Database, actor: Actor, book: dict[str, str]) -> None:
    fc = analytics.forecast(db, actor, AnalyticsFilter(date(2026, 11, 1), date(2026, 12, 31)))
    nov, dec = fc.months
    # Nov open: D5 250000 x 90% = 225000 (commit), D13 50000 x 10% = 5000 (no category: pipeline)
    assert (nov.weighted, nov.commit, nov.best_case, nov.pipeline, nov.open_count) == (
        Y("230000.00"), Y("250000.00"), Y("0.00"), Y("50000.00"), 2)
    # Nov won at won amounts: 175000 + 220000 + 118000; company target 1000000; gap 1000000 - (513000 + 250000)
    assert (nov.won, nov.won_count, nov.target, nov.gap) == (Y("513000.00"), 3, Y("1000000.00"), Y("237000.00"))
    # Dec open: D1 10000 (pipeline), D2 40000 (best case), D3 60000 (manager's commit over the rep's pipeline),
    # D11 400000 (commit). D9 is lost: never counted. No company month target in December: 0, gap 0.
    assert (dec.weighted, dec.commit, dec.best_case, dec.pipeline, dec.open_count) == (
        Y("510000.00"), Y("1150000.00"), Y("200000.00"), Y("100000.00"), 4)
    assert (dec.won, dec.target, dec.gap) == (Y("0.00"), Y("0.00"), Y("0.00"))
    (q4,) = fc.quarters
    # Q4: the quarter's own target 3000000 over its months'; gap 3000000 - (513000 + 250000 + 1150000)
    assert (q4.period_start, q4.weighted, q4.commit, q4.won, q4.target, q4.gap) == (
        date(2026, 10, 1), Y("740000.00"), Y("1400000.00"), Y("513000.00"), Y("3000000.00"), Y("1087000.00"))
    assert fc.totals is not None and fc.totals.weighted == Y("740000.00") and fc.totals.open_count == 6


def test_forecast_for_an_owner_and_without_projects(db: Database, actor: Actor, book: dict[str, str]) -> None:
    flt = AnalyticsFilter(date(2026, 11, 1), date(2026, 12, 31), owner_id=book["A"])
    nov, dec = analytics.forecast(db, actor, flt).months
    # A Nov: D5 225000 weighted, commit 250000; won D6 175000 + D8 118000; target 600000 - 543000 = 57000
    assert (nov.weighted, nov.won, nov.target, nov.gap) == (Y("225000.00"), Y("293000.00"), Y("600000.00"),
                                                            Y("57000.00"))
    # A Dec: D1 10000 + D2 40000 + D11 400000; commit 1000000 over the 500000 target: gap 0, never negative
    assert (dec.weighted, dec.commit, dec.target, dec.gap) == (Y("450000.00"), Y("1000000.00"), Y("500000.00"),
                                                               Y("0.00"))
    (q4,) = analytics.forecast(db, actor, flt).quarters
    assert q4.target == Y("1100000.00")  # no quarter target of A's: the months' 600000 + 500000
    no_project = analytics.forecast(db, actor, AnalyticsFilter(flt.date_from, flt.date_to, owner_id=book["A"],
                                                                include_project=False)).months[1]
    assert (no_project.weighted, no_project.commit, no_project.gap) == (Y("50000.00"), Y("0.00"), Y("500000.00"))


def test_kpis(db: Database, actor: Actor, book: dict[str, str]) -> None:
    k = analytics.kpis(db, actor, NOV)
    # closed in November: won D6, D7, D8; lost D9, D10: 3 / 5
    assert (k.won_count, k.lost_count, k.win_rate, k.won_amount) == (3, 2, 0.6, Y("513000.00"))
    # cycles: D6 11-01 -> 11-20 = 19, D7 11-07 -> 11-10 = 3, D8 11-08 -> 11-28 = 20: avg 42 / 3 = 14, median 19
    assert (k.avg_cycle_days, k.median_cycle_days) == (14.0, 19.0)
    assert k.avg_deal_size == Y("171000.00")  # 513000 / 3
    assert k.stage_conversion[0] == ("qualify", 10 / 11)
    assert (k.target, k.target_achievement) == (Y("1000000.00"), 0.513)  # 513000 / the company's 1000000
    assert (k.customers_won, k.customers_repeat, k.repeat_purchase_rate) == (2, 1, 0.5)  # C1 twice, C2 once
    assert dict(k.activities) == {"call": 2, "visit": 1}
    # A: D6 + D8 = 293000, 2 won, 1 lost (D10): 2/3; B: D7 220000, 1 won, 1 lost (D9): 1/2
    assert [(r.owner_id, r.won_amount, r.won_count, r.lost_count, r.win_rate) for r in k.leaderboard] == [
        (book["A"], Y("293000.00"), 2, 1, 2 / 3), (book["B"], Y("220000.00"), 1, 1, 0.5)]
    b = analytics.kpis(db, actor, AnalyticsFilter(NOV.date_from, NOV.date_to, owner_id=book["B"]))
    assert (b.win_rate, b.median_cycle_days, b.target, b.target_achievement) == (0.5, 3.0, Y("0.00"), None)
    # even count: median of 2 values; A over all time: D6 19, D8 20, D12 10-05 -> 10-20 = 15: median 19, avg 18
    a = analytics.kpis(db, actor, AnalyticsFilter(owner_id=book["A"]))
    assert (a.median_cycle_days, a.avg_cycle_days) == (19.0, 18.0)
    two = analytics.kpis(db, actor, AnalyticsFilter(date(2026, 11, 10), date(2026, 11, 20)))  # D7 3, D6 19
    assert two.median_cycle_days == 11.0


def test_empty_period_gives_none_never_a_fake_zero(db: Database, actor: Actor, book: dict[str, str]) -> None:
    empty = AnalyticsFilter(date(2020, 1, 1), date(2020, 1, 31))
    k = analytics.kpis(db, actor, empty)
    assert (k.win_rate, k.avg_cycle_days, k.median_cycle_days, k.avg_deal_size, k.target_achievement,
            k.repeat_purchase_rate) == (None, None, None, None, None, None)
    assert all(s.conversion_to_next is None for s in analytics.funnel(db, actor, empty).stages)
    r = analytics.reverse_calculation(db, actor, Y(100000), empty)
    assert (r.won_needed, r.proposals_needed, r.leads_needed, r.leads_shortfall) == (None, None, None, None)
    assert r.notes


def test_reverse_calculation(db: Database, actor: Actor, book: dict[str, str]) -> None:
    r = analytics.reverse_calculation(db, actor, Y(1026000), NOV)
    # avg deal 171000: 1026000 / 171000 = 6 won; proposal -> won 3/8: 6 / (3/8) = 16 proposals;
    # deal -> proposal 8/11: 16 / (8/11) = 22 deals; lead -> deal 3/6: 22 / 0.5 = 44 leads
    assert (r.avg_deal_size, r.lead_to_opportunity, r.opportunity_to_proposal, r.proposal_to_won) == (
        Y("171000.00"), 0.5, 8 / 11, 3 / 8)
    assert (r.won_needed, r.proposals_needed, r.opportunities_needed, r.leads_needed) == (6, 16, 22, 44)
    # now: open deals D1 D2 D3 D4 D5 D11 D13 = 7, at/after position 2: D3 D4 D5 D11 = 4; open leads 2
    assert (r.proposals_open, r.opportunities_open, r.leads_open) == (4, 7, 2)
    assert (r.proposals_shortfall, r.opportunities_shortfall, r.leads_shortfall) == (12, 15, 42)


def test_targets_set_replace_list_and_validate(db: Database, actor: Actor, book: dict[str, str]) -> None:
    again = analytics.set_target(db, actor, owner_id=book["A"], period_start=date(2026, 11, 30),
                                 amount=Y(650000), deal_count=4)
    assert again["period_start"] == date(2026, 11, 1) and again["amount"] == Y("650000.00")
    targets = analytics.list_targets(db, actor, 2026)
    assert len(targets) == 4  # replaced, not added
    assert sum(t["amount"] for t in targets) == Y(650000 + 500000 + 1000000 + 3000000)
    assert analytics.list_targets(db, actor, 2025) == []
    with pytest.raises(ValidationError) as error:
        analytics.set_target(db, actor, owner_id=book["A"], team_id="t", period_kind="year",
                             period_start=date(2026, 1, 1), amount=Y(-1), deal_count=-1)
    assert set(error.value.errors) == {"team_id", "period_kind", "amount", "deal_count"}


def _derived(db: Database, deal_id: str) -> tuple[str | None, int | None]:
    with db.engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT s.code, o.won_cycle_days FROM opportunities o LEFT JOIN stages s ON s.id = o.furthest_stage_id"
            " WHERE o.id = ?", (deal_id,)).one()
    return row[0], row[1]


def test_furthest_stage_and_won_cycle_are_kept_by_the_database(db: Database, actor: Actor,
                                                               book: dict[str, str]) -> None:
    """The triggers of migration 0006 fill both for any writer: the ORM (the book), raw SQL (import, sync)."""
    assert _derived(db, book["D9"]) == ("needs_analysis", None)  # lost after needs analysis: the lost stage never counts
    assert _derived(db, book["D5"]) == ("contract", None)  # skipped stages do not matter, the furthest does
    assert _derived(db, book["D6"]) == ("won", 19)  # created 11-01 (UTC date), won 11-20
    with db.engine.begin() as connection:
        stage = connection.exec_driver_sql(
            "SELECT id FROM stages WHERE code = 'negotiation' AND pipeline_id = "
            "(SELECT pipeline_id FROM opportunities WHERE id = ?)", (book["D1"],)).scalar_one()
        connection.exec_driver_sql("UPDATE opportunities SET stage_id = ? WHERE id = ?", (stage, book["D1"]))
        qualify = connection.exec_driver_sql(
            "SELECT id FROM stages WHERE code = 'qualify' AND pipeline_id = "
            "(SELECT pipeline_id FROM opportunities WHERE id = ?)", (book["D1"],)).scalar_one()
        connection.exec_driver_sql("UPDATE opportunities SET stage_id = ? WHERE id = ?", (qualify, book["D1"]))
        connection.exec_driver_sql("UPDATE opportunities SET won_at = '2026-12-01' WHERE id = ?", (book["D6"],))
    assert _derived(db, book["D1"]) == ("negotiation", None)  # moving back keeps the furthest
    assert _derived(db, book["D6"]) == ("won", 30)
    reached = {s.code: s.reached for s in analytics.funnel(db, actor, NOV).stages}
    assert reached["negotiation"] == 6  # D4..D8 (see the first funnel test) and now D1


def test_the_median_cycle_is_the_middle_of_the_histogram() -> None:
    histogram = [(3.0, 1), (5.0, 2), (9.0, 1)]
    assert analytics._median_of_histogram(histogram, 4) == 5.0
    assert analytics._median_of_histogram([(3.0, 1), (5.0, 1), (9.0, 1), (11.0, 1)], 4) == 7.0
    assert analytics._median_of_histogram([(4.0, 1)], 1) == 4.0
    assert analytics._median_of_histogram([], 0) is None


def test_targets_are_set_by_managers_only_and_all_or_nothing(db: Database, actor: Actor, consultant: str) -> None:
    from crmdesk.models import User
    from crmdesk.services.errors import UserError
    from crmdesk.services.users import actor_for

    with unit_of_work(db, actor) as session:
        rep = actor_for(session.get_one(User, consultant))
    with pytest.raises(UserError, match="manager"):
        analytics.set_target(db, rep, owner_id=consultant, period_start=date(2026, 12, 1), amount=Y(1))
    with pytest.raises(ValidationError) as refused:
        analytics.set_targets(db, actor, [
            {"owner_id": consultant, "period_start": date(2026, 12, 1), "amount": Y(500000), "deal_count": 3},
            {"owner_id": consultant, "period_start": date(2027, 1, 1), "amount": "很多", "deal_count": 2}])
    assert set(refused.value.errors) == {"2.amount"}
    assert analytics.list_targets(db, actor, 2026) == []  # the good first row was not saved either
    saved = analytics.set_targets(db, actor, [
        {"owner_id": consultant, "period_start": date(2026, 12, 9), "amount": Y(500000), "deal_count": 3},
        {"owner_id": consultant, "period_kind": "quarter", "period_start": date(2027, 2, 1), "amount": Y(1500000)}])
    assert [(r["period_kind"], r["period_start"]) for r in saved] == [("month", date(2026, 12, 1)),
                                                                     ("quarter", date(2027, 1, 1))]


def test_done_activities_are_counted_per_day_by_the_database(db: Database, actor: Actor,
                                                            book: dict[str, str]) -> None:
    """activity_day_counts follows every change of an activity (triggers of migration 0006), raw SQL too."""
    assert analytics.kpis(db, actor, NOV).activities == {"call": 2, "visit": 1}
    with db.engine.begin() as connection:
        calls = [row[0] for row in connection.exec_driver_sql(
            "SELECT id FROM activities WHERE kind = 'call' AND status = 'done' ORDER BY done_at")]
        connection.exec_driver_sql("UPDATE activities SET deleted_at = '2026-11-30 00:00:00.000000' WHERE id = ?",
                                   (calls[1],))  # the first November call
        connection.exec_driver_sql("UPDATE activities SET kind = 'visit' WHERE id = ?", (calls[2],))
        connection.exec_driver_sql("UPDATE activities SET done_at = '2026-11-05 04:00:00.000000', status = 'done'"
                                   " WHERE kind = 'call' AND status = 'planned'")
    assert analytics.kpis(db, actor, NOV).activities == {"call": 1, "visit": 2}
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM activities WHERE kind = 'visit' AND id != ?", (calls[2],))
    assert analytics.kpis(db, actor, NOV).activities == {"call": 1, "visit": 1}
    assert analytics.kpis(db, actor, _replace_filter(NOV, owner_id=book["B"])).activities == {}


def test_kpis_take_the_periods_funnel_when_the_caller_has_it(db: Database, actor: Actor,
                                                             book: dict[str, str]) -> None:
    funnel = analytics.funnel(db, actor, NOV)
    assert analytics.kpis(db, actor, NOV, funnel).stage_conversion == analytics.kpis(db, actor, NOV).stage_conversion
