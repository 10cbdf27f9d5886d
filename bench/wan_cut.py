"""`python -m bench.wan_cut [--tickets N] [--pg-url URL] [--workdir DIR] [--json-out FILE]`

Issue 14's acceptance scenario, too long for the test suite (tests/wan/test_delivery.py
runs it with 300 tickets): a hall on a secured Mosquitto serves N tickets (default 2000)
with its city's central stopped (the WAN cut for real: `mpp central`'s process is not
there), its server is restarted in the middle of the outage, then the central comes back.
Measured: how long until the central holds every record, checked exactly once and in
order, against the issue's minute; and the hall's replies during the outage against the
same commands with the WAN up before it (the hall must not notice). Floor in the same run:
the same records POSTed raw to the same central (how fast it can take them at all).
One JSON document on stdout; progress on stderr.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.access import client, secured_broker
from bench.outbox import raw_posts, rekeyed, token_file
from bench.run import run_and_report
from bench.server_load import log
from central.db import add_site, make_central_engine, migrate
from queue_server.clock import Clock
from queue_server.config import SiteConfig
from queue_server.protocol.client import QueueClient
from queue_server.server import QueueServer, ServerOptions
from queue_server.store import outbox
from queue_server.store.db import make_engine
from tests.support.central import CentralProcess, make_tls
from tests.support.site import small_site_data

DEADLINE_S = 60.0


def served(kiosk: QueueClient, counter: QueueClient, n: int) -> list[float]:
    """n tickets issued and called (each call ends the ticket before): reply times, ms."""
    times = []
    for i in range(n):
        for op, args in (("ticket.issue", {"service": "ktp" if i % 2 else "kk"}),
                         ("counter.call_next", {"counter": "loket-01"})):
            began = time.perf_counter()
            (kiosk if op == "ticket.issue" else counter).request(op, args)
            times.append((time.perf_counter() - began) * 1000)
    return times


def _ms(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"n": len(times), "p50": round(statistics.median(ordered), 3),
            "p99": round(ordered[int(0.99 * (len(ordered) - 1))], 3)}


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    doc: dict[str, Any] = {"machine": {
        "cores": os.cpu_count(), "python": platform.python_version(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}}
    cluster = None
    if args.pg_url:
        pg_url = args.pg_url
    else:
        from bench.report_year import start_postgres

        cluster = start_postgres()
        pg_url = cluster.url(cluster.new_database())
    try:
        doc.update(_run(workdir, pg_url, args.tickets))
    finally:
        if cluster is not None:
            cluster.stop()
    return doc


def _run(workdir: Path, pg_url: str, tickets: int) -> dict[str, Any]:
    tls = make_tls(workdir / "tls")
    central_db = make_central_engine(pg_url, pool_size=2)
    migrate(central_db)
    site = "bench-wan"
    tokens = {s: add_site(central_db, s).token for s in (site, "bench-wan-floor")}
    central = CentralProcess(pg_url, tls, workdir).start()
    data = small_site_data(site)
    data["policy"]["issue_burst"] = 0
    data["central"] = {"url": central.url, "ca": str(tls.ca),  # the default back-off
                       "token_file": str(token_file(workdir, site, tokens[site]))}
    cfg = SiteConfig.model_validate({**data, "source": "bench/wan_cut.py"})
    broker = secured_broker(workdir, cfg)
    db_url = f"sqlite:///{workdir / 'hall.db'}"

    def server() -> QueueServer:
        opts = ServerOptions(db_url=db_url, mqtt_host=broker.host, mqtt_port=broker.port,
                             mqtt_tls=broker.tls, credentials=broker.credentials("server"),
                             advertise=False)
        s = QueueServer(cfg, opts, Clock())
        s.start(wait_connected=10)
        return s

    out: dict[str, Any] = {"tickets": tickets}
    hall = server()
    kiosk = client(broker, site, "kiosk-01", "kiosk").start()
    counter = client(broker, site, "counter-01", "counter").start()
    try:
        counter.request("counter.open", {"counter": "loket-01"})
        warm = max(50, tickets // 10)
        log(f"{warm} tickets with the WAN up")
        up = served(kiosk, counter, warm)
        log("the WAN cut: the central is stopped")
        central.stop()
        cut_at = time.monotonic()
        first = tickets // 2
        log(f"{first} tickets during the outage, then the hall's server restarts")
        down = served(kiosk, counter, first)
        hall.stop()
        hall = server()
        rest = tickets - first
        log(f"{rest} more tickets during the outage")
        down += served(kiosk, counter, rest)
        counter.request("counter.complete", {"counter": "loket-01"})
        backlog = hall.deliverer.status()["backlog"]
        outage_s = time.monotonic() - cut_at
        log(f"the WAN back after {outage_s:.1f} s, {backlog} records waiting")
        central.start()
        back_at = time.monotonic()
        hall_db = make_engine(db_url)
        head = outbox.states(hall_db)["tickets"].head
        while True:
            with central_db.connect() as conn:
                count, distinct, top = conn.execute(text(
                    "SELECT count(*), count(DISTINCT seq), coalesce(max(seq), 0) FROM records "
                    "WHERE site = :s AND stream = 'tickets'"), {"s": site}).one()
            if count >= head or time.monotonic() - back_at > 10 * DEADLINE_S:
                break
            time.sleep(0.05)  # another process: watched, not waited on
        recovery_s = time.monotonic() - back_at
        out.update({
            "outage_s": round(outage_s, 1), "server_restarted_in_outage": True,
            "backlog_when_back": backlog,
            "central_holds": {"records": count, "distinct": distinct, "max_seq": top,
                              "hall_head": head,
                              "exactly_once_in_order": count == distinct == top == head},
            "recovery_s": round(recovery_s, 2), "deadline_s": DEADLINE_S,
            "within_deadline": recovery_s <= DEADLINE_S,
            "hall_reply_ms": {"wan_up": _ms(up), "wan_down": _ms(down)},
        })
        batches = []
        after = 0
        while rows := outbox.read_batch(hall_db, "tickets", after, 500):
            batches.append(rekeyed([b for _s, b in rows], site, "bench-wan-floor"))
            after = rows[-1][0]
        hall_db.dispose()
        log("floor: the same records POSTed raw to the same central")
        floor = raw_posts(central.url, tokens["bench-wan-floor"], tls.ca, "bench-wan-floor",
                          batches)
        out["floor_raw_post"] = floor
        floor_s = floor["records"] / floor["records_per_s"]
        out["ratios"] = {
            "recovery_vs_raw_post_time": round(recovery_s / floor_s, 2),
            "reply_p99_down_vs_up": round(out["hall_reply_ms"]["wan_down"]["p99"]
                                          / out["hall_reply_ms"]["wan_up"]["p99"], 2),
        }
    finally:
        kiosk.stop()
        counter.stop()
        hall.stop()
        central.stop()
        broker.stop()
        central_db.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.wan_cut",
                                description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--tickets", type=int, default=2000, help="tickets in the outage (2000)")
    p.add_argument("--pg-url", help="a scratch PostgreSQL database (default: start one)")
    p.add_argument("--workdir", help="keep the hall's files and logs here")
    p.add_argument("--json-out", help="also write the JSON document to this file")
    return run_and_report(run, p.parse_args(argv), "mpp-bench-wan-")


if __name__ == "__main__":
    raise SystemExit(main())
