"""The database copy taken before the new release migrates it, and put back on rollback.

Not the server's backups (queue_server/store/backup.py: dated files of one site, keep N):
one folder per upgrade holding every database of the box, put back through the backup API
while the units are stopped, so the WAL and the shared-memory file stay consistent."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

SIDE_FILES = ("-wal", "-shm", "-journal")


def _copy(src: Path, dst: Path) -> None:
    source = sqlite3.connect(src)
    try:
        target = sqlite3.connect(dst)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def backup_databases(databases: list[Path], folder: Path) -> list[Path]:
    """Copy each database into `folder` (made here); the copies, in order. Only root reads
    them: the database holds the citizens' personal data (UU PDP)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=False)
    copies = []
    for db in databases:
        copy = folder / db.name
        copy.touch(mode=0o600)
        _copy(db, copy)
        copies.append(copy)
    return copies


def restore_databases(databases: list[Path], copies: list[Path]) -> None:
    """Put each copy back over its database (through the backup API: the WAL and the
    shared-memory file stay consistent with the restored pages)."""
    for db, copy in zip(databases, copies, strict=True):
        _copy(copy, db)
    keep_owner(databases)


def keep_owner(databases: list[Path]) -> None:
    """Give a database's -wal/-shm files its own owner: `mpp upgrade` runs as root, the
    server as mpp-server, which could not open a WAL that root's connection left behind."""
    if os.geteuid() != 0:
        return
    for db in databases:
        owner = db.stat()
        for side in (db.with_name(db.name + s) for s in SIDE_FILES):
            if side.exists():
                os.chown(side, owner.st_uid, owner.st_gid)
