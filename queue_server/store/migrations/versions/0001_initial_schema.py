"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 05:53:13.558971
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('appointments',
    sa.Column('code', sa.String(length=128), nullable=False),
    sa.Column('service', sa.String(length=32), nullable=False),
    sa.Column('slot_at', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('ticket', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('counters',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('ticket', sa.String(length=32), nullable=True),
    sa.Column('since', sa.Float(), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=True),
    sa.Column('officer', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('seq', sa.Integer(), nullable=True),
    sa.Column('at', sa.Float(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('ticket', sa.String(length=32), nullable=True),
    sa.Column('counter', sa.String(length=32), nullable=True),
    sa.Column('device', sa.String(length=32), nullable=True),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('seq')
    )
    op.create_table('feedback',
    sa.Column('ticket', sa.String(length=32), nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.Column('service', sa.String(length=32), nullable=False),
    sa.Column('counter', sa.String(length=32), nullable=True),
    sa.Column('scores', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('ticket')
    )
    op.create_table('processed',
    sa.Column('n', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('device', sa.String(length=32), nullable=False),
    sa.Column('cmd_id', sa.String(length=64), nullable=False),
    sa.Column('op', sa.String(length=32), nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('n')
    )
    op.create_table('service_days',
    sa.Column('service', sa.String(length=32), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.Column('walkins', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('service', 'day')
    )
    op.create_table('service_state',
    sa.Column('service', sa.String(length=32), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=True),
    sa.Column('priority_streak', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('service')
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('tickets',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('service', sa.String(length=32), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=True),
    sa.Column('appointment', sa.String(length=128), nullable=True),
    sa.Column('slot_at', sa.Float(), nullable=True),
    sa.Column('issued_at', sa.Float(), nullable=False),
    sa.Column('queue_at', sa.Float(), nullable=False),
    sa.Column('front', sa.Boolean(), nullable=False),
    sa.Column('counter', sa.String(length=32), nullable=True),
    sa.Column('called_at', sa.Float(), nullable=True),
    sa.Column('started_at', sa.Float(), nullable=True),
    sa.Column('finished_at', sa.Float(), nullable=True),
    sa.Column('recalls', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=32), nullable=True),
    sa.Column('lang', sa.String(length=2), nullable=True),
    sa.Column('device', sa.String(length=32), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('officer', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('day', 'service', 'number', name='uq_ticket_number')
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.create_index('ix_tickets_day_service', ['day', 'service'], unique=False)
        batch_op.create_index('ix_tickets_status', ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_status')
        batch_op.drop_index('ix_tickets_day_service')

    op.drop_table('tickets')
    op.drop_table('settings')
    op.drop_table('service_state')
    op.drop_table('service_days')
    op.drop_table('processed')
    op.drop_table('feedback')
    op.drop_table('events')
    op.drop_table('counters')
    op.drop_table('appointments')
