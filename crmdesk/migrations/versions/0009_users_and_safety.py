"""users and safety: sign-in, tokens, an append-only audit log

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

The users' sign-in state (failed attempts, lock, last sign-in, when the password was set and whether
it must be changed), the administrators' tokens for the CLI (only a hash of each is kept), an index for
the audit log viewer (by time), and triggers that make the audit log append-only: no UPDATE or DELETE
reaches it, whichever program writes the file. Plain ALTER TABLE ADD COLUMN, as in 0002 and later.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crmdesk.models.base

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _user_columns() -> tuple[sa.Column, ...]:
    return (
        sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('locked_until', crmdesk.models.base.UTCDateTime(), nullable=True),
        sa.Column('last_login_at', crmdesk.models.base.UTCDateTime(), nullable=True),
        sa.Column('password_changed_at', crmdesk.models.base.UTCDateTime(), nullable=True),
        sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def upgrade() -> None:
    for column in _user_columns():
        op.add_column('users', column)
    op.create_table(
        'api_tokens',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('user_id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', crmdesk.models.base.UTCDateTime(), nullable=False),
        sa.Column('last_used_at', crmdesk.models.base.UTCDateTime(), nullable=True),
        sa.Column('revoked_at', crmdesk.models.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    )
    op.create_index('ix_api_tokens_token_hash', 'api_tokens', ['token_hash'], unique=True)
    op.create_index('ix_audit_log_at', 'audit_log', ['at', 'id'])
    op.create_index('ix_audit_log_user_at', 'audit_log', ['user_id', 'at'])
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                   "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")
        op.execute("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
                   "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.drop_index('ix_audit_log_user_at', table_name='audit_log')
    op.drop_index('ix_audit_log_at', table_name='audit_log')
    op.drop_index('ix_api_tokens_token_hash', table_name='api_tokens')
    op.drop_table('api_tokens')
    for column in reversed(_user_columns()):
        op.drop_column('users', column.name)
