"""`mpp backup` and `mpp restore` as a technician runs them, beside a real `mpp server`
process: a backup while it serves, a restore refused until the process is gone (even
killed: the kernel drops its lock)."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
from pathlib import Path

import httpx

from queue_server.config import default_site_path, load_site
from tests.support.hall import broker_args, client_of

ROOT = Path(__file__).resolve().parents[2]


def mpp(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mpp", "--log-level", "WARNING", *args],
                          check=False, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ticket_ids(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM tickets")}
    finally:
        conn.close()


def dashboard_health(broker, port: int) -> dict:
    """GET /health over HTTPS, trusting the site CA beside the server's credentials."""
    ca = broker.credentials("server").source.parent / "ca.crt"
    context = ssl.create_default_context(cafile=str(ca))
    return httpx.get(f"https://127.0.0.1:{port}/health", verify=context, timeout=10).json()


def test_backup_while_serving_restore_only_once_it_is_gone(fresh_mosquitto, tmp_path):
    # GIVEN an `mpp server` process (backups on through MPP_BACKUP_DIR) that issued tickets
    broker = fresh_mosquitto()
    cfg = load_site(default_site_path())
    db = tmp_path / "hall.db"
    url = f"sqlite:///{db}"
    scheduled, by_hand = tmp_path / "scheduled", tmp_path / "by-hand"
    scheduled.mkdir()
    by_hand.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPP_BACKUP_DIR": str(scheduled)}
    port = free_port()
    with (tmp_path / "server.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mpp", "--log-level", "WARNING", "server",
             *broker_args(broker), "--db", url, "--start-at", "2026-11-30T09:00",
             "--no-zeroconf", "--http-port", str(port), "--backup-keep", "5"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
    kiosk = client_of(broker, cfg.site.id, "kiosk-01", "kiosk", follow_state=False)
    try:
        kiosk.start()
        issued = {kiosk.request("ticket.issue", {"service": "kk"}, timeout=30,
                                retries=15)["id"] for _ in range(5)}
        health = dashboard_health(broker, port)
        # WHEN a technician takes a backup by hand, then tries to restore it
        backup = mpp("backup", "--db", url, "--to", str(by_hand))
        [made] = list(by_hand.iterdir())
        refused = mpp("restore", str(made), "--db", url)
        # THEN the backup holds the tickets, the restore is refused by its code
        assert backup.returncode == 0, backup.stderr
        assert made.name.startswith(f"{cfg.site.id}-") and issued <= ticket_ids(made)
        assert refused.returncode == 2 and "restore_server_running" in refused.stderr
        assert not Path(f"{db}.before-restore").exists()
        # AND the server took its folder from MPP_BACKUP_DIR (its first backup an hour on)
        assert health["backup"] == {"dir": str(scheduled), "every_min": 60.0, "keep": 5,
                                    "last": None}
    finally:
        kiosk.stop()
        # AND once the server is killed (no clean shutdown), the restore goes through
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    done = mpp("restore", str(made), "--db", url)
    assert done.returncode == 0, done.stderr
    assert "before-restore" in done.stdout and ticket_ids(db) == ticket_ids(made)
