"""Fixtures for the report tests: a migrated database on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from queue_server.store.db import make_engine, migrate


@pytest.fixture
def db(db_url: str) -> Iterator[Engine]:
    """The real schema (Alembic migrations), once per backend."""
    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()
