"""Backups of a live hall: a real server on the real Mosquitto issuing tickets to kiosks
while its schedule backs it up; restore refused while it runs; a backup at the day's
close; a backup that fails leaves the hall served."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mpp.cli import main
from queue_server.clock import ManualClock
from queue_server.config import SiteConfig
from queue_server.server import QueueServer
from queue_server.store.backup import BackupError, restore_database
from queue_server.store.backup_schedule import BackupOutcome, BackupSchedule
from tests.support.hall import client_of, server_options
from tests.support.site import local_ts

KIOSKS = 4
BACKUPS = 3
WAIT_S = 60


@pytest.fixture
def backed_up(mosquitto, site: SiteConfig, sqlite_url: str, clock: ManualClock,
              tmp_path: Path) -> Iterator[QueueServer]:
    """A started server backing up into tmp_path/backups (hourly: the tests ask for the
    backups they wait for)."""
    dest = tmp_path / "backups"
    dest.mkdir()
    server = QueueServer(site, server_options(mosquitto, sqlite_url, advertise=False,
                                              backup_dir=str(dest), backup_keep=10), clock)
    server.start(wait_connected=10)
    yield server
    server.stop()


def schedule_of(server: QueueServer) -> BackupSchedule:
    assert server.backups is not None
    return server.backups


def backup_now(server: QueueServer, reason: str = "test") -> BackupOutcome:
    schedule = schedule_of(server)
    outcome = schedule.wait_run(schedule.request(reason), WAIT_S)
    assert outcome is not None, "the backup did not end in time"
    return outcome


def ticket_ids(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM tickets")}
    finally:
        conn.close()


def test_backups_under_load_hold_every_acknowledged_ticket(backed_up, mosquitto, site,
                                                           sqlite_url, tmp_path):
    # GIVEN kiosks issuing tickets as fast as the server answers
    kiosks = [client_of(mosquitto, site.site.id, f"kiosk-{i:02d}", "kiosk",
                        follow_state=False) for i in range(1, KIOSKS + 1)]
    acked: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()
    grew = threading.Condition(lock)

    def load(kiosk) -> None:
        n = 0
        while not stop.is_set():
            reply = kiosk.request("ticket.issue", {"service": ("ktp", "kk", "akta")[n % 3]},
                                  timeout=20, retries=4)
            n += 1
            with grew:
                acked.add(reply["id"])
                grew.notify_all()

    def wait_more(than: int) -> None:
        with grew:
            assert grew.wait_for(lambda: len(acked) >= than, WAIT_S)

    threads = [threading.Thread(target=load, args=(k,)) for k in kiosks]
    taken: list[tuple[set[str], BackupOutcome]] = []
    try:
        for k in kiosks:
            k.start()
        for t in threads:
            t.start()
        # WHEN backups are taken while tickets keep coming
        for _ in range(BACKUPS):
            wait_more(len(acked) + 40)
            with lock:
                before = set(acked)
            outcome = backup_now(backed_up)
            taken.append((before, outcome))
        wait_more(len(acked) + 40)  # and the load went on after the last one
    finally:
        stop.set()
        for t in threads:
            t.join(WAIT_S)
        for k in kiosks:
            k.stop()
    assert not any(t.is_alive() for t in threads)
    # THEN each backup passed its check and holds every ticket acknowledged before it
    # began, and only tickets that were really issued
    for before, outcome in taken:
        assert outcome.error is None and outcome.file is not None, outcome
        inside = ticket_ids(outcome.file)
        assert before <= inside <= acked
    assert len(ticket_ids(taken[-1][1].file)) < len(acked)  # taken mid-load, truly
    # AND /health shows the last one
    health = backed_up.health()["backup"]
    assert health["last"]["ok"] is True and health["last"]["file"] == taken[-1][1].file.name
    # AND restoring the middle backup, server stopped, gives exactly its tickets
    middle = taken[1][1].file
    backed_up.stop()
    kept = restore_database(middle, sqlite_url)
    assert ticket_ids(Path(sqlite_url.removeprefix("sqlite:///"))) == ticket_ids(middle)
    assert kept is not None and ticket_ids(kept) == acked  # and nothing is lost


def test_restore_is_refused_while_the_server_runs(backed_up, sqlite_url, capsys):
    # GIVEN a running server and a backup of its database
    backup = backup_now(backed_up).file
    assert backup is not None
    # WHEN a technician restores it, in code and with `mpp restore`
    with pytest.raises(BackupError) as err:
        restore_database(backup, sqlite_url)
    code = main(["restore", str(backup), "--db", sqlite_url])
    # THEN both are refused and the database is left as it was
    assert err.value.code == "restore_server_running"
    assert code == 2 and "restore_server_running" in capsys.readouterr().err
    assert not Path(sqlite_url.removeprefix("sqlite:///") + ".before-restore").exists()
    # AND once it stopped, the restore goes through
    backed_up.stop()
    assert restore_database(backup, sqlite_url) is not None


def test_a_backup_is_taken_at_the_days_close(backed_up, clock):
    # GIVEN a server on Monday 09:00 that has taken no backup
    schedule = schedule_of(backed_up)
    assert schedule.runs == 0
    # WHEN the clock passes midnight and the server ticks
    clock.set(local_ts("2026-12-01T00:00"))
    backed_up.request_tick()
    # THEN a backup runs, for the day's close
    outcome = schedule.wait_run(1, WAIT_S)
    assert outcome is not None and outcome.reason == "day_close" and outcome.error is None


@pytest.mark.parametrize("folder", ["missing", "file"])
def test_a_failed_backup_is_reported_and_the_hall_still_served(
        mosquitto, site, sqlite_url, clock, tmp_path, client_factory, folder):
    # GIVEN a server whose backup folder is missing (a USB stick not mounted) or a file
    dest = tmp_path / "usb"
    if folder == "file":
        dest.write_text("not a folder")
    server = QueueServer(site, server_options(mosquitto, sqlite_url, advertise=False,
                                              http_port=0, http_host="127.0.0.1",
                                              backup_dir=str(dest)), clock)
    server.start(wait_connected=10)
    try:
        kiosk = client_factory("kiosk-01", "kiosk")
        # WHEN a backup is due
        outcome = backup_now(server)
        # THEN it failed with its code, /health says so, and tickets are still issued
        assert outcome.error == "backup_folder_missing" and outcome.file is None
        health = httpx.get(f"http://127.0.0.1:{server.http_port}/health", timeout=10).json()
        last = health["backup"]["last"]
        assert last["ok"] is False and last["error"] == "backup_folder_missing"
        assert health["backup"]["dir"] == str(dest)
        assert kiosk.request("ticket.issue", {"service": "ktp"})["number"] == "A-001"
        # AND the next one works once the disk is there
        if folder == "missing":
            dest.mkdir()
            assert backup_now(server).error is None
    finally:
        server.stop()

