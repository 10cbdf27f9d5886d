"""The hall's database as the engine uses it: load the hall, commit each batch's changes
in one transaction, prune what is past keeping. Errors leave as StoreError."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import Connection
from sqlalchemy import Engine as DbEngine
from sqlalchemy.exc import SQLAlchemyError

from queue_server.config import SiteConfig
from queue_server.domain.hall import Changes, Hall
from queue_server.domain.numbering import local_day
from queue_server.domain.privacy import retention_cutoff
from queue_server.store import repo
from queue_server.store.db import StoreError, checkpoint, migrate
from queue_server.store.outbox import prune_delivered
from queue_server.store.privacy import forget_appointments

log = logging.getLogger("mpp.store")
RETENTION_EVERY_S = 3600.0  # the retention job runs at most this often


class HallStore:
    """Owns the writer connection (kept open: a pool checkout and return per batch cost
    about as much as the statements themselves), the hall it loaded, and what it last
    wrote of it (repo.Written). commit() writes the changes of the hall that load()
    returned. After a StoreError from commit() that hall is ahead of the database: load()
    it again."""

    def __init__(self, cfg: SiteConfig, db: DbEngine) -> None:
        self.cfg, self.db = cfg, db
        self._hall = Hall.empty(cfg)
        self._written = repo.Written()
        self._conn: Connection | None = None
        self._next_forget = 0.0
        # told after a commit that wrote outbox records (the deliverer's wake-up)
        self.on_outbox: Callable[[], None] | None = None

    @property
    def writer(self) -> Connection | None:
        """The connection batches are committed through; None until the first commit.
        Read by the durability tests: its settings are the ones a commit runs under."""
        return self._conn

    def migrate(self) -> None:
        """Bring the schema to the newest revision."""
        try:
            migrate(self.db)
        except SQLAlchemyError as err:
            raise StoreError(f"migrate: {err}") from err

    def load(self, now: float) -> Hall:
        """A new hall from what the database holds (today's tickets, and the open ones of
        earlier days for the rollover to retire)."""
        hall = Hall.empty(self.cfg)
        written = repo.Written()
        try:
            with self.db.begin() as conn:
                repo.load_hall(conn, hall, local_day(now, self.cfg.site.tz), now, written)
                repo.ensure_rows(conn, hall, written)
        except SQLAlchemyError as err:
            raise StoreError(f"load: {err}") from err
        self._hall, self._written = hall, written
        return hall

    def commit(self, changes: Changes) -> None:
        """Write one batch's changes to the loaded hall in one durable transaction."""
        for ticket_id in changes.dropped:  # gone from the hall: no row of theirs to compare
            self._written.rows.pop(ticket_id, None)
        if changes.empty():
            return
        try:
            conn = self._writer()
            with repo.write_transaction(conn):
                repo.flush(conn, self._hall, changes, self._written)
        except StoreError:
            self.close()
            raise
        except (SQLAlchemyError, OSError) as err:
            self.close()
            raise StoreError(f"commit: {err}") from err
        if self._written.new_outbox and self.on_outbox is not None:
            self.on_outbox()

    @property
    def outbox_heads(self) -> dict[str, int]:
        """Each stream's last seq written (read by the deliverer's figures)."""
        return dict(self._written.outbox)

    def prune(self, before: float, now: float | None = None) -> None:
        """Forget command ids older than `before` (and past the policy's cap), and outbox
        records delivered more than central.keep_delivered_days ago (a bounded number per
        call); fold the SQLite WAL back."""
        try:
            conn = self._writer()
            with conn.begin():
                repo.prune_processed(conn, before, self.cfg.policy.replies_kept)
                if now is not None:
                    keep_s = self.cfg.central.keep_delivered_days * 86400.0
                    prune_delivered(conn, now - keep_s,
                                    undelivered_too=not self.cfg.central.enabled)
            checkpoint(self.db)
        except (SQLAlchemyError, OSError) as err:
            raise StoreError(f"prune: {err}") from err

    def forget_personal(self, now: float) -> int:
        """The retention job: delete the appointment details whose slot is older than the
        site's privacy.retention_days, in the database and in the loaded hall; at most once
        an hour. Returns how many appointments went."""
        if now < self._next_forget:
            return 0
        cutoff = retention_cutoff(now, self.cfg.privacy.retention_days)
        try:
            conn = self._writer()
            with conn.begin():
                gone = forget_appointments(conn, cutoff)
        except (SQLAlchemyError, OSError) as err:
            raise StoreError(f"retention: {err}") from err
        self._next_forget = now + RETENTION_EVERY_S
        if gone.codes:
            log.info("retention: %d appointments past %d days deleted", len(gone.codes),
                     self.cfg.privacy.retention_days)
        for code in gone.codes:
            self._hall.appointments.pop(code, None)
            self._written.appts.discard(code)
        for ticket_id in gone.tickets:  # an open ticket of an earlier day, still loaded
            if (t := self._hall.tickets.get(ticket_id)) is not None:
                t.appointment = None
            if (row := self._written.rows.get(ticket_id)) is not None:
                row["appointment"] = None
        return len(gone.codes)

    def close(self) -> None:
        """Close the writer connection (the next commit opens a new one)."""
        if self._conn is not None:
            try:
                self._conn.close()
            except SQLAlchemyError as err:
                log.warning("closing the writer connection: %s", err)
            self._conn = None

    def _writer(self) -> Connection:
        if self._conn is None or self._conn.closed or self._conn.invalidated:
            self._conn = self.db.connect()
        return self._conn
