"""The server tells systemd (queue_server/notify.py): READY only once it serves, STATUS
while it waits for the broker, watchdog pings from the engine's loop, which stop while the
engine is stuck, and STOPPING at the end; in-process and as `python -m mpp server`."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from queue_server.notify import Notifier
from queue_server.server import QueueServer, ServerOptions
from tests.support.hall import broker_args, server_options
from tests.support.notify import NotifyListener

ROOT = Path(__file__).resolve().parents[2]
WATCHDOG_S = 0.6  # a ping every 0.2 s


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_ready_pings_and_stopping(mosquitto, site, sqlite_url, clock):
    with NotifyListener() as systemd:  # an abstract '@' socket
        # GIVEN a server whose systemd unit has a watchdog
        server = QueueServer(site, server_options(mosquitto, sqlite_url, advertise=False),
                             clock, notifier=Notifier(systemd.address, WATCHDOG_S))
        try:
            # WHEN it starts
            server.start()
            # THEN READY comes with what it serves, and pings follow from its loop
            ready = systemd.wait_for("READY", 10, "1")
            assert ready["STATUS"].startswith(f"serving site {site.site.id} on mqtt")
            assert server.connected.is_set()
            for _ in range(3):
                systemd.wait_for("WATCHDOG", 2, "1")
        finally:
            server.stop()
        # AND stopping says so
        assert systemd.wait_for("STOPPING", 5, "1")["STATUS"].startswith("stopping site")


def test_waits_for_the_broker_without_ready(site, sqlite_url, clock):
    with NotifyListener() as systemd:
        # GIVEN no broker where the server dials
        opts = ServerOptions(db_url=sqlite_url, mqtt_port=_free_port(), advertise=False)
        server = QueueServer(site, opts, clock, notifier=Notifier(systemd.address, 0.6))
        try:
            server.start()
            # THEN it says what it waits for and asks for more start-up time, never READY
            waiting = systemd.wait_for("STATUS", 15)
            assert waiting["STATUS"].startswith("waiting for the MQTT broker")
            systemd.wait_for("EXTEND_TIMEOUT_USEC", 5)
        finally:
            server.stop()
        systemd.wait_for("STOPPING", 5)
        assert not any("READY" in m or "WATCHDOG" in m for m in systemd.seen)


def test_a_stuck_engine_stops_the_pings(mosquitto, site, sqlite_url, clock, client_factory):
    with NotifyListener() as systemd:
        server = QueueServer(site, server_options(mosquitto, sqlite_url, advertise=False),
                             clock, notifier=Notifier(systemd.address, WATCHDOG_S))
        try:
            server.start()
            systemd.wait_for("READY", 10)
            systemd.wait_for("WATCHDOG", 2)
            kiosk = client_factory("kiosk-01", "kiosk", follow_state=False)
            # GIVEN another process holds the database locked
            path = sqlite_url.removeprefix("sqlite:///")
            holder = sqlite3.connect(path, isolation_level=None)
            try:
                holder.execute("BEGIN EXCLUSIVE")
                # WHEN a command makes the engine write (it waits up to busy_timeout, 5 s)
                _, pending = kiosk.send("ticket.issue", {"service": "ktp"})
                # THEN the pings stop: 2 s of silence where one came every 0.2 s
                _silence(systemd, quiet_s=2.0, within_s=4.0)
                holder.execute("ROLLBACK")
            finally:
                holder.close()
            # AND once the lock is gone the command is served and the pings come back
            assert pending.done.wait(5) and pending.reply and pending.reply["ok"]
            systemd.wait_for("WATCHDOG", 2)
            systemd.wait_for("WATCHDOG", 2)
        finally:
            server.stop()


def _silence(systemd: NotifyListener, quiet_s: float, within_s: float) -> None:
    """Pass when no message comes for `quiet_s`, starting within `within_s`."""
    for _ in range(int(within_s / WATCHDOG_S * 3) + 1):
        if systemd.next(quiet_s) is None:
            return
    raise AssertionError(f"the pings never stopped: {systemd.seen[-5:]}")


def test_mpp_server_command_notifies(fresh_mosquitto, tmp_path):
    broker = fresh_mosquitto()
    short = Path(tempfile.mkdtemp(prefix="mpp-notify-"))  # a socket path under 108 bytes
    with NotifyListener(short / "notify") as systemd:
        # GIVEN `mpp server` started as systemd starts it: NOTIFY_SOCKET, WATCHDOG_USEC
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NOTIFY_SOCKET": systemd.address,
               "WATCHDOG_USEC": str(int(WATCHDOG_S * 1_000_000))}
        env.pop("WATCHDOG_PID", None)
        log = tmp_path / "server.log"
        with log.open("wb") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "mpp", "--log-level", "WARNING", "server",
                 *broker_args(broker), "--db", f"sqlite:///{tmp_path / 'x.db'}",
                 "--no-zeroconf"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)
        try:
            # THEN it reports READY, then pings
            ready = systemd.wait_for("READY", 30)
            assert ready["STATUS"].startswith("serving site"), log.read_text()
            systemd.wait_for("WATCHDOG", 2)
            systemd.wait_for("WATCHDOG", 2)
            # WHEN systemd stops it (SIGTERM) THEN STOPPING, and a clean exit
            proc.send_signal(signal.SIGTERM)
            systemd.wait_for("STOPPING", 10)
            assert proc.wait(20) == 0, log.read_text()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    os.unlink(short / "notify")
    short.rmdir()


def test_a_lost_broker_is_a_status_not_a_restart(fresh_mosquitto, site, sqlite_url, clock):
    broker = fresh_mosquitto()
    with NotifyListener() as systemd:
        server = QueueServer(site, server_options(broker, sqlite_url, advertise=False),
                             clock, notifier=Notifier(systemd.address, WATCHDOG_S))
        try:
            server.start()
            systemd.wait_for("READY", 10)
            # WHEN the broker dies
            broker.kill()
            # THEN STATUS says so, and the pings go on: the server itself is fine
            lost = systemd.wait_for("STATUS", 10)["STATUS"]
            assert lost.startswith("lost the MQTT broker"), lost
            for _ in range(3):
                systemd.wait_for("WATCHDOG", 2)
            # AND once it is back, STATUS says the server serves again
            fresh_mosquitto(port=broker.port)
            back = systemd.wait_for("STATUS", 15)["STATUS"]
            assert back.startswith(f"serving site {site.site.id}"), back
        finally:
            server.stop()
