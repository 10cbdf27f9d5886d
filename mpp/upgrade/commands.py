"""The commands `mpp release lock|build`, `mpp upgrade` and `mpp migrate`: their options
and the glue to mpp.release and mpp.upgrade (mpp/cli.py only registers them)."""

from __future__ import annotations

import argparse
import os
import sys
import tomllib
from pathlib import Path

from mpp.common import UsageError

# the server unit runs `mpp server --http-port 8443` with the site's certificate
SERVER_HEALTH_URL = "https://127.0.0.1:8443/health"


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    release = sub.add_parser("release", help="the lock file and release bundles")
    rsub = release.add_subparsers(dest="release_command", required=True)
    lock = rsub.add_parser("lock", help="write requirements.lock from this venv")
    lock.add_argument("--source", default=".", help="the repository (default: .)")
    lock.add_argument("--check", action="store_true",
                      help="only check the lock against pyproject.toml (exit 1 if not)")
    lock.set_defaults(func=cmd_release_lock)
    build = rsub.add_parser("build", help="a release bundle for offline installs")
    build.add_argument("--out", required=True, help="where mpp-VERSION goes")
    build.add_argument("--version", help="the release's name (default: pyproject's)")
    build.add_argument("--source", default=".", help="the repository (default: .)")
    build.add_argument("--lock", help="lock file (default: SOURCE/requirements.lock)")
    build.add_argument("--tar", action="store_true", help="one mpp-VERSION.tar file")
    build.add_argument("--no-build-isolation", action="store_true",
                       help="build the project's wheel with this venv's setuptools")
    build.set_defaults(func=cmd_release_build)

    up = sub.add_parser("upgrade", help="install a release bundle on this box, with "
                                        "automatic rollback (docs/upgrades.md)")
    up.add_argument("bundle", help="mpp-VERSION folder or mpp-VERSION.tar")
    up.add_argument("--root", default="/", help="the box's file system root (tests)")
    up.add_argument("--unit", action="append", metavar="UNIT",
                    help="a service to stop and start (repeatable; default: the unit of "
                         "the role in ROOT/etc/mpp/box.toml)")
    up.add_argument("--service-manager", default=os.environ.get("MPP_SERVICE_MANAGER",
                                                                "systemctl"),
                    help="command taking stop|start|is-active UNIT... (default "
                         "$MPP_SERVICE_MANAGER, else systemctl)")
    up.add_argument("--health-url", help="the server's /health (default on a server box: "
                                         f"{SERVER_HEALTH_URL}, the port its unit serves; "
                                         "elsewhere only check that the units run)")
    up.add_argument("--health-timeout", type=float, default=60.0, metavar="S",
                    help="seconds the new release has to become healthy (60)")
    up.add_argument("--health-ca", help="CA of an https health URL (default "
                                        "ROOT/etc/mpp/credentials/ca.crt when present)")
    up.add_argument("--data-dir", help="databases to back up and migrate, *.db (default "
                                       "$MPP_DATA_DIR, else ROOT/var/lib/mpp/server)")
    up.add_argument("--backup-dir", help="where the pre-upgrade copy goes (default "
                                         "$MPP_BACKUP_DIR, else ROOT/var/lib/mpp/backups)")
    up.add_argument("--keep", type=int, default=3, help="releases kept on the box (3)")
    up.set_defaults(func=cmd_upgrade)

    mig = sub.add_parser("migrate", help="bring a database to this release's schema")
    mig.add_argument("--db", required=True, help="SQLAlchemy URL")
    mig.set_defaults(func=cmd_migrate)


def cmd_release_lock(args: argparse.Namespace) -> int:
    from mpp.release.lock import LockError, check_lock, lock_text

    source = Path(args.source)
    target = source / "requirements.lock"
    if args.check:
        problems = check_lock(source / "pyproject.toml", target)
        for problem in problems:
            print(f"mpp release lock: {problem}", file=sys.stderr)
        return 1 if problems else 0
    try:
        target.write_text(lock_text(source / "pyproject.toml"), encoding="utf-8")
    except LockError as err:
        raise UsageError(str(err)) from None
    print(f"wrote {target}")
    return 0


def cmd_release_build(args: argparse.Namespace) -> int:
    from mpp.release import BundleError, LockError
    from mpp.release.build import build_release

    try:
        target = build_release(Path(args.source), Path(args.out), version=args.version,
                               lock=Path(args.lock) if args.lock else None, tar=args.tar,
                               build_isolation=not args.no_build_isolation)
    except (BundleError, LockError, OSError) as err:
        print(f"mpp release build: error: {err}", file=sys.stderr)
        return 1
    print(f"release bundle ready: {target} (copy it to the boxes; `mpp upgrade {target.name}`)")
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    from mpp.upgrade import Services, UpgradeOptions, upgrade

    if args.keep < 2:
        raise UsageError("--keep must be 2 or more (the running and the previous release)")
    root = Path(args.root)
    ca = Path(args.health_ca) if args.health_ca else root / "etc/mpp/credentials/ca.crt"
    units = tuple(args.unit or _role_units(root))
    opts = UpgradeOptions(
        bundle=Path(args.bundle), root=root,
        services=Services(args.service_manager, units),
        data_dir=_dir(args.data_dir, "MPP_DATA_DIR", root / "var/lib/mpp/server"),
        backup_dir=_dir(args.backup_dir, "MPP_BACKUP_DIR", root / "var/lib/mpp/backups"),
        health_url=args.health_url or default_health_url(units),
        health_timeout_s=args.health_timeout,
        health_ca=ca if ca.is_file() else None, keep=args.keep)
    return upgrade(opts, lambda line: print(f"mpp upgrade: {line}", flush=True))


def cmd_migrate(args: argparse.Namespace) -> int:
    from queue_server.store.db import make_engine, migrate

    engine = make_engine(args.db)
    try:
        migrate(engine)
    finally:
        engine.dispose()
    return 0


def _dir(given: str | None, env: str, default: Path) -> Path:
    return Path(given or os.environ.get(env) or default)


def default_health_url(units: tuple[str, ...]) -> str | None:
    """The server unit serves /health over HTTPS on 8443 (systemd/mpp-server.service): an
    upgrade of the server box checks it; other boxes only check that their units run."""
    return SERVER_HEALTH_URL if "mpp-server.service" in units else None


def _role_units(root: Path) -> tuple[str, ...]:
    from mpp.upgrade import ROLE_UNITS

    path = root / "etc/mpp/box.toml"
    try:
        box = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise UsageError(f"name the services with --unit ({path}: {err})") from None
    role = box.get("role", box.get("box", {}).get("role"))
    if role not in ROLE_UNITS:
        raise UsageError(f"name the services with --unit ({path} has no known role: "
                         f"{role!r})")
    return ROLE_UNITS[role]
