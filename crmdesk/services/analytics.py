"""Sales analytics (issue 6; seeds 000, 002, 003, 004): the funnel (销售漏斗) with conversion between stages,
the previous period and the ideal funnel; conversion by lead source; the weighted and categorised forecast
(销售预测) by month and quarter against targets; the KPIs and leaderboard; the reverse calculation from a
target (漏斗反推); and the targets themselves.

Every figure is one SQL aggregate (GROUP BY in SQL) over the filtered, visible opportunities; Python only
folds the handful of grouped rows (stages, months, sources, owners). Amounts are summed as integer fen in
SQL and surfaced as Decimal yuan; rates are floats in [0, 1], or None when their denominator is 0.

Data scope (issue 9): the deals and leads are read through entities.visible_rows, the targets and the activity
counts through the same rule on their owner; an owner or team filter outside the actor's scope is not an error,
it gives empty figures (as filtering a list by someone else's records does).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    and_,
    case,
    exists,
    false,
    func,
    literal_column,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.orm import Session

from crmdesk.i18n import _
from crmdesk.models import (
    ActivityDayCount,
    Lead,
    Opportunity,
    Pipeline,
    Stage,
    Target,
    Team,
    User,
)
from crmdesk.models.database import Database
from crmdesk.services.entities import Record, visible_rows
from crmdesk.services.errors import UserError, ValidationError
from crmdesk.services.fields import MONEY_LIMIT, parse_money, strip_unstorable
from crmdesk.services.lead_rules import OPEN_STATUSES
from crmdesk.services.team_settings import load_setting, save_setting
from crmdesk.services.uow import Actor, read_session, unit_of_work

IDEAL_FUNNEL_SETTING = "ideal_funnel"
# Seed 003 explains the ideal funnel (理想漏斗) but gives no ratios; a showroom's usual shape, as the share of
# the deals entering the first stage that reach each stage (the lost stage is not part of the funnel).
DEFAULT_IDEAL_FUNNEL: Mapping[str, float] = {
    "qualify": 1.0, "needs_analysis": 0.6, "test_drive": 0.4, "proposal": 0.4, "negotiation": 0.25,
    "contract": 0.15, "won": 0.1,
}
# The stage the reverse calculation counts proposals at (vehicle pipeline: the test drive).
PROPOSAL_CODES = ("proposal", "test_drive")
FORECAST_CATEGORIES = ("commit", "best_case", "pipeline")
PERIOD_KINDS = ("month", "quarter")
ZERO = Decimal("0.00")
MAX_DEAL_COUNT = 1_000_000  # a month's or quarter's won deals; far more is a typo (and no 64-bit integer)


@dataclass(frozen=True)
class AnalyticsFilter:
    date_from: date | None = None  # the period: created in it (funnel), closed in it (win rate, cycle),
    date_to: date | None = None  # expected to close in it (forecast); both ends included
    owner_id: str | None = None
    team_id: str | None = None
    pipeline_code: str | None = None  # Pipeline.code ("vehicle" / "project"); None: all pipelines
    source: str | None = None  # Lead.source of the lead the deal came from (source_type "lead")
    product: str | None = None  # a substring of product_interest
    include_project: bool = True  # project-type deals (kind "project", seed 004) in or out

    def previous(self) -> AnalyticsFilter | None:
        """The period of equal length just before this one (None without both ends)."""
        if self.date_from is None or self.date_to is None:
            return None
        days = (self.date_to - self.date_from).days + 1
        try:
            return _replace(self, date_from=self.date_from - timedelta(days=days),
                            date_to=self.date_from - timedelta(days=1))
        except OverflowError:  # a period starting near year 1 has none before it
            return None


def _replace(flt: AnalyticsFilter, **changes: Any) -> AnalyticsFilter:
    from dataclasses import replace

    return replace(flt, **changes)


# ---- results ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStage:
    stage_id: str  # with all pipelines: the first pipeline's stage at this position
    code: str
    name_zh: str
    name_en: str
    position: int
    count: int  # deals now at this stage
    amount: Decimal  # their amount (won: the won amount)
    reached: int  # deals that reached this stage or a later one (stage history; skipped stages count)
    conversion_to_next: float | None  # reached(next) / reached(this)
    ideal_ratio: float | None  # the ideal funnel's share of the first stage

    def as_json(self) -> dict[str, Any]:
        return {"stage_id": self.stage_id, "code": self.code, "name_zh": self.name_zh, "name_en": self.name_en,
                "position": self.position, "count": self.count, "amount": str(self.amount),
                "reached": self.reached, "conversion_to_next": self.conversion_to_next,
                "ideal_ratio": self.ideal_ratio}


@dataclass(frozen=True)
class Funnel:
    stages: tuple[FunnelStage, ...]
    total_count: int  # every deal in scope, lost ones included
    total_amount: Decimal
    previous: Funnel | None = None
    lost_count: int = 0
    lost_amount: Decimal = ZERO
    date_from: date | None = None
    date_to: date | None = None

    def as_json(self) -> dict[str, Any]:
        return {"date_from": _iso(self.date_from), "date_to": _iso(self.date_to),
                "stages": [stage.as_json() for stage in self.stages], "total_count": self.total_count,
                "total_amount": str(self.total_amount), "lost_count": self.lost_count,
                "lost_amount": str(self.lost_amount),
                "previous": self.previous.as_json() if self.previous is not None else None}


@dataclass(frozen=True)
class SourceConversion:
    source: str
    leads: int
    opportunities: int  # leads converted into a deal (in scope)
    won: int
    lead_to_opportunity: float | None
    opportunity_to_won: float | None
    lead_to_won: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {"source": self.source, "leads": self.leads, "opportunities": self.opportunities, "won": self.won,
                "lead_to_opportunity": self.lead_to_opportunity, "opportunity_to_won": self.opportunity_to_won,
                "lead_to_won": self.lead_to_won}


@dataclass(frozen=True)
class ForecastMonth:
    period_start: date  # first day of the month (or quarter; or of the whole range for the totals)
    weighted: Decimal  # open deals: amount x probability / 100
    commit: Decimal  # open amounts by category (the manager's when set, else the rep's; none: pipeline)
    best_case: Decimal
    pipeline: Decimal
    won: Decimal  # won deals at their won amount, by won date
    target: Decimal
    gap: Decimal  # target - (won + commit), floored at 0 (never negative: a month over target has gap 0)
    open_count: int = 0
    won_count: int = 0
    target_count: int = 0
    open_amount: Decimal = ZERO  # every open deal's amount, omitted ones included

    def as_json(self) -> dict[str, Any]:
        return {"period_start": self.period_start.isoformat(), "weighted": str(self.weighted),
                "commit": str(self.commit), "best_case": str(self.best_case), "pipeline": str(self.pipeline),
                "won": str(self.won), "target": str(self.target), "gap": str(self.gap),
                "open_count": self.open_count, "won_count": self.won_count, "target_count": self.target_count,
                "open_amount": str(self.open_amount)}


@dataclass(frozen=True)
class Forecast:
    months: tuple[ForecastMonth, ...]
    quarters: tuple[ForecastMonth, ...]
    totals: ForecastMonth | None

    def as_json(self) -> dict[str, Any]:
        return {"months": [m.as_json() for m in self.months], "quarters": [q.as_json() for q in self.quarters],
                "totals": self.totals.as_json() if self.totals is not None else None}


@dataclass(frozen=True)
class LeaderboardRow:
    owner_id: str
    owner: str
    won_amount: Decimal
    won_count: int
    lost_count: int
    win_rate: float | None

    def as_json(self) -> dict[str, Any]:
        return {"owner_id": self.owner_id, "owner": self.owner, "won_amount": str(self.won_amount),
                "won_count": self.won_count, "lost_count": self.lost_count, "win_rate": self.win_rate}


@dataclass(frozen=True)
class Kpis:
    won_count: int
    lost_count: int
    win_rate: float | None
    won_amount: Decimal
    avg_cycle_days: float | None  # created -> won, whole days
    median_cycle_days: float | None
    avg_deal_size: Decimal | None
    stage_conversion: tuple[tuple[str, float | None], ...]  # (stage code, conversion to the next)
    target: Decimal
    target_achievement: float | None  # won / target (may exceed 1)
    customers_won: int
    customers_repeat: int
    repeat_purchase_rate: float | None  # customers with 2+ won deals / customers with 1+
    activities: Mapping[str, int]  # done activities by kind
    leaderboard: tuple[LeaderboardRow, ...]  # by won amount, then won count

    def as_json(self) -> dict[str, Any]:
        return {"won_count": self.won_count, "lost_count": self.lost_count, "win_rate": self.win_rate,
                "won_amount": str(self.won_amount), "avg_cycle_days": self.avg_cycle_days,
                "median_cycle_days": self.median_cycle_days,
                "avg_deal_size": _str(self.avg_deal_size),
                "stage_conversion": [{"code": code, "conversion_to_next": rate}
                                     for code, rate in self.stage_conversion],
                "target": str(self.target), "target_achievement": self.target_achievement,
                "customers_won": self.customers_won, "customers_repeat": self.customers_repeat,
                "repeat_purchase_rate": self.repeat_purchase_rate, "activities": dict(self.activities),
                "leaderboard": [row.as_json() for row in self.leaderboard]}


@dataclass(frozen=True)
class ReverseCalculation:
    target_amount: Decimal
    avg_deal_size: Decimal | None
    lead_to_opportunity: float | None
    opportunity_to_proposal: float | None
    proposal_to_won: float | None
    won_needed: int | None  # None: no history to compute from (a rate or the deal size is missing)
    proposals_needed: int | None
    opportunities_needed: int | None
    leads_needed: int | None
    proposals_open: int  # what the pipeline holds now: open deals at or after the proposal stage
    opportunities_open: int  # every open deal
    leads_open: int  # leads not yet converted nor invalid
    proposals_shortfall: int | None = None  # needed - open, floored at 0
    opportunities_shortfall: int | None = None
    leads_shortfall: int | None = None
    notes: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        return {key: (str(value) if isinstance(value, Decimal) else list(value) if isinstance(value, tuple)
                      else value) for key, value in self.__dict__.items()}


# ---- helpers ------------------------------------------------------------------------------------------


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _str(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _rate(numerator: float | int, denominator: float | int) -> float | None:
    return None if not denominator else numerator / denominator


def _fen(column: Any) -> Any:
    """The raw stored fen of a Money column (sums stay exact integers in SQL)."""
    return type_coerce(column, BigInteger)


def _yuan(fen: Any) -> Decimal:
    if fen is None:
        return ZERO
    return (Decimal(fen) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _start_of_day(day: date) -> datetime:
    """Local midnight of `day`, in UTC (how created_at is stored)."""
    return datetime.combine(day, time()).astimezone().astimezone(UTC)


def _deal_conditions(actor: Actor, flt: AnalyticsFilter) -> list[ColumnElement[bool]]:
    o = Opportunity
    conditions: list[ColumnElement[bool]] = [o.deleted_at.is_(None), visible_rows(actor, o)]
    if flt.owner_id:
        conditions.append(o.owner_id == flt.owner_id)
    if flt.team_id:
        conditions.append(o.team_id == flt.team_id)
    if flt.pipeline_code:  # by stage, not pipeline_id: the analytics indexes hold the stage, not the pipeline
        conditions.append(o.stage_id.in_(select(Stage.id).join(Pipeline, Pipeline.id == Stage.pipeline_id)
                                         .where(Pipeline.code == flt.pipeline_code)))
    if flt.source:
        conditions.append(o.source_type == "lead")
        conditions.append(exists().where(Lead.id == o.source_id, Lead.source == flt.source))
    # Characters no record holds are left out; cut at one more than the column holds (still no match).
    product = strip_unstorable(flt.product or "")[:201]
    if product:
        conditions.append(o.product_interest.contains(product, autoescape=True))
    if not flt.include_project:
        conditions.append(o.kind.concat("") != "project")  # `|| ''`: never the (absent) kind index
    return conditions


def _team_members(actor: Actor) -> Any:
    """The users of the actor's team (with no team: the users without one, as entities._owned counts them)."""
    same_team = User.team_id == actor.team_id if actor.team_id else User.team_id.is_(None)
    return select(User.id).where(same_team).scalar_subquery()


def _owners_in_scope(actor: Actor, owner: Any) -> ColumnElement[bool]:
    """The actor's data scope on a table of per-owner figures that is no record of its own (the activity day
    counts, the targets): the deals and leads themselves are scoped by entities.visible_rows. An owner or team
    filter outside the scope is not refused: ANDed with this, it gives empty figures, as a filtered list does."""
    if not actor.may("see"):
        return false()
    if actor.scope == "all":
        return true()
    if actor.scope == "team":
        return or_(owner == actor.user_id, owner.in_(_team_members(actor)))
    return owner == actor.user_id


def _target_scope(actor: Actor) -> ColumnElement[bool]:
    """The targets the actor sees: "own" their own; "team" their team's and its members' (with no team, the
    company-wide ones and those of the users without a team); "all" every target."""
    t = Target
    if actor.may("see") and actor.scope == "team":
        team_target = t.team_id == actor.team_id if actor.team_id else t.team_id.is_(None)
        return or_(_owners_in_scope(actor, t.owner_id), and_(t.owner_id.is_(None), team_target))
    return _owners_in_scope(actor, t.owner_id)


def _between(column: Any, flt: AnalyticsFilter, *, timestamp: bool = False) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if flt.date_from is not None:
        conditions.append(column >= (_start_of_day(flt.date_from) if timestamp else flt.date_from))
    if flt.date_to is not None:
        end = flt.date_to + timedelta(days=1)
        conditions.append(column < (_start_of_day(end) if timestamp else end))
    return conditions


# ---- ideal funnel setting -----------------------------------------------------------------------------


def load_ideal_funnel(db: Database, actor: Actor) -> dict[str, float]:
    stored = load_setting(db, IDEAL_FUNNEL_SETTING, None)
    return dict(stored) if isinstance(stored, dict) and stored else dict(DEFAULT_IDEAL_FUNNEL)


def _check_ideal_funnel(value: Any) -> dict[str, float]:
    if not isinstance(value, Mapping):
        raise ValidationError({"ideal_funnel": _("The ideal funnel maps each stage to a ratio.")})
    cleaned: dict[str, float] = {}
    errors: dict[str, str] = {}
    for code, ratio in value.items():
        try:
            number = float(ratio)
        except (TypeError, ValueError):
            number = -1.0
        if not 0 <= number <= 1 or math.isnan(number):
            errors[str(code)] = _("A ratio is a share between 0 and 1.")
        else:
            cleaned[str(code)] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


def save_ideal_funnel(db: Database, actor: Actor, ratios: Mapping[str, Any]) -> dict[str, float]:
    """Store the team's ideal funnel {stage code: share of the first stage, 0..1}; all bad ratios at once."""
    result: dict[str, float] = save_setting(db, actor, IDEAL_FUNNEL_SETTING, dict(ratios), _check_ideal_funnel)
    return result


# ---- funnel -------------------------------------------------------------------------------------------


def _funnel_stages(session: Session, flt: AnalyticsFilter) -> list[dict[str, Any]]:
    """The funnel's rows (not lost stages), one per position: with all pipelines the stages at the same
    position fold together (named after the first pipeline's, other names joined with " | ")."""
    statement = (select(Stage.id, Stage.code, Stage.name_zh, Stage.name_en, Stage.position)
                 .join(Pipeline, Pipeline.id == Stage.pipeline_id)
                 .where(Stage.deleted_at.is_(None), Pipeline.deleted_at.is_(None), Stage.is_lost.is_(False))
                 .order_by(Stage.position, Pipeline.position))
    if flt.pipeline_code:
        statement = statement.where(Pipeline.code == flt.pipeline_code)
    if not flt.include_project:
        statement = statement.where(Pipeline.kind != "project")
    rows: dict[int, dict[str, Any]] = {}
    for stage_id, code, name_zh, name_en, position in session.execute(statement):
        row = rows.setdefault(position, {"stage_id": stage_id, "code": code, "name_zh": [], "name_en": [],
                                         "position": position})
        if name_zh not in row["name_zh"]:
            row["name_zh"].append(name_zh)
        if name_en not in row["name_en"]:
            row["name_en"].append(name_en)
    return [{**row, "name_zh": " | ".join(row["name_zh"]), "name_en": " | ".join(row["name_en"])}
            for _position, row in sorted(rows.items())]


def _stage_table(session: Session) -> dict[str, tuple[int, bool]]:
    """Every stage's (position, is_lost), deleted ones too (old history may stand on them)."""
    return {stage_id: (position, bool(is_lost))
            for stage_id, position, is_lost in session.execute(select(Stage.id, Stage.position, Stage.is_lost))}


def _funnel_figures(session: Session, actor: Actor, flt: AnalyticsFilter,
                    ideal: Mapping[str, float]) -> Funnel:
    """One scan of ix_opportunities_live_funnel grouped by (stage, furthest stage reached, status); the
    furthest stage is kept by triggers (migration 0006), so no deal's history is read here."""
    o = Opportunity
    conditions = [*_deal_conditions(actor, flt), *_between(o.created_at, flt, timestamp=True)]
    money = case((o.status.concat("") == "won", func.coalesce(_fen(o.won_amount), _fen(o.amount))),
                 else_=_fen(o.amount))
    grouped = (select(o.stage_id, o.furthest_stage_id, func.count(), func.sum(money))
               .where(*conditions).group_by(o.stage_id, o.furthest_stage_id)
               .with_hint(o, "INDEXED BY ix_opportunities_live_funnel", "sqlite"))
    stage_table = _stage_table(session)
    now_at: dict[int, tuple[int, int]] = {}
    furthest_counts: dict[int, int] = {}
    lost_count, lost_fen, total_count, total_fen = 0, 0, 0, 0
    for stage_id, furthest_id, count, fen in session.execute(grouped):
        position, is_lost = stage_table.get(stage_id, (-1, True))
        total_count += count
        total_fen += fen or 0
        if is_lost:
            lost_count += count
            lost_fen += fen or 0
        else:
            previous = now_at.get(position, (0, 0))
            now_at[position] = (previous[0] + count, previous[1] + (fen or 0))
        reached_position = stage_table[furthest_id][0] if furthest_id in stage_table else -1
        furthest_counts[reached_position] = furthest_counts.get(reached_position, 0) + count
    stages = _funnel_stages(session, flt)
    reached = [sum(count for position, count in furthest_counts.items() if position >= row["position"])
               for row in stages]
    result = []
    for index, row in enumerate(stages):
        count, fen = now_at.get(row["position"], (0, 0))
        nxt = _rate(reached[index + 1], reached[index]) if index + 1 < len(stages) else None
        ratio = ideal.get(row["code"])
        result.append(FunnelStage(row["stage_id"], row["code"], row["name_zh"], row["name_en"], row["position"],
                                  count, _yuan(fen), reached[index], nxt,
                                  float(ratio) if ratio is not None else None))
    return Funnel(tuple(result), total_count, _yuan(total_fen), None, lost_count, _yuan(lost_fen),
                  flt.date_from, flt.date_to)


def funnel(db: Database, actor: Actor, flt: AnalyticsFilter) -> Funnel:
    """The funnel of the deals created in the period (all deals without one), by stage, with the previous
    period of equal length (None unless both ends of the period are given) and the ideal ratios."""
    ideal = load_ideal_funnel(db, actor)
    with read_session(db) as session:
        current = _funnel_figures(session, actor, flt, ideal)
        previous_flt = flt.previous()
        previous = _funnel_figures(session, actor, previous_flt, ideal) if previous_flt is not None else None
    return Funnel(current.stages, current.total_count, current.total_amount, previous, current.lost_count,
                  current.lost_amount, current.date_from, current.date_to)


# ---- conversion by source -----------------------------------------------------------------------------


def _source_rows(session: Session, actor: Actor, flt: AnalyticsFilter) -> list[SourceConversion]:
    o = Opportunity
    lead_conditions: list[ColumnElement[bool]] = [Lead.deleted_at.is_(None), visible_rows(actor, Lead),
                                                  *_between(Lead.created_at, flt, timestamp=True)]
    if flt.owner_id:
        lead_conditions.append(Lead.owner_id == flt.owner_id)
    if flt.team_id:
        lead_conditions.append(Lead.team_id == flt.team_id)
    if flt.source:
        lead_conditions.append(Lead.source == flt.source)
    if flt.pipeline_code is None and flt.product is None and flt.include_project:
        # Any live deal counts: the lead's own copy of its deal's status (kept by triggers) says it, and the
        # whole count is one ordered walk of the leads' conversion index, no deal read.
        won_leads = func.sum(case((Lead.opportunity_status.concat("") == "won", 1), else_=0))
        statement = (select(Lead.source, func.count(), func.count(Lead.opportunity_status), won_leads)
                     .where(*lead_conditions).group_by(Lead.source).order_by(Lead.source)
                     .with_hint(Lead, "INDEXED BY ix_leads_live_source_conversion", "sqlite"))
    else:  # only the deals in the pipeline / product / project scope count: each converted lead's deal is read
        deal_conditions = _deal_conditions(actor, _replace(flt, source=None, owner_id=None, team_id=None))
        deal = and_(o.id == Lead.opportunity_id, *deal_conditions)
        statement = (select(Lead.source, func.count(), func.count(o.id),
                            func.sum(case((o.status.concat("") == "won", 1), else_=0)))
                     .select_from(Lead).outerjoin(o, deal)
                     .where(*lead_conditions).group_by(Lead.source).order_by(Lead.source))
    rows = []
    for source, leads, deals, won in session.execute(statement):
        won = int(won or 0)
        rows.append(SourceConversion(source, leads, deals, won, _rate(deals, leads), _rate(won, deals),
                                     _rate(won, leads)))
    return rows


def conversion_by_source(db: Database, actor: Actor, flt: AnalyticsFilter) -> tuple[SourceConversion, ...]:
    """Per lead source (channel): the leads created in the period, how many became a deal (in the
    filter's pipeline/product/project scope), how many of those were won, and the rates."""
    with read_session(db) as session:
        return tuple(_source_rows(session, actor, flt))


# ---- targets ------------------------------------------------------------------------------------------


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _target_rows(session: Session, actor: Actor, flt: AnalyticsFilter, start: date | None = None,
                 end: date | None = None) -> list[tuple[str, date, int, int]]:
    """(period_kind, period_start, fen, deal_count) of the targets of the filter's scope: the owner's;
    the team's own (no owner), else the sum of its reps'; for everyone, the company-wide targets (no owner,
    no team), else the teams', else the reps'. Only the targets in the actor's data scope count (a
    consultant's "everyone" is their own target)."""
    t = Target
    base: list[ColumnElement[bool]] = [t.deleted_at.is_(None), _target_scope(actor)]
    if start is not None:
        base.append(t.period_start >= start)
    if end is not None:
        base.append(t.period_start < end)
    if flt.owner_id:
        scopes: list[list[ColumnElement[bool]]] = [[t.owner_id == flt.owner_id]]
    elif flt.team_id:
        scopes = [[t.owner_id.is_(None), t.team_id == flt.team_id],
                  [t.owner_id.in_(select(User.id).where(User.team_id == flt.team_id))]]
    else:
        scopes = [[t.owner_id.is_(None), t.team_id.is_(None)], [t.owner_id.is_(None), t.team_id.is_not(None)],
                  [t.owner_id.is_not(None)]]
    for scope in scopes:
        rows = session.execute(select(t.period_kind, t.period_start, func.sum(_fen(t.amount)), func.sum(t.deal_count))
                               .where(*base, *scope).group_by(t.period_kind, t.period_start)).all()
        if rows:
            return [(kind, start_day, int(fen or 0), int(count or 0)) for kind, start_day, fen, count in rows]
    return []


def _targets_by_month(rows: list[tuple[str, date, int, int]]) -> tuple[dict[date, tuple[int, int]],
                                                                        dict[date, tuple[int, int]]]:
    months: dict[date, tuple[int, int]] = {}
    quarters: dict[date, tuple[int, int]] = {}
    for kind, start, fen, count in rows:
        bucket = months if kind == "month" else quarters
        key = _month_start(start) if kind == "month" else _quarter_start(start)
        old = bucket.get(key, (0, 0))
        bucket[key] = (old[0] + fen, old[1] + count)
    return months, quarters


def _check_target(owner_id: str | None, team_id: str | None, period_kind: str, amount: Any,
                  deal_count: Any) -> Decimal:
    errors: dict[str, str] = {}
    if owner_id and team_id:
        errors["team_id"] = _("A target is for one consultant or one team, not both.")
    if period_kind not in PERIOD_KINDS:
        errors["period_kind"] = _("The period is a month or a quarter.")
    try:
        value = Decimal(str(amount))
        if not value.is_finite() or value < 0:
            raise ValueError
        if value >= MONEY_LIMIT:
            errors["amount"] = _("The amount must be less than 1,000,000,000,000 yuan.")
        elif value != value.quantize(Decimal("0.01")):
            errors["amount"] = _("An amount has at most two decimals (fen).")
    except (ArithmeticError, ValueError):
        errors["amount"] = _("The target amount must be a number of yuan, 0 or more.")
        value = ZERO
    if isinstance(deal_count, bool) or not isinstance(deal_count, int) or not 0 <= deal_count <= MAX_DEAL_COUNT:
        errors["deal_count"] = _("The deal count must be a whole number, 0 or more.")
    if errors:
        raise ValidationError(errors)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _target_record(target: Target) -> Record:
    return Record("target", target.id, {
        "owner_id": target.owner_id, "team_id": target.team_id, "period_kind": target.period_kind,
        "period_start": target.period_start, "amount": target.amount, "deal_count": target.deal_count})


TARGET_SETTER_ROLES = ("manager", "admin")


def _check_target_setter(actor: Actor) -> None:
    if actor.role not in TARGET_SETTER_ROLES:
        raise UserError(_("Only a manager sets targets."))


def set_target(db: Database, actor: Actor, *, owner_id: str | None = None, team_id: str | None = None,
               period_kind: str = "month", period_start: date, amount: Decimal, deal_count: int = 0) -> Record:
    """Set (create or replace) the target of a consultant, a team, or (neither) the whole company for one
    month or quarter; period_start is moved to the first day of its month or quarter. Managers only."""
    row = {"owner_id": owner_id, "team_id": team_id, "period_kind": period_kind, "period_start": period_start,
           "amount": amount, "deal_count": deal_count}
    try:
        return set_targets(db, actor, [row])[0]
    except ValidationError as error:  # one row: its fields' own names
        raise ValidationError({key.removeprefix("1."): message for key, message in error.errors.items()}) from None


def set_targets(db: Database, actor: Actor, targets: Sequence[Mapping[str, Any]]) -> list[Record]:
    """Set several targets (each as set_target's keywords) in one transaction: every row is checked first,
    and a bad row saves none (its errors are keyed "<row>.<field>", rows counted from 1)."""
    _check_target_setter(actor)
    checked: list[tuple[str | None, str | None, str, date, Decimal, int]] = []
    errors: dict[str, str] = {}
    for number, row in enumerate(targets, start=1):
        row = {**row, "owner_id": row.get("owner_id") or None, "team_id": row.get("team_id") or None}
        kind = str(row.get("period_kind", "month"))
        try:
            value = _check_target(row.get("owner_id"), row.get("team_id"), kind, row.get("amount"),
                                  row.get("deal_count", 0))
        except ValidationError as error:
            errors.update({f"{number}.{field}": message for field, message in error.errors.items()})
            continue
        start = row["period_start"]
        start = _month_start(start) if kind == "month" else _quarter_start(start)
        checked.append((row.get("owner_id"), row.get("team_id"), kind, start, value, int(row.get("deal_count", 0))))
    if errors:
        raise ValidationError(errors)
    with unit_of_work(db, actor) as session:
        return [_save_target(session, actor, *values) for values in checked]


def _save_target(session: Session, actor: Actor, owner_id: str | None, team_id: str | None, period_kind: str,
                 start: date, value: Decimal, deal_count: int) -> Record:
    owner = session.get(User, owner_id) if owner_id else None
    if owner_id and owner is None:
        raise ValidationError({"owner_id": _("No such user.")})
    if team_id and session.get(Team, team_id) is None:
        raise ValidationError({"team_id": _("Choose an existing team.")})
    if actor.scope != "all":  # a manager sets the targets of their own team and its members, not others'
        in_team = (team_id == actor.team_id if team_id else
                   owner is not None and owner.team_id == actor.team_id if owner_id else False)
        if not in_team:
            raise UserError(_("A manager sets the targets of their own team and its members; the company's and "
                              "other teams' targets are an administrator's."))
    t = Target
    existing = session.scalar(select(t).where(
        t.deleted_at.is_(None), t.period_kind == period_kind, t.period_start == start,
        t.owner_id.is_(None) if owner_id is None else t.owner_id == owner_id,
        t.team_id.is_(None) if team_id is None else t.team_id == team_id))
    if existing is None:
        existing = Target(owner_id=owner_id, team_id=team_id, period_kind=period_kind, period_start=start,
                          amount=value, deal_count=deal_count)
        session.add(existing)
    else:
        existing.amount = value
        existing.deal_count = deal_count
    session.flush()
    return _target_record(existing)


def list_targets(db: Database, actor: Actor, year: int) -> list[Record]:
    """The targets whose period starts in `year`, by period, then company, teams, consultants."""
    with read_session(db) as session:
        rows = session.scalars(select(Target).where(
            Target.deleted_at.is_(None), Target.period_start >= date(year, 1, 1),
            Target.period_start < date(year + 1, 1, 1))
            .order_by(Target.period_start, Target.period_kind, Target.owner_id.is_not(None),
                      Target.team_id, Target.owner_id)).all()
        return [_target_record(row) for row in rows]


# ---- forecast -----------------------------------------------------------------------------------------


def _month_of(column: Any) -> Any:
    return func.substr(column, 1, 7)  # dates are stored as 'YYYY-MM-DD'


def _parse_month(text: str) -> date:
    return date(int(text[:4]), int(text[5:7]), 1)


def _empty_month(start: date) -> dict[str, Any]:
    return {"weighted": 0, "commit": 0, "best_case": 0, "pipeline": 0, "won": 0, "open_count": 0,
            "won_count": 0, "open_amount": 0}


def _forecast_row(start: date, values: Mapping[str, Any], target_fen: int, target_count: int) -> ForecastMonth:
    won, commit, target = _yuan(values["won"]), _yuan(values["commit"]), _yuan(target_fen)
    return ForecastMonth(start, _yuan(values["weighted"]), commit, _yuan(values["best_case"]),
                         _yuan(values["pipeline"]), won, target, max(target - won - commit, ZERO),
                         int(values["open_count"]), int(values["won_count"]), target_count,
                         _yuan(values["open_amount"]))


# The partial analytics index (migration 0006) says status = 'open' as a literal; SQLite takes a
# partial index only for a query that says the same literal, not a bound parameter.
_OPEN: ColumnElement[str] = literal_column("'open'")
_WON_INDEX = "INDEXED BY ix_opportunities_live_won"


def _won_conditions(actor: Actor, flt: AnalyticsFilter) -> list[ColumnElement[bool]]:
    o = Opportunity
    return [*_deal_conditions(actor, flt), o.status.concat("") == "won", o.won_at.is_not(None),
            *_between(o.won_at, flt)]


def _lost_conditions(actor: Actor, flt: AnalyticsFilter) -> list[ColumnElement[bool]]:
    o = Opportunity
    return [*_deal_conditions(actor, flt), o.status.concat("") == "lost", o.lost_at.is_not(None),
            *_between(o.lost_at, flt)]


def forecast(db: Database, actor: Actor, flt: AnalyticsFilter) -> Forecast:
    """The forecast by month (and quarter) of expected close: open deals weighted (amount x probability /
    100, every open deal) and by category (commit / best case / pipeline: the manager's category when set,
    else the rep's, none counts as pipeline; "omitted" deals count in no category), the deals won (at
    their won amount, by won date), the target of the scope and the gap to it.

    gap = target - (won + commit), floored at 0: a month at or over its target shows a gap of 0.
    Closed-lost deals never count. The months run over the period, else over the months with data."""
    o = Opportunity
    base = _deal_conditions(actor, flt)
    category = func.coalesce(o.forecast_category_manager, o.forecast_category, "pipeline")
    amount = _fen(o.amount)

    def in_category(name: str) -> Any:
        return func.sum(case((category == name, amount), else_=0))

    month = _month_of(o.expected_close_date)
    open_statement = (select(month, func.sum(amount * o.probability), in_category("commit"),
                             in_category("best_case"), in_category("pipeline"), func.count(), func.sum(amount))
                      .where(*base, o.status == _OPEN, o.expected_close_date.is_not(None),
                             *_between(o.expected_close_date, flt))
                      .group_by(month).with_hint(o, "INDEXED BY ix_opportunities_live_open_forecast", "sqlite"))
    won_month = _month_of(o.won_at)
    won_statement = (select(won_month, func.sum(func.coalesce(_fen(o.won_amount), amount)), func.count())
                     .where(*_won_conditions(actor, flt)).group_by(won_month)
                     .with_hint(o, _WON_INDEX, "sqlite"))
    months: dict[date, dict[str, Any]] = {}
    with read_session(db) as session:
        for key, weighted, commit, best, pipe, count, total in session.execute(open_statement):
            row = months.setdefault(_parse_month(key), _empty_month(_parse_month(key)))
            # amount (fen) x probability (percent) / 100: the fen of the weighted amount, rounded below
            row.update(weighted=Decimal(weighted or 0) / 100, commit=commit or 0, best_case=best or 0,
                       pipeline=pipe or 0, open_count=count, open_amount=total or 0)
        for key, won, count in session.execute(won_statement):
            row = months.setdefault(_parse_month(key), _empty_month(_parse_month(key)))
            row.update(won=won or 0, won_count=count)
        first = _month_start(flt.date_from) if flt.date_from else None
        last = _next_month(flt.date_to) if flt.date_to else None
        month_targets, quarter_targets = _targets_by_month(
            _target_rows(session, actor, flt, _quarter_start(first) if first else None, last))
        # a month before the period came in with its quarter's start: not a month of the forecast
        month_targets = {k: v for k, v in month_targets.items() if first is None or k >= first}
    for start in month_targets:
        months.setdefault(start, _empty_month(start))
    if first is not None and last is not None:
        day = first
        while day < last:
            months.setdefault(day, _empty_month(day))
            day = _next_month(day)
    keys = ("weighted", "commit", "best_case", "pipeline", "won", "open_count", "won_count", "open_amount")
    month_rows = []
    quarters: dict[date, dict[str, Any]] = {}
    for start in sorted(months):
        fen, count = month_targets.get(start, (0, 0))
        month_rows.append(_forecast_row(start, months[start], fen, count))
        quarter = quarters.setdefault(_quarter_start(start), {**{k: 0 for k in keys}, "tfen": 0, "tcount": 0})
        for k in keys:
            quarter[k] += months[start][k]
        quarter["tfen"] += fen
        quarter["tcount"] += count
    for start in quarter_targets:
        quarters.setdefault(start, {**{k: 0 for k in keys}, "tfen": 0, "tcount": 0})
    quarter_rows = []
    for start in sorted(quarters):
        values = quarters[start]
        # A quarter's own target wins over the sum of its months'.
        fen, count = quarter_targets.get(start, (values["tfen"], values["tcount"]))
        quarter_rows.append(_forecast_row(start, values, fen, count))
    totals = None
    if quarter_rows:
        summed = {k: sum(getattr(q, k) if k in ("open_count", "won_count") else getattr(q, k) * 100
                         for q in quarter_rows) for k in keys}
        totals = _forecast_row(first or quarter_rows[0].period_start, summed,
                               int(sum(q.target for q in quarter_rows) * 100), sum(q.target_count for q in quarter_rows))
    return Forecast(tuple(month_rows), tuple(quarter_rows), totals)


# ---- KPIs ---------------------------------------------------------------------------------------------


def _target_total(session: Session, actor: Actor, flt: AnalyticsFilter) -> Decimal:
    """The scope's target over the period's months (a quarter target replaces its months'); all of them
    without a period."""
    first = _month_start(flt.date_from) if flt.date_from else None
    last = _next_month(flt.date_to) if flt.date_to else None
    months, quarters = _targets_by_month(_target_rows(session, actor, flt, first, last))
    fen = sum(value for start, (value, _count) in quarters.items())
    fen += sum(value for start, (value, _count) in months.items() if _quarter_start(start) not in quarters)
    return _yuan(fen)


def kpis(db: Database, actor: Actor, flt: AnalyticsFilter, funnel_of_period: Funnel | None = None) -> Kpis:
    """The KPIs of the deals closed in the period (won_at / lost_at in it): win rate = won / (won + lost);
    the sales cycle, created -> won in whole days (average and median); the average deal size (won amount);
    the conversion by stage (the funnel of deals created in the period); the target achievement = won /
    target; the repeat purchase rate (customers with 2+ deals won in the period / customers with 1+);
    done activities in the period by kind; and the leaderboard per owner.

    `funnel_of_period`: funnel(db, actor, flt) when the caller has it already (the analytics tab shows both),
    so the stage conversion is not computed twice."""
    o = Opportunity
    won_where = _won_conditions(actor, flt)
    lost_where = _lost_conditions(actor, flt)
    won_money = func.coalesce(_fen(o.won_amount), _fen(o.amount))
    counts = ActivityDayCount
    activity_where: list[ColumnElement[bool]] = [_owners_in_scope(actor, counts.owner_id)]
    if flt.date_from is not None:
        activity_where.append(counts.day >= flt.date_from.isoformat())
    if flt.date_to is not None:
        activity_where.append(counts.day <= flt.date_to.isoformat())
    if flt.owner_id:
        activity_where.append(counts.owner_id == flt.owner_id)
    if flt.team_id:
        activity_where.append(counts.owner_id.in_(select(User.id).where(User.team_id == flt.team_id)))

    def won_deals(session: Session) -> tuple[dict[str, tuple[int, int]], int, dict[str, int]]:
        # Per owner: the leaderboard and (summed) the totals and the average cycle; and the deals lost.
        won_by_owner: dict[str, tuple[int, int]] = {}
        cycle_days = 0
        # GROUP BY the bare owner_id (not an expression) walks the owner-led indexes in order, unsorted.
        for key, count, fen, days in session.execute(
                select(o.owner_id, func.count(), func.sum(won_money), func.sum(o.won_cycle_days)).where(*won_where)
                .group_by(o.owner_id).with_hint(o, "INDEXED BY ix_opportunities_live_won_owner", "sqlite")):
            won_by_owner[key or ""] = (int(count), int(fen or 0))
            cycle_days += int(days or 0)
        lost_by_owner = {key or "": int(count) for key, count in session.execute(
            select(o.owner_id, func.count()).where(*lost_where).group_by(o.owner_id)
            .with_hint(o, "INDEXED BY ix_opportunities_live_lost", "sqlite"))}
        return won_by_owner, cycle_days, lost_by_owner

    def cycles_and_customers(session: Session) -> tuple[list[tuple[float, int]], tuple[int, int], Decimal]:
        # The median from the histogram of cycle lengths (whole days: a few hundred groups at most).
        histogram = [(float(days), int(count)) for days, count in session.execute(
            select(o.won_cycle_days, func.count()).where(*won_where).group_by(o.won_cycle_days)
            .order_by(o.won_cycle_days).with_hint(o, "INDEXED BY ix_opportunities_live_won_cycle", "sqlite"))
            if days is not None]
        per_customer = (select(o.customer_id, func.count().label("deals")).where(*won_where)
                        .group_by(o.customer_id)
                        .with_hint(o, "INDEXED BY ix_opportunities_live_won_customer", "sqlite").subquery())
        won, repeat = session.execute(
            select(func.count(), func.sum(case((per_customer.c.deals >= 2, 1), else_=0)))).one()
        return histogram, (int(won or 0), int(repeat or 0)), _target_total(session, actor, flt)

    def done_activities(session: Session) -> dict[str, int]:
        # From the per-day counts the triggers keep (local days, as the period's bounds are), not the activities.
        return {kind: int(count) for kind, count in session.execute(
            select(counts.kind, func.sum(counts.n)).where(*activity_where).group_by(counts.kind)
            .having(func.sum(counts.n) > 0).order_by(counts.kind))}

    def stage_funnel(session: Session) -> Funnel:
        return funnel_of_period if funnel_of_period is not None else _funnel_figures(session, actor, flt, {})

    # the longest first: two workers then finish about together
    activities, funnel_now, (histogram, repeat, target), (won_by_owner, cycle_days, lost_by_owner) = \
        _in_parallel(db, done_activities, stage_funnel, cycles_and_customers, won_deals)
    won_count = sum(count for count, _fen_sum in won_by_owner.values())
    won_fen = sum(fen for _count, fen in won_by_owner.values())
    avg_cycle = cycle_days / won_count if won_count else None
    median = _median_of_histogram(histogram, won_count)
    lost_count = sum(lost_by_owner.values())
    customers_won, customers_repeat = repeat
    owners = set(won_by_owner) | set(lost_by_owner)
    with read_session(db) as session:
        names = dict(session.execute(select(User.id, User.display_name).where(
            User.id.in_([key for key in owners if key]))).all())
    stages = funnel_now.stages
    board = [LeaderboardRow(key or "-", names.get(key, "") if key else _("(nobody: public pool)"),
                            _yuan(won_by_owner.get(key, (0, 0))[1]), won_by_owner.get(key, (0, 0))[0],
                            lost_by_owner.get(key, 0),
                            _rate(won_by_owner.get(key, (0, 0))[0],
                                  won_by_owner.get(key, (0, 0))[0] + lost_by_owner.get(key, 0)))
             for key in owners]
    board.sort(key=lambda row: (-row.won_amount, -row.won_count, row.owner, row.owner_id))
    won_amount = _yuan(won_fen)
    avg_size = (won_amount / won_count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if won_count else None
    return Kpis(
        won_count=int(won_count), lost_count=int(lost_count), win_rate=_rate(won_count, won_count + lost_count),
        won_amount=won_amount, avg_cycle_days=float(avg_cycle) if avg_cycle is not None else None,
        median_cycle_days=median, avg_deal_size=avg_size,
        stage_conversion=tuple((stage.code, stage.conversion_to_next) for stage in stages),
        target=target, target_achievement=_rate(float(won_amount), float(target)),
        customers_won=int(customers_won or 0), customers_repeat=int(customers_repeat or 0),
        repeat_purchase_rate=_rate(int(customers_repeat or 0), int(customers_won or 0)),
        activities=activities, leaderboard=tuple(board))


# ---- reverse calculation ------------------------------------------------------------------------------


_REPORT_WORKERS = 2  # connections one report reads on at once


def _in_parallel(db: Database, *jobs: Callable[[Session], Any]) -> list[Any]:
    """Runs independent read-only queries at once, each on its own connection (SQLite releases the GIL
    while it steps), so a report over the whole book costs its longest part, not the sum of its parts."""
    def run(job: Callable[[Session], Any]) -> Any:
        with read_session(db) as session:
            return job(session)

    with ThreadPoolExecutor(max_workers=min(len(jobs), _REPORT_WORKERS), thread_name_prefix="analytics") as pool:
        futures = [pool.submit(run, job) for job in jobs]
        return [future.result() for future in futures]


def _median_of_histogram(histogram: list[tuple[float, int]], total: int) -> float | None:
    """The median of `total` values given as sorted (value, how many) pairs: the middle one, or the mean of
    the two middle ones for an even total."""
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # the 0-based ranks of the middle value(s)
    found: list[float] = []
    seen = 0
    for value, count in histogram:
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return sum(found) / len(found) if found else None


def _ceil_div(needed: float | int | None, rate: float | None) -> int | None:
    if needed is None or not rate:
        return None
    return math.ceil(round(needed / rate, 9))


def reverse_calculation(db: Database, actor: Actor, target_amount: Decimal,
                        flt: AnalyticsFilter) -> ReverseCalculation:
    """Seed 003's funnel calculation from the bottom up: with the historic rates of the filter's period
    (leads -> deals from the lead sources, deals -> proposal stage -> won from the funnel's reached
    counts) and the average won deal size, the won deals, proposals, deals and leads a target needs; and
    what the pipeline holds now (open deals at or after the proposal stage, every open deal, open leads;
    the filter's period does not apply to these) with the shortfall of each (floored at 0)."""
    try:
        target = parse_money(target_amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except ValueError as error:
        raise ValidationError({"target_amount": str(error)}) from error
    if target <= 0:
        raise ValidationError({"target_amount": _("The target is an amount in yuan above 0, e.g. 5000000.")})
    o = Opportunity
    with read_session(db) as session:
        stages = _funnel_figures(session, actor, flt, {}).stages
        sources = _source_rows(session, actor, flt)
        won_where = [*_deal_conditions(actor, flt), o.status.concat("") == "won", o.won_at.is_not(None),
                     *_between(o.won_at, flt)]
        won_count, won_fen = session.execute(
            select(func.count(), func.sum(func.coalesce(_fen(o.won_amount), _fen(o.amount))))
            .where(*won_where)).one()
        proposal = next((s for s in stages if s.code in PROPOSAL_CODES), stages[len(stages) // 2] if stages else None)
        now = _replace(flt, date_from=None, date_to=None)
        current = Stage.__table__.alias("current_stage")
        open_deals = session.execute(
            select(func.count(), func.sum(case((current.c.position >= (proposal.position if proposal else 0), 1),
                                               else_=0)))
            .select_from(o).join(current, current.c.id == o.stage_id)
            .where(*_deal_conditions(actor, now), o.status == "open")).one()
        lead_where: list[ColumnElement[bool]] = [Lead.deleted_at.is_(None), visible_rows(actor, Lead),
                                                 Lead.status.in_(OPEN_STATUSES)]
        if flt.owner_id:
            lead_where.append(Lead.owner_id == flt.owner_id)
        if flt.team_id:
            lead_where.append(Lead.team_id == flt.team_id)
        if flt.source:
            lead_where.append(Lead.source == flt.source)
        leads_open = session.scalar(select(func.count()).select_from(Lead).where(*lead_where)) or 0
    leads = sum(row.leads for row in sources)
    converted = sum(row.opportunities for row in sources)
    first = stages[0].reached if stages else 0
    won_stage = next((s for s in stages if s.code == "won"), stages[-1] if stages else None)
    lead_rate = _rate(converted, leads)
    opp_rate = _rate(proposal.reached, first) if proposal else None
    won_rate = _rate(won_stage.reached, proposal.reached) if proposal and won_stage else None
    avg_size = (_yuan(won_fen) / won_count).quantize(Decimal("0.01")) if won_count else None
    notes: list[str] = []
    won_needed = math.ceil(target / avg_size) if avg_size else None
    if won_needed is None:
        notes.append(_("No deal was won in the period: the average deal size is unknown."))
    proposals_needed = _ceil_div(won_needed, won_rate)
    opportunities_needed = _ceil_div(proposals_needed, opp_rate)
    leads_needed = _ceil_div(opportunities_needed, lead_rate)
    open_count, proposals_open = int(open_deals[0] or 0), int(open_deals[1] or 0)

    def short(needed: int | None, have: int) -> int | None:
        return None if needed is None else max(needed - have, 0)

    return ReverseCalculation(
        target, avg_size, lead_rate, opp_rate, won_rate, won_needed, proposals_needed, opportunities_needed,
        leads_needed, proposals_open, open_count, int(leads_open), short(proposals_needed, proposals_open),
        short(opportunities_needed, open_count), short(leads_needed, int(leads_open)), tuple(notes))


__all__ = [
    "AnalyticsFilter", "Forecast", "ForecastMonth", "Funnel", "FunnelStage", "Kpis", "LeaderboardRow",
    "ReverseCalculation", "SourceConversion", "conversion_by_source", "forecast", "funnel", "kpis",
    "list_targets", "load_ideal_funnel", "reverse_calculation", "save_ideal_funnel", "set_target",
]
