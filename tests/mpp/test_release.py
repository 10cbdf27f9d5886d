"""requirements.lock: in sync with pyproject.toml, and read strictly."""

from __future__ import annotations

from pathlib import Path

import pytest

from mpp.cli import main
from mpp.release.lock import LockError, check_lock, lock_text, read_lock

REPO = Path(__file__).resolve().parents[2]


def test_the_lock_pins_every_declared_dependency() -> None:
    # GIVEN the repository's pyproject.toml and requirements.lock
    # WHEN they are compared, THEN every dependency a box needs is pinned and satisfied
    assert check_lock(REPO / "pyproject.toml", REPO / "requirements.lock") == []
    assert main(["release", "lock", "--check", "--source", str(REPO)]) == 0


def test_a_lock_out_of_sync_is_named(tmp_path: Path) -> None:
    # GIVEN a project that declares one more dependency and a stricter one than its lock
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1"\n'
        'dependencies = ["alembic>=1.13", "paho-mqtt>=3", "tzdata"]\n'
        '[project.optional-dependencies]\nhardware = ["evdev; sys_platform == \'win32\'"]\n')
    (tmp_path / "requirements.lock").write_text("alembic==1.20.1\npaho-mqtt==2.2.0\n")
    # WHEN checked, THEN each difference is named (evdev is for another platform)
    assert check_lock(tmp_path / "pyproject.toml", tmp_path / "requirements.lock") == [
        "paho-mqtt==2.2.0 does not satisfy paho-mqtt>=3",
        "tzdata is declared (tzdata) but not pinned"]
    assert main(["release", "lock", "--check", "--source", str(tmp_path)]) == 1


def test_the_lock_is_made_from_this_venv(tmp_path: Path) -> None:
    # WHEN the lock text is made from the running venv
    lock = tmp_path / "requirements.lock"
    lock.write_text(lock_text(REPO / "pyproject.toml"))
    pins = read_lock(lock)
    # THEN it pins the declared dependencies and what they need in turn
    assert {"alembic", "sqlalchemy", "mako", "pyside6-essentials", "shiboken6"} <= set(pins)
    assert "pytest" not in pins  # dev only


def test_a_line_that_is_not_a_pin_is_refused(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("# fine\nalembic==1.20.1\nsqlalchemy>=2\n")
    with pytest.raises(LockError, match=r"line 3: 'sqlalchemy>=2' is not name==version"):
        read_lock(lock)
