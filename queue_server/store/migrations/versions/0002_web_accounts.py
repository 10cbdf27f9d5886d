"""web dashboard: accounts, sessions, sign-in failures

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 08:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('web_accounts',
    sa.Column('username', sa.String(length=28), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('username')
    )
    op.create_table('web_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('username', sa.String(length=28), nullable=False),
    sa.Column('csrf', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.Float(), nullable=False),
    sa.Column('expires_at', sa.Float(), nullable=False),
    sa.Column('last_seen', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('token_hash')
    )
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_web_sessions_username', ['username'], unique=False)
    op.create_table('web_signin_failures',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=28), nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.Column('remote', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('web_signin_failures', schema=None) as batch_op:
        batch_op.create_index('ix_web_signin_failures_user_at', ['username', 'at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('web_signin_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_web_signin_failures_user_at')
    op.drop_table('web_signin_failures')
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_web_sessions_username')
    op.drop_table('web_sessions')
    op.drop_table('web_accounts')
