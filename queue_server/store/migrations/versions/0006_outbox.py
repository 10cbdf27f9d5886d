"""outbox: what the outside world is owed, and each stream's delivery

Each ticket's life when it ends, each day's figures, each survey answer and each device
incident, written in the transaction of the change that made it, numbered per stream
(issue 14, docs/outside-world.md); and per stream how far the city's central has
acknowledged it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # id: the stream's place * 2**40 + seq; INTEGER on SQLite: the rowid, one b-tree
    op.create_table('outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
              autoincrement=False, nullable=False),
    sa.Column('stream', sa.String(length=16), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.Float(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    streams = op.create_table('outbox_streams',
    sa.Column('stream', sa.String(length=16), nullable=False),
    sa.Column('delivered', sa.Integer(), nullable=False),
    sa.Column('delivered_at', sa.Float(), nullable=True),
    sa.Column('tried_at', sa.Float(), nullable=True),
    sa.Column('error', sa.String(length=32), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('stream')
    )
    # one row per stream of the upload format, version 1 (protocol/upload.py STREAMS)
    op.bulk_insert(streams, [{'stream': s, 'delivered': 0}
                             for s in ('tickets', 'days', 'surveys', 'incidents')])


def downgrade() -> None:
    op.drop_table('outbox_streams')
    op.drop_table('outbox')
