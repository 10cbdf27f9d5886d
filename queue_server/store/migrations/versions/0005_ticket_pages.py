"""ticket pages and survey tablets: the digest of each ticket's page key, the tablets paired
with a counter

A ticket's own page (/t/{key}) is opened by a secret key that only the ticket.issue reply
and the printed QR carry; the tickets table holds its SHA-256 (indexed: the page looks the
ticket up by it). Tickets issued before this revision have none: their page opens nothing.
A counter's survey tablet holds a cookie token whose SHA-256 is kept with its counter.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_digest', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_tickets_key_digest', ['key_digest'], unique=False)
    op.create_table('survey_tablets',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('counter', sa.String(length=32), nullable=False),
    sa.Column('paired_at', sa.Float(), nullable=False),
    sa.Column('paired_by', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('token_hash'),
    sa.UniqueConstraint('counter')
    )


def downgrade() -> None:
    op.drop_table('survey_tablets')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_tickets_key_digest')
        batch_op.drop_column('key_digest')
