"""The aggregate queries behind the reports, one text for SQLite and PostgreSQL.

Each query reads the tickets of a local-day range once and returns partial sums per
(service, counter, officer) cell, small enough to merge in Python:

- COUNTS: tickets per cell, status, priority flag and local hour of issue;
- WAITS: called tickets per cell and whole second of wait (count, exact sum, served,
  served within the service's target);
- SERVICE_TIMES: served tickets per cell and whole second of service time.

Whole seconds are floor(), which equals Python's int() here as durations are clamped to
>= 0. Derived columns are computed in a subquery and grouped by name in the outer query:
PostgreSQL would not match a GROUP BY expression holding bound parameters to the same
expression in the select list.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from queue_server.domain.lifecycle import TicketStatus

DONE = TicketStatus.DONE.value
RANGE = "day >= :first_day AND day <= :last_day"


def whole(dialect: str, expr: str) -> str:
    """floor(expr) as an integer. SQLite's CAST truncates, the same for expr >= 0."""
    if dialect == "sqlite":
        return f"CAST({expr} AS INTEGER)"
    return f"CAST(FLOOR({expr}) AS BIGINT)"


def utc_offsets(tz: ZoneInfo, start: float, end: float) -> list[tuple[int | None, int]]:
    """[(from_ts, offset_s)] of the zone between two instants: the first entry's from_ts is
    None, each later entry starts at a transition (DST), found to the second."""

    def offset(ts: float) -> int:
        off = datetime.fromtimestamp(ts, tz).utcoffset() or timedelta(0)
        return int(off.total_seconds())

    segments: list[tuple[int | None, int]] = [(None, offset(start))]
    t = int(start)
    while t < end:
        nxt = t + 3600
        if offset(nxt) != segments[-1][1]:
            lo, hi = t, nxt  # offset(lo) is the old one, offset(hi) the new one
            while hi - lo > 1:
                mid = (lo + hi) // 2
                lo, hi = (mid, hi) if offset(mid) == segments[-1][1] else (lo, mid)
            segments.append((hi, offset(hi)))
        t = nxt
    return segments


def local_hour(dialect: str, segments: Sequence[tuple[int | None, int]]) -> str:
    """The local hour of issued_at, in integer arithmetic on whole seconds."""
    if len(segments) == 1:
        off = str(segments[0][1])
    else:
        whens = " ".join(f"WHEN issued_at < {start} THEN {prev}"
                         for (_, prev), (start, _) in itertools.pairwise(segments))
        off = f"CASE {whens} ELSE {segments[-1][1]} END"
    return f"((({whole(dialect, 'issued_at')}) + ({off})) / 3600) % 24"


def counts_sql(dialect: str, segments: Sequence[tuple[int | None, int]]) -> str:
    return f"""
SELECT service, counter, officer, status, prio, hour, COUNT(*) AS n FROM (
  SELECT service, counter, officer, status,
         CASE WHEN priority IS NULL THEN 0 ELSE 1 END AS prio,
         {local_hour(dialect, segments)} AS hour
  FROM tickets WHERE {RANGE}
) t GROUP BY service, counter, officer, status, prio, hour"""


def waits_sql(dialect: str, targets: Mapping[str, float]) -> tuple[str, dict[str, object]]:
    """The query and its extra parameters (the services' targets, in a CASE)."""
    params: dict[str, object] = {}
    whens = []
    for i, (service, target) in enumerate(sorted(targets.items())):
        params[f"svc{i}"] = service
        params[f"tgt{i}"] = float(target)
        whens.append(f"WHEN :svc{i} THEN :tgt{i}")
    target_case = f"CASE service {' '.join(whens)} END" if whens else "NULL"
    sql = f"""
SELECT service, counter, officer, ws, COUNT(*) AS n, SUM(wait) AS total,
       SUM(done) AS done, SUM(within) AS within FROM (
  SELECT service, counter, officer, wait, {whole(dialect, 'wait')} AS ws, done, within FROM (
    SELECT service, counter, officer,
           CASE WHEN called_at < issued_at THEN 0.0 ELSE called_at - issued_at END AS wait,
           CASE WHEN status = '{DONE}' THEN 1 ELSE 0 END AS done,
           CASE WHEN status = '{DONE}' AND called_at - issued_at <= {target_case}
                THEN 1 ELSE 0 END AS within
    FROM tickets WHERE {RANGE} AND called_at IS NOT NULL
  ) a
) b GROUP BY service, counter, officer, ws"""
    return sql, params


def service_times_sql(dialect: str) -> str:
    start = "COALESCE(started_at, called_at)"
    return f"""
SELECT service, counter, officer, ss, COUNT(*) AS n, SUM(dur) AS total FROM (
  SELECT service, counter, officer, dur, {whole(dialect, 'dur')} AS ss FROM (
    SELECT service, counter, officer,
           CASE WHEN finished_at < {start} THEN 0.0 ELSE finished_at - {start} END AS dur
    FROM tickets WHERE {RANGE} AND status = '{DONE}'
      AND finished_at IS NOT NULL AND {start} IS NOT NULL
  ) a
) b GROUP BY service, counter, officer, ss"""


# IKM answers about the tickets of the range (by the ticket's day, like every other figure)
FEEDBACK_SQL = f"""
SELECT f.service, f.scores, COUNT(*) AS n FROM feedback f JOIN tickets t ON t.id = f.ticket
WHERE t.{RANGE.replace(" AND day", " AND t.day")} GROUP BY f.service, f.scores"""
