"""The web server inside QueueServer: a taken port fails start-up cleanly, and the
dashboard comes and goes with the server."""

from __future__ import annotations

import socket

import pytest

from queue_server.server import QueueServer
from tests.support.hall import server_options


def test_port_in_use_fails_start_with_nothing_left_running(mosquitto, site, sqlite_url,
                                                           clock):
    taken = socket.socket()
    try:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        server = QueueServer(site, server_options(mosquitto, sqlite_url, http_port=port,
                                                  http_host="127.0.0.1", advertise=False),
                             clock)
        with pytest.raises(OSError):
            server.start()
        server.stop()  # still safe to call
    finally:
        taken.close()
    # the leak check of conftest.py fails this test if a thread was left behind


def test_no_http_port_no_dashboard(server):
    assert server.web is None and server.http_port is None


def test_mpp_server_says_which_port_is_taken(tmp_path):
    import subprocess
    import sys

    taken = socket.socket()
    try:
        taken.bind(("0.0.0.0", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "mpp", "server", "--db",
             f"sqlite:///{tmp_path / 'x.db'}", "--no-zeroconf", "--mqtt",
             "mqtt://127.0.0.1:9", "--http-port", str(port)],
            capture_output=True, text=True, timeout=60, check=False)
    finally:
        taken.close()
    assert done.returncode == 2, done.stderr[-2000:]
    assert f"cannot serve HTTP on port {port}" in done.stderr
