"""`mpp upgrade BUNDLE`: install a release beside the running one, then stop, back up,
migrate, switch, start and check it; on any failure after the stop, go back to the
previous release and the database as it was before the migration.

Exit codes (stable: scripts and the docs rely on them):
    0  upgraded (or the bundle's release is current already)
    3  bundle refused (unreadable, incomplete, corrupt): nothing changed
    4  another upgrade is running on this box: nothing changed
    5  the new release could not be installed, or the services not stopped, or the
       database not backed up: the old release runs on, database untouched
    6  the new release failed (migration or health check) and was rolled back: the
       previous release runs again on the database from before the migration
    7  the rollback failed too: the box needs a technician (the message says what)
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mpp.release.bundle import BundleError, open_bundle
from mpp.upgrade.backup import backup_databases, keep_owner, restore_databases
from mpp.upgrade.health import wait_healthy
from mpp.upgrade.releases import Busy, ReleaseError, Releases
from mpp.upgrade.services import ServiceError, Services

OK, REFUSED, BUSY, NOT_INSTALLED, ROLLED_BACK, ROLLBACK_FAILED = 0, 3, 4, 5, 6, 7

Say = Callable[[str], None]


@dataclass(frozen=True)
class UpgradeOptions:
    bundle: Path
    root: Path
    services: Services
    data_dir: Path
    backup_dir: Path
    health_url: str | None = None
    health_timeout_s: float = 60.0
    health_ca: Path | None = None
    keep: int = 3
    python: str = sys.executable


def upgrade(opts: UpgradeOptions, say: Say = print) -> int:
    releases = Releases(opts.root / "opt" / "mpp")
    try:
        with releases.locked():
            return _upgrade(opts, releases, say)
    except Busy as err:
        say(f"error: {err}")
        return BUSY
    except OSError as err:  # before anything changed: e.g. not run as root
        say(f"error: cannot prepare the upgrade: {err}")
        return NOT_INSTALLED


def _upgrade(opts: UpgradeOptions, releases: Releases, say: Say) -> int:
    with tempfile.TemporaryDirectory(prefix=".incoming-", dir=releases.base) as scratch:
        say(f"checking bundle {opts.bundle}")
        try:
            bundle = open_bundle(opts.bundle, Path(scratch))
        except BundleError as err:
            say(f"error: bundle refused: {err}")
            return REFUSED
        previous = releases.current()
        if previous == bundle.version:
            say(f"release {bundle.version} is current already: nothing to do")
            return OK
        say(f"[1/7] installing release {bundle.version} into "
            f"{releases.folder / bundle.version} (offline, {len(bundle.pins)} pinned "
            f"dependencies; the running release {previous or '(none)'} is untouched)")
        try:
            releases.install(bundle, opts.python)
        except (ReleaseError, OSError) as err:
            say(f"error: {err}")
            return NOT_INSTALLED
    return _switch_over(opts, releases, bundle.version, previous, say)


def _switch_over(opts: UpgradeOptions, releases: Releases, version: str,
                 previous: str | None, say: Say) -> int:
    services = opts.services
    databases = sorted(opts.data_dir.glob("*.db")) if opts.data_dir.is_dir() else []
    say(f"[2/7] stopping {' '.join(services.units)}")
    try:
        services.stop()
    except ServiceError as err:
        say(f"error: {err}")
        return _start_old(services, NOT_INSTALLED, say)
    folder = opts.backup_dir / f"pre-upgrade-{version}-{time.strftime('%Y%m%d-%H%M%S')}"
    say(f"[3/7] backing up {len(databases)} database(s) to {folder}")
    try:
        copies = backup_databases(databases, folder) if databases else []
    except (OSError, sqlite3.Error) as err:
        say(f"error: cannot back up the database: {err}")
        return _start_old(services, NOT_INSTALLED, say)
    rollback = _Rollback(opts, releases, previous, databases, copies, say)
    say(f"[4/7] migrating {len(databases)} database(s) with release {version}")
    try:
        _migrate(releases.folder / version / "venv", databases)
    except ReleaseError as err:
        return rollback(version, str(err))
    say(f"[5/7] switching {releases.current_link} -> releases/{version}")
    try:
        releases.switch(version)
    except OSError as err:
        return rollback(version, f"cannot switch {releases.current_link}: {err}")
    say(f"[6/7] starting {' '.join(services.units)} and checking health "
        f"({opts.health_url or 'units running'}, up to {opts.health_timeout_s:g} s)")
    try:
        services.start()
        why = wait_healthy(services, opts.health_url, opts.health_timeout_s, opts.health_ca)
    except ServiceError as err:
        why = str(err)
    if why is not None:
        return rollback(version, f"health check failed: {why}")
    try:
        removed = releases.prune(opts.keep, {v for v in (version, previous) if v})
    except OSError as err:  # the upgrade itself went well
        say(f"warning: cannot remove old releases: {err}")
        removed = []
    say(f"[7/7] release {version} is running and healthy"
        + (f"; removed old releases {', '.join(removed)}" if removed else ""))
    return OK


@dataclass(frozen=True)
class _Rollback:
    opts: UpgradeOptions
    releases: Releases
    previous: str | None
    databases: list[Path]
    copies: list[Path]
    say: Say

    def __call__(self, version: str, reason: str) -> int:
        say, services = self.say, self.opts.services
        say(f"error: release {version} failed: {reason}")
        say(f"rolling back to {self.previous or '(no release)'}: stopping, switching "
            "current back, restoring the database from before the migration")
        try:
            services.stop()
            self.releases.switch(self.previous)
            restore_databases(self.databases, self.copies)
            why = None
            if self.previous is not None:
                services.start()
                why = wait_healthy(services, self.opts.health_url,
                                   self.opts.health_timeout_s, self.opts.health_ca)
        except (ServiceError, OSError, sqlite3.Error) as err:
            why = str(err)
        if why is not None:
            say(f"error: ROLLBACK FAILED: {why}. The database backup is in "
                f"{self.copies[0].parent if self.copies else '(none)'}; see "
                "docs/upgrades.md, 'When the rollback fails'")
            return ROLLBACK_FAILED
        say(f"rolled back: release {self.previous or '(none)'} runs again on the database "
            f"restored from {self.copies[0].parent if self.copies else '(no database)'}")
        return ROLLED_BACK


def _start_old(services: Services, code: int, say: Say) -> int:
    """Nothing was switched: bring the old release's services back up."""
    try:
        services.start()
    except ServiceError as err:
        say(f"error: ROLLBACK FAILED: the old release does not start again: {err}")
        return ROLLBACK_FAILED
    say("the old release runs on, its database untouched")
    return code


def _migrate(venv: Path, databases: list[Path]) -> None:
    """The NEW release's Alembic migrations (its `mpp migrate`), one database at a time."""
    for db in databases:
        try:
            done = subprocess.run([str(venv / "bin" / "mpp"), "migrate", "--db",
                                   f"sqlite:///{db}"], capture_output=True, text=True,
                                  check=False)
        except OSError as err:
            raise ReleaseError(f"cannot run the new release's mpp migrate: {err}") from None
        keep_owner([db])
        if done.returncode != 0:
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
            raise ReleaseError(f"migration of {db} failed (exit {done.returncode}):\n{tail}")
