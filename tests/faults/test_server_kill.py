"""The server SIGKILLed again and again while 4 kiosks issue tickets, restarted on the same
database each time: every acknowledged ticket is in it, a resent command gets the same
ticket, and no number is given twice or skipped."""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from collections import defaultdict

from queue_server.config import default_site_path, load_site
from queue_server.protocol.client import QueueClient
from tests.faults.conftest import scaled
from tests.faults.server_proc import start_server
from tests.support.hall import client_of

SERVICES = ("konsultasi-izin", "jkn-informasi", "bpjstk-peserta")  # no daily quota


def test_server_sigkill_during_issuing(fresh_mosquitto, tmp_path):
    kills, per_kiosk = scaled(5, 50), scaled(60, 500)
    began = time.monotonic()
    cfg = load_site(default_site_path())
    assert all(cfg.service(s).daily_quota is None for s in SERVICES)
    broker = fresh_mosquitto()
    db, log = tmp_path / "hall.db", tmp_path / "server.log"
    proc = start_server(broker, db, log)
    watcher = client_of(broker, cfg.site.id, "display-hall", "display")
    kiosks = [client_of(broker, cfg.site.id, f"kiosk-0{i}", "kiosk", follow_state=False)
              for i in range(1, 5)]
    acked: dict[str, dict] = {}
    lock = threading.Lock()
    failures: list[BaseException] = []

    def status(value: str) -> bool:
        return watcher.wait_state(
            lambda s: (s.get("server") or {}).get("status") == value, timeout=30)

    def load(kiosk: QueueClient) -> None:
        try:
            for n in range(per_kiosk):
                cmd_id = f"{kiosk.device_id}-{n}"
                got = kiosk.request("ticket.issue", {"service": SERVICES[n % 3]},
                                    cmd_id=cmd_id, timeout=60, retries=30)
                with lock:
                    acked[cmd_id] = got
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=load, args=(k,)) for k in kiosks]
    total = per_kiosk * len(kiosks)
    try:
        watcher.start()
        for k in kiosks:
            k.start()
        assert status("online")
        for t in threads:
            t.start()
        for kill in range(kills):
            target = (kill + 1) * total // (kills + 1)
            deadline = time.monotonic() + 60
            while len(acked) < target and time.monotonic() < deadline and not failures:
                time.sleep(0.005)  # polling the load's progress
            assert len(acked) >= target, (failures, len(acked))
            # WHEN the server is SIGKILLed mid-load and started again on its database
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            assert status("offline")  # the broker sent its Last Will
            proc = start_server(broker, db, log)
            assert status("online")
        for t in threads:
            t.join(180)
        assert not failures, failures
        assert len(acked) == total
        # AND a resent command is answered with the ticket it got before
        for cmd_id in ("kiosk-01-0", f"kiosk-04-{per_kiosk - 1}"):
            kiosk = kiosks[int(cmd_id[7]) - 1]
            again = kiosk.request("ticket.issue", {"service": SERVICES[0]}, cmd_id=cmd_id)
            assert again["id"] == acked[cmd_id]["id"]
    finally:
        for t in threads:
            t.join(180)
        for k in [*kiosks, watcher]:
            k.stop()
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
    conn = sqlite3.connect(db)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = dict(conn.execute("SELECT id, number FROM tickets").fetchall())
        services = conn.execute("SELECT service, number FROM tickets").fetchall()
    finally:
        conn.close()
    lost = sum(1 for got in acked.values() if got["id"] not in rows)
    numbers = defaultdict(list)
    for service, number in services:
        numbers[service].append(number)
    duplicates = sum(len(got) - len(set(got)) for got in numbers.values())
    print(f"\n[faults] server SIGKILL: {kills} kills during {len(acked)} tickets from "
          f"{len(kiosks)} kiosks; lost {lost}, duplicate numbers {duplicates}, "
          f"integrity {check}; {time.monotonic() - began:.1f} s")
    assert check == "ok" and lost == 0 and duplicates == 0
    for service, got in numbers.items():
        assert sorted(got) == list(range(1, len(got) + 1)), service
