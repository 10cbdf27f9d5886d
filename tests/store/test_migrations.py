"""The metadata Alembic sees (queue_server/store/migrations/env.py) against the schema the
migrations build, on SQLite and PostgreSQL: `alembic revision --autogenerate` must neither
miss a table (it would write a migration dropping it) nor find one the migrations lack.

Alembic runs in a fresh interpreter, as it does for a developer: in this one, other tests
may already have imported every module that declares tables."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect

from queue_server.store.db import MIGRATIONS, make_engine, migrate

ROOT = Path(__file__).resolve().parents[2]

# prints the tables of the target_metadata env.py hands to Alembic
TARGET_TABLES = f"""
import json, sys
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
cfg = Config()
cfg.set_main_option("script_location", {str(MIGRATIONS)!r})
script = ScriptDirectory.from_config(cfg)
seen = []
def capture(_rev, context):
    seen.append(sorted(context.opts["target_metadata"].tables))
    return []  # run nothing
with EnvironmentContext(cfg, script, fn=capture):
    script.run_env()
json.dump(seen[0], sys.stdout)
"""


@pytest.fixture
def migrated(db_url: str) -> Iterator[tuple[str, Engine]]:
    engine = make_engine(db_url)
    migrate(engine)
    yield db_url, engine
    engine.dispose()


def _alembic_python(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MPP_DB_URL": db_url}  # env.py's URL for the command line
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=False)


def test_alembic_sees_every_table_the_migrations_create(migrated: tuple[str, Engine]) -> None:
    # GIVEN a fresh database brought to the newest revision
    db_url, engine = migrated
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    # WHEN Alembic's environment is loaded in a fresh interpreter
    run = _alembic_python(db_url, "-c", TARGET_TABLES)
    # THEN its metadata has exactly those tables, the dashboard's accounts included
    assert run.returncode == 0, run.stderr
    assert set(json.loads(run.stdout)) == tables
    assert {"tickets", "web_accounts", "web_sessions", "web_signin_failures"} <= tables


def test_autogenerate_finds_nothing_to_change(migrated: tuple[str, Engine],
                                              tmp_path: Path) -> None:
    # GIVEN a fresh database at the newest revision and the alembic command line
    db_url, _engine = migrated
    ini = tmp_path / "alembic.ini"
    ini.write_text(f"[alembic]\nscript_location = {MIGRATIONS}\n")
    # WHEN `alembic check` compares the models with it (autogenerate, writing nothing)
    run = _alembic_python(db_url, "-m", "alembic", "-c", str(ini), "check")
    # THEN it proposes no operation
    assert run.returncode == 0, run.stderr + run.stdout
    assert "No new upgrade operations detected" in run.stdout + run.stderr
