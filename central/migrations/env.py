"""Alembic environment of the central's own schema (central/db.py migrate hands in the
connection). Its version table is `central_version`, apart from a hall's."""

from __future__ import annotations

from alembic import context

from central.db import VERSION_TABLE


def run() -> None:
    conn = context.config.attributes["connection"]
    context.configure(connection=conn, target_metadata=None, version_table=VERSION_TABLE)
    with context.begin_transaction():
        context.run_migrations()


run()
