"""Opportunities: stage rules, probability following the stage, stage history, won and lost."""

from decimal import Decimal

import pytest

from crmdesk.services.errors import ValidationError
from crmdesk.services.opportunities import list_stages
from crmdesk.services.registry import Services
from crmdesk.services.uow import Actor, read_session

READER = Actor(user_id="01900000-0000-7000-8000-00000000beef", display_name="reader", role="admin")


def _stage(services: Services, code: str, pipeline: str = "vehicle") -> str:
    return next(s.id for s in list_stages(services.db, READER, pipeline) if s["code"] == code)


@pytest.fixture
def customer_id(services: Services, actor: Actor) -> str:
    return services.customers.create(actor, {"name": "张伟", "phone": "13812345678"}).id


def test_default_pipelines_have_the_seed_probabilities(services: Services, actor: Actor) -> None:
    vehicle = [(s["code"], s["probability"]) for s in list_stages(services.db, actor, "vehicle")]
    assert vehicle == [("qualify", 10), ("needs_analysis", 20), ("test_drive", 40), ("negotiation", 60),
                       ("contract", 80), ("won", 100), ("lost", 0)]
    assert {s["pipeline_code"] for s in list_stages(services.db, actor)} == {"vehicle", "project"}


def test_probability_follows_stage_unless_overridden(services: Services, actor: Actor, customer_id: str) -> None:
    deal = services.opportunities.create(actor, {"name": "Model Y", "customer_id": customer_id,
                                                 "stage_id": _stage(services, "qualify"), "amount": "263,900"})
    assert deal["probability"] == 10 and deal["amount"] == Decimal("263900.00")
    moved = services.opportunities.update(actor, deal.id, {"stage_id": _stage(services, "negotiation")})
    assert moved["probability"] == 60
    overridden = services.opportunities.update(actor, deal.id, {"probability": 75})
    assert overridden["probability"] == 75
    history = services.opportunities.stage_history(actor, deal.id)
    assert [h["to_stage_id"] for h in history] == [_stage(services, "qualify"), _stage(services, "negotiation")]


def test_won_takes_date_and_amount_and_lost_needs_a_reason(services: Services, actor: Actor, customer_id: str) -> None:
    deal = services.opportunities.create(actor, {"name": "Model Y", "customer_id": customer_id,
                                                 "stage_id": _stage(services, "qualify"), "amount": "200000"})
    won = services.opportunities.update(actor, deal.id, {"stage_id": _stage(services, "won")})
    assert won["won_amount"] == Decimal("200000.00") and won["won_at"] is not None
    other = services.opportunities.create(actor, {"name": "Model 3", "customer_id": customer_id,
                                                  "stage_id": _stage(services, "qualify")})
    with pytest.raises(ValidationError) as caught:
        services.opportunities.update(actor, other.id, {"stage_id": _stage(services, "lost")})
    assert "lost_reason" in caught.value.errors
    lost = services.opportunities.update(actor, other.id, {"stage_id": _stage(services, "lost"),
                                                           "lost_reason": "价格"})
    assert lost["probability"] == 0


def test_won_without_any_amount_is_refused(services: Services, actor: Actor, customer_id: str) -> None:
    deal = services.opportunities.create(actor, {"name": "Model Y", "customer_id": customer_id,
                                                 "stage_id": _stage(services, "qualify")})
    with pytest.raises(ValidationError) as caught:
        services.opportunities.update(actor, deal.id, {"stage_id": _stage(services, "won")})
    assert "won_amount" in caught.value.errors


def test_every_bad_field_is_reported_at_once(services: Services, actor: Actor) -> None:
    """A field's own error and the cross checks (unknown customer and stage) come back together."""
    with pytest.raises(ValidationError) as caught:
        services.opportunities.create(actor, {"name": "x", "customer_id": "nope", "stage_id": "nope",
                                              "amount": "-5"})
    assert set(caught.value.errors) == {"amount", "customer_id", "stage_id"}
    assert caught.value.errors["amount"] == "The amount cannot be negative."


def test_deal_titles_are_read_without_surname_readings(services: Services, actor: Actor, customer_id: str) -> None:
    from crmdesk.models import Opportunity
    from crmdesk.services.uow import read_session

    deal = services.opportunities.create(actor, {"name": "曾经的项目", "customer_id": customer_id,
                                                 "stage_id": _stage(services, "qualify")})
    with read_session(services.db) as session:
        assert session.get_one(Opportunity, deal.id).name_pinyin.startswith("ceng")


def test_a_won_deal_keeps_why_it_was_won(services: Services, actor: Actor, customer_id: str) -> None:
    deal = services.opportunities.create(actor, {"name": "Model Y", "customer_id": customer_id,
                                                 "stage_id": _stage(services, "qualify"), "amount": "200000"})
    won = services.opportunities.update(actor, deal.id, {"stage_id": _stage(services, "won"),
                                                         "won_reason": "试驾体验好，置换补贴"})
    assert won["won_reason"] == "试驾体验好，置换补贴" and won["status"] == "won"


def test_a_manager_adjusts_the_forecast_category_beside_the_reps(services: Services, actor: Actor, consultant: str,
                                                                 customer_id: str) -> None:
    from crmdesk.models import User
    from crmdesk.services.users import actor_for

    with read_session(services.db) as session:
        rep = actor_for(session.get_one(User, consultant))
    deal = services.opportunities.create(rep, {"name": "汉 EV", "customer_id": customer_id, "stage_id": _stage(services, "needs_analysis"),
                                               "amount": Decimal("200000"), "forecast_category": "best_case"})
    with pytest.raises(ValidationError) as refused:
        services.opportunities.update(rep, deal.id, {"forecast_category_manager": "commit"})
    assert "forecast_category_manager" in refused.value.errors
    services.opportunities.update(rep, deal.id, {"forecast_category_manager": None, "notes": "试驾后再谈"})
    services.opportunities.update(actor, deal.id, {"forecast_category_manager": "commit"})  # the admin may
    saved = services.opportunities.get(actor, deal.id)
    assert (saved["forecast_category"], saved["forecast_category_manager"]) == ("best_case", "commit")
