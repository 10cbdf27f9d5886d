"""`python -m bench.outbox [--quick] [--tickets N] [--halls H] [--per-hall R]
[--pg-url URL] [--workdir DIR] [--json-out FILE]`

The outbox after a long WAN outage, and the city's central under many halls (issue 14).

1. A busy hall's day behind a cut WAN: N tickets (default 60,000) through the real engine
   into a SQLite hall (each ended ticket one outbox record, written with its change).
2. The drain: the server's own deliverer sends the backlog to a real `mpp central` (its own
   process, TLS on loopback, PostgreSQL); records per second until all are acknowledged.
   Floor in the same run: the same batches POSTed raw, one after the other, on one kept-
   alive connection, to the same central (its ingestion alone, without the hall's reads
   and marks), before and after the drain.
3. Ingestion for H halls (default 100) uploading at once, R records each (default 1000, in
   batches of 500), to one central instance and then to two. Floors in the same run, on
   the same PostgreSQL, of the same rows: COPY into the records table (one connection),
   and the central's own INSERT ... ON CONFLICT statement run straight from psycopg on 16
   connections (no HTTP, TLS or JSON).

Every phase checks that the central holds each record exactly once. One JSON document on
stdout; progress on stderr. PostgreSQL is started here like the test suite's (or
--pg-url: a scratch database this run may fill).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from bench.run import run_and_report
from bench.server_load import log
from central.db import add_site, make_central_engine, migrate
from central.ingest import INGEST_SQL, digest
from queue_server.clock import Clock, ManualClock
from queue_server.config import SiteConfig
from queue_server.engine import Engine as HallEngine
from queue_server.engine.core import Inbound
from queue_server.protocol.messages import dumps
from queue_server.protocol.upload import batch_body, parse_batch
from queue_server.store import outbox
from queue_server.store.db import make_engine
from queue_server.store.hall_store import HallStore
from queue_server.wan.deliverer import Deliverer
from queue_server.wan.http import CentralClient
from tests.support.central import CentralProcess, CentralTls, make_tls
from tests.support.site import local_ts, small_site_data

BATCH = 500
DAY_S = 24 * 3600.0


class _Nowhere:
    """The engine's outbound edge in this bench: the hall's MQTT is not what is measured."""

    def publish(self, topic: str, payload: bytes, retain: bool = False) -> None:
        pass

    @contextmanager
    def burst(self) -> Iterator[None]:
        yield


def hall_site(site: str, central: dict[str, Any] | None = None) -> SiteConfig:
    data = small_site_data(site)
    data["policy"]["issue_burst"] = 0  # benchmarks only: no per-kiosk rate limit
    if central:
        data["central"] = central
    return SiteConfig.model_validate({**data, "source": "bench/outbox.py"})


def busy_day(cfg: SiteConfig, db: Engine, tickets: int) -> dict[str, Any]:
    """`tickets` issued at a kiosk and called at one counter (each call ends the ticket
    before) over one day, through the real engine and store."""
    clock = ManualClock(local_ts("2026-11-30T00:00"))
    engine = HallEngine(cfg, HallStore(cfg, db), clock, _Nowhere())
    engine.open()
    n = 0

    def cmd(device: str, op: str, **args: Any) -> Inbound:
        nonlocal n
        n += 1
        return Inbound(device, dumps({"id": f"b{n}", "op": op, "args": args}))

    started = time.monotonic()
    engine.process([cmd("supervisor-01", "counter.open", counter="loket-01")])
    step = (DAY_S - 3600) / tickets
    for first in range(0, tickets, 100):
        k = min(100, tickets - first)
        engine.process([cmd("kiosk-01", "ticket.issue", service="ktp") for _ in range(k)])
        clock.advance(step * k)
        engine.process([cmd("counter-01", "counter.call_next", counter="loket-01")
                        for _ in range(k)])
    engine.process([cmd("counter-01", "counter.complete", counter="loket-01")])
    seconds = time.monotonic() - started
    engine.close()
    return {"tickets": tickets, "seconds": round(seconds, 2),
            "tickets_per_s": round(tickets / seconds, 1)}


def token_file(folder: Path, site: str, token: str) -> Path:
    path = folder / f"{site}.token"
    path.write_text(token + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def held(central_db: Engine, sites: list[str]) -> tuple[int, int]:
    """(records, distinct keys) the central holds for these sites."""
    with central_db.connect() as conn:
        return tuple(conn.execute(text(  # type: ignore[return-value]
            "SELECT count(*), count(DISTINCT (site, stream, seq)) FROM records "
            "WHERE site = ANY(:s)"), {"s": sites}).one())


def drain(cfg: SiteConfig, hall_db: Engine, total: int) -> dict[str, Any]:
    deliverer = Deliverer(cfg, hall_db, Clock())
    started = time.monotonic()
    deliverer.start()
    try:
        while deliverer.delivered < total:
            if time.monotonic() - started > 1800:
                raise RuntimeError(f"the drain stalled at {deliverer.delivered}/{total}: "
                                   f"{deliverer.status()}")
            time.sleep(0.01)  # the deliverer's own thread: watched, not waited on
        seconds = time.monotonic() - started
    finally:
        deliverer.stop()
    return {"records": total, "seconds": round(seconds, 3),
            "records_per_s": round(total / seconds, 1)}


def hall_batches(hall_db: Engine, site: str, size: int) -> list[list[str]]:
    """The hall's tickets records, in batches of `size`, as its deliverer would send."""
    found, after = [], 0
    while rows := outbox.read_batch(hall_db, "tickets", after, size):
        found.append([body for _seq, body in rows])
        after = rows[-1][0]
    return found


def rekeyed(batch: list[str], old: str, new: str) -> list[str]:
    return [r.replace(f'"key":"{old}:', f'"key":"{new}:', 1) for r in batch]


def raw_posts(url: str, token: str, ca: Path, site: str, batches: list[list[str]]
              ) -> dict[str, Any]:
    """The floor: the same batches POSTed one after another on one connection."""
    bodies = [batch_body(site, "tickets", b) for b in batches]
    client = CentralClient((url,), token, ca, 60.0)
    client.connect()  # TCP and TLS first, as a draining hall has them
    started = time.monotonic()
    for body in bodies:
        answer = client.post(body, "floor")
        if answer.status != 200:
            raise RuntimeError(f"the central refused a floor batch: {answer.status}")
    seconds = time.monotonic() - started
    client.close()
    records = sum(len(b) for b in batches)
    return {"records": records, "seconds": round(seconds, 3),
            "records_per_s": round(records / seconds, 1)}


def many_halls(urls: list[str], tokens: dict[str, str], ca: Path,
               bodies: dict[str, list[bytes]]) -> dict[str, Any]:
    """Every hall its own thread and connection, all at once, each sending its batches
    in order (the halls alternate between the central's instances)."""
    gate = threading.Barrier(len(bodies) + 1)
    errors: list[str] = []

    def hall(i: int, site: str) -> None:
        client = CentralClient((urls[i % len(urls)],), tokens[site], ca, 120.0)
        gate.wait()
        try:
            for body in bodies[site]:
                answer = client.post(body, site)
                if answer.status != 200:
                    errors.append(f"{site}: {answer.status} {answer.body[:100]!r}")
                    return
        except Exception as err:
            errors.append(f"{site}: {err}")
        finally:
            client.close()

    threads = [threading.Thread(target=hall, args=(i, s)) for i, s in enumerate(bodies)]
    for thread in threads:
        thread.start()
    gate.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    if errors:
        raise RuntimeError(f"{len(errors)} halls failed: {errors[:3]}")
    records = sum(len(parse_batch(b).records) for bs in bodies.values() for b in bs)
    return {"instances": len(urls), "halls": len(bodies), "records": records,
            "requests": sum(len(b) for b in bodies.values()), "seconds": round(seconds, 3),
            "records_per_s": round(records / seconds, 1)}


def rows_of(bodies: dict[str, list[bytes]]) -> list[dict[str, Any]]:
    """The central's parameters of every batch (as central.ingest builds them)."""
    out = []
    for site, batches in bodies.items():
        for body in batches:
            batch = parse_batch(body)
            datas = [json.dumps(r.data, ensure_ascii=False, sort_keys=True,
                                separators=(",", ":")) for r in batch.records]
            out.append({"site": site, "stream": batch.stream,
                        "seqs": [r.seq for r in batch.records],
                        "types": [r.type for r in batch.records],
                        "ats": [r.at for r in batch.records], "datas": datas,
                        "digests": [digest(r, d) for r, d in zip(batch.records, datas,
                                                                  strict=True)]})
    return out


def floor_copy(url: str, params: list[dict[str, Any]]) -> dict[str, Any]:
    import psycopg

    rows = [(p["site"], p["stream"], seq, typ, at, data, dig) for p in params
            for seq, typ, at, data, dig in zip(p["seqs"], p["types"], p["ats"], p["datas"],
                                               p["digests"], strict=True)]
    with psycopg.connect(_libpq(url)) as conn:
        conn.execute("TRUNCATE records")
        conn.commit()
        started = time.monotonic()
        with conn.cursor() as cur, cur.copy(
                "COPY records (site, stream, seq, type, at, data, digest) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        seconds = time.monotonic() - started
    return {"records": len(rows), "seconds": round(seconds, 3),
            "records_per_s": round(len(rows) / seconds, 1)}


def floor_insert(url: str, params: list[dict[str, Any]], connections: int = 16
                 ) -> dict[str, Any]:
    """The central's statement, straight from psycopg: no HTTP, no TLS, no JSON."""
    import psycopg

    with psycopg.connect(_libpq(url)) as conn:
        conn.execute("TRUNCATE records")
        conn.commit()
    work = list(params)
    lock = threading.Lock()
    conns = [psycopg.connect(_libpq(url)) for _ in range(connections)]

    def worker(conn: Any) -> None:
        while True:
            with lock:
                if not work:
                    return
                p = work.pop()
            conn.execute(INGEST_SQL, p)
            conn.commit()

    threads = [threading.Thread(target=worker, args=(c,)) for c in conns]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    for conn in conns:
        conn.close()
    records = sum(len(p["seqs"]) for p in params)
    return {"records": records, "connections": connections, "seconds": round(seconds, 3),
            "records_per_s": round(records / seconds, 1)}


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else 0.0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.outbox",
                                description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true", help="small counts, for the test")
    p.add_argument("--tickets", type=int, help="the hall's tickets (default 60000; quick "
                                               "1000)")
    p.add_argument("--halls", type=int, help="halls uploading at once (default 100; quick 5)")
    p.add_argument("--per-hall", type=int, help="records each (default 1000; quick 200)")
    p.add_argument("--pg-url", help="a scratch PostgreSQL database (default: start one)")
    p.add_argument("--workdir", help="keep the hall's SQLite file and logs here")
    p.add_argument("--json-out", help="also write the JSON document to this file")
    return p


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    tickets = args.tickets or (1000 if args.quick else 60000)
    halls = args.halls or (5 if args.quick else 100)
    per_hall = args.per_hall or (200 if args.quick else 1000)
    doc: dict[str, Any] = {"quick": args.quick, "machine": {
        "cores": os.cpu_count(), "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}}
    cluster = None
    if args.pg_url:
        pg_url = args.pg_url
    else:
        from bench.report_year import start_postgres

        cluster = start_postgres()
        pg_url = cluster.url(cluster.new_database())
    try:
        doc.update(_run(workdir, pg_url, tickets, halls, per_hall))
    finally:
        if cluster is not None:
            cluster.stop()
    return doc


def _run(workdir: Path, pg_url: str, tickets: int, halls: int, per_hall: int
         ) -> dict[str, Any]:
    tls: CentralTls = make_tls(workdir / "tls")
    central_db = make_central_engine(pg_url, pool_size=2)
    migrate(central_db)
    with central_db.connect() as conn:
        pg_version = conn.execute(text("SHOW server_version")).scalar()
    out: dict[str, Any] = {"postgresql": pg_version}
    sites = ["bench-hall", "bench-floor", *(f"bench-h{i:03d}" for i in range(halls))]
    tokens = {s: add_site(central_db, s).token for s in sites}
    primary = CentralProcess(pg_url, tls, workdir).start()
    second: CentralProcess | None = None
    try:
        # 1. the hall's day behind a cut WAN
        hall_url = f"sqlite:///{workdir / 'hall.db'}"
        hall_db = make_engine(hall_url)
        cfg = hall_site("bench-hall", {
            "url": primary.url, "token_file": str(token_file(workdir, "bench-hall",
                                                               tokens["bench-hall"])),
            "ca": str(tls.ca), "batch": BATCH})
        log(f"a busy day: {tickets} tickets through the engine into {hall_url}")
        out["hall"] = busy_day(cfg, hall_db, tickets)
        total = outbox.states(hall_db)["tickets"].backlog
        out["hall"]["outbox_records"] = total
        batches = hall_batches(hall_db, "bench-hall", BATCH)
        floor_batches = [rekeyed(b, "bench-hall", "bench-floor") for b in batches]
        half = len(floor_batches) // 2
        # 2. the drain, between two halves of the raw floor
        log(f"floor: {half} raw batches POSTed to the central, one after another")
        before = raw_posts(primary.url, tokens["bench-floor"], tls.ca, "bench-floor",
                           floor_batches[:half])
        log(f"drain: the deliverer sends the hall's {total} records")
        out["drain"] = drain(cfg, hall_db, total)
        log(f"floor: the other {len(floor_batches) - half} raw batches")
        after = raw_posts(primary.url, tokens["bench-floor"], tls.ca, "bench-floor",
                          floor_batches[half:])
        out["floor_raw_post"] = {"before_drain": before, "after_drain": after}
        floor_rps = max(before["records_per_s"], after["records_per_s"])
        count, distinct = held(central_db, ["bench-hall"])
        out["drain"]["central_holds"] = {"records": count, "distinct_keys": distinct,
                                         "exactly_once": count == distinct == total}
        hall_db.dispose()
        # 3. many halls at once: their records are the hall's, each under its own site
        sample = [r for b in batches for r in b][:per_hall]
        bodies = {s: [batch_body(s, "tickets", rekeyed(sample[i:i + BATCH], "bench-hall", s))
                      for i in range(0, len(sample), BATCH)]
                  for s in sites[2:]}
        log(f"ingest: {halls} halls x {len(sample)} records at once, one instance")
        one = many_halls([primary.url], tokens, tls.ca, bodies)
        hall_sites = list(bodies)
        one["exactly_once"] = held(central_db, hall_sites) == (one["records"],) * 2
        with central_db.begin() as conn:
            conn.execute(text("DELETE FROM records WHERE site = ANY(:s)"), {"s": hall_sites})
        second = CentralProcess(pg_url, tls, workdir).start()
        log(f"ingest: {halls} halls at once, two instances")
        two = many_halls([primary.url, second.url], tokens, tls.ca, bodies)
        two["exactly_once"] = held(central_db, hall_sites) == (two["records"],) * 2
        out["ingest"] = {"one_instance": one, "two_instances": two}
        # the floors on PostgreSQL, in a database of their own with the same schema
        params = rows_of(bodies)
        floor_url = _floor_database(pg_url)
        log("floors: COPY, and the central's INSERT straight from psycopg")
        out["floor_pg"] = {"copy": floor_copy(floor_url, params),
                           "insert": floor_insert(floor_url, params)}
    finally:
        primary.stop()
        if second is not None:
            second.stop()
        central_db.dispose()
    best = max(one["records_per_s"], two["records_per_s"])
    out["ratios"] = {
        "drain_vs_raw_post": _ratio(out["drain"]["records_per_s"], floor_rps),
        "ingest_one_vs_copy": _ratio(one["records_per_s"],
                                     out["floor_pg"]["copy"]["records_per_s"]),
        "ingest_one_vs_insert": _ratio(one["records_per_s"],
                                       out["floor_pg"]["insert"]["records_per_s"]),
        "ingest_best_vs_copy": _ratio(best, out["floor_pg"]["copy"]["records_per_s"]),
        "ingest_best_vs_insert": _ratio(best, out["floor_pg"]["insert"]["records_per_s"]),
    }
    return out


def _floor_database(pg_url: str) -> str:
    """A sibling database with the central's schema, for the floors."""
    import psycopg

    base, _, name = pg_url.rpartition("/")
    floor = f"{name}_floor"
    with psycopg.connect(_libpq(pg_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{floor}"')
        conn.execute(f'CREATE DATABASE "{floor}"')
    url = f"{base}/{floor}"
    engine = make_central_engine(url, pool_size=1)
    migrate(engine)
    engine.dispose()
    return url


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_and_report(run, args, "mpp-bench-outbox-")


if __name__ == "__main__":
    raise SystemExit(main())
