"""A throwaway PostgreSQL cluster for the test session.

`PostgresCluster.start()` runs initdb and pg_ctl from the Debian layout
(/usr/lib/postgresql/<version>/bin, highest version wins; override with MPP_PG_BINDIR) in a
fresh folder under /tmp, listening on 127.0.0.1 only (no Unix socket), on a free port, with
trust authentication for the superuser "mpp". fsync stays on (the production setting);
only initdb itself runs with --no-sync, since its files are thrown away anyway.

initdb refuses to run as root: as root every PostgreSQL binary runs as the "postgres" user
(created by the Debian package) through subprocess' user=/group= (setuid before exec, the
same as `runuser -u postgres --`), in a folder owned by that user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mpp.broker import free_port

INSTALL_HINT = "run `bash scripts/install-system-deps.sh` (or `make test`, which runs it)"
SUPERUSER = "mpp"
TEST_DB = "mpp_test"


def find_pg_bindir() -> Path | None:
    """Folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    override = os.environ.get("MPP_PG_BINDIR")
    if override:
        return Path(override)
    candidates = []
    for ctl in glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"):
        version = Path(ctl).parent.parent.name
        key = tuple(int(x) for x in re.findall(r"\d+", version)) or (0,)
        candidates.append((key, Path(ctl).parent))
    if candidates:
        return max(candidates)[1]
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent
    return None


def require_pg_bindir() -> Path:
    bindir = find_pg_bindir()
    if bindir is None or not (bindir / "initdb").exists():
        pytest.fail(f"PostgreSQL (initdb, pg_ctl) is not installed: {INSTALL_HINT}", pytrace=False)
    return bindir


@dataclass
class PostgresCluster:
    bindir: Path
    port: int = 0
    root: Path | None = None
    _run_as: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def datadir(self) -> Path:
        assert self.root is not None
        return self.root / "data"

    @property
    def logfile(self) -> Path:
        assert self.root is not None
        return self.root / "postgres.log"

    def url(self, dbname: str = TEST_DB) -> str:
        """SQLAlchemy URL (psycopg 3 driver)."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def conninfo(self, dbname: str = "postgres") -> str:
        """libpq connection string for psycopg.connect()."""
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={dbname}"

    # ---- lifecycle

    def start(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="mpp-pg-"))
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                pytest.fail(
                    "running as root but there is no 'postgres' user to run PostgreSQL as: "
                    + INSTALL_HINT,
                    pytrace=False,
                )
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self._run_as = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}
        self.port = free_port()
        self._run(
            [
                str(self.bindir / "initdb"),
                f"--pgdata={self.datadir}",
                f"--username={SUPERUSER}",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
                "--no-instructions",
            ],
            "initdb",
        )
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": "''",
            "fsync": "on",
            "synchronous_commit": "on",
            "max_connections": "200",
            "shared_buffers": "64MB",
            "timezone": "'UTC'",
            "log_timezone": "'UTC'",
            "logging_collector": "off",
        }
        with (self.datadir / "postgresql.conf").open("a", encoding="utf-8") as f:
            f.write("\n# mpp test cluster\n")
            for key, value in settings.items():
                f.write(f"{key} = {value}\n")
        self._pg_ctl("--log", str(self.logfile), "--wait", "--timeout", "60", "start")
        self.create_database(TEST_DB)

    def stop(self) -> None:
        if self.root is None:
            return
        if (self.datadir / "postmaster.pid").exists():
            try:
                self._pg_ctl("--mode", "fast", "--wait", "--timeout", "30", "stop")
            except Exception:
                with contextlib.suppress(Exception):
                    self._pg_ctl("--mode", "immediate", "--wait", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
        self.root = None

    # ---- databases

    def create_database(self, name: str) -> str:
        """Create database `name`; returns its SQLAlchemy URL."""
        _check_ident(name)
        self.execute("CREATE DATABASE {}", name)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        _check_ident(name)
        # FORCE (PG 13+) ends sessions a test left open (an engine not disposed).
        self.execute("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)

    def new_database(self) -> str:
        """A fresh, uniquely named database; returns its name."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        self.create_database(name)
        return name

    def execute(self, statement: str, *identifiers: str, dbname: str = "postgres") -> None:
        """Run one statement (autocommit); `{}` placeholders take quoted identifiers."""
        import psycopg
        from psycopg import sql

        query = sql.SQL(statement).format(*(sql.Identifier(i) for i in identifiers))
        with psycopg.connect(self.conninfo(dbname), autocommit=True) as conn:
            conn.execute(query)

    # ---- helpers

    def _pg_ctl(self, *args: str) -> None:
        self._run(
            [str(self.bindir / "pg_ctl"), "--pgdata", str(self.datadir), *args],
            f"pg_ctl {args[-1]}",
        )

    def _run(self, cmd: list[str], what: str) -> None:
        assert self.root is not None
        out_path = self.root / "ctl.out"
        with out_path.open("wb") as out:
            # pg_ctl's server inherits no pipe of ours (its output goes to --log), so it can
            # never hold up this call; our own output goes to a file for the error message.
            proc = subprocess.run(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.root,
                env={**os.environ, "LC_ALL": "C", "TZ": "UTC"},
                check=False,
                timeout=120,
                **self._run_as,
            )
        if proc.returncode != 0:
            output = out_path.read_text("utf-8", "replace").strip()
            server_log = ""
            if self.logfile.exists():
                server_log = self.logfile.read_text("utf-8", "replace").strip()[-3000:]
            raise RuntimeError(
                f"{what} failed with exit code {proc.returncode}: {output}\n"
                f"server log: {server_log or '(none)'}"
            )


def _check_ident(name: str) -> None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise ValueError(f"unsafe database name: {name!r}")
