"""quotes: catalog, quote approvals and versions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

The quote's history (quote_events); the quote's price list, sent and accepted times; each line's catalog
price (discounts are measured against it) and lineage (versions compare line by line); products' pinyin
for the picker's search. One current and at most one accepted version per quote number (partial unique
indexes). Columns are added with plain ALTER TABLE ADD COLUMN (no batch copy), as in 0002 and 0005.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crmdesk.models.base

revision: str = '0007'
down_revision: str | None = '0006'
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


_LIVE = {'sqlite_where': sa.text('deleted_at IS NULL'), 'postgresql_where': sa.text('deleted_at IS NULL')}
_QUOTE_LIST_COLUMNS = ('number', 'status', 'total', 'valid_until', 'created_at')


def _fill_product_pinyin() -> None:
    """Products made before this revision get the pinyin the picker searches by."""
    from crmdesk.services.text import name_pinyin

    bind = op.get_bind()
    rows = bind.execute(sa.text('SELECT id, name_zh FROM products')).fetchall()
    for product_id, name in rows:
        full, initials = name_pinyin(name or '', person=False)
        bind.execute(sa.text('UPDATE products SET name_pinyin = :full, name_initials = :initials WHERE id = :id'),
                     {'full': full or None, 'initials': initials or None, 'id': product_id})


def upgrade() -> None:
    op.create_table('quote_events',
    sa.Column('quote_id', sa.String(length=36), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.Column('at', crmdesk.models.base.UTCDateTime(), nullable=False),
    *_synced_columns(),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], name=op.f('fk_quote_events_quote_id_quotes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quote_events'))
    )
    op.create_index('ix_quote_events_quote_at', 'quote_events', ['quote_id', 'at'])
    op.create_index(op.f('ix_quote_events_updated_at'), 'quote_events', ['updated_at'])

    if op.get_bind().dialect.name == 'sqlite':  # SQLite takes a reference only inside ADD COLUMN
        op.execute('ALTER TABLE quotes ADD COLUMN price_list_id VARCHAR(36)'
                   ' CONSTRAINT fk_quotes_price_list_id_price_lists REFERENCES price_lists (id)')
    else:
        op.add_column('quotes', sa.Column('price_list_id', sa.String(length=36), nullable=True))
        op.create_foreign_key('fk_quotes_price_list_id_price_lists', 'quotes', 'price_lists',
                              ['price_list_id'], ['id'])
    op.add_column('quotes', sa.Column('sent_at', crmdesk.models.base.UTCDateTime(), nullable=True))
    op.add_column('quotes', sa.Column('accepted_at', crmdesk.models.base.UTCDateTime(), nullable=True))
    for column in _QUOTE_LIST_COLUMNS:
        op.create_index(f'ix_quotes_live_{column}', 'quotes', [column, 'id'], **_LIVE)
    op.create_index('uq_quotes_current_number', 'quotes', ['number'], unique=True,
                    sqlite_where=sa.text('is_current = 1 AND deleted_at IS NULL'),
                    postgresql_where=sa.text('is_current AND deleted_at IS NULL'))
    op.create_index('uq_quotes_accepted_number', 'quotes', ['number'], unique=True,
                    sqlite_where=sa.text("status = 'accepted' AND deleted_at IS NULL"),
                    postgresql_where=sa.text("status = 'accepted' AND deleted_at IS NULL"))

    op.add_column('quote_lines', sa.Column('list_price', crmdesk.models.base.Money(), nullable=True))
    op.add_column('quote_lines', sa.Column('lineage_id', sa.String(length=36), nullable=True))

    op.add_column('products', sa.Column('name_pinyin', sa.String(length=200), nullable=True))
    op.add_column('products', sa.Column('name_initials', sa.String(length=50), nullable=True))
    _fill_product_pinyin()


def downgrade() -> None:
    for column in ('name_initials', 'name_pinyin'):
        op.drop_column('products', column)
    for column in ('lineage_id', 'list_price'):
        op.drop_column('quote_lines', column)
    op.drop_index('uq_quotes_accepted_number', table_name='quotes')
    op.drop_index('uq_quotes_current_number', table_name='quotes')
    for column in _QUOTE_LIST_COLUMNS:
        op.drop_index(f'ix_quotes_live_{column}', table_name='quotes')
    for column in ('accepted_at', 'sent_at'):
        op.drop_column('quotes', column)
    with op.batch_alter_table('quotes') as batch_op:  # a referencing column cannot be dropped in place
        batch_op.drop_column('price_list_id')
    op.drop_index(op.f('ix_quote_events_updated_at'), table_name='quote_events')
    op.drop_index('ix_quote_events_quote_at', table_name='quote_events')
    op.drop_table('quote_events')
