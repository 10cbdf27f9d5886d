"""What the hall owes the outside world, as records for the outbox (issue 14): each ticket's
life when it ends, each day's figures when it closes, each survey answer, each device
incident. Pure: the store writes them in the transaction of the change that made them
(store/repo.py), the deliverer sends them (queue_server/wan/). The upload format is
protocol/upload.py; docs/outside-world.md lists every record type and field.

Nothing personal leaves the hall: a ticket's record says whether it was booked, never the
booking's code, and carries no key of the ticket's page (docs/security.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from queue_server.domain.alerts import PAPER_ALERT, PRINTER_ALERT_STATES
from queue_server.domain.lifecycle import TicketStatus
from queue_server.domain.numbering import iso_local
from queue_server.domain.records import TicketRec
from queue_server.domain.reports import GroupFigures, Report

# a finished ticket's status -> the outcome its record names
OUTCOMES = {TicketStatus.DONE: "completed", TicketStatus.NO_SHOW: "no_show",
            TicketStatus.TRANSFERRED: "transferred", TicketStatus.CANCELLED: "cancelled",
            TicketStatus.VOIDED: "voided"}

TICKET_ENDED = "ticket.ended"
DAY_CLOSED = "day.closed"
SURVEY = "survey.answered"
INCIDENT_TYPES = ("device.offline", "device.online", "printer.fault", "printer.ok")


@dataclass(frozen=True)
class Entry:
    """One record before the store numbers it in its stream."""

    stream: str
    type: str
    at: float  # epoch seconds: when it happened
    data: dict[str, Any]

    def data_json(self) -> str:
        return json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))


def _duration(start: float | None, end: float | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, int(end - start))


def ticket_ended(t: TicketRec, agency: str, tz: ZoneInfo) -> Entry:
    """A finished ticket's service record. wait_s and service_s as docs/ikm.md defines
    them (the reports' figures): wait from issue to first call, service from start (or
    call) to the end of a completed ticket."""
    begin = t.started_at if t.started_at is not None else t.called_at
    done = t.status is TicketStatus.DONE
    data = {
        "ticket": t.id, "number": t.label, "day": t.day, "service": t.service,
        "agency": agency, "outcome": OUTCOMES[t.status], "priority": t.priority,
        "booked": t.appointment is not None or t.slot_at is not None,
        "issued_at": iso_local(t.issued_at, tz), "called_at": iso_local(t.called_at, tz),
        "started_at": iso_local(t.started_at, tz), "finished_at": iso_local(t.finished_at, tz),
        "wait_s": _duration(t.issued_at, t.called_at),
        "service_s": _duration(begin, t.finished_at) if done else None,
        "counter": t.counter, "officer": t.officer, "recalls": t.recalls,
        "transferred_from": t.origin, "lang": t.lang,
    }
    return Entry("tickets", TICKET_ENDED, t.finished_at or t.issued_at, data)


def survey(row: dict[str, Any], tz: ZoneInfo) -> Entry:
    """A survey answer as the store keeps it (the nine IKM elements, 1-4)."""
    scores = json.loads(row["scores"]) if isinstance(row["scores"], str) else row["scores"]
    data = {"ticket": row["ticket"], "service": row["service"], "counter": row["counter"],
            "answered_at": iso_local(row["at"], tz), "scores": scores}
    return Entry("surveys", SURVEY, row["at"], data)


FIGURES = ("issued", "served", "no_shows", "transferred", "cancelled", "voided", "priority",
           "wait_avg_s", "wait_p90_s", "service_avg_s", "service_p90_s", "within_target",
           "within_target_of", "busiest_hour")


def figures(fig: GroupFigures) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(fig, name) for name in FIGURES}
    for name in ("wait_avg_s", "service_avg_s"):
        if out[name] is not None:
            out[name] = round(out[name], 1)
    if out["within_target"] is not None:
        out["within_target"] = round(out["within_target"], 4)
    out["arrivals_by_hour"] = [fig.arrivals_by_hour.get(h, 0) for h in range(24)]
    out["wait_buckets"] = dict(fig.wait_buckets)
    return out


def day_closed(day: str, report: Report, at: float) -> Entry:
    """A closed day's figures (domain/reports.py) for the site, each agency, service and
    counter."""
    data = {"day": day, "site": figures(report.site),
            "agencies": {k: figures(v) for k, v in report.by_agency.items()},
            "services": {k: figures(v) for k, v in report.by_service.items()},
            "counters": {k: figures(v) for k, v in report.by_counter.items()}}
    return Entry("days", DAY_CLOSED, at, data)


def _fault(row: dict[str, Any] | None) -> str | None:
    """The printer's fault in a presence, as the dashboard's alerts see it: paper out or
    low, else a state that needs a person; None when the printer is well or absent."""
    printer = (row or {}).get("printer")
    if not isinstance(printer, dict) or (row or {}).get("status") == "offline":
        return None
    paper, state = printer.get("paper"), printer.get("state")
    if paper in PAPER_ALERT:
        return f"paper_{paper}"
    return state if state in PRINTER_ALERT_STATES else None


def incidents(device: str, role: str, before: dict[str, Any] | None,
              after: dict[str, Any] | None, at: float) -> list[Entry]:
    """The incidents between two presences of a device as the server heard them: it went
    offline or came back, its printer's fault began or ended."""
    found: list[Entry] = []
    was, now = (before or {}).get("status"), (after or {}).get("status")
    base = {"device": device, "role": role}
    if now in ("online", "offline") and was != now and (was is not None or now == "offline"):
        found.append(Entry("incidents", f"device.{now}", at, dict(base)))
    old, new = _fault(before), _fault(after)
    if new is not None and new != old:
        found.append(Entry("incidents", "printer.fault", at, {**base, "fault": new}))
    elif new is None and old is not None and now != "offline":
        found.append(Entry("incidents", "printer.ok", at, {**base, "fault": old}))
    return found


def retry_delay(failures: int, base_s: float, cap_s: float, jitter: float) -> float:
    """Seconds before the next try after `failures` in a row: doubling from base_s up to
    cap_s, then a random part of the upper half (`jitter` in [0, 1)), so that the halls
    of a city do not all come back at the same instant after the central's outage."""
    step = min(cap_s, base_s * 2.0 ** max(0, min(failures - 1, 30)))
    return step / 2 + step / 2 * jitter
