"""uvicorn on a thread of its own, on a socket bound before start (port 0 works, and
connections made before uvicorn is up wait in the backlog); over TLS when given a
context (web/https.py)."""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import threading

import uvicorn
from fastapi import FastAPI

log = logging.getLogger("mpp.web")


class WebServer:
    def __init__(self, app: FastAPI, host: str, port: int,
                 tls: ssl.SSLContext | None = None) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            self._sock.bind((host, port))
            self._sock.listen(128)
        except OSError:
            self._sock.close()
            raise
        self.port = int(self._sock.getsockname()[1])
        self.app = app
        # log_config=None: uvicorn's default dictConfig would close the process's handlers
        # (the journal's socket among them); its loggers reach ours through the root
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=2, ws="none", log_config=None)
        if tls is not None:  # our context (TLS 1.2+), not one uvicorn would build
            config.load()
            config.ssl = tls
        self.https = tls is not None
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="mpp-web", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        try:
            asyncio.run(self._server.serve(sockets=[self._sock]))
        except Exception:
            log.exception("the web server stopped")

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(10)
        self._sock.close()
