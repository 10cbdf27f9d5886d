"""sites and records: the halls a central serves, and every record they uploaded

A record is stored once per key (site, stream, seq): the primary key is the deduplication,
INSERT ... ON CONFLICT DO NOTHING its only writer. `digest` (SHA-256 of the record's type,
time and data) tells a repeat from a different record under a key already taken (a hall's
database restored from an old backup numbers again from there).

Revision ID: c0001
Revises:
Create Date: 2026-12-04 09:00:00
"""
from alembic import op

revision = 'c0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE sites (
            id varchar(32) PRIMARY KEY,
            token_hash char(64) NOT NULL UNIQUE,
            added_at timestamptz NOT NULL DEFAULT now(),
            disabled boolean NOT NULL DEFAULT false
        )""")
    op.execute("""
        CREATE TABLE records (
            site varchar(32) NOT NULL,
            stream varchar(16) NOT NULL,
            seq bigint NOT NULL,
            type varchar(64) NOT NULL,
            at timestamptz NOT NULL,
            data jsonb NOT NULL,
            digest char(64) NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (site, stream, seq)
        )""")


def downgrade() -> None:
    op.execute("DROP TABLE records")
    op.execute("DROP TABLE sites")
