"""`mpp central serve`: the app over TLS (1.2+) with uvicorn, on a socket bound before it
starts, until SIGINT or SIGTERM. The schema is brought up to date first (one instance at a
time: an advisory lock)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from central.app import create_app
from central.db import make_central_engine, migrate
from queue_server.journal import log_event
from queue_server.protocol.credentials import HttpsFiles
from queue_server.web.https import server_context
from queue_server.web.runner import WebServer

log = logging.getLogger("mpp.central")


def serve(db_url: str, host: str, port: int, cert: Path, key: Path,
          wait: Callable[[], None]) -> None:
    """Serve until `wait()` returns (the caller's signal wait)."""
    tls = server_context(HttpsFiles(cert, key))
    engine = make_central_engine(db_url)
    try:
        migrate(engine)
        web = WebServer(create_app(engine), host, port, tls)
        web.start()
        log_event(log, "central.start", host=host, port=web.port,
                  text="receiving uploads over HTTPS")
        try:
            wait()
        finally:
            web.stop()
            log_event(log, "central.stop", port=web.port)
    finally:
        engine.dispose()
