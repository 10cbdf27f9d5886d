"""The queue server under a flood (issue 12): its memory, and an honest kiosk's service.

A real `python -m mpp server` runs the SHIPPED site (its per-device rate limit and its
caps on remembered replies on) behind the secured broker (bench/access.py). Counters flood
it with commands of unique ids, one in fifty an oversized payload (192 KiB: far over the
server's 8192-byte cap, under the broker's packet cap, so the server must refuse it), and
a kiosk issues tickets as fast as the server answers. Meanwhile an honest kiosk pings and
issues one ticket.

Reported: the server's resident memory idle (the floor), at its peak during the flood and
after it; the honest kiosk's ping round trip before the flood (the floor) and during it;
the flood's replies by code. Ratios: peak memory over idle, ping during over before.
Targets (fixed before any run): the peak at most 150 MiB over idle, every oversized
payload refused `too_large`, the honest kiosk's ticket issued during the flood.

    python -m bench.flood [--ids N] [--json-out FILE] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from bench.access import client, secured_broker
from bench.memory import peak_rss_mib, reset_peak, rss_mib
from bench.run import machine_info, run_and_report
from bench.server_load import ServerProcess, log, wait_ready
from bench.stats import ratio, summary_ms
from queue_server.config import default_site_path, load_site
from queue_server.protocol.client import QueueClient

# over the server's 8192-byte cap, under the broker's max_packet_size (256 KiB,
# mpp/broker/access.py), which would cut a bigger one and the flooder's connection first
OVERSIZED = 192 * 1024
WINDOW = 100  # commands a flooder keeps outstanding (the broker queues more per client)
FAST_ISSUES = 300
PINGS_BEFORE = 200
MAX_GROWTH_MIB = 150.0
REPLY_WAIT_S = 60.0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.flood", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ids", type=int, default=96_000,
                   help="unique command ids in the flood (default 96000)")
    p.add_argument("--counters", type=int, default=16, help="flooding counters (default 16)")
    p.add_argument("--workdir", help="keep the broker, database and logs here")
    p.add_argument("--json-out", help="also write the JSON document to this file")
    return p


def reply_code(slot: Any) -> str:
    """A sent command's outcome: "ok", the refusal's code, or "no_reply"."""
    if not slot.done.wait(REPLY_WAIT_S):
        return "no_reply"
    reply = slot.reply or {}
    return "ok" if reply.get("ok") else str((reply.get("error") or {}).get("code"))


def flood_counter(desk: QueueClient, counter: str, ids: int, codes: Counter[str],
                  lock: threading.Lock) -> None:
    """`ids` new command ids, WINDOW outstanding at a time, one in fifty oversized; each
    reply's code counted in `codes`."""
    sent = 0
    while sent < ids:
        slots = []
        for _ in range(min(WINDOW, ids - sent)):
            args: dict[str, Any] = {"counter": counter}
            if sent % 50 == 0:
                args["pad"] = "x" * OVERSIZED  # refused unread: too_large
            slots.append(desk.send("counter.recall", args, cmd_id=f"f-{uuid.uuid4().hex}")[1])
            sent += 1
        for slot in slots:
            code = reply_code(slot)
            with lock:
                codes[code] += 1


def _pings(kiosk: QueueClient, until: threading.Event | None, count: int) -> list[int]:
    """Ping round trips in ns: `count` of them, or until `until` is set."""
    out: list[int] = []
    while (until is None and len(out) < count) or (until is not None and not until.is_set()):
        t0 = time.perf_counter_ns()
        kiosk.request("ping", timeout=REPLY_WAIT_S, retries=0)
        out.append(time.perf_counter_ns() - t0)
    return out


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    cfg = load_site(default_site_path())
    site = cfg.site.id
    # each counter device floods on a counter of its own (it may act on no other)
    counters = [d for d in cfg.devices if d.role == "counter"][:args.counters]
    machine = machine_info(None)
    broker = secured_broker(workdir, cfg)
    server = ServerProcess(broker, workdir / "flood.db", workdir / "server.log",
                           site=default_site_path())  # the rate limit stays on
    clients: list[QueueClient] = []
    try:
        server.start()
        honest = client(broker, site, "kiosk-01", "kiosk", follow_state=False).start()
        fast = client(broker, site, "kiosk-02", "kiosk", follow_state=False).start()
        clients += [honest, fast]
        wait_ready(server, honest)
        desks = [client(broker, site, d.id, "counter", follow_state=False).start()
                 for d in counters]
        clients += desks
        pid = server.pid
        assert pid is not None
        log(f"floor: {PINGS_BEFORE} pings of an honest kiosk, server idle")
        before_pings = _pings(honest, None, PINGS_BEFORE)
        idle = rss_mib(pid)
        reset_peak(pid)
        codes: Counter[str] = Counter()
        lock = threading.Lock()
        per_desk = args.ids // len(desks)
        log(f"flood: {per_desk * len(desks)} unique ids from {len(desks)} counters, "
            f"one in fifty {OVERSIZED // 1024} KiB; a kiosk issuing {FAST_ISSUES} at once")
        flood_done = threading.Event()
        threads = [threading.Thread(target=flood_counter, name=f"flood-{d.device_id}",
                                    args=(d, own.counters[0], per_desk, codes, lock))
                   for d, own in zip(desks, counters, strict=True)]
        started = time.monotonic()
        for t in threads:
            t.start()
        during: list[int] = []
        pinger = threading.Thread(target=lambda: during.extend(
            _pings(honest, flood_done, 0)), name="flood-honest")
        pinger.start()
        issued = Counter(_issue(fast) for _ in range(FAST_ISSUES))
        honest_ticket = honest.request("ticket.issue", {"service": "kk"},
                                       timeout=REPLY_WAIT_S)["number"]
        for t in threads:
            t.join()
        flood_s = time.monotonic() - started
        flood_done.set()
        pinger.join()
        peak, after = peak_rss_mib(pid), rss_mib(pid)
    finally:
        for c in clients:
            c.stop()
        exit_code = server.stop()
        broker.stop()
    oversized = -(-per_desk // 50) * len(desks)
    before, during_ms = summary_ms(before_pings), summary_ms(during)
    return {
        "machine": machine,
        "flood": {"ids": per_desk * len(desks), "counters": len(desks),
                  "oversized": oversized, "oversized_kib": OVERSIZED // 1024,
                  "seconds": round(flood_s, 2),
                  "commands_per_s": round(per_desk * len(desks) / flood_s, 1),
                  "replies": dict(codes), "fast_kiosk_issues": dict(issued)},
        "server_rss_mib": {"idle": round(idle, 1), "peak": round(peak, 1),
                           "after": round(after, 1)},
        "honest_kiosk": {"ping_before_ms": before, "ping_during_ms": during_ms,
                         "ticket_during_flood": honest_ticket},
        "ratios": {
            "peak_rss_vs_idle": round(peak / idle, 2),
            "ping_p50_during_vs_before": ratio(during_ms["p50"], before["p50"]),
            "ping_p99_during_vs_before": ratio(during_ms["p99"], before["p99"]),
        },
        "targets": {"max_growth_mib": MAX_GROWTH_MIB},
        "pass": {
            "memory_bounded": peak - idle <= MAX_GROWTH_MIB,
            "oversized_refused": codes["too_large"] == oversized,
            "honest_served": bool(honest_ticket),
            "every_command_answered": codes["no_reply"] == 0,
        },
        "server_exit_code": exit_code,
    }


def _issue(kiosk: QueueClient) -> str:
    """One ticket.issue: "ok" or the refusal's code (rate_limited past the burst)."""
    return reply_code(kiosk.send("ticket.issue", {"service": "ktp-el"})[1])


def main(argv: list[str] | None = None) -> int:
    return run_and_report(run, build_parser().parse_args(argv), "mpp-flood-")


if __name__ == "__main__":
    raise SystemExit(main())
