"""`python -m bench.report_year [--tickets N] [--days D] [--pg-url URL | --no-pg]
[--workdir DIR] [--json-out FILE]`

A year of a big hall (default 10 million tickets over 365 days, the sample site
mpp-makassar) generated into a scratch SQLite file and a scratch PostgreSQL (started here
like the test suite's, or --pg-url: an EMPTY scratch database, its tickets and feedback
are deleted), then `queue_server.reporting.day_report` timed for the whole year and for
one day. Floors in the same run: a bare `SELECT count(*)`, and a one-column scan of the
same rows. Also the pure-Python path (domain.reports over rows streamed from the
database), timed on a sample and extrapolated. One JSON document on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from datetime import time as dtime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from bench.run import run_and_report
from bench.server_load import log
from bench.stats import significant
from queue_server.config import SiteConfig, default_site_path, load_site
from queue_server.domain.reports import TicketFact, build_report
from queue_server.protocol.ops import IKM_ELEMENTS
from queue_server.reporting import day_report
from queue_server.reporting.query import agency_of
from queue_server.store.db import make_engine, migrate

COLUMNS = ("id", "day", "service", "number", "label", "status", "priority", "issued_at",
           "queue_at", "front", "counter", "called_at", "started_at", "finished_at",
           "recalls", "seq", "officer")
FEEDBACK_COLUMNS = ("ticket", "at", "service", "counter", "scores")
# status shares of a year's tickets (cumulative weights for random.choices)
STATUSES = ("done", "no_show", "transferred", "cancelled", "waiting", "called", "serving")
STATUS_CUM = (86, 92, 95, 98, 99, 99.5, 100)
# dropped while loading, built after (as a restore would): see the schema's models.py
INDEXES = {"ix_tickets_status": "tickets (status)",
           "ix_tickets_day_service": "tickets (day, service)"}
BATCH = 50_000


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.report_year",
                                description=__doc__.splitlines()[0])
    p.add_argument("--tickets", type=int, default=10_000_000, help="default 10,000,000")
    p.add_argument("--days", type=int, default=365, help="days of data (default 365)")
    p.add_argument("--first-day", default="2025-01-01", help="default 2025-01-01")
    p.add_argument("--feedback-share", type=float, default=0.1,
                   help="share of served tickets with an IKM answer (default 0.1)")
    p.add_argument("--day-repeats", type=int, default=5, help="one-day report runs (5)")
    p.add_argument("--stream-sample", type=int, default=200_000,
                   help="tickets for the pure-Python comparison (default 200,000)")
    p.add_argument("--pg-url", help="an empty scratch PostgreSQL database (SQLAlchemy URL)")
    p.add_argument("--no-pg", action="store_true", help="SQLite only")
    p.add_argument("--no-sqlite", action="store_true",
                   help="PostgreSQL only (loading both at 10 million takes over an hour)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--reuse", action="store_true",
                   help="with --no-pg --workdir DIR: time the SQLite file a previous run "
                        "left in DIR instead of generating one")
    p.add_argument("--workdir", help="keep the SQLite file here")
    p.add_argument("--json-out", help="also write the JSON document to this file")
    return p


# --------------------------------------------------------------------------- data


class Plan:
    """Who serves what: counters per service, two officers per counter (alternate days),
    mean wait and service time per service."""

    def __init__(self, cfg: SiteConfig, rng: random.Random) -> None:
        self.tz = cfg.site.tz
        self.services = [s.id for s in cfg.services]
        self.prefix = {s.id: s.prefix for s in cfg.services}
        weights = [rng.uniform(0.2, 3.0) for _ in self.services]
        self.cum = [sum(weights[: i + 1]) for i in range(len(weights))]
        self.counters = {s: [c.id for c in cfg.counters if s in c.services] or [None]
                         for s in self.services}
        self.officers = {c.id: (f"ptg-{c.number:02d}a", f"ptg-{c.number:02d}b")
                         for c in cfg.counters}
        self.wait_rate = {s: 1 / rng.uniform(300, 1800) for s in self.services}
        self.service_rate = {s: 1 / (cfg.service(s).avg_service_min * 60)
                             for s in self.services}


def day_rows(plan: Plan, day: date, index: int, n: int, seq: int, rng: random.Random,
             feedback_share: float) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """One day's tickets (as COLUMNS tuples) and IKM answers (FEEDBACK_COLUMNS)."""
    day_s = day.isoformat()
    opening = datetime.combine(day, dtime(8), plan.tz).timestamp()
    services = rng.choices(plan.services, cum_weights=plan.cum, k=n)
    statuses = rng.choices(STATUSES, cum_weights=STATUS_CUM, k=n)
    numbers: dict[str, int] = {}
    rnd, expo, tri = rng.random, rng.expovariate, rng.triangular
    shift = index & 1
    tickets, feedback = [], []
    for svc, status in zip(services, statuses, strict=True):
        seq += 1
        num = numbers[svc] = numbers.get(svc, 0) + 1
        issued = opening + tri(0, 28800, 7200)  # 08:00-16:00, busiest mid-morning
        called = started = finished = counter = officer = None
        if status != "waiting" and not (status == "cancelled" and rnd() < 0.5):
            called = issued + expo(plan.wait_rate[svc])
            choices = plan.counters[svc]
            counter = choices[int(rnd() * len(choices))]
            officer = plan.officers[counter][shift] if counter else None
            if status not in ("called", "no_show", "cancelled"):
                started = called + 20 + 60 * rnd()
                if status == "done":
                    finished = started + expo(plan.service_rate[svc])
                    if rnd() < feedback_share:
                        base = 4 if rnd() < 0.6 else 3
                        scores = ",".join(f'"{e}": {base - (rnd() < 0.2)}'
                                          for e in IKM_ELEMENTS)
                        feedback.append((f"T{seq:010d}", finished + 90, svc, counter,
                                         "{" + scores + "}"))
        tickets.append((f"T{seq:010d}", day_s, svc, num, f"{plan.prefix[svc]}{num:03d}",
                        status, "elderly" if rnd() < 0.08 else None, issued, issued, False,
                        counter, called, started, finished, 0, seq, officer))
    return tickets, feedback


def generate(cfg: SiteConfig, args: argparse.Namespace
             ) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """Batches of about BATCH tickets, day by day."""
    rng = random.Random(args.seed)
    plan = Plan(cfg, rng)
    first = date.fromisoformat(args.first_day)
    per_day, extra = divmod(args.tickets, args.days)
    seq = 0
    tickets: list[tuple[Any, ...]] = []
    feedback: list[tuple[Any, ...]] = []
    for i in range(args.days):
        n = per_day + (1 if i < extra else 0)
        t, f = day_rows(plan, first + timedelta(days=i), i, n, seq, rng, args.feedback_share)
        seq += n
        tickets.extend(t)
        feedback.extend(f)
        if len(tickets) >= BATCH:
            yield tickets, feedback
            tickets, feedback = [], []
    if tickets or feedback:
        yield tickets, feedback


# --------------------------------------------------------------------------- loading


class SqliteLoader:
    """Raw sqlite3, synchronous=OFF and no journal: for this generated file only."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-262144"):
            self.conn.execute(f"PRAGMA {pragma}")
        for name in INDEXES:
            self.conn.execute(f"DROP INDEX IF EXISTS {name}")
        marks = ",".join("?" * len(COLUMNS))
        self.sql = f"INSERT INTO tickets ({','.join(COLUMNS)}) VALUES ({marks})"
        self.fb_sql = (f"INSERT INTO feedback ({','.join(FEEDBACK_COLUMNS)}) "
                       f"VALUES ({','.join('?' * len(FEEDBACK_COLUMNS))})")

    def load(self, tickets: list[tuple[Any, ...]], feedback: list[tuple[Any, ...]]) -> None:
        self.conn.execute("BEGIN")
        self.conn.executemany(self.sql, tickets)
        self.conn.executemany(self.fb_sql, feedback)
        self.conn.execute("COMMIT")

    def finish(self) -> float:
        t0 = time.perf_counter()
        for name, on in INDEXES.items():
            self.conn.execute(f"CREATE INDEX {name} ON {on}")
        self.conn.execute("ANALYZE")
        self.conn.execute("PRAGMA journal_mode=WAL")  # the server's mode, for the reads
        self.conn.close()
        return time.perf_counter() - t0


class PostgresLoader:
    """COPY through psycopg, one connection, one COPY per batch."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                                    autocommit=True)
        self.conn.execute("TRUNCATE tickets, feedback")
        for name in INDEXES:
            self.conn.execute(f"DROP INDEX IF EXISTS {name}")

    def load(self, tickets: list[tuple[Any, ...]], feedback: list[tuple[Any, ...]]) -> None:
        with self.conn.cursor() as cur:
            with cur.copy(f"COPY tickets ({','.join(COLUMNS)}) FROM STDIN") as copy:
                for row in tickets:
                    copy.write_row(row)
            with cur.copy(f"COPY feedback ({','.join(FEEDBACK_COLUMNS)}) FROM STDIN") as copy:
                for row in feedback:
                    copy.write_row(row)

    def finish(self) -> float:
        t0 = time.perf_counter()
        for name, on in INDEXES.items():
            self.conn.execute(f"CREATE INDEX {name} ON {on}")
        self.conn.execute("VACUUM ANALYZE tickets")
        self.conn.execute("VACUUM ANALYZE feedback")
        self.conn.close()
        return time.perf_counter() - t0


# --------------------------------------------------------------------------- timing


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def scalar(engine: Engine, sql: str, **params: Any) -> Callable[[], Any]:
    def run() -> Any:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    return run


def summary(samples: list[float]) -> dict[str, float]:
    return {"n": len(samples), "median_s": significant(statistics.median(samples)),
            "min_s": significant(min(samples)), "max_s": significant(max(samples))}


def measure(engine: Engine, cfg: SiteConfig, first: str, last: str, one_day: str,
            repeats: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Floors and reports on one database; returns (figures, the year report)."""
    rng = {"a": first, "b": last}
    between = "FROM tickets WHERE day >= :a AND day <= :b"
    count_all_s, count = timed(scalar(engine, "SELECT count(*) FROM tickets"))
    count_range_s, _ = timed(scalar(engine, f"SELECT count(*) {between}", **rng))
    scan_s, _ = timed(scalar(engine, f"SELECT SUM(called_at) {between}", **rng))
    log(f"  floors: count(*) {count_all_s:.2f} s, one-column scan {scan_s:.2f} s")
    year_s, year = timed(lambda: day_report(engine, cfg, first, last))
    log(f"  year report {year_s:.2f} s")
    day_floor = [timed(scalar(engine, "SELECT count(*) FROM tickets WHERE day = :d",
                              d=one_day))[0] for _ in range(repeats)]
    day_runs = [timed(lambda: day_report(engine, cfg, one_day, one_day))[0]
                for _ in range(repeats)]
    log(f"  one-day report median {statistics.median(day_runs) * 1000:.1f} ms")
    site = year["levels"]["site"][0]
    figures = {
        "tickets_in_table": count,
        "floors": {"count_all_s": significant(count_all_s),
                   "count_range_s": significant(count_range_s),
                   "one_column_scan_s": significant(scan_s),
                   "count_one_day": summary(day_floor)},
        "year_report_s": significant(year_s),
        "one_day_report": summary(day_runs),
        "ratios": {
            "year_report_vs_count_all": significant(year_s / count_all_s),
            "year_report_vs_one_column_scan": significant(year_s / scan_s),
            "one_day_report_vs_count_one_day": significant(
                statistics.median(day_runs) / statistics.median(day_floor)),
        },
        "year_site": {k: site[k] for k in ("issued", "served", "wait_avg_s", "wait_p90_s",
                                           "service_p90_s", "within_target")},
        "year_groups": {lv: len(rows) for lv, rows in year["levels"].items()},
    }
    return figures, year


def stream_python(engine: Engine, cfg: SiteConfig, sample: int, total: int) -> dict[str, Any]:
    """The pure path: rows streamed from the database into domain.reports."""
    targets = {s.id: s.target_wait_min * 60.0 for s in cfg.services}
    sql = text("SELECT service, counter, officer, issued_at, called_at, started_at, "
               "finished_at, status, priority FROM tickets ORDER BY id LIMIT :n")

    def run() -> int:
        with engine.connect() as conn:
            facts = (TicketFact(r[0], agency_of(cfg, r[0]), r[1], r[2], r[3], r[4], r[5],
                                r[6], r[7], r[8] is not None)
                     for r in conn.execute(sql, {"n": sample}))
            return build_report(facts, cfg.site.tz, targets).site.issued

    seconds, n = timed(run)
    per = seconds / max(n, 1)
    return {"sample": n, "s": significant(seconds), "us_per_ticket": significant(per * 1e6),
            "extrapolated_full_s": significant(per * total)}


def comparable(doc: dict[str, Any]) -> str:
    """The report with floats to 6 significant digits: sums are added in another order."""
    def fix(v: Any) -> Any:
        if isinstance(v, float):
            return float(f"{v:.6g}")
        if isinstance(v, dict):
            return {k: fix(x) for k, x in v.items()}
        if isinstance(v, list):
            return [fix(x) for x in v]
        return v
    return json.dumps(fix(doc), sort_keys=True)


# --------------------------------------------------------------------------- run


def start_postgres() -> Any:
    from tests.support.postgres import PostgresCluster, find_pg_bindir

    bindir = find_pg_bindir()
    if bindir is None:
        raise RuntimeError("PostgreSQL is not installed (scripts/install-system-deps.sh) "
                           "and no --pg-url was given: use --no-pg for SQLite only")
    cluster = PostgresCluster(bindir=bindir)
    cluster.start()
    return cluster


def load_all(cfg: SiteConfig, args: argparse.Namespace, engines: dict[str, Engine],
             sqlite_path: Path, pg_url: str | None, machine: dict[str, Any]
             ) -> tuple[float, dict[str, float], dict[str, float], int, int]:
    """Schema, generated tickets and answers, indexes: into every backend at once."""
    for engine in engines.values():
        migrate(engine)
        engine.dispose()  # the loaders need the file to themselves
    loaders: dict[str, Any] = {"sqlite": SqliteLoader(sqlite_path)} if "sqlite" in engines else {}
    if "postgresql" in engines:
        loaders["postgresql"] = PostgresLoader(pg_url)
        with engines["postgresql"].connect() as conn:
            machine["postgresql"] = conn.execute(text("SHOW server_version")).scalar()

    log(f"generating {args.tickets:,} tickets over {args.days} days into "
        f"{', '.join(loaders)}")
    gen_s = 0.0
    load_s = dict.fromkeys(loaders, 0.0)
    n_tickets = n_feedback = 0
    next_log = 1_000_000
    batches = generate(cfg, args)
    while True:
        t0 = time.perf_counter()
        batch = next(batches, None)
        gen_s += time.perf_counter() - t0
        if batch is None:
            break
        for name, loader in loaders.items():
            load_s[name] += timed(partial(loader.load, *batch))[0]
        n_tickets += len(batch[0])
        n_feedback += len(batch[1])
        if n_tickets >= next_log:
            log(f"  {n_tickets:,} tickets")
            next_log += 1_000_000
    index_s = {name: loader.finish() for name, loader in loaders.items()}
    return gen_s, load_s, index_s, n_tickets, n_feedback


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    cfg = load_site(default_site_path())
    first = args.first_day
    last = (date.fromisoformat(first) + timedelta(days=args.days - 1)).isoformat()
    one_day = (date.fromisoformat(first) + timedelta(days=args.days // 2)).isoformat()
    sqlite_path = workdir / "report-year.db"
    reuse = args.reuse and sqlite_path.exists()
    for suffix in ("", "-wal", "-shm") if not reuse else ():
        Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    sqlite_url = f"sqlite:///{sqlite_path}"
    machine = {"cores": os.cpu_count(), "python": platform.python_version(),
               "sqlite": sqlite3.sqlite_version, "platform": platform.platform(),
               "loadavg_at_start": [round(x, 2) for x in os.getloadavg()]}
    cluster = None
    try:
        pg_url = args.pg_url
        if not args.no_pg and not pg_url:
            log("starting a scratch PostgreSQL")
            cluster = start_postgres()
            pg_url = cluster.create_database("mpp_report_bench")
        engines = {} if args.no_sqlite else {"sqlite": make_engine(sqlite_url)}
        if pg_url and not args.no_pg:
            engines["postgresql"] = make_engine(pg_url)
        if reuse:
            log(f"reusing {sqlite_path}")
            gen_s, load_s, index_s = None, {"sqlite": None}, {"sqlite": None}
            n_tickets = scalar(engines["sqlite"], "SELECT count(*) FROM tickets")()  # --no-pg
            n_feedback = scalar(engines["sqlite"], "SELECT count(*) FROM feedback")()
        else:
            gen_s, load_s, index_s, n_tickets, n_feedback = load_all(cfg, args, engines,
                                                                      sqlite_path, pg_url,
                                                                      machine)

        doc: dict[str, Any] = {
            "bench": "report_year",
            "machine": machine,
            "tickets": n_tickets, "feedback": n_feedback, "days": args.days,
            "first_day": first, "last_day": last, "one_day": one_day,
            "generate_s": None if gen_s is None else significant(gen_s),
        }
        years = {}
        for name, engine in engines.items():
            log(f"{name}: timing")
            figures, years[name] = measure(engine, cfg, first, last, one_day,
                                           args.day_repeats)
            figures["load_s"] = None if reuse else significant(load_s[name])
            figures["index_and_analyze_s"] = None if reuse else significant(index_s[name])
            doc[name] = figures
        if "sqlite" in engines:
            doc["sqlite"]["file_bytes"] = sqlite_path.stat().st_size
            log("pure Python path on a sample (SQLite)")
            doc["stream_python"] = stream_python(engines["sqlite"], cfg,
                                                 min(args.stream_sample, n_tickets), n_tickets)
        if "postgresql" in years and "sqlite" in years:
            doc["same_figures_sqlite_postgresql"] = (comparable(years["sqlite"])
                                                     == comparable(years["postgresql"]))
        for engine in engines.values():
            engine.dispose()
    finally:
        if cluster is not None:
            cluster.stop()
    doc["max_rss_mb"] = significant(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return doc


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.tickets < 1 or args.days < 1:
        build_parser().error("--tickets and --days must be at least 1")
    if args.reuse and not (args.no_pg and args.workdir):
        build_parser().error("--reuse needs --no-pg and --workdir")
    if args.no_pg and args.no_sqlite:
        build_parser().error("--no-pg and --no-sqlite leave nothing to time")
    return run_and_report(run, args, "mpp-report-bench-")


if __name__ == "__main__":
    raise SystemExit(main())
