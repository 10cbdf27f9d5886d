"""The hand-computed fixture day: 14 tickets and 4 answers at a small hall with two
agencies (test_fixture_day.py holds the expected figures and their arithmetic)."""

from __future__ import annotations

import json
from typing import Any

from queue_server.config import SiteConfig, parse_site
from queue_server.protocol.ops import IKM_ELEMENTS
from tests.reporting.data import ticket_row
from tests.support.site import local_ts, small_site_data

DAY = "2026-11-30"  # a Monday, Makassar (UTC+8)


def fixture_site() -> SiteConfig:
    """Targets: ktp 15 min, kk 20 min (agency dukcapil), skck 10 min (agency polri)."""
    data = small_site_data("t-fixture")
    for s in data["services"]:
        s["target_wait_min"] = {"ktp": 15, "kk": 20}.get(s["id"], 30)
    data["agencies"].append({"id": "polri", "name_id": "Polri", "name_en": "Police"})
    data["services"].append({"id": "skck", "agency": "polri", "name_id": "SKCK",
                             "name_en": "Police certificate", "prefix": "P",
                             "schedule": "always", "target_wait_min": 10})
    data["counters"].append({"id": "loket-04", "name": "Loket 4", "number": 4,
                             "agency": "polri", "services": ["skck"]})
    data["officers"].append({"code": "petugas-03", "name": "Budi", "agency": "polri",
                             "pin_hash": data["officers"][0]["pin_hash"]})
    return parse_site(data, source="test")


def t(hhmmss: str, day: str = DAY) -> float:
    hh, mm, *ss = hhmmss.split(":")
    return local_ts(f"{day}T{hh}:{mm}") + (float(ss[0]) if ss else 0.0)


def tk(n: int, svc: str, issued: str, called: str | None, started: str | None,
       finished: str | None, status: str, counter: str | None = None,
       officer: str | None = None, priority: str | None = None,
       day: str = DAY) -> dict[str, Any]:
    return ticket_row(n, day, svc, t(issued, day), status=status, counter=counter,
                      officer=officer, priority=priority,
                      called_at=t(called, day) if called else None,
                      started_at=t(started, day) if started else None,
                      finished_at=t(finished, day) if finished else None,
                      appointment=f"APPT-SECRET-{n}", device="kiosk-07")


L1, L2, L3, L4 = "loket-01", "loket-02", "loket-03", "loket-04"
P1, P2, P3 = "petugas-01", "petugas-02", "petugas-03"

# n, service, issued, called, started, finished, status, counter, officer; the comment is
# the wait / service time in seconds (service time for done tickets only)
TICKETS = [
    tk(1, "ktp", "08:00", "08:04", "08:05", "08:15", "done", L1, P1),  # 240 / 600
    tk(2, "ktp", "08:10", "08:25", "08:26", "08:34", "done", L1, P1),  # 900 (= target) / 480
    tk(3, "ktp", "08:20", "08:35:30", "08:36", "08:41", "done", L1, P1),  # 930 / 300
    tk(4, "ktp", "08:30", "08:45", None, None, "no_show", L1, P1),  # 900 / -
    # never started: service time from the call, 09:06 -> 09:18
    tk(5, "ktp", "09:00", "09:06", None, "09:18", "done", L3, P2, "elderly"),  # 360 / 720
    tk(6, "ktp", "09:15", None, None, None, "cancelled"),  # never called
    tk(7, "kk", "08:05", "08:07", "08:08", "08:20", "done", L2, P2),  # 120 / 720
    tk(8, "kk", "08:40", "09:20", "09:21", "09:30", "done", L2, P2),  # 2400 / 540
    tk(9, "kk", "09:10", "09:30", "09:31", None, "transferred", L2, P2),  # 1200 / -
    tk(10, "kk", "09:20", None, None, None, "waiting"),  # still waiting
    tk(11, "skck", "08:15", "08:20", "08:21", "08:51", "done", L4, P3, "disabled"),  # 300 / 1800
    tk(12, "skck", "09:30", "10:45", "10:46", "10:50:00.7", "done", L4, P3),  # 4500 / 240.7
    # the clock stepped back: wait -10 s counts as 0; service from the call, 310
    tk(13, "skck", "10:00", "09:59:50", None, "10:05", "done", L4, P3),  # 0 / 310
    # the next day: outside the report
    tk(14, "ktp", "08:00", "08:01", "08:02", "08:03", "done", L1, P1, day="2026-12-01"),
]


def fb(ticket: int, svc: str, at: str, score: int, day: str = DAY) -> dict[str, Any]:
    return {"ticket": f"T{ticket:09d}", "at": t(at, day), "service": svc,
            "counter": None, "scores": json.dumps(dict.fromkeys(IKM_ELEMENTS, score))}


FEEDBACK = [
    fb(1, "ktp", "08:16", 4),
    fb(2, "ktp", "08:35", 3),
    fb(11, "skck", "08:52", 4),
    fb(14, "ktp", "08:04", 1, day="2026-12-01"),  # outside the report
]
