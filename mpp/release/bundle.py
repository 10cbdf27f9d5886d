"""A release bundle, checked before anything on the box changes.

Layout (a folder or a .tar of one folder, named mpp-VERSION):
    VERSION            one line, the release's name (its folder under /opt/mpp/releases)
    requirements.lock  pinned dependencies, name==version lines
    wheels/            the project's wheel (mpp_queue-*.whl) and one wheel per pin
    systemd/ hardware/ copies of the repository's folders (when it has them)
    SHA256SUMS         `sha256sum` lines for every other file: a stick pulled out during
                       the copy, or a flipped bit, is refused before the install.

Only the standard library here: `mpp upgrade` runs from a box's current release."""

from __future__ import annotations

import hashlib
import re
import tarfile
from dataclasses import dataclass
from pathlib import Path

from mpp.release.lock import LockError, canonical, read_lock

SUMS = "SHA256SUMS"
PROJECT = "mpp-queue"
VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")


class BundleError(Exception):
    """The bundle is refused; nothing on the box was changed."""

    code = "bundle_refused"


@dataclass(frozen=True)
class Bundle:
    root: Path
    version: str
    pins: dict[str, str]
    project_wheel: Path

    @property
    def lock(self) -> Path:
        return self.root / "requirements.lock"

    @property
    def wheels(self) -> Path:
        return self.root / "wheels"


def check_version(text: str) -> str:
    if not VERSION_RE.match(text):
        raise BundleError(f"release version {text!r} is not a plain name (letters, digits, "
                          "'.', '_', '+', '-'; it names a folder)")
    return text


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(root: Path) -> None:
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name != SUMS)
    lines = [f"{sha256(p)}  {p.relative_to(root).as_posix()}\n" for p in files]
    (root / SUMS).write_text("".join(lines), encoding="utf-8")


def open_bundle(source: Path, scratch: Path) -> Bundle:
    """The checked bundle at `source` (a folder, or a .tar unpacked into `scratch`)."""
    if not source.exists():
        raise BundleError(f"{source}: no such file or folder")
    root = source if source.is_dir() else _unpack(source, scratch)
    _check_sums(root)
    try:
        version = check_version((root / "VERSION").read_text(encoding="utf-8").strip())
        pins = read_lock(root / "requirements.lock")
    except (OSError, LockError) as err:
        raise BundleError(f"{source}: {err}") from None
    wheels = _wheels(root / "wheels")
    missing = [f"{name}=={v}" for name, v in sorted(pins.items()) if wheels.get(name) != v]
    if missing:
        raise BundleError(f"{source}: wheels/ lacks the wheel of {', '.join(missing)}")
    project = sorted((root / "wheels").glob("mpp_queue-*.whl"))
    if len(project) != 1:
        raise BundleError(f"{source}: wheels/ must hold one wheel of {PROJECT}, found "
                          f"{len(project)}")
    return Bundle(root, version, pins, project[0])


def _unpack(tar: Path, scratch: Path) -> Path:
    try:
        with tarfile.open(tar) as archive:
            _extract(archive, scratch)
    except (tarfile.TarError, EOFError, OSError) as err:
        raise BundleError(f"{tar} is not a complete tar archive (was the copy to the stick "
                          f"finished?): {err}") from None
    tops = list(scratch.iterdir())
    if len(tops) != 1 or not tops[0].is_dir():
        raise BundleError(f"{tar} must hold one folder mpp-VERSION, not "
                          f"{', '.join(sorted(p.name for p in tops)) or 'nothing'}")
    return tops[0]


def _extract(archive: tarfile.TarFile, scratch: Path) -> None:
    """Files and folders only, inside `scratch`: a bundle has no links, devices or paths
    that climb out. The "data" filter says so where Python has it (3.11.4+); Debian 12's
    3.11.2 may not, so the same rule is checked here first."""
    for member in archive.getmembers():
        name = Path(member.name)
        if not (member.isfile() or member.isdir()) or name.is_absolute() or ".." in name.parts:
            raise BundleError(f"{archive.name}: {member.name!r} is not a plain file or "
                              "folder inside the bundle")
    if hasattr(tarfile, "data_filter"):
        archive.extractall(scratch, filter="data")
    else:  # pragma: no cover - checked above
        archive.extractall(scratch)


def _check_sums(root: Path) -> None:
    sums = root / SUMS
    if not sums.is_file():
        raise BundleError(f"{root}: no {SUMS}: not a bundle made by `mpp release build`")
    listed: dict[str, str] = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    present = {p.relative_to(root).as_posix() for p in root.rglob("*")
               if p.is_file() and p.name != SUMS}
    if missing := sorted(set(listed) - present):
        raise BundleError(f"{root}: incomplete, missing {', '.join(missing[:5])}")
    if extra := sorted(present - set(listed)):
        raise BundleError(f"{root}: files not in {SUMS}: {', '.join(extra[:5])}")
    if bad := sorted(n for n, d in listed.items() if sha256(root / n) != d):
        raise BundleError(f"{root}: corrupt (checksum differs): {', '.join(bad[:5])}")


def _wheels(folder: Path) -> dict[str, str]:
    """canonical name -> version of each wheel in `folder` (from the file names)."""
    if not folder.is_dir():
        raise BundleError(f"{folder.parent}: no wheels/ folder")
    found = {}
    for wheel in folder.glob("*.whl"):
        name, version = wheel.name.split("-")[:2]
        found[canonical(name)] = version
    return found
