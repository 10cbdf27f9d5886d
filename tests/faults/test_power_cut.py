"""A power cut, again and again: the server frozen (SIGSTOP) at arbitrary points while
kiosks issue tickets, its database files (db, -wal, -shm) copied as the disk holds them,
then thawed. Each copy opens, passes integrity_check and holds every ticket acknowledged
before the freeze."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import threading
import time
from pathlib import Path

from queue_server.config import default_site_path, load_site
from queue_server.protocol.client import QueueClient
from tests.faults.conftest import scaled
from tests.faults.server_proc import start_server
from tests.support.hall import client_of

SERVICES = ("ktp-el", "kk", "skck")


def _snapshot(db: Path, into: Path) -> Path:
    """The database's files as they are on disk this instant."""
    into.mkdir()
    for suffix in ("", "-wal", "-shm"):
        source = db.with_name(db.name + suffix)
        if source.exists():
            shutil.copyfile(source, into / source.name)
    return into / db.name


def test_power_cut_copies_hold_every_acknowledged_ticket(fresh_mosquitto, tmp_path):
    cuts, per_kiosk = scaled(4, 12), scaled(60, 250)
    began = time.monotonic()
    rng = random.Random(17)
    cfg = load_site(default_site_path())
    broker = fresh_mosquitto()
    db = tmp_path / "hall.db"
    proc = start_server(broker, db, tmp_path / "server.log")
    watcher = client_of(broker, cfg.site.id, "display-hall", "display")
    kiosks = [client_of(broker, cfg.site.id, f"kiosk-0{i}", "kiosk", follow_state=False)
              for i in (1, 2)]
    acked: dict[str, int] = {}  # ticket id -> number
    lock = threading.Lock()
    failures: list[BaseException] = []
    # per cut: acknowledged before it, tickets in the copy, acknowledged ones missing
    checked: list[tuple[int, int, int]] = []

    def load(kiosk: QueueClient) -> None:
        try:
            for n in range(per_kiosk):
                got = kiosk.request("ticket.issue", {"service": SERVICES[n % 3]},
                                    cmd_id=f"{kiosk.device_id}-{n}", timeout=40, retries=20)
                with lock:
                    acked[got["id"]] = int(got["number"].split("-")[1])
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=load, args=(k,)) for k in kiosks]
    try:
        watcher.start()
        for k in kiosks:
            k.start()
        assert watcher.wait_state(
            lambda s: (s.get("server") or {}).get("status") == "online", timeout=20)
        for t in threads:
            t.start()
        total = per_kiosk * len(kiosks)
        for cut in range(cuts):
            # an arbitrary point in each stretch of the load
            target = (cut * total + rng.randrange(total)) // cuts
            deadline = time.monotonic() + 60
            while len(acked) < target and time.monotonic() < deadline and not failures:
                time.sleep(0.005)  # polling the load's progress
            assert len(acked) >= target, (failures, len(acked))
            # WHEN the power goes: the server stops dead, its files copied as they are
            proc.send_signal(signal.SIGSTOP)
            try:
                with lock:
                    before = dict(acked)
                copy = _snapshot(db, tmp_path / f"cut-{cut}")
            finally:
                proc.send_signal(signal.SIGCONT)
            # THEN the copy opens, intact, with every ticket acknowledged before the cut
            conn = sqlite3.connect(copy)
            try:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                rows = {r[0] for r in conn.execute("SELECT id FROM tickets")}
            finally:
                conn.close()
            checked.append((len(before), len(rows), len(set(before) - rows)))
        for t in threads:
            t.join(120)
        assert not failures, failures
        assert len(acked) == total
    finally:
        for t in threads:
            t.join(120)
        for k in [*kiosks, watcher]:
            k.stop()
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
    lost = sum(missing for *_, missing in checked)
    print(f"\n[faults] power cut: {cuts} freezes during {len(acked)} tickets from "
          f"{len(kiosks)} kiosks; per cut acknowledged/in copy "
          f"{', '.join(f'{a}/{b}' for a, b, _ in checked)}; lost {lost}, integrity ok; "
          f"{time.monotonic() - began:.1f} s")
    assert len(checked) == cuts
    assert lost == 0
