"""customers and follow-ups: public-pool moves, lost requests, pool warnings, dormancy, tier overrides, test drives by status

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Columns are added with plain ALTER TABLE ADD COLUMN (no batch copy), as in 0002: a copied customers
table would drop its full-text triggers and renumber the rowids the FTS index is keyed on.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crmdesk.models.base

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _synced_columns() -> list[sa.Column]:
    return [
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('created_at', crmdesk.models.base.UTCDateTime(), nullable=False),
        sa.Column('updated_at', crmdesk.models.base.UTCDateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=36), nullable=True),
        sa.Column('updated_by', sa.String(length=36), nullable=True),
        sa.Column('deleted_at', crmdesk.models.base.UTCDateTime(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table('pool_events',
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.Column('from_owner_id', sa.String(length=36), nullable=True),
    sa.Column('at', crmdesk.models.base.UTCDateTime(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    *_synced_columns(),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_pool_events_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pool_events'))
    )
    op.create_index('ix_pool_events_user_action_at', 'pool_events', ['user_id', 'action', 'at'])
    op.create_index('ix_pool_events_customer_action_at', 'pool_events', ['customer_id', 'action', 'at'])
    op.create_index(op.f('ix_pool_events_updated_at'), 'pool_events', ['updated_at'])

    op.create_table('lost_requests',
    sa.Column('opportunity_id', sa.String(length=36), nullable=False),
    sa.Column('customer_id', sa.String(length=36), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_by', sa.String(length=36), nullable=True),
    sa.Column('requested_at', crmdesk.models.base.UTCDateTime(), nullable=False),
    sa.Column('reviewed_by', sa.String(length=36), nullable=True),
    sa.Column('reviewed_at', crmdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    *_synced_columns(),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_lost_requests_customer_id_customers')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'],
                            name=op.f('fk_lost_requests_opportunity_id_opportunities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lost_requests'))
    )
    op.create_index(op.f('ix_lost_requests_opportunity_id'), 'lost_requests', ['opportunity_id'])
    op.create_index(op.f('ix_lost_requests_customer_id'), 'lost_requests', ['customer_id'])
    op.create_index('ix_lost_requests_status_requested_at', 'lost_requests', ['status', 'requested_at'])
    op.create_index(op.f('ix_lost_requests_updated_at'), 'lost_requests', ['updated_at'])

    op.add_column('customers', sa.Column('pool_warned_at', crmdesk.models.base.UTCDateTime(), nullable=True))
    op.add_column('customers', sa.Column('dormant_at', crmdesk.models.base.UTCDateTime(), nullable=True))
    op.add_column('customers', sa.Column('tier_overridden', sa.Boolean(), server_default=sa.false(),
                                         nullable=False))
    op.add_column('test_drives', sa.Column('notes', sa.Text(), nullable=True))
    op.create_index('ix_test_drives_status_booked_for', 'test_drives', ['status', 'booked_for'])
    live = {'sqlite_where': sa.text('deleted_at IS NULL'), 'postgresql_where': sa.text('deleted_at IS NULL')}
    op.create_index('ix_customers_live_last_followup_at', 'customers', ['last_followup_at', 'id'], **live)
    # The rules report: deals won and cars delivered in a period; open deals past their date, and
    # overdue follow-ups per owner, counted from the index alone.
    op.create_index('ix_opportunities_live_status_close_owner', 'opportunities',
                    ['status', 'expected_close_date', 'owner_id'], **live)
    op.drop_index('ix_activities_owner_due', table_name='activities')
    op.create_index('ix_activities_owner_due', 'activities', ['owner_id', 'status', 'due_at', 'deleted_at'])
    op.create_index('ix_opportunities_live_won_at', 'opportunities', ['won_at', 'id'], **live)
    # The pipeline board: a stage's deals by expected close date; the deals lost lately.
    op.create_index('ix_opportunities_live_stage_close', 'opportunities', ['stage_id', 'expected_close_date', 'id'],
                    **live)
    op.create_index('ix_opportunities_live_lost_at', 'opportunities', ['lost_at', 'id'], **live)
    op.create_index('ix_orders_live_delivered_at', 'orders', ['delivered_at', 'id'], **live)


def downgrade() -> None:
    op.drop_index('ix_activities_owner_due', table_name='activities')
    op.create_index('ix_activities_owner_due', 'activities', ['owner_id', 'status', 'due_at'])
    op.drop_index('ix_opportunities_live_lost_at', table_name='opportunities')
    op.drop_index('ix_opportunities_live_stage_close', table_name='opportunities')
    op.drop_index('ix_opportunities_live_status_close_owner', table_name='opportunities')
    op.drop_index('ix_orders_live_delivered_at', table_name='orders')
    op.drop_index('ix_opportunities_live_won_at', table_name='opportunities')
    op.drop_index('ix_customers_live_last_followup_at', table_name='customers')
    op.drop_index('ix_test_drives_status_booked_for', table_name='test_drives')
    op.drop_column('test_drives', 'notes')
    for column in ('tier_overridden', 'dormant_at', 'pool_warned_at'):
        op.drop_column('customers', column)
    op.drop_table('lost_requests')
    op.drop_table('pool_events')
