"""Wire representations (JSON-ready dicts) of tickets, queues, counters, calls."""

from __future__ import annotations

from typing import Any

from queue_server.domain.estimate import estimate_wait_s
from queue_server.domain.hall import Hall
from queue_server.domain.numbering import iso_local
from queue_server.domain.queues import closed_reason, open_counters, quota_of, service_time_s
from queue_server.domain.records import Call, TicketRec
from queue_server.protocol.messages import dumps


def ticket_view(hall: Hall, t: TicketRec) -> dict[str, Any]:
    tz = hall.cfg.site.tz
    view: dict[str, Any] = {
        "id": t.id, "number": t.label, "service": t.service, "status": str(t.status),
        "priority": t.priority, "issued_at": iso_local(t.queue_at, tz),
        "counter": t.counter, "called_at": iso_local(t.called_at, tz), "recalls": t.recalls,
    }
    if t.slot_at is not None:
        view["appointment_slot"] = iso_local(t.slot_at, tz)
    if t.origin is not None:
        view["transferred_from"] = t.origin
    if t.front:
        view["front"] = True
    if t.assist:
        view["assist"] = t.assist
    return view


def queue_view(hall: Hall, service_id: str, now: float, day: str) -> dict[str, Any]:
    waiting = hall.waiting[service_id]
    oldest = hall.oldest_at(service_id)
    count = hall.days.get((service_id, day))
    reason = closed_reason(hall, service_id, now, day)
    n_open = open_counters(hall, service_id)
    service_s = service_time_s(hall, service_id)
    return {
        "service": service_id,
        "waiting": len(waiting),
        "priority_waiting": hall.priority_waiting(service_id),
        "longest_wait_s": int(now - oldest) if oldest is not None else 0,
        "oldest_at": iso_local(oldest, hall.cfg.site.tz),
        "est_wait_s": estimate_wait_s(len(waiting), service_s, n_open),
        "avg_service_s": int(service_s),
        "open": reason is None,
        "closed_reason": reason,
        "open_counters": n_open,
        "issued_today": count.last_number if count else 0,
        "quota": quota_of(hall, service_id),
        "at": iso_local(now, hall.cfg.site.tz),
        "seq": hall.seq,
    }


def counter_view(hall: Hall, counter_id: str) -> dict[str, Any]:
    c = hall.counters[counter_id]
    cfg = hall.cfg.counter(counter_id)
    ticket = hall.tickets.get(c.ticket) if c.ticket else None
    return {
        "counter": c.id, "name": cfg.name, "number": cfg.number, "status": str(c.status),
        "ticket": ticket_view(hall, ticket) if ticket else None,
        "since": iso_local(c.since, hall.cfg.site.tz) if c.since else None,
        "reason": c.reason, "officer": c.officer, "services": list(cfg.services),
        "seq": hall.seq,
    }


def calls_view(hall: Hall) -> list[dict[str, Any]]:
    """state/calls: the most recent calls, newest first (DESIGN.md), a JSON array."""
    return [_call_view(hall, call) for call in hall.calls]


def calls_payload(hall: Hall) -> bytes:
    """calls_view as JSON bytes. A call never changes once made, so each is encoded once:
    the same bytes as dumps(calls_view(hall)), without redoing ten calls on every call."""
    for call in hall.calls:
        if not call.wire:
            call.wire = dumps(_call_view(hall, call))
    return b"[" + b",".join(call.wire for call in hall.calls) + b"]"


def _call_view(hall: Hall, call: Call) -> dict[str, Any]:
    counter = hall.cfg.counter(call.counter)
    return {
        "number": call.number, "counter": call.counter, "service": call.service,
        "at": iso_local(call.at, hall.cfg.site.tz), "recall_count": call.recalls,
        "ticket": call.ticket, "counter_name": counter.name,
        "counter_number": counter.number,
    }
