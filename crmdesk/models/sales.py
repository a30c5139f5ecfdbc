"""Leads, customers, contacts, pipelines, stages and opportunities."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column

from crmdesk.models.base import Base, SourceLinkMixin, SyncedMixin, add_list_indexes


class SearchableMixin:
    """Columns the search and the name sort read: pinyin of the name, the phone's digits reversed, and
    the full-text body. Maintained by the unit of work from `name`, `phone` (and company), never typed.
    """

    name_pinyin: Mapped[str] = mapped_column(String(200), default="")
    name_initials: Mapped[str] = mapped_column(String(50), default="")
    phone_rev: Mapped[str | None] = mapped_column(String(32))
    # The words of the name (and company) with each CJK character a token of its own: the content of
    # this table's FTS5 index (<table>_fts), which triggers keep in step with every write.
    search_body: Mapped[str] = mapped_column(Text, default="")


class Lead(SearchableMixin, SourceLinkMixin, SyncedMixin, Base):
    __tablename__ = "leads"

    name: Mapped[str] = mapped_column(String(100))
    gender: Mapped[str | None] = mapped_column(String(1))  # "M" / "F"
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(255))
    company: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(32), default="walk_in")
    campaign: Mapped[str | None] = mapped_column(String(100))
    ad_keyword: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="new")
    invalid_reason: Mapped[str | None] = mapped_column(String(200))
    score: Mapped[int] = mapped_column(default=0)
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"))
    intended_product: Mapped[str | None] = mapped_column(String(200))
    intended_purchase_date: Mapped[date | None]
    province: Mapped[str | None] = mapped_column(String(50))
    city: Mapped[str | None] = mapped_column(String(50))
    residential_area: Mapped[str | None] = mapped_column(String(200))
    visitors_count: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(100))
    # What scoring and assignment rules read besides source and intent (seed 001).
    industry: Mapped[str | None] = mapped_column(String(100))
    company_size: Mapped[int | None]  # employees
    budget: Mapped[Decimal | None]
    territory_id: Mapped[str | None] = mapped_column(ForeignKey("territories.id"))
    # Marketing qualified (score over the threshold: "mql") and then accepted by sales ("sql").
    qualification: Mapped[str | None] = mapped_column(String(3))
    mql_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    # An import that kept a suspected duplicate as a new record flags it with the record it resembles.
    duplicate_of_id: Mapped[str | None] = mapped_column(String(36))
    # Set (with deleted_at) on the record a merge folded into another; undo clears both.
    merged_into_id: Mapped[str | None] = mapped_column(String(36))
    converted_at: Mapped[datetime | None]
    customer_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"))
    opportunity_id: Mapped[str | None] = mapped_column(ForeignKey("opportunities.id"))
    # The status (open / won / lost) of the live deal this lead became, NULL without one; kept by triggers
    # (migration 0006) so the conversion by source counts leads, deals and wins from one index of leads.
    opportunity_status: Mapped[str | None] = mapped_column(String(10))


class Customer(SearchableMixin, SourceLinkMixin, SyncedMixin, Base):
    __tablename__ = "customers"

    kind: Mapped[str] = mapped_column(String(10), default="person")  # person / company
    name: Mapped[str] = mapped_column(String(200))
    gender: Mapped[str | None] = mapped_column(String(1))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(255))
    id_number: Mapped[str | None] = mapped_column(String(18))  # resident ID (person)
    uscc: Mapped[str | None] = mapped_column(String(18))  # unified social credit code (company)
    birthday: Mapped[date | None]
    industry: Mapped[str | None] = mapped_column(String(100))
    province: Mapped[str | None] = mapped_column(String(50))
    city: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str | None] = mapped_column(String(300))
    tier: Mapped[str | None] = mapped_column(String(1))  # A / B / C
    intent_grade: Mapped[str | None] = mapped_column(String(1))  # H / A / B / C / O
    status: Mapped[str] = mapped_column(String(20), default="active")  # active / dormant / lost
    lost_reason: Mapped[str | None] = mapped_column(String(200))
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))  # None: in the public pool
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"))
    territory_id: Mapped[str | None] = mapped_column(ForeignKey("territories.id"))
    pool_entered_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    # When the owner was warned that the customer goes back to the pool for want of a follow-up.
    pool_warned_at: Mapped[datetime | None]
    dormant_at: Mapped[datetime | None]
    # A tier set by hand stays when the tier rules are applied again.
    tier_overridden: Mapped[bool] = mapped_column(default=False, server_default=false())
    last_followup_at: Mapped[datetime | None]
    next_followup_at: Mapped[datetime | None]
    notes: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(100))
    duplicate_of_id: Mapped[str | None] = mapped_column(String(36))
    merged_into_id: Mapped[str | None] = mapped_column(String(36))


class Contact(SearchableMixin, SourceLinkMixin, SyncedMixin, Base):
    __tablename__ = "contacts"

    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    gender: Mapped[str | None] = mapped_column(String(1))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(255))
    title: Mapped[str | None] = mapped_column(String(100))
    is_primary: Mapped[bool] = mapped_column(default=False)
    birthday: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(100))


class Pipeline(SyncedMixin, Base):
    __tablename__ = "pipelines"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default="standard")  # vehicle / project / standard
    position: Mapped[int] = mapped_column(default=0)


class Stage(SyncedMixin, Base):
    __tablename__ = "stages"
    __table_args__ = (UniqueConstraint("pipeline_id", "code"),)

    pipeline_id: Mapped[str] = mapped_column(ForeignKey("pipelines.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    probability: Mapped[int] = mapped_column(default=0)  # percent
    is_won: Mapped[bool] = mapped_column(default=False)
    is_lost: Mapped[bool] = mapped_column(default=False)


class Opportunity(SearchableMixin, SourceLinkMixin, SyncedMixin, Base):
    __tablename__ = "opportunities"

    name: Mapped[str] = mapped_column(String(200))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    # Copied from the customer so the list can sort and show it without a join at a million rows;
    # the customers service rewrites it when a customer is renamed.
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    contact_id: Mapped[str | None] = mapped_column(ForeignKey("contacts.id"))
    pipeline_id: Mapped[str] = mapped_column(ForeignKey("pipelines.id"))
    stage_id: Mapped[str] = mapped_column(ForeignKey("stages.id"))
    stage_position: Mapped[int] = mapped_column(default=0)  # the stage's order, for sorting by stage
    # The furthest stage (by position, lost stages aside) the deal ever stood on: its current stage or one
    # of its history's. Kept by triggers (migration 0006) for every writer, import and sync included, so
    # the funnel's "reached" counts are one index scan; derived data, never edited by a service.
    furthest_stage_id: Mapped[str | None] = mapped_column(ForeignKey("stages.id"))
    # Days from creation (UTC date) to the won date, kept by triggers like furthest_stage_id: the KPIs'
    # sales cycle and its median are then read from an index, never computed per row.
    won_cycle_days: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(10), default="open")  # open / won / lost
    kind: Mapped[str] = mapped_column(String(20), default="standard")  # standard / project
    amount: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    probability: Mapped[int] = mapped_column(default=0)
    probability_overridden: Mapped[bool] = mapped_column(default=False)
    forecast_category: Mapped[str | None] = mapped_column(String(20))  # commit / best_case / pipeline
    forecast_category_manager: Mapped[str | None] = mapped_column(String(20))
    expected_close_date: Mapped[date | None]
    owner_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"))
    product_interest: Mapped[str | None] = mapped_column(String(200))
    won_at: Mapped[date | None]
    won_amount: Mapped[Decimal | None]
    won_reason: Mapped[str | None] = mapped_column(String(200))
    lost_at: Mapped[date | None]
    lost_reason: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(100))


class OpportunityStageChange(SyncedMixin, Base):
    __tablename__ = "opportunity_stage_changes"

    opportunity_id: Mapped[str] = mapped_column(ForeignKey("opportunities.id"), index=True)
    from_stage_id: Mapped[str | None] = mapped_column(ForeignKey("stages.id"))
    to_stage_id: Mapped[str] = mapped_column(ForeignKey("stages.id"))
    changed_at: Mapped[datetime]
    changed_by: Mapped[str | None] = mapped_column(String(36))


# The columns every list sorts, filters or searches by (see add_list_indexes).
LIST_INDEXES: dict[type[Base], tuple[str, ...]] = {
    Lead: ("name_pinyin", "name_initials", "phone_rev", "created_at", "updated_at", "status",
           "source", "owner_id", "city", "intended_purchase_date", "score", "phone", "company",
           "intended_product", "qualification", "external_id", "industry"),
    Customer: ("name_pinyin", "name_initials", "phone_rev", "created_at", "updated_at", "tier",
               "intent_grade", "status", "owner_id", "city", "next_followup_at", "phone", "kind", "uscc",
               "external_id", "id_number", "last_followup_at"),
    Contact: ("name_pinyin", "name_initials", "phone_rev", "created_at", "phone", "email", "title",
              "external_id"),
    Opportunity: ("name_pinyin", "name_initials", "customer_name", "stage_position", "status",
                  "amount", "expected_close_date", "owner_id", "created_at", "updated_at",
                  "probability", "external_id", "won_at", "lost_at"),
}

for _model, _columns in LIST_INDEXES.items():
    add_list_indexes(_model, _columns)

# A board column: the deals on one stage by expected close date, one index range per column.
Index("ix_opportunities_live_stage_close", Opportunity.stage_id, Opportunity.expected_close_date, Opportunity.id,
      sqlite_where=Opportunity.deleted_at.is_(None), postgresql_where=Opportunity.deleted_at.is_(None))
# Open deals past their intended purchase date, per owner (the rules report), from the index alone.
Index("ix_opportunities_live_status_close_owner", Opportunity.status, Opportunity.expected_close_date,
      Opportunity.owner_id, sqlite_where=Opportunity.deleted_at.is_(None),
      postgresql_where=Opportunity.deleted_at.is_(None))

# The analytics (services/analytics.py) read these alone, never the table: the funnel (every live deal by
# its stage and the furthest it reached, with the period and scope columns), the deals won and lost in a
# period (the KPIs and the forecast's won column), the won deals per customer (repeat purchases) and the
# open deals by expected close (the forecast, weighted and by category).
# The leads a deal came from (merges and the lead-status triggers look them up by their deal), and the
# conversion by source: every live lead by source and creation, with its owner, team and its deal's status.
Index("ix_leads_opportunity_id", Lead.opportunity_id, sqlite_where=Lead.opportunity_id.is_not(None),
      postgresql_where=Lead.opportunity_id.is_not(None))
Index("ix_leads_live_source_conversion", Lead.source, Lead.created_at, Lead.owner_id, Lead.team_id,
      Lead.opportunity_status, sqlite_where=Lead.deleted_at.is_(None), postgresql_where=Lead.deleted_at.is_(None))
_LIVE = Opportunity.deleted_at.is_(None)
Index("ix_opportunities_live_funnel", Opportunity.stage_id, Opportunity.furthest_stage_id, Opportunity.status,
      Opportunity.created_at, Opportunity.kind, Opportunity.owner_id, Opportunity.team_id, Opportunity.amount,
      Opportunity.won_amount, sqlite_where=_LIVE, postgresql_where=_LIVE)
_WON = text("deleted_at IS NULL AND won_at IS NOT NULL")
# by won date (the forecast's won column), by owner (the leaderboard), by cycle length (the median) and by
# customer (repeat purchases): each GROUP BY walks its index in order, with no sort of the won deals
Index("ix_opportunities_live_won", Opportunity.won_at, Opportunity.status, Opportunity.owner_id,
      Opportunity.team_id, Opportunity.stage_id, Opportunity.kind, Opportunity.amount, Opportunity.won_amount,
      sqlite_where=_WON, postgresql_where=_WON)
Index("ix_opportunities_live_won_owner", Opportunity.owner_id, Opportunity.won_at, Opportunity.status,
      Opportunity.team_id, Opportunity.stage_id, Opportunity.kind, Opportunity.amount, Opportunity.won_amount,
      Opportunity.won_cycle_days, sqlite_where=_WON, postgresql_where=_WON)
Index("ix_opportunities_live_won_cycle", Opportunity.won_cycle_days, Opportunity.won_at, Opportunity.status,
      Opportunity.owner_id, Opportunity.team_id, Opportunity.stage_id, Opportunity.kind,
      sqlite_where=_WON, postgresql_where=_WON)
Index("ix_opportunities_live_won_customer", Opportunity.customer_id, Opportunity.won_at, Opportunity.status,
      Opportunity.owner_id, Opportunity.team_id, Opportunity.stage_id, Opportunity.kind,
      sqlite_where=_WON, postgresql_where=_WON)
_LOST = text("deleted_at IS NULL AND lost_at IS NOT NULL")
Index("ix_opportunities_live_lost", Opportunity.owner_id, Opportunity.lost_at, Opportunity.status,
      Opportunity.team_id, Opportunity.stage_id, Opportunity.kind, sqlite_where=_LOST, postgresql_where=_LOST)
_OPEN = text("deleted_at IS NULL AND status = 'open'")
Index("ix_opportunities_live_open_forecast", Opportunity.expected_close_date, Opportunity.owner_id,
      Opportunity.team_id, Opportunity.stage_id, Opportunity.kind, Opportunity.amount, Opportunity.probability,
      Opportunity.forecast_category, Opportunity.forecast_category_manager,
      sqlite_where=_OPEN, postgresql_where=_OPEN)
