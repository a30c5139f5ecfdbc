"""sync: the outbox, the hybrid logical clock and the conflicts of this device

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

The outbox that every change of a synced row is appended to by triggers (crmdesk.models.sync_capture),
the one-row clock those triggers stamp changes with, and the conflicts that syncing found (both values
kept, the rule's choice marked, until the user confirms it or keeps the other value). The triggers are
written from the tables' columns as this revision leaves them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crmdesk.models.base
from crmdesk.models.sync_capture import install_capture_triggers

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'sync_outbox',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('table_name', sa.String(length=64), nullable=False),
        sa.Column('row_id', sa.String(length=36), nullable=False),
        sa.Column('fields', sa.Text(), nullable=False),
        sa.Column('hlc', sa.String(length=24), nullable=False),
        sa.Column('user_id', sa.String(length=36), nullable=True),
        sa.Column('change_id', sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_sync_outbox')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_sync_outbox_change_id', 'sync_outbox', ['change_id'])
    op.create_table(
        'sync_clock',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('physical', sa.Integer(), nullable=False),
        sa.Column('counter', sa.Integer(), nullable=False),
        sa.Column('applying', sa.Integer(), nullable=False, server_default='0'),
        sa.CheckConstraint('id = 1', name=op.f('ck_sync_clock_one_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_clock')),
    )
    op.execute("INSERT INTO sync_clock (id, physical, counter, applying) VALUES (1, 0, 0, 0)")
    op.create_table(
        'sync_conflicts',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('table_name', sa.String(length=64), nullable=False),
        sa.Column('row_id', sa.String(length=36), nullable=False),
        sa.Column('field', sa.String(length=64), nullable=False),
        sa.Column('kept_value', sa.Text(), nullable=True),
        sa.Column('other_value', sa.Text(), nullable=True),
        sa.Column('kept_hlc', sa.String(length=24), nullable=False),
        sa.Column('other_hlc', sa.String(length=24), nullable=False),
        sa.Column('kept_device', sa.String(length=36), nullable=True),
        sa.Column('other_device', sa.String(length=36), nullable=True),
        sa.Column('other_user_id', sa.String(length=36), nullable=True),
        sa.Column('detected_at', crmdesk.models.base.UTCDateTime(), nullable=False),
        sa.Column('resolved_at', crmdesk.models.base.UTCDateTime(), nullable=True),
        sa.Column('resolved_by', sa.String(length=36), nullable=True),
        sa.Column('resolution', sa.String(length=20), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflicts')),
    )
    op.create_index('ix_sync_conflicts_open', 'sync_conflicts', ['resolved_at', 'detected_at'])
    if op.get_bind().dialect.name == 'sqlite':
        install_capture_triggers(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in op.get_bind().exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_capture_%'").scalars():
            op.execute(f'DROP TRIGGER "{name}"')
    op.drop_index('ix_sync_conflicts_open', table_name='sync_conflicts')
    op.drop_table('sync_conflicts')
    op.drop_table('sync_clock')
    op.drop_index('ix_sync_outbox_change_id', table_name='sync_outbox')
    op.drop_table('sync_outbox')
