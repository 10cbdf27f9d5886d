"""requirements.lock: every runtime dependency of a box pinned as `name==version`.

The pins are read from the venv that runs `mpp release lock` (the versions the tests ran
against), not resolved afresh from PyPI: what a hall installs is what CI tested. The walk
starts from pyproject's dependencies plus the extras a box needs and follows each installed
distribution's own requirements (markers evaluated on this machine)."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

# The extras a box runs with: printers/scanners/keypads and the Qt apps. Not dev, not
# postgres (a PostgreSQL site installs psycopg itself: docs/upgrades.md).
LOCK_EXTRAS = ("hardware", "gui")

HEADER = """\
# requirements.lock: every runtime dependency of an MPP box, pinned (name==version).
# Made by `mpp release lock` from the distributions installed in the venv that ran it (the
# versions the tests ran against): pyproject.toml's dependencies plus the extras {extras},
# followed transitively, markers evaluated on Linux / CPython {python}.
# Regenerate after changing pyproject.toml or upgrading the venv:  .venv/bin/mpp release lock
# tests/mpp/test_release.py checks every declared dependency is pinned and satisfied.
"""

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9][A-Za-z0-9.+!_-]*)$")


class LockError(Exception):
    code = "lock_error"


def canonical(name: str) -> str:
    """PEP 503 name: `PySide6_Essentials` and `pyside6-essentials` are one project."""
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(pyproject: Path, extras: tuple[str, ...] = LOCK_EXTRAS) -> list[str]:
    """The requirement strings a box needs, as pyproject.toml declares them."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    found = list(project.get("dependencies", []))
    for extra in extras:
        found += project.get("optional-dependencies", {}).get(extra, [])
    return found


def pins_from_venv(requirements: list[str]) -> dict[str, str]:
    """canonical name -> installed version, for the requirements and all they need."""
    from packaging.requirements import Requirement  # dev side only (pip's and pytest's)

    pins: dict[str, str] = {}
    walked: dict[str, set[str]] = {}
    todo = [(Requirement(text), frozenset({""})) for text in requirements]
    while todo:
        req, parent_extras = todo.pop()
        if req.marker is not None and not any(
                req.marker.evaluate({"extra": e}) for e in parent_extras):
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            raise LockError(f"{req.name} is required ({req}) but not installed in this "
                            "venv: pip install -e '.[hardware,gui]' first") from None
        if not req.specifier.contains(dist.version, prereleases=True):
            raise LockError(f"installed {req.name} {dist.version} does not satisfy {req}")
        name = canonical(req.name)
        pins[name] = dist.version
        extras = {""} | set(req.extras)
        if extras <= walked.get(name, set()):
            continue
        walked.setdefault(name, set()).update(extras)
        todo += [(Requirement(text), frozenset(extras)) for text in dist.requires or []]
    return pins


def lock_text(pyproject: Path) -> str:
    import platform

    pins = pins_from_venv(declared(pyproject))
    header = HEADER.format(extras=", ".join(LOCK_EXTRAS),
                           python=".".join(platform.python_version_tuple()[:2]))
    return header + "".join(f"{name}=={version}\n" for name, version in sorted(pins.items()))


def read_lock(path: Path) -> dict[str, str]:
    """canonical name -> pinned version; a line that is not `name==version` is an error."""
    pins: dict[str, str] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _PIN.match(line)
        if match is None:
            raise LockError(f"{path.name} line {number}: {line!r} is not name==version")
        pins[canonical(match[1])] = match[2]
    return pins


def check_lock(pyproject: Path, lock: Path) -> list[str]:
    """What is wrong between pyproject's declared dependencies and the lock (empty: in
    sync): a dependency without a pin, or a pin outside its specifier."""
    from packaging.requirements import Requirement

    pins = read_lock(lock)
    problems = []
    for text in declared(pyproject):
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        version = pins.get(canonical(req.name))
        if version is None:
            problems.append(f"{req.name} is declared ({text}) but not pinned")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req.name}=={version} does not satisfy {text}")
    return problems
