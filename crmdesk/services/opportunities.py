"""Opportunities and their stages: create, edit, list, stage changes with history."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import Opportunity, OpportunityStageChange, Pipeline, Stage
from crmdesk.models.base import utcnow
from crmdesk.models.database import Database
from crmdesk.services import followups, lost
from crmdesk.services.entities import EntityService, ListColumn, Record, check_customer_reference
from crmdesk.services.fields import FieldSpec
from crmdesk.services.uow import Actor, read_session

OPPORTUNITY_KINDS = ("standard", "project")
FORECAST_CATEGORIES = ("commit", "best_case", "pipeline", "omitted")
# The rep sets forecast_category; a manager's adjustment goes beside it (forecast_category_manager), both
# kept, and the forecast counts the manager's where there is one.
FORECAST_ADJUSTER_ROLES = ("manager", "admin")


def record_stage_change(
    session: Session, actor: Actor, opportunity: Opportunity, old: Stage | None, new: Stage
) -> None:
    session.add(OpportunityStageChange(
        opportunity_id=opportunity.id, from_stage_id=old.id if old else None, to_stage_id=new.id,
        changed_at=utcnow(), changed_by=actor.user_id,
    ))


def list_stages(db: Database, actor: Actor, pipeline_code: str | None = None) -> list[Record]:
    """Stages in pipeline order (with the pipeline's code), for pickers and the board.

    Every role may read the stages; `actor` is taken like every service call's."""
    with read_session(db) as session:
        statement = (
            select(Stage, Pipeline.code)
            .join(Pipeline, Pipeline.id == Stage.pipeline_id)
            .where(Stage.deleted_at.is_(None), Pipeline.deleted_at.is_(None))
            .order_by(Pipeline.position, Stage.position)
        )
        if pipeline_code:
            statement = statement.where(Pipeline.code == pipeline_code)
        return [
            Record("stage", stage.id, {
                "pipeline_id": stage.pipeline_id, "pipeline_code": code, "code": stage.code,
                "name_zh": stage.name_zh, "name_en": stage.name_en, "position": stage.position,
                "probability": stage.probability, "is_won": stage.is_won, "is_lost": stage.is_lost,
            })
            for stage, code in session.execute(statement)
        ]


class OpportunityService(EntityService):
    model = Opportunity
    entity = "opportunity"
    fields = (
        FieldSpec("name", required=True, max_length=200),
        FieldSpec("customer_id", "ref", required=True),
        FieldSpec("contact_id", "ref"),
        FieldSpec("stage_id", "ref", required=True),
        FieldSpec("amount", "money"),
        FieldSpec("probability", "int", minimum=0, maximum=100),
        FieldSpec("expected_close_date", "date"),
        FieldSpec("owner_id", "ref"),
        FieldSpec("kind", "choice", choices=OPPORTUNITY_KINDS),
        FieldSpec("forecast_category", "choice", choices=FORECAST_CATEGORIES),
        FieldSpec("forecast_category_manager", "choice", choices=FORECAST_CATEGORIES),
        FieldSpec("product_interest", max_length=200),
        FieldSpec("won_at", "date"),
        FieldSpec("won_amount", "money"),
        FieldSpec("won_reason", max_length=200),
        FieldSpec("lost_reason", max_length=200),
        FieldSpec("notes", "longtext", max_length=10000),
        FieldSpec("external_id", max_length=100),
    )
    columns = (
        ListColumn("name", sort="name_pinyin"),
        ListColumn("customer_name"),
        ListColumn("stage_id", "stage", sort="stage_position"),
        ListColumn("amount", "money"),
        ListColumn("probability", "int"),
        ListColumn("expected_close_date", "date"),
        ListColumn("status", "code"),
        ListColumn("owner_id", "user"),
        ListColumn("created_at", "datetime"),
    )
    filterable = ("status", "owner_id", "stage_id", "pipeline_id", "customer_id", "kind")

    def _check(self, session: Session, actor: Actor, values: dict[str, Any], obj: Any | None,
               errors: dict[str, str]) -> None:
        check_customer_reference(session, values, errors)
        if "forecast_category_manager" in values and actor.role not in FORECAST_ADJUSTER_ROLES:
            before = obj.forecast_category_manager if obj is not None else None
            if values["forecast_category_manager"] != before:  # a form sends it back unchanged: fine
                errors.setdefault("forecast_category_manager",
                                  _("Only a manager adjusts the forecast category; set your own in Forecast category."))
        if "probability" in values and values["probability"] is None and "stage_id" not in values and obj is not None:
            current = session.get(Stage, obj.stage_id)  # emptied: the probability follows the stage again
            if current is not None:
                values["probability"], values["probability_overridden"] = current.probability, False
        if "stage_id" in values:
            stage = session.get(Stage, values["stage_id"])
            if stage is None or stage.deleted_at is not None:
                errors.setdefault("stage_id", _("Choose a stage."))
            else:
                self._apply_stage(values, stage, obj, errors)
                if stage.is_lost and obj is not None and obj.status != "lost":
                    lost.check_direct_lost(actor, errors)  # reps go through lost.request_lost (imports: not)

    def _apply_stage(self, values: dict[str, Any], stage: Stage, obj: Any | None, errors: dict[str, str]) -> None:
        values["pipeline_id"] = stage.pipeline_id
        values["stage_position"] = stage.position
        # Probability follows the stage unless the user typed one of their own.
        if values.get("probability") is None:
            if obj is None or not obj.probability_overridden or obj.stage_id != stage.id:
                values["probability"] = stage.probability
                values["probability_overridden"] = False
            else:
                values.pop("probability", None)
        else:
            values["probability_overridden"] = values["probability"] != stage.probability
        values["status"] = "won" if stage.is_won else "lost" if stage.is_lost else "open"
        amount = values.get("amount", obj.amount if obj is not None else None)
        if stage.is_won:
            values["won_at"] = values.get("won_at") or (obj.won_at if obj is not None else None) or date.today()
            values["won_amount"] = values.get("won_amount") or (obj.won_amount if obj else None) or amount
            if not values["won_amount"]:
                errors.setdefault("won_amount", _("A won deal needs its amount."))
        if stage.is_lost:
            reason = values.get("lost_reason") or (obj.lost_reason if obj is not None else None)
            if not reason:
                errors.setdefault("lost_reason", _("Say why the deal was lost."))
            values["lost_at"] = (obj.lost_at if obj is not None else None) or date.today()

    def _after_create(self, session: Session, actor: Actor, obj: Any) -> None:
        record_stage_change(session, actor, obj, None, session.get_one(Stage, obj.stage_id))
        followups.plan_first_revisit(session, actor, obj)  # the first revisit within 5 days (seed 003)

    def _after_update(self, session: Session, actor: Actor, obj: Any, changes: dict[str, Any]) -> None:
        stage_ids = inspect(obj).attrs["stage_id"].history
        statuses = inspect(obj).attrs["status"].history  # read before a query flushes the changes
        if stage_ids.has_changes() and stage_ids.deleted:
            old = session.get(Stage, stage_ids.deleted[0])
            record_stage_change(session, actor, obj, old, session.get_one(Stage, obj.stage_id))
        if obj.status == "lost" and statuses.has_changes() and "lost" not in statuses.deleted:
            lost.after_lost(session, actor, obj, obj.lost_reason)  # the customer goes dormant, as on approval

    def stage_history(self, actor: Actor, opportunity_id: str) -> list[Record]:
        with read_session(self.db) as session:
            self._load(session, actor, opportunity_id)
            rows = session.scalars(
                select(OpportunityStageChange)
                .where(OpportunityStageChange.opportunity_id == opportunity_id)
                .order_by(OpportunityStageChange.changed_at)
            )
            return [
                Record("stage_change", row.id, {
                    "from_stage_id": row.from_stage_id, "to_stage_id": row.to_stage_id,
                    "changed_at": row.changed_at, "changed_by": row.changed_by,
                })
                for row in rows
            ]
