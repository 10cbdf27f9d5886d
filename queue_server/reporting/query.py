"""`day_report(engine, cfg, first_day, last_day)`: the supervisor report of a local-day
range, as plain JSON data, computed by aggregate queries (sql.py) and merged here.

A year of a big hall (~10 million tickets) never streams through Python: the database
returns partial sums per (service, counter, officer) cell, per status and hour, and per
whole second of wait and service time; the figures come out the same as
`queue_server.domain.reports.build_report` over the same tickets (see docs/reports.md).

No personal data leaves here: no ticket ids, labels, appointment codes, device ids or
languages; officer codes only in the officer rows; officer names never.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import Engine, text

from queue_server.config import SiteConfig
from queue_server.domain.ikm import EXACT_WEIGHT
from queue_server.reporting.figures import BUCKET_LABELS, Tally, figures_dict
from queue_server.reporting.satisfaction import Satisfaction, ikm_dict
from queue_server.reporting.sql import (
    FEEDBACK_SQL,
    counts_sql,
    service_times_sql,
    utc_offsets,
    waits_sql,
)

LEVELS = ("site", "agency", "service", "counter", "officer")
UNKNOWN_AGENCY = "(unknown)"  # the agency of a service no longer in the site file
MAX_DAYS = 3 * 366
PG_WORK_MEM = "64MB"
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ReportError(ValueError):
    """A report request that cannot be answered; `code` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def parse_range(first_day: str, last_day: str) -> tuple[date, date]:
    days = []
    for name, value in (("first_day", first_day), ("last_day", last_day)):
        try:
            if not isinstance(value, str) or not _DAY.fullmatch(value):
                raise ValueError
            days.append(date.fromisoformat(value))
        except ValueError:
            message = f"{name} must be a date YYYY-MM-DD, got {value!r}"
            raise ReportError("bad_day", message) from None
    first, last = days
    if last < first:
        raise ReportError("bad_range", f"last_day {last_day} is before first_day {first_day}")
    if (last - first).days + 1 > MAX_DAYS:
        raise ReportError("bad_range", f"at most {MAX_DAYS} days in one report")
    return first, last


def day_report(
    engine: Engine,
    cfg: SiteConfig,
    first_day: str,
    last_day: str,
    *,
    ikm_weight: Fraction | None = EXACT_WEIGHT,
) -> dict[str, Any]:
    """The report of the local days first_day..last_day (inclusive, 'YYYY-MM-DD').
    Raises ReportError (code bad_day / bad_range) on a bad range."""
    first, last = parse_range(first_day, last_day)
    tz = cfg.site.tz
    start = datetime.combine(first, time(), tz).timestamp()
    end = datetime.combine(last + timedelta(days=1), time(), tz).timestamp()
    # a day's tickets were issued within it; a day of margin on each side costs nothing
    segments = utc_offsets(tz, start - 86400, end + 86400)
    targets = {s.id: s.target_wait_min * 60.0 for s in cfg.services}
    dialect = engine.dialect.name
    days = {"first_day": first_day, "last_day": last_day}
    waits_query, waits_params = waits_sql(dialect, targets)
    counts, waits, services, feedback = read_snapshot(engine, [
        (counts_sql(dialect, segments), days),
        (waits_query, {**days, **waits_params}),
        (service_times_sql(dialect), days),
        (FEEDBACK_SQL, days),
    ])

    cells = _Cells()
    for svc, counter, officer, status, prio, hour, n in counts:
        for tally in cells.tallies(svc, counter, officer):
            tally.add_tickets(status, bool(prio), int(hour), n)
    # the hot loops (a year: up to ~1 million rows): plain dict updates, no calls
    for svc, counter, officer, ws, n, total, done, within in waits:
        has_target = svc in targets
        ws = int(ws)
        for tally in cells.tallies(svc, counter, officer):
            wait = tally.wait
            wait.count += n
            wait.total += total
            wait.histogram[ws] = wait.histogram.get(ws, 0) + n
            if has_target:
                tally.with_target += done
                tally.within += within
    for svc, counter, officer, ss, n, total in services:
        ss = int(ss)
        for tally in cells.tallies(svc, counter, officer):
            dur = tally.service
            dur.count += n
            dur.total += total
            dur.histogram[ss] = dur.histogram.get(ss, 0) + n

    satisfaction = Satisfaction(weight=ikm_weight)
    satisfaction.add_rows(feedback)
    return _document(cfg, first, last, cells, satisfaction)


def read_snapshot(engine: Engine, queries: list[tuple[str, dict[str, Any]]]
                  ) -> list[Sequence[Any]]:
    """Run the queries in one read-only snapshot, never holding up the queue server.

    On SQLite the store's engine begins every transaction with BEGIN IMMEDIATE (the write
    lock, store/db.py): a year's report would hold it for minutes and every ticket
    command would time out. So SQLite gets a plain deferred BEGIN on the raw connection:
    a WAL read snapshot, which neither waits for the writer nor blocks it. PostgreSQL
    reads in one REPEATABLE READ transaction, also a single snapshot."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()  # autocommit mode: see store/db.py _on_connect
        try:
            cur = raw.cursor()
            cur.execute("BEGIN")
            try:
                return [cur.execute(q, params).fetchall() for q, params in queries]
            finally:
                cur.execute("ROLLBACK")
                cur.close()
        finally:
            raw.close()
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        # The default 4 MB makes a year's hash aggregates (~a million groups) spill to
        # disk or sort on disk; more memory for this transaction only.
        conn.execute(text(f"SET LOCAL work_mem = '{PG_WORK_MEM}'"))
        out = [conn.execute(text(q), params).all() for q, params in queries]
        conn.rollback()
        return out


class _Cells:
    """Tallies per service, counter and officer; site and agencies are summed from the
    services at the end (fewer dictionary updates per row)."""

    def __init__(self) -> None:
        self.by: dict[str, dict[str, Tally]] = {"service": {}, "counter": {}, "officer": {}}
        self._cache: dict[tuple[str, str | None, str | None], list[Tally]] = {}

    def tallies(self, svc: str, counter: str | None, officer: str | None) -> list[Tally]:
        key = (svc, counter, officer)
        found = self._cache.get(key)
        if found is None:
            found = [self._get("service", svc)]
            if counter is not None:
                found.append(self._get("counter", counter))
            if officer is not None:
                found.append(self._get("officer", officer))
            self._cache[key] = found
        return found

    def _get(self, level: str, key: str) -> Tally:
        groups = self.by[level]
        if key not in groups:
            groups[key] = Tally()
        return groups[key]


def agency_of(cfg: SiteConfig, service: str) -> str:
    try:
        return cfg.service(service).agency
    except KeyError:
        return UNKNOWN_AGENCY


def _sum(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for t in tallies:
        total.merge(t)
    return total


def _names(cfg: SiteConfig, level: str, key: str) -> dict[str, str] | None:
    """Display names of a group as {"id", "en"}; None for officers (personal) and for keys
    no longer in the site file."""
    try:
        if level == "site":
            return {"id": cfg.site.name, "en": cfg.site.name}
        if level == "agency":
            a = cfg.agency(key)
            return {"id": a.name_id, "en": a.name_en}
        if level == "service":
            s = cfg.service(key)
            return {"id": s.name_id, "en": s.name_en}
        if level == "counter":
            c = cfg.counter(key)
            return {"id": c.name, "en": c.name}
    except KeyError:
        return None
    return None


def _parent_agency(cfg: SiteConfig, level: str, key: str) -> str | None:
    try:
        if level == "service":
            return agency_of(cfg, key)
        if level == "counter":
            return cfg.counter(key).agency
        if level == "officer":
            officer = cfg.officer(key)
            return officer.agency if officer is not None else None
    except KeyError:
        return None
    return None


def _document(cfg: SiteConfig, first: date, last: date, cells: _Cells,
              satisfaction: Satisfaction) -> dict[str, Any]:
    services = cells.by["service"]
    agencies: dict[str, list[Tally]] = {}
    for svc, tally in services.items():
        agencies.setdefault(agency_of(cfg, svc), []).append(tally)
    tallies: dict[str, dict[str, Tally]] = {
        "site": {cfg.site.id: _sum(services.values())},
        "agency": {k: _sum(v) for k, v in agencies.items()},
        **cells.by,
    }
    ikm = {
        "site": satisfaction.grouped(lambda _svc: cfg.site.id),
        "agency": satisfaction.grouped(lambda svc: agency_of(cfg, svc)),
        "service": satisfaction.by_service,
    }
    levels: dict[str, list[dict[str, Any]]] = {}
    for level in LEVELS:
        keys = set(tallies[level]) | set(ikm.get(level, {}))
        if level == "site":
            keys = {cfg.site.id}
        rows = []
        for key in sorted(keys):
            row: dict[str, Any] = {"level": level, "key": key,
                                   "name": _names(cfg, level, key),
                                   "agency": _parent_agency(cfg, level, key)}
            row.update(figures_dict(tallies[level].get(key, Tally()).figures()))
            if level in ikm:
                acc = ikm[level].get(key)
                row["ikm"] = ikm_dict(acc.result() if acc is not None else None)
            rows.append(row)
        levels[level] = rows
    return {
        "site": {"id": cfg.site.id, "name": cfg.site.name, "timezone": cfg.site.timezone},
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "days": (last - first).days + 1,
        "wait_buckets": list(BUCKET_LABELS),
        "ikm_weight": "1/9" if satisfaction.weight is None else str(satisfaction.weight),
        "ikm_invalid_responses": satisfaction.invalid,
        "levels": levels,
    }
