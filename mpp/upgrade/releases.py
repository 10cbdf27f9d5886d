"""The release folders of a box: ROOT/opt/mpp/releases/VERSION/venv, and
ROOT/opt/mpp/current -> releases/VERSION, switched atomically (a new link renamed over
the old one: a power cut leaves the old or the new, never none)."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mpp.release.bundle import Bundle

INSTALLED = "INSTALLED"  # written last: a folder without it is a half install


class ReleaseError(Exception):
    code = "install_failed"


class Busy(Exception):
    code = "upgrade_running"


@dataclass(frozen=True)
class Releases:
    base: Path  # ROOT/opt/mpp

    @property
    def folder(self) -> Path:
        return self.base / "releases"

    @property
    def current_link(self) -> Path:
        return self.base / "current"

    def current(self) -> str | None:
        """The version `current` points at, if any."""
        link = self.current_link
        return Path(os.readlink(link)).name if link.is_symlink() else None

    def install(self, bundle: Bundle, python: str = sys.executable) -> Path:
        """A fresh venv for the bundle's release, installed offline from its wheels."""
        home = self.folder / bundle.version
        if bundle.version == self.current():
            raise ReleaseError(f"{home} is the running release: never replaced in place")
        if home.exists():
            shutil.rmtree(home)  # a half install, or a release that was rolled back
        home.mkdir(parents=True)
        venv = home / "venv"
        _run([python, "-m", "venv", str(venv)], "create the venv")
        _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
              "--disable-pip-version-check", "--no-index", "--find-links",
              str(bundle.wheels), "-r", str(bundle.lock), str(bundle.project_wheel)],
             "install the wheels (no network: every wheel must be in the bundle)")
        for name in ("VERSION", "requirements.lock", "systemd", "hardware"):
            src = bundle.root / name
            if src.is_dir():
                shutil.copytree(src, home / name)
            elif src.is_file():
                shutil.copyfile(src, home / name)
        (home / INSTALLED).write_text(bundle.version + "\n", encoding="utf-8")
        return home

    def switch(self, version: str | None) -> None:
        """Point `current` at `version` (None: remove it, the box had no release)."""
        link = self.current_link
        if version is None:
            link.unlink(missing_ok=True)
            return
        temp = self.base / f".current.{os.getpid()}"
        temp.unlink(missing_ok=True)
        temp.symlink_to(Path("releases") / version)
        os.replace(temp, link)

    def prune(self, keep: int, protect: set[str]) -> list[str]:
        """Remove all but the `keep` newest installed releases (never one in `protect`);
        the versions removed."""
        found = sorted((p for p in self.folder.iterdir() if (p / INSTALLED).is_file()),
                       key=lambda p: (p / INSTALLED).stat().st_mtime, reverse=True)
        gone = [p for p in found[keep:] if p.name not in protect]
        for path in gone:
            shutil.rmtree(path)
        return [p.name for p in gone]

    @contextmanager
    def locked(self) -> Iterator[None]:
        """One upgrade at a time on a box (the lock dies with the process)."""
        self.base.mkdir(parents=True, exist_ok=True)
        with (self.base / ".upgrade.lock").open("w") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise Busy(f"another `mpp upgrade` is running on this box "
                           f"({self.base / '.upgrade.lock'})") from None
            yield


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
        raise ReleaseError(f"cannot {what} (exit {done.returncode}):\n{tail}")
