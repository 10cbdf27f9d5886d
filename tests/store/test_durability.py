"""The server commits durably, and these tests notice when it stops doing so.

The other store and server tests (restart, SIGKILL, concurrency) all pass with
`synchronous=OFF`: an application crash loses nothing at any sync level, only a power
loss does (FIELD-NOTES.md). So the settings are read back from the connection the server
really commits through (the engine's writer, after it committed a batch), and on SQLite
the fsyncs of one committed batch are counted under strace: in WAL mode
`synchronous=NORMAL` does not sync the WAL at commit, FULL does.

strace is required (Debian package `strace`, scripts/install-system-deps.sh): without it
the trace test fails, it never skips.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Connection

from queue_server.server import QueueServer
from tests.store.one_commit import issue, open_server
from tests.support.postgres import INSTALL_HINT, PostgresCluster

ROOT = Path(__file__).resolve().parents[2]
STRACE = "/usr/bin/strace"
SQLITE_FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
TRACE_TIMEOUT_S = 60


def committed_writer(server: QueueServer) -> Connection:
    """The connection the engine committed one ticket.issue through (its store's writer)."""
    reply = json.loads(issue(server, "d1"))
    assert reply["ok"], reply
    writer = server.engine.store.writer
    assert writer is not None and not writer.closed, "the store kept no writer connection"
    return writer


def test_the_sqlite_writer_commits_in_wal_mode_with_synchronous_full(tmp_path: Path) -> None:
    # GIVEN the server committed a batch to a SQLite file
    with open_server(f"sqlite:///{tmp_path / 'mpp.db'}") as server:
        # WHEN its writer's own settings are read back
        raw = committed_writer(server).connection.driver_connection
        journal = raw.execute("PRAGMA journal_mode").fetchone()[0]
        sync = raw.execute("PRAGMA synchronous").fetchone()[0]
    # THEN a commit survives a power loss: WAL, synchronous=FULL
    assert journal == "wal", f"the writer's journal_mode is {journal!r}, not 'wal'"
    assert sync == SQLITE_FULL, (
        f"the writer's synchronous is {sync} (0 OFF, 1 NORMAL, 2 FULL): a commit is not "
        f"durable across a power loss")


def test_the_postgresql_writer_waits_for_the_wal_flush(
        postgres_cluster: PostgresCluster) -> None:
    # GIVEN the server committed a batch to a PostgreSQL database
    name = postgres_cluster.new_database()
    try:
        with open_server(postgres_cluster.url(name)) as server:
            writer = committed_writer(server)
            # WHEN its writer's session settings are read back (in a transaction of its
            # own, ended before any next batch)
            with writer.begin():
                settings = {key: writer.exec_driver_sql(f"SHOW {key}").scalar_one()
                            for key in ("synchronous_commit", "fsync")}
    finally:
        postgres_cluster.drop_database(name)
    # THEN a COMMIT returns only once its WAL is on the disk
    assert settings == {"synchronous_commit": "on", "fsync": "on"}, (
        f"the writer's session commits without waiting for the WAL flush: {settings}")


# --------------------------------------------------------------------------- fsyncs


def require_strace() -> None:
    if not (os.path.exists(STRACE) and os.access(STRACE, os.X_OK)):
        pytest.fail(f"strace is not installed (Debian package `strace`): {INSTALL_HINT}",
                    pytrace=False)


def traced_commit(db_path: Path, workdir: Path) -> tuple[list[str], str]:
    """Run tests/store/one_commit.py under strace; the traced fsync/fdatasync lines
    between its two markers, and the marked command's reply."""
    require_strace()
    trace = workdir / "strace.txt"
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"]
                                     if env.get("PYTHONPATH") else "")
    proc = subprocess.run(
        [STRACE, "-f", "-y", "-e", "trace=fsync,fdatasync", "-o", str(trace),
         sys.executable, "-m", "tests.store.one_commit", f"sqlite:///{db_path}",
         str(workdir)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=TRACE_TIMEOUT_S,
        check=False)
    assert proc.returncode == 0, (
        f"strace or its child failed ({proc.returncode}); ptrace may be denied here:\n"
        f"{proc.stderr[-3000:]}")
    lines = trace.read_text().splitlines()
    marks = [i for i, line in enumerate(lines)
             if re.search(r"<[^>]*/commit-(begin|end)>", line)]
    assert len(marks) == 2, f"expected the two marker fsyncs in the trace:\n{lines}"
    return lines[marks[0] + 1:marks[1]], proc.stdout


def test_one_committed_batch_syncs_the_wal(tmp_path: Path) -> None:
    # GIVEN the server's store on a SQLite file, one warm-up ticket committed
    db_path = tmp_path / "mpp.db"
    # WHEN one ticket.issue is committed under strace
    syncs, reply = traced_commit(db_path, tmp_path)
    assert json.loads(reply)["ok"], reply
    # THEN the commit waited for the WAL to reach the disk
    wal = re.escape(f"{db_path}-wal")
    on_wal = [s for s in syncs if re.search(rf"\b(fsync|fdatasync)\(\d+<{wal}>\)", s)]
    assert on_wal, ("no fsync/fdatasync of the WAL during a committed batch: the commit "
                    "is not durable across a power loss. Syncs traced during the commit: "
                    f"{syncs}")

