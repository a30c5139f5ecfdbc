"""Stage settings per pipeline, the board's columns and the board's move."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from crmdesk.models import Opportunity, OpportunityStageChange
from crmdesk.services import lost, pipelines
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session, unit_of_work

QUALIFY = "01900000-0000-7000-8000-000000001000"
NEEDS = "01900000-0000-7000-8000-000000001001"
WON = "01900000-0000-7000-8000-000000001005"
LOST = "01900000-0000-7000-8000-000000001006"


def _stages(services: Services, actor: Actor, code: str = "vehicle") -> list[dict[str, Any]]:
    return [{"id": s.id, **{k: s[k] for k in pipelines.STAGE_FIELDS}} for s in pipelines.list_stages(services.db, actor, code)]


def _deal(services: Services, actor: Actor, stage: str = QUALIFY, amount: str = "100000", **extra: Any) -> str:
    customer = services.customers.create(actor, {"name": "陈静", "phone": "13600003333"})
    return services.opportunities.create(actor, {
        "name": "华驰 A3", "customer_id": customer.id, "stage_id": stage, "amount": Decimal(amount), **extra}).id


def test_pipelines_and_default_stages(services: Services, actor: Actor) -> None:
    assert [p["code"] for p in pipelines.list_pipelines(services.db, actor)] == ["vehicle", "project"]
    stages = _stages(services, actor)
    assert [s["probability"] for s in stages] == [10, 20, 40, 60, 80, 100, 0]


def test_validation_names_every_bad_field(services: Services, actor: Actor) -> None:
    stages = _stages(services, actor)
    stages[0]["probability"] = 120
    stages[1]["code"] = stages[2]["code"]
    stages[3]["name_zh"] = ""
    stages[5]["probability"] = 90  # won
    with pytest.raises(ValidationError) as caught:
        pipelines.save_stages(services.db, actor, "vehicle", stages)
    assert {"stages[0].probability", "stages[2].code", "stages[3].name_zh", "stages[5].probability"} <= set(
        caught.value.errors)


@pytest.mark.parametrize("change", ["two_won", "no_lost", "no_open"])
def test_won_lost_and_open_stages_required(services: Services, actor: Actor, change: str) -> None:
    stages = _stages(services, actor)
    if change == "two_won":
        stages[4].update(is_won=True, probability=100)
    elif change == "no_lost":
        stages[6]["is_lost"] = False
    else:
        stages = stages[5:]
    with pytest.raises(ValidationError) as caught:
        pipelines.save_stages(services.db, actor, "vehicle", stages)
    assert "stages" in caught.value.errors


def test_consultant_may_not_save(services: Services, consultant: str) -> None:
    rep = Actor(consultant, "王磊", "consultant")
    with pytest.raises(UserError):
        pipelines.save_stages(services.db, rep, "vehicle", _stages(services, rep))


def test_ids_kept_and_deals_follow_order_and_probability(services: Services, actor: Actor) -> None:
    deal = _deal(services, actor, NEEDS)
    overridden = _deal(services, actor, NEEDS, probability=33)
    stages = _stages(services, actor)
    stages[0]["position"], stages[1]["position"] = 1, 0  # swap qualify and needs analysis
    stages[1]["probability"] = 15
    stages[1]["name_zh"] = "需求确认"
    stages.insert(2, {"code": "visit", "name_zh": "到店", "name_en": "Visit", "position": 1.5, "probability": 30,
                      "is_won": False, "is_lost": False})
    saved = pipelines.save_stages(services.db, actor, "vehicle", stages)
    assert [s["code"] for s in saved][:3] == ["needs_analysis", "qualify", "visit"]
    assert saved[0].id == NEEDS and saved[0]["name_zh"] == "需求确认"
    assert [s["position"] for s in saved] == list(range(8))
    first = services.opportunities.get(actor, deal)
    assert first["stage_position"] == 0 and first["probability"] == 15
    second = services.opportunities.get(actor, overridden)
    assert second["stage_position"] == 0 and second["probability"] == 33


def test_removal_refused_with_deals_and_allowed_without(services: Services, actor: Actor) -> None:
    _deal(services, actor, NEEDS)
    _deal(services, actor, NEEDS)
    stages = [s for s in _stages(services, actor) if s["id"] != NEEDS]
    with pytest.raises(ValidationError) as caught:
        pipelines.save_stages(services.db, actor, "vehicle", stages)
    assert "2" in caught.value.errors["stages"]
    assert any(s.id == NEEDS for s in pipelines.list_stages(services.db, actor, "vehicle"))
    stages = [s for s in _stages(services, actor) if s["code"] != "test_drive"]
    saved = pipelines.save_stages(services.db, actor, "vehicle", stages)
    assert "test_drive" not in [s["code"] for s in saved]


def test_board_column_pages_sums_and_sorts(services: Services, actor: Actor) -> None:
    today = date.today()
    for number in range(7):
        _deal(services, actor, QUALIFY, str(1000 * (number + 1)), expected_close_date=today + timedelta(days=7 - number))
    _deal(services, actor, NEEDS, "5")
    column = pipelines.board_column(services.db, actor, "vehicle", QUALIFY, 0, 5)
    assert column.total_count == 7 and column.total_amount == Decimal("28000")
    assert len(column.cards) == 5
    assert [c.amount for c in column.cards] == [Decimal(a) for a in ("7000", "6000", "5000", "4000", "3000")]
    assert column.cards[0].customer_name == "陈静" and column.cards[0].probability == 10
    rest = pipelines.board_column(services.db, actor, "vehicle", QUALIFY, 5, 5)
    assert len(rest.cards) == 2 and rest.total_count == 7
    assert pipelines.board_column(services.db, actor, "vehicle", QUALIFY, 0, 5, owner_id="nobody").total_count == 0


def test_days_in_stage_from_the_latest_change(services: Services, actor: Actor) -> None:
    deal = _deal(services, actor, QUALIFY)
    pipelines.move_to_stage(services.db, actor, deal, NEEDS)
    with unit_of_work(services.db, actor) as session:
        change = session.scalars(select(OpportunityStageChange).where(
            OpportunityStageChange.opportunity_id == deal, OpportunityStageChange.to_stage_id == NEEDS)).one()
        change.changed_at = change.changed_at - timedelta(days=4)
    card = pipelines.board_column(services.db, actor, "vehicle", NEEDS).cards[0]
    assert card.days_in_stage == 4


def test_move_records_history_and_won_defaults(services: Services, actor: Actor) -> None:
    deal = _deal(services, actor, QUALIFY, "250000")
    moved = pipelines.move_to_stage(services.db, actor, deal, NEEDS)
    assert moved["probability"] == 20 and moved["stage_position"] == 1
    history = services.opportunities.stage_history(actor, deal)
    assert [(h["from_stage_id"], h["to_stage_id"]) for h in history] == [(None, QUALIFY), (QUALIFY, NEEDS)]
    won = pipelines.move_to_stage(services.db, actor, deal, WON)
    assert won["status"] == "won" and won["won_amount"] == Decimal("250000") and won["won_at"] == date.today()
    column = pipelines.board_column(services.db, actor, "vehicle", WON)
    assert column.total_count == 1 and column.total_amount == Decimal("250000")


def test_lost_by_consultant_needs_a_request(services: Services, actor: Actor, consultant: str) -> None:
    rep = Actor(consultant, "王磊", "consultant")
    deal = _deal(services, actor, QUALIFY, owner_id=consultant)
    with pytest.raises(pipelines.LostRequestNeeded):
        pipelines.move_to_stage(services.db, rep, deal, LOST)
    assert services.opportunities.get(actor, deal)["status"] == "open"
    lost.request_lost(services.db, rep, deal, "price")
    with pytest.raises(ValidationError):  # a manager must say why
        pipelines.move_to_stage(services.db, actor, deal, LOST)
    done = pipelines.move_to_stage(services.db, actor, deal, LOST, lost_reason="价格因素")
    assert done["status"] == "lost"
    assert pipelines.board_column(services.db, actor, "vehicle", LOST).total_count == 1


def test_move_to_another_pipeline_refused(services: Services, actor: Actor) -> None:
    deal = _deal(services, actor, QUALIFY)
    project_stage = pipelines.list_stages(services.db, actor, "project")[0].id
    with pytest.raises(ValidationError):
        pipelines.move_to_stage(services.db, actor, deal, project_stage)
    with read_session(services.db) as session:
        assert session.get(Opportunity, deal).stage_id == QUALIFY  # type: ignore[union-attr]


def test_reordering_stages_recomputes_the_furthest_stage_reached(services: Services, actor: Actor) -> None:
    deal = _deal(services, actor, NEEDS)
    pipelines.move_to_stage(services.db, actor, deal, QUALIFY)  # furthest: needs analysis (position 1)

    def furthest() -> str | None:
        with read_session(services.db) as session:
            return session.get_one(Opportunity, deal).furthest_stage_id

    assert furthest() == NEEDS
    stages = _stages(services, actor)
    stages[0]["position"], stages[1]["position"] = 1, 0  # needs analysis before qualify: qualify is further
    pipelines.save_stages(services.db, actor, "vehicle", stages)
    assert furthest() == QUALIFY
