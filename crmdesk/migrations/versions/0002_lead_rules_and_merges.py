"""leads: scoring and assignment inputs, MQL/SQL, duplicate flags, merges, team settings

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Columns are added with plain ALTER TABLE ADD COLUMN (no batch copy): a copied table would drop the
full-text triggers and renumber the rowids the FTS indexes are keyed on.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crmdesk.models.base

revision: str = '0002'
down_revision: str | None = '0001'
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


def _live_index(table: str, column: str) -> None:
    op.create_index(f'ix_{table}_live_{column}', table, [column, 'id'], unique=False,
                    sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))


def upgrade() -> None:
    op.create_table('duplicate_dismissals',
    sa.Column('first_type', sa.String(length=20), nullable=False),
    sa.Column('first_id', sa.String(length=36), nullable=False),
    sa.Column('second_type', sa.String(length=20), nullable=False),
    sa.Column('second_id', sa.String(length=36), nullable=False),
    *_synced_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_dismissals')),
    sa.UniqueConstraint('first_id', 'second_id', name=op.f('uq_duplicate_dismissals_first_id_second_id'))
    )
    op.create_index(op.f('ix_duplicate_dismissals_second_id'), 'duplicate_dismissals', ['second_id'])
    op.create_index(op.f('ix_duplicate_dismissals_updated_at'), 'duplicate_dismissals', ['updated_at'])

    op.create_table('record_merges',
    sa.Column('entity_type', sa.String(length=20), nullable=False),
    sa.Column('kept_id', sa.String(length=36), nullable=False),
    sa.Column('merged_type', sa.String(length=20), nullable=False),
    sa.Column('merged_id', sa.String(length=36), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.Column('undone_at', crmdesk.models.base.UTCDateTime(), nullable=True),
    sa.Column('undone_by', sa.String(length=36), nullable=True),
    *_synced_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_record_merges'))
    )
    op.create_index(op.f('ix_record_merges_kept_id'), 'record_merges', ['kept_id'])
    op.create_index(op.f('ix_record_merges_merged_id'), 'record_merges', ['merged_id'])
    op.create_index(op.f('ix_record_merges_updated_at'), 'record_merges', ['updated_at'])

    op.create_table('shared_settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    *_synced_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shared_settings')),
    sa.UniqueConstraint('key', name=op.f('uq_shared_settings_key'))
    )
    op.create_index(op.f('ix_shared_settings_updated_at'), 'shared_settings', ['updated_at'])

    op.add_column('customers', sa.Column('duplicate_of_id', sa.String(length=36), nullable=True))
    op.add_column('customers', sa.Column('merged_into_id', sa.String(length=36), nullable=True))
    op.add_column('leads', sa.Column('industry', sa.String(length=100), nullable=True))
    op.add_column('leads', sa.Column('company_size', sa.Integer(), nullable=True))
    op.add_column('leads', sa.Column('budget', crmdesk.models.base.Money(), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':  # SQLite takes a reference only inside ADD COLUMN
        op.execute('ALTER TABLE leads ADD COLUMN territory_id VARCHAR(36)'
                   ' CONSTRAINT fk_leads_territory_id_territories REFERENCES territories (id)')
    else:
        op.add_column('leads', sa.Column('territory_id', sa.String(length=36), nullable=True))
        op.create_foreign_key('fk_leads_territory_id_territories', 'leads', 'territories',
                              ['territory_id'], ['id'])
    op.add_column('leads', sa.Column('qualification', sa.String(length=3), nullable=True))
    op.add_column('leads', sa.Column('mql_at', crmdesk.models.base.UTCDateTime(), nullable=True))
    op.add_column('leads', sa.Column('accepted_at', crmdesk.models.base.UTCDateTime(), nullable=True))
    op.add_column('leads', sa.Column('duplicate_of_id', sa.String(length=36), nullable=True))
    op.add_column('leads', sa.Column('merged_into_id', sa.String(length=36), nullable=True))

    for table, column in (('contacts', 'external_id'), ('customers', 'external_id'), ('customers', 'uscc'),
                          ('leads', 'external_id'), ('leads', 'industry'), ('leads', 'qualification'),
                          ('opportunities', 'external_id')):
        _live_index(table, column)


def downgrade() -> None:
    for table, column in (('contacts', 'external_id'), ('customers', 'external_id'), ('customers', 'uscc'),
                          ('leads', 'external_id'), ('leads', 'industry'), ('leads', 'qualification'),
                          ('opportunities', 'external_id')):
        op.drop_index(f'ix_{table}_live_{column}', table_name=table)
    for column in ('merged_into_id', 'duplicate_of_id', 'accepted_at', 'mql_at', 'qualification', 'territory_id',
                   'budget', 'company_size', 'industry'):
        op.drop_column('leads', column)
    for column in ('merged_into_id', 'duplicate_of_id'):
        op.drop_column('customers', column)
    op.drop_table('shared_settings')
    op.drop_table('record_merges')
    op.drop_table('duplicate_dismissals')
