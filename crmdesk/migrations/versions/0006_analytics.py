"""analytics: each deal's furthest stage and won cycle, each lead's deal status (kept by triggers), and the covering indexes of the funnel, forecast, KPIs and conversion by source

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

The column is added with plain ALTER TABLE ADD COLUMN (no batch copy), as in 0002: a copied
opportunities table would drop its full-text triggers and renumber the rowids the FTS index is keyed on.
The triggers keep furthest_stage_id for every writer (services, the importer's bulk rows, the demo,
sync): a deal moved to a stage further than its furthest, or given a history row of one, takes it;
a deal won gets its won_cycle_days; a lead gets the status of the live deal it became; the done activities are counted per local day,
owner and kind (activity_day_counts).
Lost stages never count. Reordering a pipeline's stages recomputes it (services/pipelines.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The furthest (not lost) stage among a deal's current stage and its history's; shared with
# services/pipelines.py, which recomputes it after a reorder.
FURTHEST_STAGE_SQL = """
SELECT s.id FROM (
    SELECT c.to_stage_id AS stage_id FROM opportunity_stage_changes c
     WHERE c.opportunity_id = opportunities.id AND c.deleted_at IS NULL
    UNION ALL SELECT opportunities.stage_id
) reached JOIN stages s ON s.id = reached.stage_id
WHERE s.is_lost = 0 AND s.deleted_at IS NULL ORDER BY s.position DESC LIMIT 1
"""

# Whole days from the creation's UTC date to the won date (NULL while not won).
WON_CYCLE_SQL = "CAST(julianday({row}.won_at) - julianday(substr({row}.created_at, 1, 10)) AS INTEGER)"

# The status of the live deal a lead became (NULL: none, or deleted).
LEAD_DEAL_STATUS_SQL = "(SELECT status FROM opportunities WHERE id = {row}.opportunity_id AND deleted_at IS NULL)"

_FURTHER = """(SELECT is_lost FROM stages WHERE id = {stage}) = 0
 AND coalesce((SELECT position FROM stages WHERE id = {furthest}), -1)
     < (SELECT position FROM stages WHERE id = {stage})"""

TRIGGERS = {
    "opportunities_furthest_stage_on_insert": f"""
CREATE TRIGGER opportunities_furthest_stage_on_insert AFTER INSERT ON opportunities
WHEN {_FURTHER.format(stage='NEW.stage_id', furthest='NEW.furthest_stage_id')}
BEGIN UPDATE opportunities SET furthest_stage_id = NEW.stage_id WHERE id = NEW.id; END""",
    "opportunities_furthest_stage_on_move": f"""
CREATE TRIGGER opportunities_furthest_stage_on_move AFTER UPDATE OF stage_id ON opportunities
WHEN {_FURTHER.format(stage='NEW.stage_id', furthest='NEW.furthest_stage_id')}
BEGIN UPDATE opportunities SET furthest_stage_id = NEW.stage_id WHERE id = NEW.id; END""",
    "opportunities_won_cycle_on_insert": f"""
CREATE TRIGGER opportunities_won_cycle_on_insert AFTER INSERT ON opportunities WHEN NEW.won_at IS NOT NULL
BEGIN UPDATE opportunities SET won_cycle_days = {WON_CYCLE_SQL.format(row='NEW')} WHERE id = NEW.id; END""",
    "opportunities_won_cycle_on_change": f"""
CREATE TRIGGER opportunities_won_cycle_on_change AFTER UPDATE OF won_at, created_at ON opportunities
BEGIN UPDATE opportunities SET won_cycle_days = {WON_CYCLE_SQL.format(row='NEW')} WHERE id = NEW.id; END""",
    "opportunities_lead_status_on_insert": """
CREATE TRIGGER opportunities_lead_status_on_insert AFTER INSERT ON opportunities WHEN NEW.deleted_at IS NULL
BEGIN UPDATE leads SET opportunity_status = NEW.status WHERE opportunity_id = NEW.id; END""",
    "opportunities_lead_status_on_change": """
CREATE TRIGGER opportunities_lead_status_on_change AFTER UPDATE OF status, deleted_at ON opportunities
BEGIN UPDATE leads SET opportunity_status = CASE WHEN NEW.deleted_at IS NULL THEN NEW.status END
  WHERE opportunity_id = NEW.id; END""",
    "leads_opportunity_status_on_insert": f"""
CREATE TRIGGER leads_opportunity_status_on_insert AFTER INSERT ON leads WHEN NEW.opportunity_id IS NOT NULL
BEGIN UPDATE leads SET opportunity_status = {LEAD_DEAL_STATUS_SQL.format(row='NEW')} WHERE id = NEW.id; END""",
    "leads_opportunity_status_on_link": f"""
CREATE TRIGGER leads_opportunity_status_on_link AFTER UPDATE OF opportunity_id ON leads
BEGIN UPDATE leads SET opportunity_status = {LEAD_DEAL_STATUS_SQL.format(row='NEW')} WHERE id = NEW.id; END""",
    "opportunity_stage_changes_furthest_stage": f"""
CREATE TRIGGER opportunity_stage_changes_furthest_stage AFTER INSERT ON opportunity_stage_changes
WHEN NEW.deleted_at IS NULL
BEGIN UPDATE opportunities SET furthest_stage_id = NEW.to_stage_id WHERE id = NEW.opportunity_id
  AND {_FURTHER.format(stage='NEW.to_stage_id', furthest='opportunities.furthest_stage_id')}; END""",
}

# The done activities per local day, owner and kind (activity_day_counts), kept as activities come, change
# and go. A row counts while it is done, live and dated.
_COUNTED = "{row}.status = 'done' AND {row}.deleted_at IS NULL AND {row}.done_at IS NOT NULL"
_KEY = "date({row}.done_at, 'localtime'), coalesce({row}.owner_id, ''), {row}.kind"
_ADD = ("INSERT INTO activity_day_counts (day, owner_id, kind, n) SELECT " + _KEY + ", 1 WHERE " + _COUNTED
        + " ON CONFLICT (day, owner_id, kind) DO UPDATE SET n = n + 1;")
_TAKE = ("UPDATE activity_day_counts SET n = n - 1 WHERE " + _COUNTED + " AND day = date({row}.done_at, 'localtime')"
         " AND owner_id = coalesce({row}.owner_id, '') AND kind = {row}.kind;")
ACTIVITY_COUNT_TRIGGERS = {
    "activities_day_count_on_insert":
        "CREATE TRIGGER activities_day_count_on_insert AFTER INSERT ON activities BEGIN "
        + _ADD.format(row="NEW") + " END",
    "activities_day_count_on_change":
        "CREATE TRIGGER activities_day_count_on_change AFTER UPDATE OF status, deleted_at, done_at, owner_id, kind"
        " ON activities BEGIN " + _TAKE.format(row="OLD") + " " + _ADD.format(row="NEW") + " END",
    "activities_day_count_on_delete":
        "CREATE TRIGGER activities_day_count_on_delete AFTER DELETE ON activities BEGIN "
        + _TAKE.format(row="OLD") + " END",
}
ACTIVITY_COUNTS_FILL = ("INSERT INTO activity_day_counts (day, owner_id, kind, n) SELECT "
                        + _KEY.format(row="activities") + ", count(*) FROM activities WHERE "
                        + _COUNTED.format(row="activities") + " GROUP BY 1, 2, 3")

_LIVE = {"sqlite_where": sa.text("deleted_at IS NULL"), "postgresql_where": sa.text("deleted_at IS NULL")}
_WON = {"sqlite_where": sa.text("deleted_at IS NULL AND won_at IS NOT NULL"),
        "postgresql_where": sa.text("deleted_at IS NULL AND won_at IS NOT NULL")}
_LOST = {"sqlite_where": sa.text("deleted_at IS NULL AND lost_at IS NOT NULL"),
         "postgresql_where": sa.text("deleted_at IS NULL AND lost_at IS NOT NULL")}
_OPEN = {"sqlite_where": sa.text("deleted_at IS NULL AND status = 'open'"),
         "postgresql_where": sa.text("deleted_at IS NULL AND status = 'open'")}


def upgrade() -> None:
    op.execute("ALTER TABLE opportunities ADD COLUMN furthest_stage_id VARCHAR(36) REFERENCES stages (id)")
    op.execute(f"UPDATE opportunities SET furthest_stage_id = ({FURTHEST_STAGE_SQL})")
    op.execute("ALTER TABLE opportunities ADD COLUMN won_cycle_days INTEGER")
    op.execute(f"UPDATE opportunities SET won_cycle_days = {WON_CYCLE_SQL.format(row='opportunities')} "
               "WHERE won_at IS NOT NULL")
    op.execute("ALTER TABLE leads ADD COLUMN opportunity_status VARCHAR(10)")
    op.execute(f"UPDATE leads SET opportunity_status = {LEAD_DEAL_STATUS_SQL.format(row='leads')} "
               "WHERE opportunity_id IS NOT NULL")
    for sql in TRIGGERS.values():
        op.execute(sql)
    op.create_index('ix_opportunities_live_funnel', 'opportunities',
                    ['stage_id', 'furthest_stage_id', 'status', 'created_at', 'kind', 'owner_id', 'team_id',
                     'amount', 'won_amount'], **_LIVE)
    op.create_index('ix_opportunities_live_won', 'opportunities',
                    ['won_at', 'status', 'owner_id', 'team_id', 'stage_id', 'kind', 'amount', 'won_amount'], **_WON)
    op.create_index('ix_opportunities_live_won_owner', 'opportunities',
                    ['owner_id', 'won_at', 'status', 'team_id', 'stage_id', 'kind', 'amount', 'won_amount',
                     'won_cycle_days'], **_WON)
    op.create_index('ix_opportunities_live_won_cycle', 'opportunities',
                    ['won_cycle_days', 'won_at', 'status', 'owner_id', 'team_id', 'stage_id', 'kind'], **_WON)
    op.create_index('ix_opportunities_live_won_customer', 'opportunities',
                    ['customer_id', 'won_at', 'status', 'owner_id', 'team_id', 'stage_id', 'kind'], **_WON)
    op.create_index('ix_opportunities_live_lost', 'opportunities',
                    ['owner_id', 'lost_at', 'status', 'team_id', 'stage_id', 'kind'], **_LOST)
    op.create_index('ix_opportunities_live_open_forecast', 'opportunities',
                    ['expected_close_date', 'owner_id', 'team_id', 'stage_id', 'kind', 'amount', 'probability',
                     'forecast_category', 'forecast_category_manager'], **_OPEN)
    op.create_index('ix_leads_opportunity_id', 'leads', ['opportunity_id'],
                    sqlite_where=sa.text('opportunity_id IS NOT NULL'),
                    postgresql_where=sa.text('opportunity_id IS NOT NULL'))
    op.create_index('ix_leads_live_source_conversion', 'leads',
                    ['source', 'created_at', 'owner_id', 'team_id', 'opportunity_status'], **_LIVE)
    op.create_table('activity_day_counts',
                    sa.Column('day', sa.String(length=10), nullable=False),
                    sa.Column('owner_id', sa.String(length=36), nullable=False),
                    sa.Column('kind', sa.String(length=20), nullable=False),
                    sa.Column('n', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('day', 'owner_id', 'kind'))
    op.execute(ACTIVITY_COUNTS_FILL)
    for sql in ACTIVITY_COUNT_TRIGGERS.values():
        op.execute(sql)


def downgrade() -> None:
    for name in ACTIVITY_COUNT_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.drop_table('activity_day_counts')
    op.drop_index('ix_leads_live_source_conversion', table_name='leads')
    op.drop_index('ix_leads_opportunity_id', table_name='leads')
    for name in ('ix_opportunities_live_open_forecast', 'ix_opportunities_live_lost',
                 'ix_opportunities_live_won_customer', 'ix_opportunities_live_won_cycle',
                 'ix_opportunities_live_won_owner', 'ix_opportunities_live_won', 'ix_opportunities_live_funnel'):
        op.drop_index(name, table_name='opportunities')
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("ALTER TABLE leads DROP COLUMN opportunity_status")
    op.execute("ALTER TABLE opportunities DROP COLUMN won_cycle_days")
    op.execute("ALTER TABLE opportunities DROP COLUMN furthest_stage_id")
