"""billing: contracts, orders, payment plans and reconciliation

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Contract templates (one row per version) and contract attachments (the signed scan, as a blob); the
contract's rendered text, parties and end dates; the order's quote, status times and cancel reason; the
order line's unit; the plan's rep and basis; the installment's percentage, note, customer and rep (copied
from its plan, so the receivables read one index each); the payment's payer and contract; the
receivables indexes. Columns are added with plain ALTER TABLE ADD COLUMN (no batch
copy), as in 0002, 0005 and 0007; every new column on an existing table is nullable, so the demo's bulk
loader (which names its columns) keeps working.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crmdesk.models.base

revision: str = '0008'
down_revision: str | None = '0007'
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

# (table, column, referred table): foreign keys added to existing tables.
_REFERENCES = (
    ('orders', 'quote_id', 'quotes'),
    ('payment_plans', 'owner_id', 'users'),
    ('payments', 'contract_id', 'contracts'),
    ('installments', 'customer_id', 'customers'),
    ('installments', 'owner_id', 'users'),
)

def _columns() -> tuple[tuple[str, sa.Column], ...]:
    """Made anew on each call: a Column belongs to the one table it was added to."""
    return (
    ('contracts', sa.Column('body', sa.Text(), nullable=True)),
    ('contracts', sa.Column('seller_name', sa.String(length=200), nullable=True)),
    ('contracts', sa.Column('buyer_name', sa.String(length=200), nullable=True)),
    ('contracts', sa.Column('buyer_contact', sa.String(length=100), nullable=True)),
    ('contracts', sa.Column('buyer_phone', sa.String(length=32), nullable=True)),
    ('contracts', sa.Column('buyer_address', sa.String(length=300), nullable=True)),
    ('contracts', sa.Column('buyer_tax_id', sa.String(length=18), nullable=True)),
    ('contracts', sa.Column('finished_on', sa.Date(), nullable=True)),
    ('contracts', sa.Column('terminated_on', sa.Date(), nullable=True)),
    ('contracts', sa.Column('termination_reason', sa.Text(), nullable=True)),
    ('orders', sa.Column('confirmed_at', crmdesk.models.base.UTCDateTime(), nullable=True)),
    ('orders', sa.Column('closed_at', crmdesk.models.base.UTCDateTime(), nullable=True)),
    ('orders', sa.Column('cancelled_at', crmdesk.models.base.UTCDateTime(), nullable=True)),
    ('orders', sa.Column('cancel_reason', sa.String(length=200), nullable=True)),
    ('order_lines', sa.Column('unit', sa.String(length=20), nullable=True)),
    ('payment_plans', sa.Column('basis', sa.String(length=10), nullable=True)),
    ('installments', sa.Column('percent_bp', sa.Integer(), nullable=True)),
    ('installments', sa.Column('note', sa.String(length=200), nullable=True)),
    ('payments', sa.Column('payer', sa.String(length=200), nullable=True)),
    )


def upgrade() -> None:
    op.create_table('contract_templates',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    *_synced_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_templates')),
    sa.UniqueConstraint('code', 'version', name=op.f('uq_contract_templates_code_version'))
    )
    op.create_index(op.f('ix_contract_templates_updated_at'), 'contract_templates', ['updated_at'])

    op.create_table('contract_attachments',
    sa.Column('contract_id', sa.String(length=36), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    *_synced_columns(),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'],
                            name=op.f('fk_contract_attachments_contract_id_contracts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_attachments'))
    )
    op.create_index(op.f('ix_contract_attachments_contract_id'), 'contract_attachments', ['contract_id'])
    op.create_index(op.f('ix_contract_attachments_updated_at'), 'contract_attachments', ['updated_at'])

    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, column, referred in _REFERENCES:
        name = f'fk_{table}_{column}_{referred}'
        if sqlite:  # SQLite takes a reference only inside ADD COLUMN
            op.execute(f'ALTER TABLE {table} ADD COLUMN {column} VARCHAR(36)'
                       f' CONSTRAINT {name} REFERENCES {referred} (id)')
        else:
            op.add_column(table, sa.Column(column, sa.String(length=36), nullable=True))
            op.create_foreign_key(name, table, referred, [column], ['id'])
    for table, column in _columns():
        op.add_column(table, column)

    op.create_index(op.f('ix_payments_contract_id'), 'payments', ['contract_id'])
    # Installments made before this revision take their plan's customer and rep.
    op.execute('UPDATE installments SET customer_id = (SELECT customer_id FROM payment_plans'
               ' WHERE payment_plans.id = installments.plan_id), owner_id = (SELECT owner_id FROM payment_plans'
               ' WHERE payment_plans.id = installments.plan_id)')
    op.create_index('ix_installments_live_receivable', 'installments',
                    ['due_date', 'owner_id', 'amount', 'paid_amount', 'id'], **_LIVE)
    op.create_index('ix_installments_live_customer', 'installments',
                    ['customer_id', 'due_date', 'amount', 'paid_amount', 'id'], **_LIVE)
    op.create_index('ix_installments_live_plan', 'installments', ['plan_id', 'due_date', 'sequence'], **_LIVE)
    op.create_index('ix_payment_allocations_live_installment', 'payment_allocations',
                    ['installment_id', 'payment_id', 'amount'], **_LIVE)
    op.create_index('ix_payments_live_received', 'payments', ['received_on', 'amount', 'id'], **_LIVE)


def downgrade() -> None:
    op.drop_index('ix_payments_live_received', table_name='payments')
    op.drop_index('ix_payment_allocations_live_installment', table_name='payment_allocations')
    op.drop_index('ix_installments_live_plan', table_name='installments')
    for name in ('customer', 'receivable'):
        op.drop_index(f'ix_installments_live_{name}', table_name='installments')
    op.drop_index(op.f('ix_payments_contract_id'), table_name='payments')
    for table, column in reversed(_columns()):
        op.drop_column(table, column.name)
    # A column with a reference cannot be dropped by ALTER TABLE on SQLite: batch mode copies the table.
    for table, column, referred in reversed(_REFERENCES):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_{column}_{referred}', type_='foreignkey')
            batch_op.drop_column(column)
    op.drop_table('contract_attachments')
    op.drop_table('contract_templates')
