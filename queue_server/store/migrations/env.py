"""Alembic environment: runs on the connection handed in by store.db.migrate,
or on the URL in MPP_DB_URL for the alembic command line."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

import queue_server.store.accounts  # noqa: F401  (declares its tables on Base)
from queue_server.store.models import Base

# Every table the migrations create: the hall's (models.py) and the dashboard accounts'
# (accounts.py), both declared on Base. tests/store/test_migrations.py checks that
# autogenerate finds nothing to add or drop.
target_metadata = Base.metadata


def run() -> None:
    conn = context.config.attributes.get("connection")
    if conn is not None:
        context.configure(connection=conn, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(os.environ["MPP_DB_URL"])
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run()
