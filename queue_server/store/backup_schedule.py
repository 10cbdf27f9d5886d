"""The server's backups: every N minutes and when asked (the day's close), on a thread of
their own so the engine never waits for a disk; the last outcome is kept for /health."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from queue_server.store.backup import (
    BackupError,
    DatabaseLock,
    backup_database,
    backups_of,
    sqlite_path,
)
from queue_server.store.server_lock import AdvisoryLock

log = logging.getLogger("mpp.backup")


@dataclass(frozen=True)
class BackupOutcome:
    at: float  # epoch seconds, when it ended
    reason: str  # "schedule", "day_close", ...
    file: Path | None  # the new backup; None when it failed
    error: str | None  # a BackupError code; None when it worked
    message: str | None = None
    run: int = 0  # 1, 2, ... since the schedule started

    def as_dict(self) -> dict[str, Any]:
        return {"at": datetime.fromtimestamp(self.at, UTC).isoformat(timespec="seconds"),
                "reason": self.reason, "ok": self.error is None,
                "file": self.file.name if self.file else None, "error": self.error,
                "message": self.message}


class BackupSchedule:
    """Backs up `db` into `dest_dir` every `every_s` and at each `request()`; a failure is
    logged and kept as the last outcome, and the next run tries again."""

    def __init__(self, db: str, dest_dir: Path, *, label: str, keep: int, every_s: float,
                 on_outcome: Callable[[BackupOutcome], None] | None = None) -> None:
        self.db, self.dest_dir, self.label = db, dest_dir, label
        self.keep, self.every_s = keep, every_s
        self.on_outcome = on_outcome
        self._cond = threading.Condition()
        self._asked: list[str] = []
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.outcomes: list[BackupOutcome] = []  # newest last; only the last 20 kept
        self.runs = 0  # backups tried since start
        self._started = 0

    @property
    def last(self) -> BackupOutcome | None:
        with self._cond:
            return self.outcomes[-1] if self.outcomes else None

    def health(self) -> dict[str, Any]:
        """For /health: the folder, the schedule and the last outcome (None before the
        first backup)."""
        last = self.last
        return {"dir": str(self.dest_dir), "every_min": round(self.every_s / 60, 2),
                "keep": self.keep, "last": last.as_dict() if last else None}

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="mpp-backup", daemon=True)
        self._thread.start()

    def request(self, reason: str) -> int:
        """Take a backup soon; the caller never waits for it. Returns the number of the
        run that will serve it (for `wait_run`): one that starts after this call."""
        with self._cond:
            self._asked.append(reason)
            self._cond.notify_all()
            return self._started + 1

    def wait_run(self, run: int, timeout: float) -> BackupOutcome | None:
        """Block until run number `run` has ended; its outcome, or None on timeout."""
        with self._cond:
            if not self._cond.wait_for(lambda: self.runs >= run, timeout):
                return None
            return next((o for o in self.outcomes if o.run == run), None)

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(60)
            self._thread = None

    def _first_due_s(self) -> float:
        """Seconds until the first run: a server restarted again and again (a crash loop,
        power cuts) must not put its backups off for ever, so the newest backup's age
        counts; no backup yet: one interval after start."""
        try:
            newest = max((p.stat().st_mtime for p in backups_of(self.dest_dir, self.label)),
                         default=None)
        except OSError:
            newest = None
        if newest is None:
            return self.every_s
        return min(self.every_s, max(0.0, newest + self.every_s - time.time()))

    def _run(self) -> None:
        next_at = time.monotonic() + self._first_due_s()
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._stopping or bool(self._asked),
                                    max(0.0, next_at - time.monotonic()))
                if self._stopping:
                    return
                # one run serves every request made before it starts
                reason = self._asked[0] if self._asked else "schedule"
                self._asked.clear()
                self._started += 1
                run = self._started
            if reason == "schedule" or time.monotonic() >= next_at:
                next_at = time.monotonic() + self.every_s
            self._record(replace(self.run_once(reason), run=run))

    def run_once(self, reason: str) -> BackupOutcome:
        try:
            path = backup_database(self.db, self.dest_dir, keep=self.keep, label=self.label)
        except BackupError as err:
            log.error("backup failed (%s): %s", err.code, err)
            return BackupOutcome(time.time(), reason, None, err.code, str(err))
        except Exception as err:  # a backup bug must not end the backups, nor the server
            log.exception("backup failed")
            return BackupOutcome(time.time(), reason, None, "backup_failed", str(err))
        log.info("backup %s written (%s)", path, reason)
        return BackupOutcome(time.time(), reason, path, None)

    def _record(self, outcome: BackupOutcome) -> None:
        with self._cond:
            self.outcomes = [*self.outcomes[-19:], outcome]
            self.runs += 1
            self._cond.notify_all()
        if self.on_outcome is not None:
            self.on_outcome(outcome)


def server_lock(db_url: str, engine: Engine, site: str) -> DatabaseLock | AdvisoryLock | None:
    """The lock a server holds on its database (queue_server/store/server_lock.py)."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine, site)
    try:
        return DatabaseLock(sqlite_path(db_url))
    except BackupError:  # in memory: nobody else can reach it
        return None


def server_backups(db_url: str, label: str, backup_dir: str | None, keep: int,
                   every_min: float) -> BackupSchedule | None:
    """The server's backup schedule, or None when no folder is set."""
    if not backup_dir:
        return None
    return BackupSchedule(db_url, Path(backup_dir), label=label, keep=keep,
                          every_s=every_min * 60)
