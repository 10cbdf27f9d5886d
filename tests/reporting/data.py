"""Ticket and feedback rows for the report tests, and the same tickets as domain facts.

`random_day_rows` makes awkward data on purpose: every status, calls before the issue
(clock steps), waits exactly at a target and half a second past it, tickets with no
counter or officer, a service no longer in the site file, tickets just before and after
local midnight, and days outside the range asked for.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select

from queue_server.config import SiteConfig
from queue_server.domain.reports import TicketFact
from queue_server.protocol.ops import IKM_ELEMENTS
from queue_server.reporting.query import agency_of
from queue_server.store.models import Feedback, Ticket

STATUSES = ("waiting", "called", "serving", "done", "done", "done", "done", "no_show",
            "transferred", "cancelled")
GONE_SERVICE = "layanan-lama"  # tickets of a service since removed from the site file


def ticket_row(n: int, day: str, service: str, issued_at: float, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": f"T{n:09d}", "day": day, "service": service, "number": n,
        "label": f"A{n:03d}", "status": "waiting", "priority": None, "appointment": None,
        "slot_at": None, "issued_at": issued_at, "queue_at": issued_at, "front": False,
        "counter": None, "called_at": None, "started_at": None, "finished_at": None,
        "recalls": 0, "origin": None, "lang": "id", "device": "kiosk-01", "seq": n,
        "officer": None,
    }
    row.update(extra)
    return row


def random_day_rows(cfg: SiteConfig, days: Sequence[date], per_day: int,
                    rng: random.Random, start_n: int = 0) -> list[dict[str, Any]]:
    tz = cfg.site.tz
    services = [s.id for s in cfg.services] + [GONE_SERVICE]
    counters = [c.id for c in cfg.counters]
    officers = [o.code for o in cfg.officers] or ["petugas-x"]
    rows = []
    n = start_n
    for day in days:
        midnight = datetime.combine(day, time(), tz).timestamp()
        for _ in range(per_day):
            n += 1
            # mostly office hours, some right after midnight and right before the next one
            pick = rng.random()
            if pick < 0.05:
                offset = rng.uniform(0, 120)
            elif pick < 0.10:
                offset = 86400 - rng.uniform(0.001, 120)
            else:
                offset = rng.uniform(7 * 3600, 17 * 3600)
            issued = midnight + offset
            service = rng.choice(services)
            status = rng.choice(STATUSES)
            row = ticket_row(n, day.isoformat(), service, issued, status=status,
                             priority=rng.choice([None, None, None, "elderly", "disabled"]),
                             appointment=f"APPT-{n:06d}" if rng.random() < 0.2 else None,
                             device=f"kiosk-{rng.randint(1, 8):02d}")
            if status != "waiting" and not (status == "cancelled" and rng.random() < 0.5):
                target = next((s.target_wait_min * 60.0 for s in cfg.services
                               if s.id == service), 1800.0)
                kind = rng.random()
                if kind < 0.1:
                    wait = target  # exactly at the target: within
                elif kind < 0.15:
                    wait = target + 0.5  # same whole second as some within: not within
                elif kind < 0.2:
                    wait = -rng.uniform(0, 30)  # the clock stepped back
                elif kind < 0.3:
                    wait = float(rng.randint(0, 4000))  # whole seconds
                else:
                    wait = rng.expovariate(1 / 900)
                row["called_at"] = issued + wait
                if rng.random() > 0.05:
                    row["counter"] = rng.choice(counters)
                if rng.random() > 0.1:
                    row["officer"] = rng.choice(officers)
                if status in ("serving", "done") and rng.random() < 0.8:
                    row["started_at"] = row["called_at"] + rng.uniform(0, 90)
                if status == "done" and rng.random() < 0.97:
                    start = row["started_at"] or row["called_at"]
                    row["finished_at"] = start + (rng.expovariate(1 / 400)
                                                  if rng.random() > 0.05 else -3.0)
            rows.append(row)
    return rows


def feedback_rows(cfg: SiteConfig, tickets: Iterable[dict[str, Any]], rng: random.Random,
                  share: float = 0.3) -> list[dict[str, Any]]:
    """Answers for some served tickets; a few skip elements. Given 2 min after finishing."""
    out = []
    for t in tickets:
        if t["status"] != "done" or t["finished_at"] is None or rng.random() > share:
            continue
        scores = {e: rng.choice((2, 3, 3, 4, 4)) for e in IKM_ELEMENTS
                  if rng.random() > 0.05}
        scores = scores or {"u1": 3}
        out.append({"ticket": t["id"], "at": t["finished_at"] + 120, "service": t["service"],
                    "counter": t["counter"], "scores": json.dumps(scores)})
    return out


def insert_rows(engine: Engine, tickets: Sequence[dict[str, Any]],
                feedback: Sequence[dict[str, Any]] = ()) -> None:
    with engine.begin() as conn:
        if tickets:
            conn.execute(insert(Ticket), list(tickets))
        if feedback:
            conn.execute(insert(Feedback), list(feedback))


def facts_from_db(engine: Engine, cfg: SiteConfig, first_day: str,
                  last_day: str) -> list[TicketFact]:
    """Every ticket of the range as a domain fact, read row by row (the slow path)."""
    t = Ticket.__table__.c
    query = select(t.service, t.counter, t.officer, t.issued_at, t.called_at, t.started_at,
                   t.finished_at, t.status, t.priority).where(
        t.day >= first_day, t.day <= last_day)
    with engine.connect() as conn:
        return [
            TicketFact(r.service, agency_of(cfg, r.service), r.counter, r.officer,
                       r.issued_at, r.called_at, r.started_at, r.finished_at, r.status,
                       r.priority is not None)
            for r in conn.execute(query)
        ]


def day_list(first: str, count: int) -> list[date]:
    start = date.fromisoformat(first)
    return [start + timedelta(days=i) for i in range(count)]
