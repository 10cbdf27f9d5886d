"""The release folders and `mpp migrate`, without installing anything."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from mpp.cli import main
from mpp.upgrade.releases import INSTALLED, Releases


def make_release(releases: Releases, version: str, mtime: int, done: bool = True) -> None:
    home = releases.folder / version
    home.mkdir(parents=True)
    if done:
        (home / INSTALLED).write_text(version)
        os.utime(home / INSTALLED, (mtime, mtime))


def test_old_releases_go_but_the_running_and_previous_stay(tmp_path: Path) -> None:
    # GIVEN five installed releases, 1 the oldest, current 3 and previous 1 (after a
    # rollback and another try), and a half install
    releases = Releases(tmp_path / "opt/mpp")
    for n in range(1, 6):
        make_release(releases, f"{n}.0", mtime=1_000_000 + n)
    make_release(releases, "6.0", mtime=0, done=False)
    releases.switch("3.0")
    # WHEN pruned to two
    removed = releases.prune(2, {"3.0", "1.0"})
    # THEN the two newest stay, and so do the running and the previous release
    assert sorted(removed) == ["2.0"]
    assert sorted(p.name for p in releases.folder.iterdir()) == ["1.0", "3.0", "4.0", "5.0",
                                                                 "6.0"]
    assert releases.current() == "3.0"


def test_current_is_switched_by_one_rename(tmp_path: Path) -> None:
    # GIVEN a box on release 1.0
    releases = Releases(tmp_path / "opt/mpp")
    make_release(releases, "1.0", 1)
    make_release(releases, "2.0", 2)
    releases.switch("1.0")
    # WHEN switched to 2.0, THEN current is a relative link to it, and no temporary is left
    releases.switch("2.0")
    assert os.readlink(releases.current_link) == "releases/2.0"
    assert sorted(p.name for p in releases.base.iterdir()) == ["current", "releases"]
    # AND None removes it (a first install rolled back)
    releases.switch(None)
    assert releases.current() is None


def test_migrate_brings_a_database_to_the_newest_schema(tmp_path: Path) -> None:
    # GIVEN an empty SQLite file
    db = tmp_path / "site.db"
    # WHEN `mpp migrate` runs on it
    assert main(["migrate", "--db", f"sqlite:///{db}"]) == 0
    # THEN it carries the newest Alembic revision
    heads = sorted(p.name.split("_")[0] for p in (
        Path(__file__).resolve().parents[3] / "queue_server/store/migrations/versions"
    ).glob("*.py"))
    with sqlite3.connect(db) as conn:
        (revision,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    assert revision == heads[-1]
