"""Online backups of the SQLite database and their restore.

A backup is taken with SQLite's backup API in one step: a read transaction, so the copy is
one consistent moment of the database while the server goes on writing (WAL: readers do
not block the writer). Never a file copy of a live database: it can catch the file and its
WAL half-written. The copy is written under a temporary name, checked with
`PRAGMA integrity_check`, fsynced and renamed into place; only then are older ones pruned.

PostgreSQL sites are refused: they use pg_basebackup and WAL archiving
(docs/operations.md)."""

from __future__ import annotations

import errno
import fcntl
import glob
import logging
import os
import re
import shutil
import sqlite3
import stat
import threading
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

log = logging.getLogger("mpp.backup")
SUFFIX = ".db"
FREE_MARGIN = 1.2  # the copy needs about the database's size; some room for its journal
_STAMP = "%Y%m%dT%H%M%SZ"
_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # a site id: no slash, no dot first


class BackupError(Exception):
    """A backup or restore that did not happen; `code` is stable (logs, /health, tests)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def sqlite_path(db: str | Path) -> Path:
    """The database file of a SQLAlchemy URL or a plain path; BackupError for any other
    database (PostgreSQL: `backup_not_sqlite`)."""
    text = str(db)
    if "://" not in text:
        return Path(text)
    try:
        url = make_url(text)
    except ArgumentError as err:
        raise BackupError("backup_bad_url", f"not a database URL: {text}") from err
    if url.get_backend_name() != "sqlite":
        raise BackupError("backup_not_sqlite",
                          f"{url.get_backend_name()} databases are not backed up by mpp: "
                          "use pg_basebackup and WAL archiving (docs/operations.md)")
    if not url.database or url.database == ":memory:":
        raise BackupError("backup_not_sqlite", "an in-memory database has no file to back up")
    return Path(url.database)


# -- backup -----------------------------------------------------------------------------


def backup_database(db: str | Path, dest_dir: str | Path, *, keep: int,
                    label: str) -> Path:
    """Back up the SQLite database `db` (URL or path) into `dest_dir` as
    LABEL-YYYYMMDDTHHMMSSZ.db, verified; keep the newest `keep` of LABEL's backups.
    Returns the new file. Raises BackupError (backup_folder_missing,
    backup_folder_not_writable, backup_disk_full, backup_source_missing, backup_not_sqlite,
    backup_failed, backup_bad_keep, backup_bad_label)."""
    if keep < 1:
        raise BackupError("backup_bad_keep", f"keep must be 1 or more, not {keep}")
    if not _LABEL.fullmatch(label):
        raise BackupError("backup_bad_label", f"{label!r} cannot start a file name")
    source = sqlite_path(db)
    dest = Path(dest_dir)
    _check_folder(dest)
    if not source.is_file():
        raise BackupError("backup_source_missing", f"no database at {source}")
    _check_room(source, dest)
    final = _free_name(dest, label)
    tmp = dest / f".{final.name}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        _copy_online(source, tmp)
        problem = integrity_problem(tmp)
        if problem:
            raise BackupError("backup_failed", f"the copy of {source} fails its integrity "
                                               f"check: {problem}")
        _fsync(tmp)
        os.replace(tmp, final)
        _fsync_dir(dest)
    except OSError as err:
        raise _os_error(err, dest) from err
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + "-journal").unlink(missing_ok=True)
    try:
        prune(dest, label, keep)
    except OSError as err:  # the new backup stands; the old ones go next time
        log.warning("could not prune old backups in %s: %s", dest, err)
    return final


def _check_folder(dest: Path) -> None:
    if not dest.is_dir():
        raise BackupError("backup_folder_missing",
                          f"the backup folder {dest} does not exist (is the disk mounted?)")
    if not os.access(dest, os.W_OK | os.X_OK):
        raise BackupError("backup_folder_not_writable",
                          f"the backup folder {dest} is not writable by this user")


def _check_room(source: Path, dest: Path) -> None:
    wal = source.with_name(source.name + "-wal")
    size = source.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    free = shutil.disk_usage(dest).free
    if free < size * FREE_MARGIN:
        raise BackupError("backup_disk_full",
                          f"the backup folder {dest} has {free // 1024} KiB free, the "
                          f"database needs about {size // 1024} KiB")


def _os_error(err: OSError, dest: Path) -> BackupError:
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return BackupError("backup_disk_full", f"the backup folder {dest} is full: {err}")
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return BackupError("backup_folder_not_writable",
                           f"cannot write in the backup folder {dest}: {err}")
    return BackupError("backup_failed", f"the backup into {dest} failed: {err}")


def _free_name(dest: Path, label: str) -> Path:
    """LABEL-STAMP.db; a second backup in the same second is LABEL-STAMP-2.db, and so on
    above the highest one there (pruned names are not taken again: the order holds)."""
    stamp = datetime.now(UTC).strftime(_STAMP)
    taken = [n for s, n, _ in _named(dest, label) if s == stamp]
    if not taken:
        return dest / f"{label}-{stamp}{SUFFIX}"
    return dest / f"{label}-{stamp}-{max(taken) + 1}{SUFFIX}"


def _copy_online(source: Path, tmp: Path) -> None:
    """One backup step over all pages: one read transaction, one consistent snapshot
    (stepwise copies restart whenever the server writes in between)."""
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))  # personal data
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst, pages=-1)
            # a self-contained file: no -wal beside it on the backup disk
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    except sqlite3.Error as err:
        if getattr(err, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            raise OSError(errno.ENOSPC, str(err)) from err
        raise BackupError("backup_failed", f"SQLite could not back up {source}: {err}") from err
    finally:
        src.close()


def integrity_problem(path: Path) -> str | None:
    """None when `path` is a sound SQLite database holding our tables; else what is
    wrong."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as err:
        return str(err)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in rows] != ["ok"]:
            return "; ".join(str(r[0]) for r in rows[:5])
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in names or "tickets" not in names:
            return "not an MPP database (no tickets or alembic_version table)"
        return None
    except sqlite3.DatabaseError as err:
        return str(err)
    finally:
        conn.close()


def _named(dest: Path, label: str) -> list[tuple[str, int, Path]]:
    pattern = re.compile(rf"^{re.escape(label)}-(\d{{8}}T\d{{6}}Z)(?:-(\d+))?"
                         rf"{re.escape(SUFFIX)}$")
    found = []
    for path in dest.iterdir():
        m = pattern.match(path.name)
        if m:
            found.append((m.group(1), int(m.group(2) or 1), path))
    return found


def backups_of(dest: Path, label: str) -> list[Path]:
    """LABEL's backups in `dest`, oldest first."""
    return [p for _, _, p in sorted(_named(dest, label))]


def prune(dest: Path, label: str, keep: int) -> list[Path]:
    """Delete LABEL's backups but the newest `keep`, and the temporary files of backups
    whose process died; returns the deleted backups."""
    old = backups_of(dest, label)[:-keep]
    for path in old:
        path.unlink(missing_ok=True)
    for path in dest.glob(f".{glob.escape(label)}-*.tmp*"):
        name = path.name.removesuffix("-journal")  # .NAME.PID.THREAD.tmp
        if name.endswith(".tmp") and not _alive(name.split(".")[-3]):
            path.unlink(missing_ok=True)
    return old


def _alive(pid: str) -> bool:
    """Whether process `pid` (a temp file's maker) still runs; unknown counts as alive."""
    if not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- the server's lock ------------------------------------------------------------------


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class DatabaseLock:
    """An exclusive flock on DB.lock beside the database, held by the server while it
    runs: restore refuses while it is held. The kernel lets go when the process dies,
    SIGKILL included, so a crash leaves no stale lock behind."""

    def __init__(self, database: Path) -> None:
        self.path = lock_path(database)
        self._fd: int | None = None

    def acquire(self) -> bool:
        """True when taken; False when another process (or server) holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # read-only is enough for flock: a lock file that root made stays usable
        fd = os.open(self.path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


# -- restore ----------------------------------------------------------------------------


def restore_database(backup: str | Path, db: str | Path) -> Path | None:
    """Put the verified backup file in place of the SQLite database `db` (URL or path).
    The current database (with its WAL) is kept as DB.before-restore; returns that path,
    or None when there was no database. Raises BackupError (restore_backup_missing,
    restore_backup_damaged, restore_server_running, restore_failed, backup_not_sqlite)."""
    source, target = Path(backup), sqlite_path(db)
    if not source.is_file():
        raise BackupError("restore_backup_missing", f"no backup file at {source}")
    problem = integrity_problem(source)
    if problem:
        raise BackupError("restore_backup_damaged",
                          f"{source} is not a sound backup: {problem}")
    lock = DatabaseLock(target)
    if not lock.acquire():
        raise BackupError("restore_server_running",
                          f"a queue server is running on {target} (it holds "
                          f"{lock.path}): stop it first (systemctl stop mpp-server)")
    try:
        return _swap_in(source, target)
    except OSError as err:
        raise BackupError("restore_failed", f"could not restore into {target}: {err}") from err
    finally:
        lock.release()


def _swap_in(source: Path, target: Path) -> Path | None:
    tmp = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, tmp)
    try:
        _same_owner(tmp, target)
        _fsync(tmp)
        kept = _keep_current(target)
        os.replace(tmp, target)  # atomic: the name always holds a whole database
        _fsync_dir(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
    return kept


def _same_owner(tmp: Path, target: Path) -> None:
    """The restored file belongs to whoever owned the database (a restore run as root
    must not leave the server a file it cannot write); private when there was none."""
    if not target.exists():
        tmp.chmod(0o600)
        return
    st = target.stat()
    tmp.chmod(stat.S_IMODE(st.st_mode))
    if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
        os.chown(tmp, st.st_uid, st.st_gid)  # only root gets here with another owner


def _keep_current(target: Path) -> Path | None:
    """The current database and its WAL under a .before-restore name (a pair SQLite
    opens as one database again); its -shm is rebuilt from the WAL, so it goes."""
    if not target.exists():
        return None
    kept = target.with_name(target.name + ".before-restore")
    if kept.exists():  # an earlier restore's: never overwritten
        stamp = datetime.now(UTC).strftime(_STAMP)
        kept = target.with_name(f"{target.name}.{stamp}.before-restore")
    try:
        os.link(target, kept)  # the database keeps its name until the swap
    except OSError:
        shutil.copyfile(target, kept)
    for side in ("-wal", "-journal"):
        extra = target.with_name(target.name + side)
        if extra.exists():
            os.replace(extra, kept.with_name(kept.name + side))
    target.with_name(target.name + "-shm").unlink(missing_ok=True)
    _fsync_dir(target.parent)
    return kept
