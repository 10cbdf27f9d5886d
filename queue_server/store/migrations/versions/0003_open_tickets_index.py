"""tickets: a small partial index over the open tickets instead of one over every status

A call rewrites two tickets' status. With an index over every status, each change moved an
entry between regions of a large index (two or three pages per call to write and sync); the
partial index holds only waiting/called/serving tickets, a page or two in all. The
(day, service) index duplicated the prefix of uq_ticket_number and is dropped.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

OPEN = sa.text("status IN ('waiting', 'called', 'serving')")


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_status')
        batch_op.drop_index('ix_tickets_day_service')
        batch_op.create_index('ix_tickets_open', ['status'], unique=False,
                              sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_open')
        batch_op.create_index('ix_tickets_day_service', ['day', 'service'], unique=False)
        batch_op.create_index('ix_tickets_status', ['status'], unique=False)
