"""Server tests use the hall fixtures of tests/support/hall.py (site, clock, sqlite_url,
server_factory, server, client_factory), registered in tests/conftest.py; `db` here is a
database of each kind (SQLite, PostgreSQL) for engines run without a broker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine as DbEngine

from queue_server.store.db import make_engine


@pytest.fixture
def db(db_url: str) -> Iterator[DbEngine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()
