"""`python -m tests.store.one_commit DB_URL MARKER_DIR`: the child that test_durability
runs under strace.

It opens the store as the server does (a QueueServer's own database engine and Engine,
not started: no broker needed), commits one warm-up ticket, then issues one more ticket
between two marker fsyncs (on MARKER_DIR/commit-begin and MARKER_DIR/commit-end), so that
a tracer can tell which syncs belong to that one committed batch. The marked command's
reply goes to stdout as one JSON line.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from queue_server.clock import ManualClock
from queue_server.engine.core import Inbound
from queue_server.protocol.messages import dumps
from queue_server.server import QueueServer, ServerOptions
from tests.support.site import local_ts, small_site

SITE = "t-durable"
MONDAY_9 = "2026-11-30T09:00"


@contextmanager
def open_server(db_url: str) -> Iterator[QueueServer]:
    """A QueueServer's own store, opened as start() opens it; not started (no broker):
    the caller drives its engine on this thread, so the writer is used by one thread."""
    srv = QueueServer(small_site(SITE), ServerOptions(db_url=db_url, advertise=False),
                      ManualClock(local_ts(MONDAY_9)))
    srv.engine.open()
    try:
        yield srv
    finally:
        srv.engine.close()
        srv.stop()


def issue(server: QueueServer, cmd_id: str) -> bytes:
    """One ticket.issue from kiosk-01 through the engine's batch path: apply, commit."""
    replies: list[bytes] = []
    payload = dumps({"id": cmd_id, "op": "ticket.issue", "args": {"service": "ktp"}})
    server.engine.process([Inbound("kiosk-01", payload, reply=replies.append)])
    return replies[0]


def mark(path: Path) -> None:
    """A syscall the tracer sees by its file name: fsync of an empty marker file."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o644)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def main(argv: list[str]) -> int:
    db_url, markers = argv[1], Path(argv[2])
    with open_server(db_url) as server:
        issue(server, "warm-up")  # the first commit creates the WAL: not the steady state
        mark(markers / "commit-begin")
        reply = issue(server, "traced")
        mark(markers / "commit-end")
    sys.stdout.write(reply.decode() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
