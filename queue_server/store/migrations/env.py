"""Alembic environment: runs on the connection handed in by store.db.migrate,
or on the URL in MPP_DB_URL for the alembic command line."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from queue_server.store.models import Base

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
