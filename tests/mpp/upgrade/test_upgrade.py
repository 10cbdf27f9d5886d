"""`mpp release build` and `mpp upgrade` on a scratch box root (--root).

The shortcut, stated: the releases are a stand-in project (tests/mpp/upgrade/
fake_project.py) with no dependencies, so the wheelhouse holds one wheel and the lock no
pins; building and installing the real project's ~60 wheels (PySide6 alone is hundreds of
MB) would take minutes. Everything else is real: `mpp release build` makes the wheel with
pip, `mpp upgrade` checks the bundle, creates a venv and installs it offline with pip,
stops and starts real processes through a service-manager script (fake_systemctl.py, in
place of systemctl), backs up a real SQLite database with the backup API, runs the new
release's `mpp migrate`, switches `current` and polls /health over HTTP."""

from __future__ import annotations

import fcntl
import json
import shlex
import shutil
import socket
import sqlite3
import subprocess
import sys
import tarfile
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from mpp.cli import main
from mpp.release.build import build_release
from tests.mpp.upgrade.fake_project import write_fake_project

SYSTEMCTL = Path(__file__).with_name("fake_systemctl.py")
UNIT = "mpp-server.service"


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """1.0 and 2.0 (healthy; 2.0 as a .tar), 3.0 (its server dies at start) and 4.0 (its
    migration fails)."""
    base = tmp_path_factory.mktemp("releases")
    lock = base / "requirements.lock"
    lock.write_text("# no dependencies\n")

    def build(version: str, fails: str | None, tar: bool) -> Path:
        source = write_fake_project(base / f"src-{version}", version, fails)
        return build_release(source, base / "out", lock=lock, tar=tar,
                             build_isolation=False, say=lambda _: None)

    releases = (("1.0", None, False), ("2.0", None, True), ("3.0", "start", True),
                ("4.0", "migrate", False))
    with ThreadPoolExecutor(4) as pool:  # each build waits on its own pip process
        made = pool.map(lambda release: build(*release), releases)
        return {version: path for (version, _, _), path in zip(releases, made, strict=True)}


@dataclass
class Box:
    root: Path
    state: Path
    port: int

    @property
    def data(self) -> Path:
        return self.root / "var/lib/mpp/server"

    @property
    def db(self) -> Path:
        return self.data / "site.db"

    def upgrade(self, bundle: Path, *extra: str) -> int:
        manager = shlex.join([sys.executable, str(SYSTEMCTL), str(self.state),
                              str(self.root)])
        return main(["upgrade", str(bundle), "--root", str(self.root), "--unit", UNIT,
                     "--service-manager", manager, "--data-dir", str(self.data),
                     "--backup-dir", str(self.root / "backups"), "--health-url",
                     f"http://127.0.0.1:{self.port}/health", "--health-timeout", "20",
                     *extra])

    def current(self) -> str:
        return (self.root / "opt/mpp/current").readlink().as_posix()

    def served_version(self) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=5) as r:
            return str(json.loads(r.read())["version"])

    def rows(self) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.db) as db:
            return list(db.iterdump())  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Box]:
    """A box root with a live database (WAL, as the server keeps it) and no release."""
    port = free_port()
    monkeypatch.setenv("MPP_FAKE_HEALTH_PORT", str(port))
    made = Box(tmp_path / "root", tmp_path / "services", port)
    made.data.mkdir(parents=True)
    with sqlite3.connect(made.db) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE tickets (number TEXT)")
        db.executemany("INSERT INTO tickets VALUES (?)", [("A001",), ("A002",)])
    yield made
    subprocess.run([sys.executable, str(SYSTEMCTL), str(made.state), str(made.root),
                    "stop", UNIT], check=True)


def test_build_makes_the_bundle_the_boxes_take(bundles: dict[str, Path]) -> None:
    # GIVEN the folder bundle `mpp release build` made of release 1.0
    bundle = bundles["1.0"]
    # THEN it has the layout of the brief, checksums included
    assert bundle.name == "mpp-1.0"
    files = sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*")
                   if p.is_file())
    assert files == ["SHA256SUMS", "VERSION", "hardware/profile.toml", "requirements.lock",
                     "wheels/mpp_queue-1.0-py3-none-any.whl"]
    assert (bundle / "VERSION").read_text() == "1.0\n"
    # AND the .tar holds one folder mpp-VERSION
    with tarfile.open(bundles["2.0"]) as tar:
        assert {n.split("/")[0] for n in tar.getnames()} == {"mpp-2.0"}


def test_a_healthy_release_becomes_current(box: Box, bundles: dict[str, Path],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a box running release 1.0
    assert box.upgrade(bundles["1.0"]) == 0
    assert box.served_version() == "1.0"
    before = box.rows()
    # WHEN release 2.0 is installed from its .tar
    assert box.upgrade(bundles["2.0"]) == 0
    # THEN current points at it, it serves, and its migration ran on the database
    assert box.current() == "releases/2.0"
    assert box.served_version() == "2.0"
    with sqlite3.connect(box.db) as db:
        assert db.execute("SELECT version FROM schema_steps ORDER BY 1").fetchall() == [
            ("1.0",), ("2.0",)]
    # AND the copy taken before the migration holds the database as it was
    (copy,) = (box.root / "backups").glob("pre-upgrade-2.0-*/site.db")
    with sqlite3.connect(copy) as db:
        assert list(db.iterdump()) == before
    out = capsys.readouterr().out
    assert "[7/7] release 2.0 is running and healthy" in out
    # AND the same bundle again changes nothing
    assert box.upgrade(bundles["2.0"]) == 0
    assert "release 2.0 is current already" in capsys.readouterr().out


def test_a_release_failing_its_health_check_is_rolled_back(
        box: Box, bundles: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a box running release 1.0 on its database
    assert box.upgrade(bundles["1.0"]) == 0
    before = box.rows()
    # WHEN release 3.0, whose migration adds a step and whose server dies at start, goes in
    code = box.upgrade(bundles["3.0"])
    # THEN the upgrade says it rolled back (exit 6)
    out = capsys.readouterr().out
    assert code == 6, out
    assert "release 3.0 failed: health check failed: mpp-server.service not running" in out
    assert "rolled back: release 1.0 runs again" in out
    # AND release 1.0 is current and serving again
    assert box.current() == "releases/1.0"
    assert box.served_version() == "1.0"
    # AND the database is the one from before the migration: 3.0's step is gone
    assert box.rows() == before
    with sqlite3.connect(box.db) as db:
        assert db.execute("SELECT version FROM schema_steps").fetchall() == [("1.0",)]
    # AND WHEN release 4.0's migration fails half way, THEN the same happens (exit 6)
    code = box.upgrade(bundles["4.0"])
    out = capsys.readouterr().out
    assert code == 6 and "release 4.0 failed: migration of" in out, out
    assert "[5/7]" not in out  # current was never switched
    assert box.current() == "releases/1.0" and box.served_version() == "1.0"
    assert box.rows() == before


def test_a_damaged_bundle_is_refused_and_nothing_changes(
        box: Box, bundles: dict[str, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a tar cut short (a stick pulled out), and folders with a changed or lost file
    cut = tmp_path / "mpp-2.0.tar"
    cut.write_bytes(bundles["2.0"].read_bytes()[:3000])
    flipped = shutil.copytree(bundles["1.0"], tmp_path / "flipped" / "mpp-1.0")
    wheel = next((flipped / "wheels").glob("*.whl"))
    data = bytearray(wheel.read_bytes())
    data[len(data) // 2] ^= 0xFF
    wheel.write_bytes(bytes(data))
    lost = shutil.copytree(bundles["1.0"], tmp_path / "lost" / "mpp-1.0")
    (lost / "requirements.lock").unlink()
    cases = [(cut, "not a complete tar archive"),
             (flipped, "corrupt (checksum differs): wheels/mpp_queue-1.0"),
             (lost, "incomplete, missing requirements.lock"),
             (tmp_path / "nowhere.tar", "no such file or folder")]
    for bundle, message in cases:
        # WHEN it is given to mpp upgrade
        code = box.upgrade(bundle)
        # THEN it is refused (exit 3) with the reason, and no release was installed
        out = capsys.readouterr().out
        assert code == 3 and "error: bundle refused" in out and message in out, out
        assert not (box.root / "opt/mpp/releases").exists()


def test_two_upgrades_never_run_at_once(box: Box, bundles: dict[str, Path],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN an upgrade holding the box's lock
    base = box.root / "opt/mpp"
    base.mkdir(parents=True)
    with (base / ".upgrade.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        # WHEN a second one starts, THEN it stops at once (exit 4)
        assert box.upgrade(bundles["1.0"]) == 4
    assert "another `mpp upgrade` is running" in capsys.readouterr().out


def test_a_bundle_with_a_link_is_refused(box: Box, bundles: dict[str, Path], tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    # GIVEN a tar whose bundle holds a symbolic link (to a file outside, say)
    evil = tmp_path / "mpp-1.0.tar"
    with tarfile.open(evil, "w") as tar:
        tar.add(bundles["1.0"], arcname="mpp-1.0")
        link = tarfile.TarInfo("mpp-1.0/wheels/escape.whl")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/shadow"
        tar.addfile(link)
    # WHEN it is given to mpp upgrade, THEN it is refused before anything is unpacked
    assert box.upgrade(evil) == 3
    assert "'mpp-1.0/wheels/escape.whl' is not a plain file or folder" in \
        capsys.readouterr().out
