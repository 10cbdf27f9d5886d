"""One server per hall database. Two engines on one database would each number tickets
from their own memory and hand out duplicates, so the server holds a lock while it runs:
on SQLite an flock beside the file (`backup.DatabaseLock`, which `mpp restore` also
respects), on PostgreSQL a session advisory lock on a connection of its own. Either is let
go by the system when the process dies, SIGKILL included: no stale lock after a crash."""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

log = logging.getLogger("mpp.server")

ADVISORY_KEY_PREFIX = "mpp-server:"


def advisory_key(site: str) -> int:
    """A stable signed 64-bit key for the site (pg_try_advisory_lock takes a bigint)."""
    digest = hashlib.sha256(f"{ADVISORY_KEY_PREFIX}{site}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class AdvisoryLock:
    """PostgreSQL's session advisory lock for the site, held on a connection kept out of
    the engine's pool work (autocommit: it idles outside any transaction)."""

    def __init__(self, engine: Engine, site: str) -> None:
        self.engine = engine
        self.key = advisory_key(site)
        self.path = f"PostgreSQL advisory lock {self.key} (site {site})"  # for messages
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar()
        if not got:
            conn.close()
            return False
        self._conn = conn
        return True

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
        except DBAPIError as err:  # the session is gone (server restarted, database
            # dropped), and its locks with it
            log.info("the advisory lock's session was already gone: %s", err.orig)
        finally:
            self._conn.invalidate()  # never back to the pool holding a session lock
            self._conn.close()
            self._conn = None
