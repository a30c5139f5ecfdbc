"""the duplicate index: scored pairs, their ranked groups and the block keys that keep it exact, derived per device

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

New tables only (plain CREATE TABLE / CREATE INDEX): leads and customers are not touched, so their
full-text triggers and rowids stay as they are. Both tables are derived from the book and never synced;
an empty index is rebuilt on first use.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('duplicate_pairs',
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('first_id', sa.String(length=36), nullable=False),
    sa.Column('second_id', sa.String(length=36), nullable=False),
    sa.Column('first_type', sa.String(length=20), nullable=False),
    sa.Column('second_type', sa.String(length=20), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('first_stamp', sa.String(length=32), nullable=False),
    sa.Column('second_stamp', sa.String(length=32), nullable=False),
    sa.Column('group_key', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'first_id', 'second_id', name=op.f('pk_duplicate_pairs'))
    )
    op.create_index('ix_duplicate_pairs_scope_second_id', 'duplicate_pairs', ['scope', 'second_id'])
    op.create_index('ix_duplicate_pairs_scope_group_key', 'duplicate_pairs', ['scope', 'group_key'])

    op.create_table('duplicate_groups',
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('newest', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'key', name=op.f('pk_duplicate_groups'))
    )
    op.create_index('ix_duplicate_groups_scope_score_newest', 'duplicate_groups', ['scope', 'score', 'newest'])

    op.create_table('duplicate_index_keys',
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'kind', 'key', 'record_id', name=op.f('pk_duplicate_index_keys'))
    )
    op.create_index('ix_duplicate_index_keys_scope_record_id', 'duplicate_index_keys', ['scope', 'record_id'])


def downgrade() -> None:
    op.drop_index('ix_duplicate_index_keys_scope_record_id', table_name='duplicate_index_keys')
    op.drop_table('duplicate_index_keys')
    op.drop_index('ix_duplicate_groups_scope_score_newest', table_name='duplicate_groups')
    op.drop_table('duplicate_groups')
    op.drop_index('ix_duplicate_pairs_scope_group_key', table_name='duplicate_pairs')
    op.drop_index('ix_duplicate_pairs_scope_second_id', table_name='duplicate_pairs')
    op.drop_table('duplicate_pairs')
    op.execute("DELETE FROM device_info WHERE key LIKE 'duplicate_index:%'")
