"""`mpp backup` (a one-off online backup, also while the server runs), `mpp restore` (only
while no server runs on the database) and the server's --backup-* options."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mpp.common import UsageError
from queue_server.store.backup import BackupError, backup_database, restore_database

DEFAULT_KEEP = 48  # two days of hourly backups, plus the day closes
DEFAULT_EVERY_MIN = 60.0


def add_server_options(server: argparse.ArgumentParser) -> None:
    server.add_argument("--backup-dir", default=os.environ.get("MPP_BACKUP_DIR") or None,
                        help="take online backups of the SQLite database into this folder "
                             "(a second disk or USB stick; default $MPP_BACKUP_DIR, else "
                             "no backups)")
    server.add_argument("--backup-keep", type=_positive_int, default=DEFAULT_KEEP,
                        help=f"keep the newest N backups (default {DEFAULT_KEEP})")
    server.add_argument("--backup-every", type=_positive_float, default=DEFAULT_EVERY_MIN,
                        metavar="MIN", help="minutes between backups, besides the one at "
                                            f"the day's close (default {DEFAULT_EVERY_MIN:g})")


def server_options(args: argparse.Namespace) -> dict[str, Any]:
    """ServerOptions' backup fields from `mpp server`'s arguments."""
    return {"backup_dir": args.backup_dir, "backup_keep": args.backup_keep,
            "backup_every_min": args.backup_every}


SiteDb = Callable[[argparse.Namespace], tuple[str, str]]


def add_commands(sub: Any, site_db: SiteDb) -> None:
    """`mpp backup` and `mpp restore`; `site_db(args)` is (site id, database URL) from
    --site and --db, the URL defaulting to the server's."""
    backup = sub.add_parser("backup", help="an online backup of the database, now")
    backup.add_argument("--site", help="site TOML (default: the mpp-makassar sample)")
    backup.add_argument("--db", help="SQLAlchemy URL (default: sqlite in ./data, as mpp "
                                     "server)")
    backup.add_argument("--to", metavar="DIR",
                        default=os.environ.get("MPP_BACKUP_DIR") or None,
                        help="the backup folder (default $MPP_BACKUP_DIR)")
    backup.add_argument("--keep", type=_positive_int, default=DEFAULT_KEEP,
                        help=f"keep the newest N backups of the site (default {DEFAULT_KEEP})")
    backup.set_defaults(func=lambda args: cmd_backup(args, site_db))

    restore = sub.add_parser("restore", help="put a backup in place of the database (the "
                                             "server must be stopped)")
    restore.add_argument("file", help="the backup file (SITE-YYYYMMDDTHHMMSSZ.db)")
    restore.add_argument("--site", help="site TOML (default: the mpp-makassar sample)")
    restore.add_argument("--db", help="SQLAlchemy URL (default: sqlite in ./data, as mpp "
                                      "server)")
    restore.set_defaults(func=lambda args: cmd_restore(args, site_db))


def cmd_backup(args: argparse.Namespace, site_db: SiteDb) -> int:
    if not args.to:
        raise UsageError("no backup folder: give --to DIR or set MPP_BACKUP_DIR")
    site, db = site_db(args)
    try:
        path = backup_database(db, args.to, keep=args.keep, label=site)
    except BackupError as err:
        raise UsageError(f"{err.code}: {err}") from None
    print(f"backup written: {path}")
    return 0


def cmd_restore(args: argparse.Namespace, site_db: SiteDb) -> int:
    _site, db = site_db(args)
    try:
        kept = restore_database(Path(args.file), db)
    except BackupError as err:
        raise UsageError(f"{err.code}: {err}") from None
    print(f"restored {args.file} into {db}")
    if kept is not None:
        print(f"the database it replaced is kept as {kept} (with its -wal, if it had one)")
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value
