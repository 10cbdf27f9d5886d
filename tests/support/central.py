"""Pytest plugin (registered in tests/conftest.py): a real `mpp central` for the tests of
the outbox's delivery: its own process on a loopback port, over TLS with a certificate of
a test CA, on a fresh database of the session's PostgreSQL.

Fixtures:
    central_tls      session  CentralTls: the CA, the central's certificate and key
    central_db       function the URL of a fresh database with the central's schema
    central_factory  function `central_factory(db_url, port=None) -> CentralProcess`,
                              started and healthy; every one stopped at teardown
"""

from __future__ import annotations

import json
import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from central.db import add_site, make_central_engine, migrate
from mpp.broker import free_port
from mpp.provision.tls import leaf_certificate, site_ca
from tests.support.postgres import PostgresCluster

ROOT = Path(__file__).resolve().parents[2]
START_S = 30.0


@dataclass(frozen=True)
class CentralTls:
    ca: Path
    cert: Path
    key: Path


def make_tls(folder: Path) -> CentralTls:
    """A CA of the test's and the central's certificate for 127.0.0.1 and localhost."""
    ca = site_ca(folder, "central-test")
    cert, key = folder / "central.crt", folder / "central.key"
    leaf_certificate(cert, key, ca, ["localhost"], ["127.0.0.1"], "MPP central test")
    return CentralTls(folder / "ca.crt", cert, key)


class CentralProcess:
    """`python -m mpp central serve` on 127.0.0.1; stop() (SIGTERM) or kill() (SIGKILL),
    then start() again on the same port."""

    def __init__(self, db_url: str, tls: CentralTls, log_dir: Path,
                 port: int | None = None) -> None:
        self.db_url, self.tls, self.log_dir = db_url, tls, log_dir
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self) -> CentralProcess:
        self.starts += 1
        log = self.log_dir / f"central-{self.port}-{self.starts}.log"
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "mpp", "--log-level", "WARNING", "central", "serve",
                 "--db", self.db_url, "--host", "127.0.0.1", "--port", str(self.port),
                 "--cert", str(self.tls.cert), "--key", str(self.tls.key)],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONPATH": str(ROOT)})
        context = ssl.create_default_context(cafile=str(self.tls.ca))
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"mpp central exited {self.proc.returncode}: "
                            f"{log.read_text(errors='replace')[-2000:]}", pytrace=False)
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2,
                                            context=context) as resp:
                    if json.load(resp).get("status") == "ok":
                        return self
            except OSError:  # not listening yet: wait on the process a moment instead
                try:
                    self.proc.wait(0.05)
                except subprocess.TimeoutExpired:
                    pass
        pytest.fail(f"mpp central did not answer within {START_S} s", pytrace=False)
        raise AssertionError  # pragma: no cover

    def stop(self) -> None:
        self._end(signal.SIGTERM)

    def kill(self) -> None:
        self._end(signal.SIGKILL)

    def _end(self, sig: signal.Signals) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None


def new_site(db_url: str, site: str, folder: Path) -> Path:
    """The site known to the central; its token's file (as `mpp central add-site` makes)."""
    engine = make_central_engine(db_url, pool_size=1)
    try:
        made = add_site(engine, site)
    finally:
        engine.dispose()
    path = folder / f"{site}.token"
    path.write_text(made.token + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def held(db_url: str, site: str) -> dict[str, list[int]]:
    """The seqs the central holds for `site`, per stream, in order."""
    engine = make_central_engine(db_url, pool_size=1)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT stream, seq FROM records WHERE site = :s "
                                     "ORDER BY stream, seq"), {"s": site}).all()
    finally:
        engine.dispose()
    found: dict[str, list[int]] = {}
    for stream, seq in rows:
        found.setdefault(stream, []).append(int(seq))
    return found


class ScriptedCentral:
    """A fake central for the answers a real one does not give on demand (a 500 from a
    proxy in front of it, garbage, an acknowledgement of the wrong batch): HTTPS on
    127.0.0.1 with the test central's certificate, answering every POST with `answer`
    (status, body) and counting the requests."""

    def __init__(self, tls: CentralTls) -> None:
        import http.server
        import threading

        outer = self
        self.answer: tuple[int, bytes] = (500, b"<html>Internal Server Error</html>")
        self.requests = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.requests += 1
                status, body = outer.answer
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(tls.cert), str(tls.key))
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="scripted-central", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


@pytest.fixture
def scripted_central(central_tls: CentralTls) -> Iterator[ScriptedCentral]:
    fake = ScriptedCentral(central_tls)
    yield fake
    fake.close()


@pytest.fixture(scope="session")
def central_tls(tmp_path_factory: pytest.TempPathFactory) -> CentralTls:
    return make_tls(tmp_path_factory.mktemp("central-tls"))


@contextmanager
def fresh_central_db(cluster: PostgresCluster) -> Iterator[str]:
    """A new database with the central's schema, dropped afterwards."""
    name = cluster.new_database()
    url = cluster.url(name)
    engine = make_central_engine(url, pool_size=1)
    migrate(engine)
    engine.dispose()
    try:
        yield url
    finally:
        cluster.drop_database(name)


@pytest.fixture
def central_db(postgres_cluster: PostgresCluster) -> Iterator[str]:
    with fresh_central_db(postgres_cluster) as url:
        yield url


@pytest.fixture
def central_factory(central_tls: CentralTls, tmp_path: Path
                    ) -> Iterator[Callable[..., CentralProcess]]:
    made: list[CentralProcess] = []

    def start(db_url: str, port: int | None = None) -> CentralProcess:
        process = CentralProcess(db_url, central_tls, tmp_path, port).start()
        made.append(process)
        return process

    yield start
    for process in made:
        process.stop()
