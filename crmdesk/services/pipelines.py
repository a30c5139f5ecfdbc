"""Pipelines and their stages (销售阶段): the stage settings per pipeline and the kanban board.

`save_stages` edits a pipeline's stages in place (deals point at stage ids, so ids are kept), adds new
ones and soft-deletes removed ones that no live deal stands on; the deals' stage_position and (unless
overridden) probability follow in one set-based UPDATE per changed stage.

`board_column` reads one column of the board: a page of cards in SQL, with the column's count and sum.
`move_to_stage` is the board's drag: it goes through OpportunityService.update (history, probability,
won date and amount), and a rep's move onto the lost column raises `LostRequestNeeded` so the view opens
the lost request instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import Opportunity, OpportunityStageChange, Pipeline, Stage, User
from crmdesk.models.base import utcnow
from crmdesk.models.database import Database
from crmdesk.services import lost
from crmdesk.services.entities import Record, visible_rows
from crmdesk.services.errors import NotFoundError, UserError, ValidationError
from crmdesk.services.opportunities import OpportunityService, list_stages
from crmdesk.services.uow import Actor, read_session, unit_of_work

__all__ = ["BoardCard", "BoardColumn", "LostRequestNeeded", "board_column", "list_pipelines", "list_stages",
           "move_to_stage", "save_stages"]

MANAGER_ROLES = ("manager", "admin")
CLOSED_DAYS = 30  # the won and lost columns show the deals closed in the last 30 days
MAX_PAGE = 500


class LostRequestNeeded(UserError):
    """A rep moved a deal onto the lost column: the deal is lost once a manager approves a request."""

    def __init__(self, opportunity_id: str) -> None:
        super().__init__(_("Submit a lost request; the deal is lost once a manager approves it."))
        self.opportunity_id = opportunity_id


class StagesNotAllowedError(UserError):
    """Only managers and admins change the stages."""


@dataclass(frozen=True)
class BoardCard:
    id: str
    name: str
    customer_name: str
    amount: Decimal
    expected_close_date: date | None
    owner_id: str | None
    owner_name: str | None
    days_in_stage: int
    probability: int


@dataclass(frozen=True)
class BoardColumn:
    cards: tuple[BoardCard, ...]
    total_count: int
    total_amount: Decimal


# ---- reading -----------------------------------------------------------------------------------
def list_pipelines(db: Database, actor: Actor) -> list[Record]:
    """The pipelines in their order: code, name_zh, name_en, kind, position."""
    with read_session(db) as session:
        rows = session.scalars(select(Pipeline).where(Pipeline.deleted_at.is_(None)).order_by(Pipeline.position))
        return [Record("pipeline", row.id, {"code": row.code, "name_zh": row.name_zh, "name_en": row.name_en,
                                            "kind": row.kind, "position": row.position}) for row in rows]


def _stage(session: Session, stage_id: str) -> Stage:
    stage = session.get(Stage, stage_id)
    if stage is None or stage.deleted_at is not None:
        raise NotFoundError("stage", stage_id)
    return stage


def _column_filter(stage: Stage, actor: Actor, owner_id: str | None, today: date) -> list[Any]:
    o = Opportunity
    # Open columns walk the (stage_id, expected_close_date) index: the column's rows, already in card order.
    # Closed columns walk the (won_at) / (lost_at) index for the last 30 days; there `stage_id || ''` and
    # `stage_position + 0` keep SQLite off the stage indexes, which hold every deal ever won or lost.
    # `status || ''` keeps it off the status index everywhere (SQLite keeps no statistics here).
    since = today - timedelta(days=CLOSED_DAYS)
    where: list[Any] = [o.deleted_at.is_(None), visible_rows(actor, o)]
    if stage.is_won or stage.is_lost:
        closed_on = o.won_at if stage.is_won else o.lost_at
        where += [closed_on >= since, o.stage_id.concat("") == stage.id, o.stage_position + 0 == stage.position,
                  o.status.concat("") == ("won" if stage.is_won else "lost")]
    else:
        where += [o.stage_id == stage.id, o.status.concat("") == "open"]
    if owner_id:
        where.append(o.owner_id == owner_id)
    return where


def board_column(db: Database, actor: Actor, pipeline_code: str, stage_id: str, offset: int = 0,
                 limit: int = 50, owner_id: str | None = None) -> BoardColumn:
    """One column of the board: `limit` cards from `offset` (by expected close date; closed columns by
    their close date, newest first), the column's count and amount. Open stages show open deals only;
    the won and lost columns the deals closed in the last 30 days."""
    limit = max(0, min(limit, MAX_PAGE))
    o = Opportunity
    today = date.today()
    with read_session(db) as session:
        stage = _stage(session, stage_id)
        pipeline = session.scalar(select(Pipeline).where(Pipeline.code == pipeline_code,
                                                         Pipeline.deleted_at.is_(None)))
        if pipeline is None or pipeline.id != stage.pipeline_id:
            raise NotFoundError("stage", stage_id)
        where = _column_filter(stage, actor, owner_id, today)
        count, total = session.execute(select(func.count(), func.sum(o.amount)).where(*where)).one()
        entered = (
            select(func.max(OpportunityStageChange.changed_at))
            .where(OpportunityStageChange.opportunity_id == o.id, OpportunityStageChange.to_stage_id == stage.id)
            .correlate(o).scalar_subquery()
        )
        order: list[Any]
        if stage.is_won:
            order = [o.won_at.desc(), o.id]
        elif stage.is_lost:
            order = [o.lost_at.desc(), o.id]
        else:
            order = [o.expected_close_date.is_(None), o.expected_close_date, o.id]
        rows = session.execute(
            select(o.id, o.name, o.customer_name, o.amount, o.expected_close_date, o.owner_id, User.display_name,
                   func.coalesce(entered, o.created_at), o.probability)
            .outerjoin(User, User.id == o.owner_id)
            .where(*where).order_by(*order).offset(max(offset, 0)).limit(limit)
        ).all()
    now = utcnow()
    cards = tuple(
        BoardCard(row_id, name, customer_name or "", amount if amount is not None else Decimal("0"), close,
                  owner, owner_name, _days_since(since, now), probability or 0)
        for row_id, name, customer_name, amount, close, owner, owner_name, since, probability in rows
    )
    return BoardColumn(cards, int(count or 0), total if total is not None else Decimal("0"))


def _days_since(moment: datetime | None, now: datetime) -> int:
    if moment is None:
        return 0
    if isinstance(moment, str):  # a raw value of the coalesce (SQLite returns text for it)
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=now.tzinfo)
    return max((now - moment).days, 0)


# ---- moving a deal -----------------------------------------------------------------------------
def move_to_stage(db: Database, actor: Actor, opportunity_id: str, stage_id: str,
                  lost_reason: str | None = None) -> Record:
    """The board's drag: the deal moves to `stage_id` through OpportunityService.update (the change is
    recorded, the probability follows unless overridden, a won stage takes today and the amount by
    default). A move onto a lost stage: a rep gets LostRequestNeeded (the view opens the lost request);
    a manager must give `lost_reason`."""
    service = OpportunityService(db)
    current = service.get(actor, opportunity_id)
    with read_session(db) as session:
        stage = _stage(session, stage_id)
        is_lost, pipeline_id = stage.is_lost, stage.pipeline_id
    if pipeline_id != current["pipeline_id"]:
        raise ValidationError({"stage_id": _("The stage belongs to another pipeline.")})
    if current["stage_id"] == stage_id:
        return current
    changes: dict[str, Any] = {"stage_id": stage_id}
    if is_lost:
        if not lost.may_approve(actor):
            raise LostRequestNeeded(opportunity_id)
        if lost_reason:
            changes["lost_reason"] = lost_reason
    return service.update(actor, opportunity_id, changes)


# ---- stage settings ----------------------------------------------------------------------------
STAGE_FIELDS = ("code", "name_zh", "name_en", "position", "probability", "is_won", "is_lost")


def _clean_stages(stages: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    errors: dict[str, str] = {}
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(stages):
        key = f"stages[{index}]"
        code = str(item.get("code") or "").strip()
        name_zh = str(item.get("name_zh") or "").strip()
        name_en = str(item.get("name_en") or "").strip() or name_zh
        is_won, is_lost = bool(item.get("is_won")), bool(item.get("is_lost"))
        if not code or len(code) > 32 or not code.replace("_", "").isalnum() or not code.isascii():
            errors[f"{key}.code"] = _("Give a short code of letters, digits and _ (at most 32).")
        elif code in seen:
            errors[f"{key}.code"] = _("Two stages have the code “{code}”.", code=code)
        seen.add(code)
        if not name_zh or len(name_zh) > 100:
            errors[f"{key}.name_zh"] = _("Give a name of at most 100 characters.")
        if len(name_en) > 100:
            errors[f"{key}.name_en"] = _("Give a name of at most 100 characters.")
        if is_won and is_lost:
            errors[f"{key}.is_lost"] = _("A stage cannot be both won and lost.")
        probability = item.get("probability")
        try:
            number = int(probability) if probability is not None and str(probability).strip() != "" else None
        except (TypeError, ValueError):
            number = None
        if number is None or not 0 <= number <= 100 or (isinstance(probability, float) and probability != number):
            errors[f"{key}.probability"] = _("Give a probability from 0 to 100.")
            number = 0
        elif is_won and number != 100:
            errors[f"{key}.probability"] = _("The won stage has probability 100.")
        elif is_lost and number != 0:
            errors[f"{key}.probability"] = _("The lost stage has probability 0.")
        position = item.get("position", index)
        cleaned.append({"id": item.get("id") or None, "code": code, "name_zh": name_zh, "name_en": name_en,
                        "position": position if isinstance(position, int) else index, "probability": number,
                        "is_won": is_won, "is_lost": is_lost, "index": index})
    won = [item for item in cleaned if item["is_won"]]
    lost_stages = [item for item in cleaned if item["is_lost"]]
    if len(won) != 1 or len(lost_stages) != 1:
        errors["stages"] = _("A pipeline needs exactly one won stage and one lost stage.")
    elif len(cleaned) - 2 < 1:
        errors["stages"] = _("A pipeline needs at least one open stage.")
    if errors:
        raise ValidationError(errors)
    # Positions 0..n-1 in the order given by `position` (ties keep the list order).
    cleaned.sort(key=lambda item: (item["position"], item["index"]))
    for position, item in enumerate(cleaned):
        item["position"] = position
    return cleaned


def save_stages(db: Database, actor: Actor, pipeline_code: str,
                stages: Sequence[Mapping[str, Any]]) -> list[Record]:
    """Replace a pipeline's stages with `stages` (each: id for an existing one, code, name_zh, name_en,
    position, probability 0-100, is_won, is_lost). Managers and admins only. ValidationError naming
    "stages[i].field" for every bad value; removing a stage a live deal is on is refused."""
    if actor.role not in MANAGER_ROLES:
        raise StagesNotAllowedError(_("Only a manager can change the stages."))
    cleaned = _clean_stages(stages)
    o = Opportunity
    with unit_of_work(db, actor) as session:
        pipeline = session.scalar(select(Pipeline).where(Pipeline.code == pipeline_code,
                                                         Pipeline.deleted_at.is_(None)))
        if pipeline is None:
            raise NotFoundError("pipeline", pipeline_code)
        existing = {stage.id: stage for stage in session.scalars(
            select(Stage).where(Stage.pipeline_id == pipeline.id, Stage.deleted_at.is_(None)))}
        by_code = {stage.code: stage for stage in existing.values()}
        errors: dict[str, str] = {}
        kept: dict[str, dict[str, Any]] = {}
        for item in cleaned:
            stage = existing.get(item["id"]) if item["id"] else by_code.get(item["code"])
            if item["id"] and stage is None:
                errors[f"stages[{item['index']}].id"] = _("The stage no longer exists (it may have been deleted).")
            elif stage is not None:
                if stage.id in kept:
                    errors[f"stages[{item['index']}].code"] = _("Two stages have the code “{code}”.", code=item["code"])
                kept[stage.id] = item
        removed = [stage for stage_id, stage in existing.items() if stage_id not in kept]
        for stage in removed:
            deals = session.scalar(select(func.count()).select_from(o).where(
                o.stage_id == stage.id, o.deleted_at.is_(None))) or 0
            if deals:
                errors.setdefault("stages", _(
                    "The stage “{name}” still has {count} deals: move them to another stage first.",
                    name=stage.name_zh, count=deals))
        if errors:
            raise ValidationError(errors)
        now = utcnow()
        for stage in removed:
            stage.deleted_at = now
            stage.code = f"{stage.code}~{stage.id[-12:]}"[:32]  # frees the code (unique per pipeline)
        session.flush()
        # Codes first move out of the way so that a swap of two codes does not trip the unique constraint.
        for stage_id, item in kept.items():
            stage = existing[stage_id]
            if stage.code != item["code"]:
                stage.code = f"~{stage.id[-20:]}"
        session.flush()
        changed: list[Stage] = []
        before = {stage_id: existing[stage_id].position for stage_id in kept}
        reordered = bool(removed) or any(existing[stage_id].is_lost != item["is_lost"]
                                         for stage_id, item in kept.items())
        for stage_id, item in kept.items():
            stage = existing[stage_id]
            follows = stage.position != item["position"] or stage.probability != item["probability"]
            for field in STAGE_FIELDS:
                if getattr(stage, field) != item[field]:
                    setattr(stage, field, item[field])
            if follows:
                changed.append(stage)
            reordered = reordered or stage.position != before[stage_id]
        kept_items = {id(item) for item in kept.values()}
        for item in cleaned:
            if id(item) not in kept_items:
                session.add(Stage(pipeline_id=pipeline.id, **{field: item[field] for field in STAGE_FIELDS}))
        session.flush()
        for stage in changed:
            session.execute(update(o).where(o.stage_id == stage.id, o.deleted_at.is_(None))
                            .values(stage_position=stage.position, updated_at=now, updated_by=actor.user_id)
                            .execution_options(synchronize_session=False))
            session.execute(update(o).where(o.stage_id == stage.id, o.deleted_at.is_(None),
                                            o.probability_overridden.is_(False), o.status == "open")
                            .values(probability=stage.probability)
                            .execution_options(synchronize_session=False))
        if reordered:
            recompute_furthest_stages(session, pipeline.id)
    return list_stages(db, actor, pipeline_code)


# The furthest (not lost) stage among a deal's current stage and its history's, as migration 0006 first
# filled it; its triggers keep it as deals move, this recomputes it when the stages' order changes.
_FURTHEST_STAGE = text("""
UPDATE opportunities SET furthest_stage_id = (
    SELECT s.id FROM (
        SELECT c.to_stage_id AS stage_id FROM opportunity_stage_changes c
         WHERE c.opportunity_id = opportunities.id AND c.deleted_at IS NULL
        UNION ALL SELECT opportunities.stage_id
    ) reached JOIN stages s ON s.id = reached.stage_id
    WHERE s.is_lost = 0 AND s.deleted_at IS NULL ORDER BY s.position DESC LIMIT 1)
WHERE pipeline_id = :pipeline_id""")


def recompute_furthest_stages(session: Session, pipeline_id: str) -> None:
    """Every deal of the pipeline gets the furthest stage it reached under the stages' present order."""
    session.execute(_FURTHEST_STAGE, {"pipeline_id": pipeline_id})


# For a bulk load that dropped the triggers (the demo): the derived columns of every deal and lead, and the
# done activities per day, at once.
DERIVED_DEAL_COLUMNS_SQL = (
    str(_FURTHEST_STAGE).replace("WHERE pipeline_id = :pipeline_id", ""),
    "UPDATE opportunities SET won_cycle_days = "
    "CAST(julianday(won_at) - julianday(substr(created_at, 1, 10)) AS INTEGER) WHERE won_at IS NOT NULL",
    "UPDATE leads SET opportunity_status = (SELECT status FROM opportunities o"
    " WHERE o.id = leads.opportunity_id AND o.deleted_at IS NULL) WHERE opportunity_id IS NOT NULL",
    "DELETE FROM activity_day_counts",
    "INSERT INTO activity_day_counts (day, owner_id, kind, n) SELECT date(done_at, 'localtime'),"
    " coalesce(owner_id, ''), kind, count(*) FROM activities WHERE status = 'done' AND deleted_at IS NULL"
    " AND done_at IS NOT NULL GROUP BY 1, 2, 3",
)
