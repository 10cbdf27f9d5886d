"""ticket assist: how a ticket was taken that the officer should know of

A ticket taken with the kiosk's voice guidance carries assist = "voice": the counter
display and the console mark it, so the officer comes to the citizen (docs/protocol.md).
Tickets issued before this revision have none.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 18:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assist', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('assist')
