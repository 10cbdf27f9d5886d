"""SIGKILL the server mid-load: every acknowledged ticket survives, retries are answered
with the same ticket, and numbering stays contiguous."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import defaultdict
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.server_load import unlimited_site
from queue_server.config import default_site_path, load_site
from queue_server.protocol.client import QueueClient
from tests.support.hall import broker_args, client_of

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("ktp-el", "kk", "skck")  # no daily quota is reached by this load
PER_KIOSK = 120


def _start_server(broker, db_url: str, log: Path) -> subprocess.Popen:
    """The shipped site without its per-kiosk rate limit: 120 tickets a kiosk in seconds."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    site = unlimited_site(log.parent)
    with log.open("ab") as err:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "mpp", "--log-level", "WARNING", "server",
             *broker_args(broker), "--db", db_url,
             "--start-at", "2026-11-30T09:00", "--no-zeroconf", "--site", str(site)],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)


def _wait_status(client: QueueClient, status: str) -> None:
    def seen(state: dict) -> bool:
        return (state.get("server") or {}).get("status") == status

    assert client.wait_state(seen, timeout=20), client.state.get("server")


def test_sigkill_loses_no_acknowledged_ticket(fresh_mosquitto, tmp_path):
    cfg = load_site(default_site_path())
    per_service = 4 * PER_KIOSK // len(SERVICES)
    assert all((cfg.service(s).daily_quota or per_service) >= per_service for s in SERVICES)
    broker = fresh_mosquitto()
    db_url = f"sqlite:///{tmp_path / 'crash.db'}"
    log = tmp_path / "server.log"
    proc = _start_server(broker, db_url, log)
    watcher = client_of(broker, cfg.site.id, "display-hall", "display")
    kiosks = [client_of(broker, cfg.site.id, f"kiosk-0{i}", "kiosk", follow_state=False)
              for i in range(1, 5)]
    acked: dict[str, dict] = {}
    lock = threading.Lock()
    enough = threading.Event()
    try:
        watcher.start()
        for k in kiosks:
            k.start()
        _wait_status(watcher, "online")

        def load(kiosk: QueueClient) -> None:
            for n in range(PER_KIOSK):
                cmd_id = f"{kiosk.device_id}-{n}"
                result = kiosk.request("ticket.issue", {"service": SERVICES[n % 3]},
                                       cmd_id=cmd_id, timeout=40, retries=20)
                with lock:
                    acked[cmd_id] = result
                    if len(acked) >= 150:
                        enough.set()

        threads = [threading.Thread(target=load, args=(k,)) for k in kiosks]
        for t in threads:
            t.start()
        # WHEN the server is killed with SIGKILL in the middle of the load
        assert enough.wait(30)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        killed_at = len(acked)
        _wait_status(watcher, "offline")  # the broker sent the server's Last Will
        # AND restarted on the same database
        proc = _start_server(broker, db_url, log)
        _wait_status(watcher, "online")
        for t in threads:
            t.join(60)
        assert not any(t.is_alive() for t in threads)
        # THEN every kiosk got all its tickets, before and after the crash
        assert killed_at < len(acked) == 4 * PER_KIOSK
        # AND a retry of an acknowledged command returns the same ticket
        for cmd_id in ("kiosk-01-0", "kiosk-02-5", "kiosk-03-10"):
            kiosk = kiosks[int(cmd_id[7]) - 1]
            again = kiosk.request("ticket.issue", {"service": "ktp-el"}, cmd_id=cmd_id)
            assert (again["id"], again["number"]) == (acked[cmd_id]["id"],
                                                      acked[cmd_id]["number"])
    finally:
        for k in [*kiosks, watcher]:
            k.stop()
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
    # AND every acknowledged ticket is in the database, numbers contiguous and unique
    db = create_engine(db_url)
    with db.connect() as conn:
        rows = {r.id: r for r in conn.execute(text("SELECT id, service, number FROM tickets"))}
    db.dispose()
    for result in acked.values():
        assert rows[result["id"]].number == int(result["number"].split("-")[1])
    numbers = defaultdict(list)
    for row in rows.values():
        numbers[row.service].append(row.number)
    for service, got in numbers.items():
        assert sorted(got) == list(range(1, len(got) + 1)), service
