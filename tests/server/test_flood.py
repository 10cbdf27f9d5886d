"""The queue server's memory under a flood of unique command ids and oversized payloads,
measured on a real server process (the shipped site: its rate limit and reply caps on):
resident memory stays bounded, and an honest kiosk is served during and after it.

The flood's size: MPP_FLOOD_IDS unique ids (default 24000) over the counters, besides
oversized payloads and a kiosk issuing far too fast. The figures are printed (run with -s);
docs/security.md quotes a run of 96000."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter

from bench.flood import OVERSIZED, flood_counter
from bench.memory import peak_rss_mib, reset_peak, rss_mib
from bench.server_load import ServerProcess
from queue_server.config import default_site_path, load_site
from tests.support.hall import client_of

FLOOD_IDS = int(os.environ.get("MPP_FLOOD_IDS", "24000"))
FLOODERS = 16 if FLOOD_IDS > 40_000 else 8


def test_memory_stays_bounded_under_a_flood(fresh_mosquitto, tmp_path):
    cfg = load_site(default_site_path())
    broker = fresh_mosquitto()
    server = ServerProcess(broker, tmp_path / "flood.db", tmp_path / "server.log",
                           start_at="2026-11-30T09:00", log_level="WARNING",
                           site=default_site_path())  # the shipped limits stay on
    server.start()
    pid = server.pid
    site = cfg.site.id
    honest = client_of(broker, site, "kiosk-01", "kiosk", follow_state=False)
    child = client_of(broker, site, "kiosk-02", "kiosk", follow_state=False)
    flooders = [client_of(broker, site, f"counter-{i:02d}", "counter", follow_state=False)
                for i in range(1, FLOODERS + 1)]
    try:
        for c in (honest, child, *flooders):
            c.start()
        assert honest.request("ping", timeout=30, retries=30)["pong"]
        before = rss_mib(pid)
        reset_peak(pid)
        # WHEN the counters flood it with new ids and oversized payloads, and a kiosk
        # issues far faster than any citizen
        codes: Counter[str] = Counter()
        lock = threading.Lock()
        threads = [threading.Thread(target=flood_counter,
                                    args=(c, f"loket-{i:02d}", FLOOD_IDS // FLOODERS, codes,
                                          lock))
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
        peak, after = peak_rss_mib(pid), rss_mib(pid)
        print(f"\nflood of {FLOOD_IDS} unique ids ({FLOOD_IDS // 50} of them "
              f"{OVERSIZED // 1024} KiB payloads) from {FLOODERS} counters, 300 fast issues: "
              f"server RSS {before:.0f} MiB before, peak {peak:.0f} MiB, {after:.0f} MiB after")
        assert sorted(codes) == ["no_current_ticket", "too_large"]
        assert codes["too_large"] == FLOOD_IDS // 50
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
        server.stop()
