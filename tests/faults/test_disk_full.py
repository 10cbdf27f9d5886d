"""The server's disk full (its SQLite database on a real 32 MiB ext4 file system on a loop
device, filled up): commands are refused with `storage_error` and change nothing, the
server keeps running, and when space returns service resumes, the database intact and
holding every acknowledged ticket."""

from __future__ import annotations

import contextlib
import errno
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from queue_server.protocol.client import CommandError
from tests.faults.conftest import scaled


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "32M") -> Iterator[Path]:
    """A fresh ext4 file system of `size` mounted on `folder` (no blocks kept for root:
    the suite runs as root and would use them)."""
    image = folder.with_suffix(".img")
    subprocess.run(["mkfs.ext4", "-q", "-m", "0", str(image), size], check=True,
                   capture_output=True)
    folder.mkdir()
    subprocess.run(["mount", "-o", "loop", str(image), str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def fill(folder: Path) -> Path:
    """Write a file until the file system is full."""
    filler = folder / "filler.bin"
    chunk = b"\0" * 4096
    with filler.open("wb", buffering=0) as out, pytest.raises(OSError) as full:
        _write_forever(out.write, chunk)
    assert full.value.errno == errno.ENOSPC
    return filler


def _write_forever(write: Callable[[bytes], object], chunk: bytes) -> None:
    while True:
        write(chunk)


def test_disk_full_refuses_cleanly_and_resumes(tmp_path, server_factory, client_factory,
                                              site, clock):
    rounds = scaled(2, 10)
    began = time.monotonic()
    with small_disk(tmp_path / "disk") as disk:
        db_url = f"sqlite:///{disk / 'mpp.db'}"
        server = server_factory(site, db_url, clock)
        kiosk = client_factory("kiosk-01", "kiosk", follow_state=False)
        acked: dict[str, str] = {}
        refused = 0
        n = 0

        def issue() -> dict:
            nonlocal n
            n += 1
            return kiosk.request("ticket.issue", {"service": "ktp"}, cmd_id=f"issue-{n}")

        try:
            for _ in range(rounds):
                refused += _fill_and_free(disk, issue, acked)
        finally:
            kiosk.stop()
            server.stop()  # the file system can go only once the server let go of it
        # AND the database is intact and holds every acknowledged ticket
        engine = create_engine(db_url)
        with engine.connect() as conn:
            check = conn.execute(text("PRAGMA integrity_check")).scalar()
            rows = dict(conn.execute(text("SELECT id, number FROM tickets")).all())
        engine.dispose()
    lost = sum(1 for tid in acked if tid not in rows)
    numbers = sorted(rows.values())
    print(f"\n[faults] disk full: filled {rounds} times, {refused} commands refused with "
          f"storage_error, {len(acked)} tickets acknowledged; lost {lost}, duplicate "
          f"numbers {len(numbers) - len(set(numbers))}, integrity {check}; "
          f"{time.monotonic() - began:.1f} s")
    assert check == "ok"
    assert lost == 0
    assert numbers == list(range(1, len(numbers) + 1))


def _fill_and_free(disk: Path, issue: Callable[[], dict], acked: dict[str, str]) -> int:
    """One round: tickets, the disk fills, refusals, space returns, a ticket again.
    Returns the commands refused."""
    for _ in range(20):
        got = issue()
        acked[got["id"]] = got["number"]
    # WHEN the disk fills up
    filler = fill(disk)
    # THEN a ticket is refused with storage_error (the WAL may hold a few more)
    codes = []
    for _ in range(500):
        try:
            got = issue()
        except CommandError as exc:
            codes.append(exc.code)
            break
        acked[got["id"]] = got["number"]
    assert codes == ["storage_error"]
    # AND again while it stays full: the server is still there, still refusing
    with pytest.raises(CommandError) as again:
        issue()
    assert again.value.code == "storage_error"
    # WHEN space returns, service resumes
    filler.unlink()
    got = issue()
    acked[got["id"]] = got["number"]
    return 2
