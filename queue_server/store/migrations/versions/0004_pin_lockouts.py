"""pin_lockouts: wrong officer PINs per (device, officer code), so a lock survives a
restart; web_signin_failures: an index by address, for the dashboard's per-address limit

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'pin_lockouts',
        sa.Column('device', sa.String(length=32), nullable=False),
        sa.Column('officer', sa.String(length=32), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('locks', sa.Integer(), nullable=False),
        sa.Column('until', sa.Float(), nullable=False),
        sa.Column('at', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('device', 'officer'),
    )
    with op.batch_alter_table('web_signin_failures', schema=None) as batch_op:
        batch_op.create_index('ix_web_signin_failures_remote_at', ['remote', 'at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('web_signin_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_web_signin_failures_remote_at')
    op.drop_table('pin_lockouts')
