"""The queue server's memory under a flood of unique command ids and oversized payloads,
measured on a real server process (the shipped site: its rate limit and reply caps on):
resident memory stays bounded, and an honest kiosk is served during and after it.

The flood's size: MPP_FLOOD_IDS unique ids (default 24000) over the counters, besides
oversized payloads and a kiosk issuing far too fast. The figures are printed (run with -s);
docs/security.md quotes a run of 96000."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from bench.memory import peak_rss_mib, reset_peak, rss_mib
from queue_server.config import default_site_path, load_site
from queue_server.protocol.client import QueueClient
from tests.support.hall import broker_args, client_of

ROOT = Path(__file__).resolve().parents[2]
FLOOD_IDS = int(os.environ.get("MPP_FLOOD_IDS", "24000"))
FLOODERS = 16 if FLOOD_IDS > 40_000 else 8
WINDOW = 100  # commands a flooder keeps outstanding (the broker queues 1000 per client)
# under the broker's max_packet_size (256 KiB, mpp/broker/access.py), which would cut a bigger
# one and the flooder's connection before the server saw it
OVERSIZED = 192 * 1024


def _server(broker, db: Path, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("ab") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "mpp", "--log-level", "WARNING", "server",
             *broker_args(broker), "--db", f"sqlite:///{db}",
             "--start-at", "2026-11-30T09:00", "--no-zeroconf",
             "--site", str(default_site_path())],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=err)


def _flood(client: QueueClient, counter: str, ids: int, refused: list[str]) -> None:
    """`ids` new command ids, WINDOW at a time, one in fifty an oversized payload."""
    sent = 0
    while sent < ids:
        slots = []
        for _ in range(min(WINDOW, ids - sent)):
            args = {"counter": counter}
            if sent % 50 == 0:
                args["pad"] = "x" * OVERSIZED  # refused unread: too_large
            slots.append(client.send("counter.recall", args,
                                     cmd_id=f"f-{uuid.uuid4().hex}")[1])
            sent += 1
        for slot in slots:
            assert slot.done.wait(60), "the server stopped answering the flood"
            refused.append(str((slot.reply or {}).get("error", {}).get("code")))


def test_memory_stays_bounded_under_a_flood(fresh_mosquitto, tmp_path):
    cfg = load_site(default_site_path())
    broker = fresh_mosquitto()
    proc = _server(broker, tmp_path / "flood.db", tmp_path / "server.log")
    site = cfg.site.id
    honest = client_of(broker, site, "kiosk-01", "kiosk", follow_state=False)
    child = client_of(broker, site, "kiosk-02", "kiosk", follow_state=False)
    flooders = [client_of(broker, site, f"counter-{i:02d}", "counter", follow_state=False)
                for i in range(1, FLOODERS + 1)]
    try:
        for c in (honest, child, *flooders):
            c.start()
        assert honest.request("ping", timeout=30, retries=30)["pong"]
        before = rss_mib(proc.pid)
        reset_peak(proc.pid)
        # WHEN the counters flood it with new ids and oversized payloads, and a kiosk
        # issues far faster than any citizen
        refused: list[str] = []
        threads = [threading.Thread(target=_flood, args=(c, f"loket-{i:02d}",
                                                         FLOOD_IDS // FLOODERS, refused))
                   for i, c in enumerate(flooders, start=1)]
        for t in threads:
            t.start()
        limited = []
        began = time.monotonic()
        for _ in range(300):
            slot = child.send("ticket.issue", {"service": "ktp-el"})[1]
            assert slot.done.wait(60)
            limited.append((slot.reply or {}).get("ok"))
        issuing_s = time.monotonic() - began
        # THEN an honest kiosk is served in the middle of it
        assert honest.request("ticket.issue", {"service": "kk"}, timeout=30)["number"]
        for t in threads:
            t.join(600)
        assert not any(t.is_alive() for t in threads)
        peak, after = peak_rss_mib(proc.pid), rss_mib(proc.pid)
        print(f"\nflood of {FLOOD_IDS} unique ids ({FLOOD_IDS // 50} of them "
              f"{OVERSIZED // 1024} KiB payloads) from {FLOODERS} counters, 300 fast issues: "
              f"server RSS {before:.0f} MiB before, peak {peak:.0f} MiB, {after:.0f} MiB after")
        assert sorted(set(refused)) == ["no_current_ticket", "too_large"]
        assert refused.count("too_large") == FLOOD_IDS // 50
        # the burst of 10, then one every 10 s while it kept trying
        assert limited.count(True) <= 10 + int(issuing_s / 10) + 1, issuing_s
        # AND it stays bounded: the replies it remembers are capped, oversized ones are
        # dropped unread (the whole flood's replies and payloads would be hundreds of MiB)
        assert peak - before < 150, (before, peak)
        # AND it still serves
        assert honest.request("ticket.issue", {"service": "kk"})["number"]
    finally:
        for c in (honest, child, *flooders):
            c.stop()
        proc.terminate()
        proc.wait(15)
