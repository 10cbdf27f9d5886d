"""Fixtures for the report tests: a migrated database on SQLite and PostgreSQL, and the
hand-computed fixture day's report (SQLite) for the export tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from queue_server.reporting import day_report
from queue_server.store.db import make_engine, migrate
from tests.reporting.data import insert_rows
from tests.reporting.fixture_day import DAY, FEEDBACK, TICKETS, fixture_site


@pytest.fixture
def db(db_url: str) -> Iterator[Engine]:
    """The real schema (Alembic migrations), once per backend."""
    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def fixture_report(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The report of tests/reporting/fixture_day.py, from a SQLite file."""
    engine = make_engine(f"sqlite:///{tmp_path / 'report.db'}")
    try:
        migrate(engine)
        insert_rows(engine, TICKETS, FEEDBACK)
        yield day_report(engine, fixture_site(), DAY, DAY)
    finally:
        engine.dispose()
