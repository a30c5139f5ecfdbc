"""Lead scoring and assignment rules: each factor, the clamp, MQL/SQL, each condition, order, round robin
across runs, capacity caps, fallback and pool, the audit log naming the rule, and rejected rules."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from crmdesk.models import Activity, AuditEntry, Lead, SharedSetting, Team, Territory, User
from crmdesk.models.base import utcnow
from crmdesk.models.database import Database
from crmdesk.services import lead_rules
from crmdesk.services.errors import ConflictError, ValidationError
from crmdesk.services.lead_rules import (
    DEFAULT_SCORING,
    LeadRules,
    apply_rules_to_new_lead,
    assignment_history,
    rescore_leads,
    save_assignment,
    save_scoring,
)
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session, unit_of_work
from crmdesk.services.walk_in import log_revisit, register_walk_in

NEUTRAL = {"source": "other"}  # scores 0 under the default rules


def _scoring(**changes: Any) -> dict[str, Any]:
    """The default rules with every factor off, then `changes`: each test sees one factor alone."""
    rules: dict[str, Any] = {
        "source_points": {}, "size_bands": [], "budget_bands": [],
        "intent": {"purchase_within_days": 30, "purchase_points": 0, "product_points": 0},
        "engagement": {"days": 30, "points_per_activity": 0, "max_points": 0},
        "mql_threshold": 60,
    }
    rules.update(changes)
    return rules


def _rules(db: Database) -> LeadRules:
    with read_session(db) as session:
        return LeadRules.load(session)


def _lead(services: Services, actor: Actor, **values: Any) -> Any:
    return services.leads.create(actor, {"name": "张伟", "phone": "13812345678", **values})


@pytest.fixture
def people(db: Database, actor: Actor) -> dict[str, str]:
    """Territories 华东 > 浙江, a team of three reps (in joining order), a manager, no one else."""
    ids: dict[str, str] = {}
    with unit_of_work(db, actor) as session:
        east = Territory(name="华东")
        session.add(east)
        session.flush()
        zhejiang = Territory(name="浙江", parent_id=east.id)
        north = Territory(name="华北")
        team = Team(name="杭州销售一组")
        session.add_all([zhejiang, north, team])
        session.flush()
        ids.update(east=east.id, zhejiang=zhejiang.id, north=north.id, team=team.id)
        for key, name in (("rep1", "王磊"), ("rep2", "刘洋"), ("rep3", "陈静")):
            user = User(username=key, display_name=name, role="consultant", team_id=team.id)
            session.add(user)
            session.flush()
            ids[key] = user.id
        manager = User(username="manager", display_name="周经理", role="manager")
        session.add(manager)
        session.flush()
        ids["manager"] = manager.id
    return ids


def _rule(name: str, target: Mapping[str, Any], **conditions: Any) -> dict[str, Any]:
    return {"name": name, "conditions": conditions, "target": dict(target)}


# ---- scoring ------------------------------------------------------------------------------------
def test_points_by_source(db: Database, actor: Actor) -> None:
    save_scoring(db, actor, _scoring(source_points={"referral": 25, "web": 10}))
    rules = _rules(db)
    assert rules.score({"source": "referral"}) == 25
    assert rules.score({"source": "web"}) == 10
    assert rules.score({"source": "phone"}) == 0  # a source the rules leave out scores nothing


def test_points_by_company_size_band_lower_end_inclusive(db: Database, actor: Actor) -> None:
    save_scoring(db, actor, _scoring(size_bands=[{"min": 0, "max": 10, "points": 1},
                                                 {"min": 10, "max": 100, "points": 5},
                                                 {"min": 100, "max": None, "points": 15}]))
    rules = _rules(db)
    assert [rules.score({"company_size": size}) for size in (0, 9, 10, 99, 100, 50_000)] == [1, 1, 5, 5, 15, 15]
    assert rules.score({"company_size": None}) == 0


def test_points_by_budget_band_in_money(db: Database, actor: Actor) -> None:
    save_scoring(db, actor, _scoring(budget_bands=[{"min": "0", "max": "100000", "points": 2},
                                                   {"min": "100000", "max": None, "points": 12}]))
    rules = _rules(db)
    assert rules.score({"budget": Decimal("99999.99")}) == 2
    assert rules.score({"budget": Decimal("100000.00")}) == 12
    assert rules.score({"budget": None}) == 0


def test_points_for_intent_purchase_date_within_days_and_product(db: Database, actor: Actor) -> None:
    save_scoring(db, actor, _scoring(intent={"purchase_within_days": 30, "purchase_points": 20, "product_points": 7}))
    rules = _rules(db)
    today = date.today()
    assert rules.score({"intended_purchase_date": today + timedelta(days=30)}) == 20
    assert rules.score({"intended_purchase_date": today + timedelta(days=31)}) == 0
    assert rules.score({"intended_purchase_date": today - timedelta(days=1)}) == 0  # overdue: no intent shown
    assert rules.score({"intended_product": "华驰 A3"}) == 7
    assert rules.score({"intended_product": "  "}) == 0


def test_engagement_points_are_capped(db: Database, actor: Actor) -> None:
    save_scoring(db, actor, _scoring(engagement={"days": 30, "points_per_activity": 5, "max_points": 12}))
    rules = _rules(db)
    assert [rules.score(NEUTRAL, engagement=n) for n in (0, 1, 2, 3, 10)] == [0, 5, 10, 12, 12]


def test_score_is_clamped_to_0_and_100(db: Database, actor: Actor) -> None:
    save_scoring(db, actor, _scoring(source_points={"web": -40, "referral": 100},
                                     intent={"purchase_within_days": 30, "purchase_points": 0, "product_points": 30}))
    rules = _rules(db)
    assert rules.score({"source": "web"}) == 0
    assert rules.score({"source": "referral", "intended_product": "A3"}) == 100


def test_default_rules_score_a_showroom_visitor(services: Services, actor: Actor) -> None:
    lead = _lead(services, actor, source="walk_in", intended_product="华驰 A3",
                 intended_purchase_date=date.today() + timedelta(days=10), company_size=50, budget="300000")
    points = DEFAULT_SCORING["source_points"]["walk_in"] + 20 + 10 + 5 + 5
    assert lead["score"] == points == 60
    assert lead["qualification"] == "mql" and lead["mql_at"] is not None


def test_threshold_makes_a_new_lead_mql_and_a_low_one_not(services: Services, db: Database, actor: Actor) -> None:
    save_scoring(db, actor, _scoring(source_points={"referral": 60, "web": 59}))
    assert _lead(services, actor, source="referral")["qualification"] == "mql"
    low = _lead(services, actor, source="web", phone="13900001111")
    assert (low["score"], low["qualification"], low["mql_at"]) == (59, None, None)


def test_a_given_score_is_kept_and_still_qualifies(services: Services, actor: Actor) -> None:
    lead = _lead(services, actor, source="other", score=75)
    assert (lead["score"], lead["qualification"]) == (75, "mql")


def test_editing_what_the_score_reads_rescores(services: Services, db: Database, actor: Actor) -> None:
    save_scoring(db, actor, _scoring(source_points={"referral": 70}))
    lead = _lead(services, actor, source="web")
    assert (lead["score"], lead["qualification"]) == (0, None)
    edited = services.leads.update(actor, lead.id, {"source": "referral"})
    assert (edited["score"], edited["qualification"]) == (70, "mql")
    assert services.leads.update(actor, lead.id, {"city": "杭州"})["score"] == 70  # not a scoring input


def _done_activity(db: Database, actor: Actor, lead_id: str, days_ago: int, status: str = "done") -> None:
    with unit_of_work(db, actor) as session:
        session.add(Activity(kind="call", status=status, subject="回访", lead_id=lead_id, owner_id=actor.user_id,
                             done_at=utcnow() - timedelta(days=days_ago) if status == "done" else None))


def test_rescore_counts_done_activities_in_the_window_and_crosses_into_mql(
        services: Services, db: Database, actor: Actor) -> None:
    save_scoring(db, actor, _scoring(source_points={"phone": 50},
                                     engagement={"days": 30, "points_per_activity": 5, "max_points": 20}))
    lead = _lead(services, actor, source="phone")
    other = _lead(services, actor, source="phone", phone="13900001111")
    assert lead["score"] == 50 and lead["qualification"] is None
    _done_activity(db, actor, lead.id, days_ago=2)
    _done_activity(db, actor, lead.id, days_ago=29)
    _done_activity(db, actor, lead.id, days_ago=31)  # outside the window
    _done_activity(db, actor, lead.id, days_ago=0, status="planned")  # not done yet
    assert rescore_leads(db, actor) == 1  # only the lead that changed
    rescored = services.leads.get(actor, lead.id)
    assert (rescored["score"], rescored["qualification"]) == (60, "mql")
    assert rescored["mql_at"] is not None
    assert services.leads.get(actor, other.id)["score"] == 50
    assert rescore_leads(db, actor) == 0  # nothing left to change
    with read_session(db) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == lead.id,
                                                         AuditEntry.field == "qualification")).one()
    assert (entry.old_value, entry.new_value) == (None, "mql")


def test_rescore_walks_every_lead_in_small_batches(services: Services, db: Database, actor: Actor) -> None:
    ids = [_lead(services, actor, source="web", phone=f"1390000{n:04d}").id for n in range(5)]
    save_scoring(db, actor, _scoring(source_points={"web": 33}))
    assert rescore_leads(db, actor, batch=2) == 5
    assert {services.leads.get(actor, i)["score"] for i in ids} == {33}
    save_scoring(db, actor, _scoring(source_points={"web": 34}))
    assert rescore_leads(db, actor, lead_ids=ids[:3], batch=2) == 3
    assert [services.leads.get(actor, i)["score"] for i in ids] == [34, 34, 34, 33, 33]


def test_mql_drops_under_the_threshold_but_sql_never_does(services: Services, db: Database, actor: Actor) -> None:
    save_scoring(db, actor, _scoring(source_points={"referral": 80}))
    mql = _lead(services, actor, source="referral")
    sql = services.leads.accept_lead(actor, _lead(services, actor, source="referral", phone="13900001111").id)
    assert sql["qualification"] == "sql"
    save_scoring(db, actor, _scoring(source_points={"referral": 10}))
    assert rescore_leads(db, actor) == 2
    assert services.leads.get(actor, mql.id)["qualification"] is None
    assert services.leads.get(actor, mql.id)["mql_at"] is None
    kept = services.leads.get(actor, sql.id)
    assert (kept["score"], kept["qualification"]) == (10, "sql")
    assert _rules(db).qualification_for(0, "sql") == "sql"


def test_accepting_an_mql_makes_it_sql_and_refuses_others(services: Services, db: Database, actor: Actor) -> None:
    save_scoring(db, actor, _scoring(source_points={"referral": 80}))
    mql = _lead(services, actor, source="referral")
    accepted = services.leads.accept_lead(actor, mql.id)
    assert (accepted["qualification"], accepted["status"]) == ("sql", "qualified")
    assert accepted["accepted_at"] is not None
    with pytest.raises(ConflictError, match="already accepted"):
        services.leads.accept_lead(actor, mql.id)
    low = _lead(services, actor, source="web", phone="13900001111")
    with pytest.raises(ConflictError, match="scores 0, under the threshold of 60"):
        services.leads.accept_lead(actor, low.id)
    assert services.leads.get(actor, low.id)["qualification"] is None


def test_a_revisit_on_a_lead_rescores_it(services: Services, db: Database, actor: Actor) -> None:
    save_scoring(db, actor, _scoring(source_points={"walk_in": 55},
                                     engagement={"days": 30, "points_per_activity": 5, "max_points": 20}))
    lead = _lead(services, actor, source="walk_in")
    log_revisit(db, actor, "lead", lead.id, "再次到店", 2)
    after = services.leads.get(actor, lead.id)
    assert (after["score"], after["qualification"], after["status"]) == (60, "mql", "contacted")


# ---- assignment -----------------------------------------------------------------------------------
def _assign(db: Database, values: Mapping[str, Any]) -> lead_rules.Assignment:
    return _rules(db).assign(values)


def test_each_condition_matches_only_its_leads(db: Database, actor: Actor, people: dict[str, str]) -> None:
    to = {"kind": "user", "user_id": people["rep1"]}
    cases: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = [
        ({"provinces": ["浙江省"]}, {"province": "浙江"}, {"province": "江苏省"}),
        ({"cities": ["杭州"]}, {"city": "杭州市"}, {"city": "宁波市"}),
        ({"territory_ids": [people["east"]]}, {"territory_id": people["zhejiang"]}, {"territory_id": people["north"]}),
        ({"industries": ["制造业"]}, {"industry": "制造业"}, {"industry": "零售"}),
        ({"size_min": 100, "size_max": 500}, {"company_size": 500}, {"company_size": 99}),
        ({"products": ["A3", "s5"]}, {"intended_product": "华驰 S5 四驱"}, {"intended_product": "华驰 A6"}),
    ]
    for conditions, matching, other in cases:
        save_assignment(db, actor, {"rules": [_rule("规则", to, **conditions)], "fallback": {"kind": "pool"}})
        assert _assign(db, matching) == lead_rules.Assignment(people["rep1"], people["team"], "规则"), conditions
        assert _assign(db, other) == lead_rules.Assignment(None, None, ""), conditions
        assert _assign(db, {}) == lead_rules.Assignment(None, None, ""), conditions  # unknown never matches


def test_conditions_of_one_rule_must_all_hold(db: Database, actor: Actor, people: dict[str, str]) -> None:
    rule = _rule("浙江制造", {"kind": "user", "user_id": people["rep2"]}, provinces=["浙江"], industries=["制造业"])
    save_assignment(db, actor, {"rules": [rule], "fallback": {"kind": "pool"}})
    assert _assign(db, {"province": "浙江", "industry": "制造业"}).rule_name == "浙江制造"
    assert _assign(db, {"province": "浙江", "industry": "零售"}).rule_name == ""


def test_rules_are_tried_in_order(db: Database, actor: Actor, people: dict[str, str]) -> None:
    first = _rule("大客户", {"kind": "user", "user_id": people["manager"]}, size_min=1000)
    second = _rule("浙江", {"kind": "user", "user_id": people["rep1"]}, provinces=["浙江"])
    save_assignment(db, actor, {"rules": [first, second]})
    assert _assign(db, {"province": "浙江", "company_size": 5000}).owner_id == people["manager"]
    assert _assign(db, {"province": "浙江", "company_size": 10}).owner_id == people["rep1"]
    save_assignment(db, actor, {"rules": [second, first]})
    assert _assign(db, {"province": "浙江", "company_size": 5000}).owner_id == people["rep1"]


def test_round_robin_continues_across_runs(services: Services, db: Database, actor: Actor,
                                           people: dict[str, str]) -> None:
    save_assignment(db, actor, {"rules": [_rule("一组轮流", {"kind": "team", "team_id": people["team"]})]})
    with unit_of_work(db, actor) as session:  # a bulk run: in-memory pointer, saved once
        rules = LeadRules.load(session)
        owners = [rules.assign({}).owner_id for _ in range(2)]
        rules.save_state(session)
    assert owners == [people["rep1"], people["rep2"]]
    with unit_of_work(db, actor) as session:  # the next run starts after the last one
        rules = LeadRules.load(session)
        assert [rules.assign({}).owner_id for _ in range(2)] == [people["rep3"], people["rep1"]]
        rules.save_state(session)
    created = [_lead(services, actor, phone=f"1390000{n:04d}") for n in range(3)]  # one create at a time
    assert [lead["owner_id"] for lead in created] == [people["rep2"], people["rep3"], people["rep1"]]
    assert {lead["team_id"] for lead in created} == {people["team"]}


def test_a_capped_rep_is_skipped(services: Services, db: Database, actor: Actor, people: dict[str, str]) -> None:
    with unit_of_work(db, actor) as session:  # rep1 has 2 open leads and an invalid one (which does not count)
        for n, status in enumerate(("new", "contacted", "invalid")):
            session.add(Lead(name=f"旧{n}", phone=f"1370000{n:04d}", status=status, owner_id=people["rep1"]))
    save_assignment(db, actor, {
        "rules": [_rule("一组轮流", {"kind": "team", "team_id": people["team"]})],
        "capacity": {"default": None, "per_user": {people["rep1"]: 2, people["rep2"]: 3}},
    })
    owners = [_lead(services, actor, phone=f"1390000{n:04d}")["owner_id"] for n in range(5)]
    assert owners == [people["rep2"], people["rep3"], people["rep2"], people["rep3"], people["rep2"]]
    # rep2 is full now (3): the team rule gives everything to rep3, who has no cap.
    assert _lead(services, actor, phone="13900009999")["owner_id"] == people["rep3"]


def test_a_full_user_rule_passes_to_the_next_rule(db: Database, actor: Actor, people: dict[str, str]) -> None:
    save_assignment(db, actor, {
        "rules": [_rule("经理", {"kind": "user", "user_id": people["manager"]}),
                  _rule("一组", {"kind": "user", "user_id": people["rep3"]})],
        "capacity": {"default": 1, "per_user": {}},
    })
    rules = _rules(db)
    assert [rules.assign({}).rule_name for _ in range(3)] == ["经理", "一组", ""]


def test_fallback_owner_pool_and_creator(services: Services, db: Database, actor: Actor,
                                         people: dict[str, str]) -> None:
    rule = _rule("浙江", {"kind": "user", "user_id": people["rep1"]}, provinces=["浙江"])
    assert _lead(services, actor)["owner_id"] == actor.user_id  # the default: whoever enters it keeps it
    save_assignment(db, actor, {"rules": [rule], "fallback": {"kind": "user", "user_id": people["manager"]}})
    assert _lead(services, actor, phone="13900000001")["owner_id"] == people["manager"]
    save_assignment(db, actor, {"rules": [rule], "fallback": {"kind": "pool"}})
    pooled = _lead(services, actor, phone="13900000002")
    assert (pooled["owner_id"], pooled["team_id"]) == (None, None)
    pool_rule = _rule("展厅公海", {"kind": "pool"}, cities=["杭州"])
    save_assignment(db, actor, {"rules": [pool_rule], "fallback": {"kind": "user", "user_id": people["rep2"]}})
    assert _assign(db, {"city": "杭州"}) == lead_rules.Assignment(None, None, "展厅公海")


def test_a_given_owner_is_never_reassigned(services: Services, db: Database, actor: Actor,
                                           people: dict[str, str]) -> None:
    save_assignment(db, actor, {"rules": [_rule("全部", {"kind": "user", "user_id": people["rep1"]})]})
    lead = _lead(services, actor, owner_id=people["rep3"])
    assert lead["owner_id"] == people["rep3"]
    assert assignment_history(db, lead.id) == []


def test_walk_in_without_consultant_is_assigned_with_one_keeps_them(
        services: Services, db: Database, actor: Actor, people: dict[str, str]) -> None:
    save_assignment(db, actor, {"rules": [_rule("展厅", {"kind": "team", "team_id": people["team"]})]})
    visitor = {"name": "张伟", "phone": "13812345678", "gender": "M", "source": "walk_in",
               "intended_purchase_date": date.today() + timedelta(days=5), "residential_area": "西湖区"}
    assert register_walk_in(db, actor, visitor)["owner_id"] == people["rep1"]
    chosen = register_walk_in(db, actor, {**visitor, "phone": "13900001111", "owner_id": people["rep3"]})
    assert chosen["owner_id"] == people["rep3"]
    assert chosen["score"] == 20 + 20  # walk-in + purchase within 30 days


def test_the_audit_log_names_the_rule(services: Services, db: Database, actor: Actor, people: dict[str, str]) -> None:
    save_assignment(db, actor, {"rules": [_rule("浙江大客户", {"kind": "user", "user_id": people["rep2"]},
                                                provinces=["浙江"])], "fallback": {"kind": "pool"}})
    matched = _lead(services, actor, province="浙江省")
    pooled = _lead(services, actor, phone="13900001111", province="江苏")
    with read_session(db) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity_id == matched.id,
                                                           AuditEntry.action == "assign")).all()
    assert {(e.entity_type, e.field, e.old_value, e.new_value) for e in entries} == {
        ("leads", "owner_id", None, people["rep2"]), ("leads", "assignment_rule", None, "浙江大客户")}
    [history] = assignment_history(db, matched.id)
    assert (history.owner_id, history.owner_name, history.rule_name) == (people["rep2"], "刘洋", "浙江大客户")
    [fallback] = assignment_history(db, pooled.id)
    assert (fallback.owner_id, fallback.owner_name, fallback.rule_name) == (None, None, "")


def test_orm_creates_get_scored_and_assigned(db: Database, actor: Actor, people: dict[str, str]) -> None:
    save_assignment(db, actor, {"rules": [_rule("一组", {"kind": "team", "team_id": people["team"]})]})
    with unit_of_work(db, actor) as session:
        rules = LeadRules.load(session)
        leads = [Lead(name=f"导入{n}", phone=f"1390000{n:04d}", source="referral") for n in range(2)]
        session.add_all(leads)
        results = [apply_rules_to_new_lead(session, actor, lead, rules) for lead in leads]
        owned = Lead(name="有主", phone="13900009999", source="web", owner_id=people["manager"])
        session.add(owned)
        assert apply_rules_to_new_lead(session, actor, owned, rules) is None
    assert [r.owner_id if r else None for r in results] == [people["rep1"], people["rep2"]]
    assert [lead.score for lead in leads] == [DEFAULT_SCORING["source_points"]["referral"]] * 2
    assert _rules(db).assign({}).owner_id == people["rep3"]  # the pointer was saved with the leads


# ---- saving rules ---------------------------------------------------------------------------------
def test_bad_scoring_rules_are_refused_with_every_problem_named(db: Database, actor: Actor) -> None:
    with pytest.raises(ValidationError) as caught:
        save_scoring(db, actor, _scoring(
            source_points={"fax": 5, "web": "many"},
            size_bands=[{"min": 0, "max": 100, "points": 1}, {"min": 50, "max": None, "points": 2}],
            budget_bands=[{"min": "-5", "max": "10", "points": 1}, {"min": "10", "max": "5", "points": 1}],
            engagement={"days": 0, "points_per_activity": 5, "max_points": 500},
            mql_threshold=101,
        ))
    errors = caught.value.errors
    assert errors == {
        "source_points.fax": "Not a lead source.",
        "source_points.web": "Enter a whole number.",
        "size_bands": "The bands overlap: each band must start at or after the end of the one before.",
        "budget_bands[0].min": "The amount cannot be negative.",
        "budget_bands[1].max": "The upper end must be above the lower end.",
        "engagement.days": "Enter a number from 1 to 3650.",
        "engagement.max_points": "Enter a number from 0 to 100.",
        "mql_threshold": "Enter a number from 1 to 100.",
    }
    with read_session(db) as session:
        assert session.scalars(select(SharedSetting)).first() is None  # nothing stored


def test_bad_assignment_rules_are_refused(db: Database, actor: Actor, people: dict[str, str]) -> None:
    with unit_of_work(db, actor) as session:
        empty = Team(name="空组")
        session.add(empty)
        session.flush()
        empty_id = empty.id
    with pytest.raises(ValidationError) as caught:
        save_assignment(db, actor, {
            "rules": [
                _rule("", {"kind": "user", "user_id": "no-such-user"}),
                _rule("大客户", {"kind": "team", "team_id": empty_id}, size_min=500, size_max=100),
                _rule("大客户", {"kind": "robot"}, territory_ids=["nowhere"]),
                _rule("上海", {"kind": "pool"}, city=["上海"]),  # "cities" misspelt: not a rule for everyone
            ],
            "capacity": {"default": 0, "per_user": {people["rep1"]: "x"}},
            "fallback": {"kind": "user", "user_id": "nobody"},
        })
    assert caught.value.errors == {
        "rules[0].name": "Give the rule a name.",
        "rules[0].target": "Choose an existing, active user.",
        "rules[1].conditions.size_max": "The largest size must not be below the smallest.",
        "rules[1].target": "The team has no active members to share leads between.",
        "rules[2].name": "Two rules have the name “大客户”; give each its own.",
        "rules[2].target": "Choose who gets the lead: a user, a team or the public pool.",
        "rules[2].conditions.territory_ids": "Choose existing territories.",
        "rules[3].conditions.city": "Unknown condition “city”; use one of: provinces, cities, territory_ids, "
                                    "industries, size_min, size_max, products.",
        "capacity.default": "Enter a number from 1 to 1000000.",
        f"capacity.per_user.{people['rep1']}": "Enter a whole number.",
        "fallback": "Choose an existing, active user.",
    }
    assert lead_rules.load_assignment(db) == lead_rules.DEFAULT_ASSIGNMENT


def test_saved_rules_read_back_cleaned(db: Database, actor: Actor, people: dict[str, str]) -> None:
    saved = save_assignment(db, actor, {"rules": [_rule(" 杭州 ", {"kind": "pool"}, cities="杭州，宁波")]})
    assert saved["rules"][0]["name"] == "杭州"
    assert saved["rules"][0]["conditions"]["cities"] == ["杭州", "宁波"]
    assert saved["fallback"] == {"kind": "creator"}
    assert lead_rules.load_assignment(db) == saved
    assert save_scoring(db, actor, DEFAULT_SCORING) == lead_rules.load_scoring(db) == DEFAULT_SCORING


def test_without_rules_nothing_is_logged_as_an_assignment(services: Services, db: Database, actor: Actor,
                                                          people: dict[str, str]) -> None:
    lead = _lead(services, actor)
    assert lead["owner_id"] == actor.user_id and assignment_history(db, lead.id) == []
    save_assignment(db, actor, {"rules": [_rule("浙江", {"kind": "user", "user_id": people["rep1"]},
                                                provinces=["浙江"])]})
    unmatched = _lead(services, actor, phone="13900001111")
    assert [(h.owner_id, h.rule_name) for h in assignment_history(db, unmatched.id)] == [(actor.user_id, "")]
