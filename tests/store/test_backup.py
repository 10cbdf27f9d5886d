"""Backups and restores of real SQLite files, without a broker: the server's own store
(a QueueServer's engine, not started) makes the database. The live round trip under load
and the server's schedule are in tests/server/test_backup_live.py."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from mpp.cli import main
from queue_server.store.backup import (
    BackupError,
    DatabaseLock,
    backup_database,
    backups_of,
    integrity_problem,
    restore_database,
)
from tests.store.one_commit import issue, open_server

ROOT = Path(__file__).resolve().parents[2]


def make_db(path: Path, tickets: int) -> Path:
    with open_server(f"sqlite:///{path}") as srv:
        for n in range(tickets):
            issue(srv, f"c{n}")
    return path


def ticket_ids(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(r[0] for r in conn.execute("SELECT id FROM tickets"))
    finally:
        conn.close()


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """A folder nobody may write in, root included (the immutable flag: root ignores
    the mode bits)."""
    folder.mkdir()
    folder.chmod(0o555)
    immutable = os.geteuid() == 0
    if immutable:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def test_a_backup_is_a_verified_private_copy(tmp_path):
    # GIVEN a database with 5 tickets and an empty backup folder
    db = make_db(tmp_path / "hall.db", 5)
    dest = tmp_path / "backups"
    dest.mkdir()
    # WHEN it is backed up
    path = backup_database(f"sqlite:///{db}", dest, keep=3, label="mpp-makassar")
    # THEN the file is named by site and UTC time, holds every ticket, passes the check,
    # needs no -wal beside it and only its owner may read it
    assert path.parent == dest and path.name.startswith("mpp-makassar-")
    assert path.name.endswith("Z.db") and len(path.name) == len("mpp-makassar-") + 19
    assert ticket_ids(path) == ticket_ids(db) and len(ticket_ids(path)) == 5
    assert integrity_problem(path) is None
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in dest.iterdir()) == [path.name]  # no temp file left


def test_the_newest_n_are_kept_and_other_sites_untouched(tmp_path):
    # GIVEN a backup of another site in the same folder
    db = make_db(tmp_path / "hall.db", 1)
    dest = tmp_path / "backups"
    dest.mkdir()
    other = backup_database(db, dest, keep=1, label="mpp-gowa")
    # WHEN five backups are taken with keep=2
    made = [backup_database(db, dest, keep=2, label="mpp-makassar") for _ in range(5)]
    # THEN the two newest remain, in order, and the other site's is still there
    assert backups_of(dest, "mpp-makassar") == made[-2:]
    assert backups_of(dest, "mpp-gowa") == [other]


def test_pruning_takes_the_temp_files_of_dead_backups_only(tmp_path):
    # GIVEN the temporary files of a backup whose process died, and of one still running
    db = make_db(tmp_path / "hall.db", 1)
    dest = tmp_path / "backups"
    dest.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          check=True, capture_output=True, text=True).stdout.strip()
    stale = [dest / f".s-20261201T000000Z.db.{dead}.7.tmp",
             dest / f".s-20261201T000000Z.db.{dead}.7.tmp-journal"]
    running = dest / f".s-20261201T000000Z.db.{os.getpid()}.7.tmp"
    for path in [*stale, running]:
        path.write_bytes(b"half a backup")
    # WHEN a backup is taken
    made = backup_database(db, dest, keep=2, label="s")
    # THEN the dead one's files are gone, the running one's stay
    assert sorted(dest.iterdir()) == sorted([running, made])


def test_a_copy_that_fails_its_check_neither_counts_nor_prunes(tmp_path):
    # GIVEN two good backups, and a database that is not one of ours
    db = make_db(tmp_path / "hall.db", 1)
    dest = tmp_path / "backups"
    dest.mkdir()
    good = [backup_database(db, dest, keep=2, label="s") for _ in range(2)]
    stranger = tmp_path / "other.db"
    conn = sqlite3.connect(stranger)
    conn.execute("CREATE TABLE x (a)")
    conn.close()
    # WHEN it is backed up with keep=1
    with pytest.raises(BackupError) as err:
        backup_database(stranger, dest, keep=1, label="s")
    # THEN the backup failed with its code, and the good ones were not pruned
    assert err.value.code == "backup_failed"
    assert backups_of(dest, "s") == good and len(list(dest.iterdir())) == 2


def test_folder_missing_and_not_writable_have_stable_codes(tmp_path):
    db = make_db(tmp_path / "hall.db", 1)
    # GIVEN no folder (a USB stick not mounted), then a folder nobody may write in
    with pytest.raises(BackupError) as missing:
        backup_database(db, tmp_path / "usb" / "mpp", keep=3, label="s")
    with read_only(tmp_path / "ro") as ro, pytest.raises(BackupError) as locked:
        backup_database(db, ro, keep=3, label="s")
    # THEN each says so by its code
    assert missing.value.code == "backup_folder_missing"
    assert locked.value.code == "backup_folder_not_writable"
    assert not (tmp_path / "usb").exists()  # never created: it would fill the root disk


def test_a_full_backup_disk_has_its_code_and_leaves_no_partial_file(tmp_path):
    """A USB stick that is nearly full (a real 1 MiB ext4 file system on a loop device):
    backup_disk_full, before a byte is written, and the stick keeps what it held."""
    db = make_db(tmp_path / "hall.db", 3)
    image, stick = tmp_path / "stick.img", tmp_path / "stick"
    subprocess.run(["mkfs.ext4", "-q", str(image), "1M"], check=True, capture_output=True)
    stick.mkdir()
    subprocess.run(["mount", "-o", "loop", str(image), str(stick)], check=True)
    try:
        # GIVEN a stick with less room left than the database takes
        room = db.stat().st_size // 2
        (stick / "photos.bin").write_bytes(b"\0" * (shutil.disk_usage(stick).free - room))
        assert shutil.disk_usage(stick).free < db.stat().st_size
        # WHEN the server backs up onto it
        with pytest.raises(BackupError) as full:
            backup_database(db, stick, keep=3, label="s")
        left = sorted(p.name for p in stick.iterdir())
    finally:
        subprocess.run(["umount", str(stick)], check=True)
    # THEN its code says so, and nothing half-written is left beside what the stick held
    assert full.value.code == "backup_disk_full"
    assert left == ["lost+found", "photos.bin"]


def test_postgresql_is_refused_with_a_pointer_to_the_docs(tmp_path):
    with pytest.raises(BackupError) as err:
        backup_database("postgresql+psycopg://mpp@127.0.0.1/mpp", tmp_path, keep=1,
                        label="s")
    assert err.value.code == "backup_not_sqlite" and "pg_basebackup" in str(err.value)


def crash_with_wal(db: Path, ticket_id: str) -> None:
    """A process that writes `ticket_id` into the WAL only and dies (no checkpoint)."""
    code = ("import os, sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('PRAGMA wal_autocheckpoint=0')\n"
            "c.execute('UPDATE tickets SET id=? WHERE id=(SELECT min(id) FROM tickets)',"
            " (sys.argv[2],))\n"
            "os._exit(0)\n")
    subprocess.run([sys.executable, "-c", code, str(db), ticket_id], check=True)


def test_restore_keeps_the_current_database_with_its_wal(tmp_path):
    # GIVEN a backup of 3 tickets, then a current database with 6 whose last change
    # is only in its WAL (the server died)
    dest = tmp_path / "backups"
    dest.mkdir()
    backup = backup_database(make_db(tmp_path / "old.db", 3), dest, keep=1, label="s")
    db = make_db(tmp_path / "hall.db", 6)
    crash_with_wal(db, "in-the-wal")
    assert (tmp_path / "hall.db-wal").stat().st_size > 0
    current = ticket_ids(db)
    # WHEN the backup is restored
    kept = restore_database(backup, f"sqlite:///{db}")
    # THEN the database is the backup, and the one it replaced, WAL included, is kept
    assert ticket_ids(db) == ticket_ids(backup)
    assert kept == tmp_path / "hall.db.before-restore"
    assert ticket_ids(kept) == current and "in-the-wal" in current
    assert stat.S_IMODE(db.stat().st_mode) == stat.S_IMODE(kept.stat().st_mode)
    # AND a second restore keeps the first one's .before-restore too
    again = restore_database(backup, db)
    assert again != kept and again is not None and again.name.endswith(".before-restore")
    assert ticket_ids(kept) == current
    # AND the server opens the restored hall and numbers on from the backup's tickets
    with open_server(f"sqlite:///{db}") as srv:
        assert json.loads(issue(srv, "after"))["result"]["number"] == "A-004"


def test_restore_refuses_a_damaged_backup_and_a_held_lock(tmp_path):
    # GIVEN a database, a damaged backup, a good one, and the server's lock held
    db = make_db(tmp_path / "hall.db", 2)
    before = ticket_ids(db)
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    dest = tmp_path / "backups"
    dest.mkdir()
    good = backup_database(make_db(tmp_path / "old.db", 1), dest, keep=1, label="s")
    lock = DatabaseLock(db)
    assert lock.acquire()
    try:
        # WHEN each is restored
        with pytest.raises(BackupError) as bad:
            restore_database(damaged, db)
        with pytest.raises(BackupError) as running:
            restore_database(good, db)
    finally:
        lock.release()
    # THEN neither touched the database
    assert bad.value.code == "restore_backup_damaged"
    assert running.value.code == "restore_server_running"
    assert ticket_ids(db) == before
    assert not (tmp_path / "hall.db.before-restore").exists()


def test_mpp_backup_and_restore_commands(tmp_path, capsys):
    # GIVEN a database of the sample site
    db = make_db(tmp_path / "hall.db", 4)
    url = f"sqlite:///{db}"
    dest = tmp_path / "backups"
    dest.mkdir()
    # WHEN `mpp backup` then `mpp restore` run, and a backup into a missing folder
    assert main(["backup", "--db", url, "--to", str(dest), "--keep", "2"]) == 0
    [made] = backups_of(dest, "mpp-makassar")
    assert main(["restore", str(made), "--db", url]) == 0
    failed = main(["backup", "--db", url, "--to", str(tmp_path / "none")])
    # THEN the backup is named by the site, the restore says what it kept, and the
    # failure gives the technician its code
    out, err = capsys.readouterr()
    assert f"backup written: {made}" in out and "hall.db.before-restore" in out
    assert failed == 2 and "backup_folder_missing" in err
    assert ticket_ids(db) == ticket_ids(made)
