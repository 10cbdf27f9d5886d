"""Database engine set-up: SQLite (WAL, synchronous=FULL, BEGIN IMMEDIATE) or
PostgreSQL through the same code, and Alembic migrations at start."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).parent / "migrations"
log = logging.getLogger("mpp.store")


class StoreError(Exception):
    """`refused_value`: the database refused a value (a DB-API DataError: too long, a
    character it cannot store), not the write as such: the command, not the disk, is to
    blame."""

    code = "storage_error"

    def __init__(self, message: str, refused_value: bool = False) -> None:
        super().__init__(message)
        self.refused_value = refused_value


def _sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let us emit BEGIN ourselves: pysqlite's lazy BEGIN turns a
        # read-then-write transaction into an immediate "database is locked".
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # durable across power loss
        cur.execute("PRAGMA busy_timeout=5000")
        # No checkpoint inside a command's commit (it made the slowest 1% of calls several
        # ms slower): a Checkpointer thread folds the WAL back about once a second.
        cur.execute("PRAGMA wal_autocheckpoint=0")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        _sqlite_hooks(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Checkpointer:
    """Folds the SQLite WAL back into the database every `interval_s`, on its own
    connection and thread (PASSIVE: it never blocks the writer).

    Once a second. Folds every 50 ms let the WAL start over more often (commits then
    overwrite it in place, not append), but on a busy disk their extra fsyncs made the
    slowest commits slower (p90/p99 up 10-50 %, docs/benchmarks.md)."""

    def __init__(self, engine: Engine, interval_s: float = 1.0) -> None:
        self._path = engine.url.database if engine.dialect.name == "sqlite" else None
        self._interval = interval_s
        self._stop = threading.Event()
        self.done = threading.Event()  # set after each checkpoint (for tests, health)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._path and self._path != ":memory:":
            self._thread = threading.Thread(target=self._run, name="mpp-checkpoint",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        assert self._path is not None
        conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout=5000")
            while not self._stop.wait(self._interval):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                    self.done.set()
                except sqlite3.Error as err:
                    log.warning("WAL checkpoint failed (will retry): %s", err)
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None


def checkpoint(engine: Engine) -> None:
    """Fold the SQLite WAL back into the database without blocking the writer."""
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()  # outside any transaction (autocommit: see _on_connect)
    try:
        cur = raw.cursor()
        cur.execute("PRAGMA wal_checkpoint(PASSIVE)")
        cur.close()
    finally:
        raw.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
