"""`mpp release build`: the release bundle, made once on a machine with network access
(and the boxes' architecture: the wheels of cryptography, PySide6, pydantic-core... are
per platform), then carried to every box."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
from collections.abc import Callable
from pathlib import Path

from mpp.release.bundle import BundleError, check_version, open_bundle, write_sums
from mpp.release.lock import check_lock, read_lock

COPIED = ("systemd", "hardware")
# never part of the project wheel's source (a stale build/ would leak deleted modules)
SKIPPED = (".git", ".venv", "build", "dist", "data", "*.egg-info", "__pycache__",
           ".pytest_cache", ".ruff_cache", ".mypy_cache")


def build_release(source: Path, out: Path, *, version: str | None = None,
                  lock: Path | None = None, tar: bool = False, build_isolation: bool = True,
                  say: Callable[[str], None] = print) -> Path:
    """Build mpp-VERSION (a folder, or mpp-VERSION.tar with `tar`) in `out`; its path."""
    version = check_version(version or _project_version(source))
    lock = lock or source / "requirements.lock"
    if problems := check_lock(source / "pyproject.toml", lock):
        raise BundleError(f"{lock} is out of step with pyproject.toml (`mpp release lock` "
                          f"rewrites it): {'; '.join(problems)}")
    target = out / (f"mpp-{version}.tar" if tar else f"mpp-{version}")
    if target.exists():
        raise BundleError(f"{target} exists already: remove it or choose another --version")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".mpp-release-", dir=out) as tmp:
        bundle = Path(tmp) / f"mpp-{version}"
        wheels = bundle / "wheels"
        wheels.mkdir(parents=True)
        (bundle / "VERSION").write_text(version + "\n", encoding="utf-8")
        shutil.copyfile(lock, bundle / "requirements.lock")
        pins = read_lock(lock)
        say(f"[1/4] the project's wheel from {source}")
        _project_wheel(source, wheels, Path(tmp) / "src", build_isolation)
        say(f"[2/4] the wheels of {len(pins)} pinned dependencies (from PyPI, or built "
            "here when a project publishes no wheel for this machine)")
        if pins:
            _pip("wheel", "--wheel-dir", str(wheels), "-r", str(lock))
        say(f"[3/4] {', '.join(COPIED)} and the checksums")
        for name in COPIED:
            if (source / name).is_dir():
                shutil.copytree(source / name, bundle / name)
        write_sums(bundle)
        open_bundle(bundle, Path(tmp))  # the same check a box makes
        say(f"[4/4] {target}")
        if tar:
            with tarfile.open(target, "w") as archive:
                archive.add(bundle, arcname=bundle.name)
        else:
            bundle.rename(target)
    return target


def _project_version(source: Path) -> str:
    pyproject = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))
    return str(pyproject["project"]["version"])


def _project_wheel(source: Path, wheels: Path, copy: Path, isolation: bool) -> None:
    """Build from a clean copy of the source: setuptools reuses build/lib otherwise."""
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(*SKIPPED))
    extra = [] if isolation else ["--no-build-isolation"]
    _pip("wheel", "--no-deps", *extra, "--wheel-dir", str(wheels), str(copy))


def _pip(*args: str) -> None:
    cmd = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args]
    done = subprocess.run(cmd, check=False)
    if done.returncode != 0:
        raise BundleError(f"pip {args[0]} failed (exit {done.returncode}): "
                          f"{' '.join(cmd)}")
