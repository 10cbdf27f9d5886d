"""The backup schedule on its own thread: its timer, requests between runs, and a
failure that does not end the schedule."""

from __future__ import annotations

import os
from pathlib import Path

from queue_server.store.backup import backups_of
from queue_server.store.backup_schedule import BackupSchedule
from tests.store.test_backup import make_db

WAIT_S = 30


def test_the_timer_runs_backups_and_a_failure_does_not_stop_it(tmp_path: Path):
    # GIVEN a schedule every 0.3 s into a folder that is not there yet
    db = make_db(tmp_path / "hall.db", 2)
    dest = tmp_path / "usb"
    schedule = BackupSchedule(f"sqlite:///{db}", dest, label="s", keep=2, every_s=0.3)
    schedule.start()
    try:
        # WHEN its first run comes, then the folder appears
        first = schedule.wait_run(1, WAIT_S)
        dest.mkdir()
        second = schedule.wait_run(schedule.request("disk back"), WAIT_S)
        third = schedule.wait_run(second.run + 1 if second else 0, WAIT_S)
    finally:
        schedule.stop()
    # THEN the first failed by its code, the next ones worked, the timer's say "schedule"
    assert first is not None and (first.reason, first.error) == ("schedule",
                                                                 "backup_folder_missing")
    assert second is not None and (second.reason, second.error) == ("disk back", None)
    assert third is not None and (third.reason, third.error) == ("schedule", None)
    assert schedule.health()["last"]["file"] == third.file.name
    assert backups_of(dest, "s") == [second.file, third.file]


def test_a_restarted_server_backs_up_at_once_when_its_newest_backup_is_due(tmp_path: Path):
    """A server restarted again and again (a crash loop, power cuts) within the interval
    would otherwise never reach its first timed run: the newest backup's age counts."""
    db = make_db(tmp_path / "hall.db", 2)
    dest = tmp_path / "usb"
    dest.mkdir()
    url = f"sqlite:///{db}"
    old = BackupSchedule(url, dest, label="s", keep=5, every_s=3600).run_once("before")
    assert old.file is not None
    # GIVEN the newest backup an hour and a minute old
    aged = old.file.stat().st_mtime - 3660
    os.utime(old.file, (aged, aged))
    # WHEN a server starts with an hourly schedule
    schedule = BackupSchedule(url, dest, label="s", keep=5, every_s=3600)
    schedule.start()
    try:
        first = schedule.wait_run(1, WAIT_S)
    finally:
        schedule.stop()
    # THEN its first timed backup is taken now, not in an hour
    assert first is not None and (first.reason, first.error) == ("schedule", None)
    # AND with a fresh backup the first run waits for the interval
    fresh = BackupSchedule(url, dest, label="s", keep=5, every_s=3600)
    assert 3500 < fresh._first_due_s() <= 3600
