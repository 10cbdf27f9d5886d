"""Wire representations (JSON-ready dicts) of tickets, queues, counters, calls."""

from __future__ import annotations

from typing import Any

from queue_server.domain.dispatch import DispatchPolicy, position_ahead
from queue_server.domain.estimate import estimate_wait_s, mean_service_s
from queue_server.domain.lifecycle import CounterStatus
from queue_server.domain.numbering import iso_local, local_datetime
from queue_server.engine.records import Call, TicketRec
from queue_server.engine.state import Hall
from queue_server.protocol.messages import dumps


def policy_of(hall: Hall) -> DispatchPolicy:
    p = hall.cfg.policy
    return DispatchPolicy(priority_ratio=p.priority_ratio,
                          appointment_early_s=p.appointment_early_min * 60)


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
    return view


def open_counters(hall: Hall, service_id: str) -> int:
    return sum(
        1 for c in hall.cfg.counters
        if service_id in c.services and hall.counters[c.id].status is CounterStatus.OPEN
    )


def service_time_s(hall: Hall, service_id: str) -> float:
    svc = hall.cfg.service(service_id)
    return mean_service_s(hall.services[service_id].durations, svc.avg_service_min * 60)


def ahead_of(hall: Hall, t: TicketRec, now: float) -> int:
    """People called before `t`. A plain walk-in is last in issue order: everyone
    waiting is ahead. Others are ranked against the specials, and against plain
    tickets only when they themselves rank as plain (O(waiting), rare)."""
    waiting = hall.waiting[t.service]
    lanes = hall.lanes[t.service]
    lane = t.lane()
    mine = 1 if t.id in waiting else 0
    policy = policy_of(hall)
    early = policy.appointment_early_s
    if lane == "plain":  # the newest walk-in: everyone waiting goes first
        return len(waiting) - mine
    if lane == "priority":  # behind every priority, front and due ticket
        return len(lanes["priority"]) - mine + sum(
            1 for w in lanes["rare"].values()
            if w.front or w.priority or (w.slot_at is not None and now >= w.slot_at - early))
    ahead = position_ahead([w.candidate() for w in lanes["rare"].values()], t.candidate(),
                           now, policy)
    if t.front or (t.slot_at is not None and now >= t.slot_at - early):
        return ahead

    def earlier(lane: dict[str, TicketRec]) -> int:  # O(lane): transfers only, rare
        return sum(1 for w in lane.values() if (w.queue_at, w.seq) < (t.queue_at, t.seq))

    if t.priority:  # a transferred priority citizen keeps their place among priorities
        return ahead + earlier(lanes["priority"])
    # ranked as a regular ticket by its (original) issue time
    return ahead + len(lanes["priority"]) + earlier(lanes["plain"])


def ahead_and_wait(hall: Hall, t: TicketRec, now: float) -> tuple[int, int]:
    ahead = ahead_of(hall, t, now)
    wait = estimate_wait_s(ahead, service_time_s(hall, t.service),
                           open_counters(hall, t.service))
    return ahead, wait


def quota_of(hall: Hall, service_id: str) -> int | None:
    override = hall.services[service_id].quota
    return override if override is not None else hall.cfg.service(service_id).daily_quota


def closed_reason(hall: Hall, service_id: str, now: float, day: str) -> str | None:
    svc = hall.cfg.service(service_id)
    if hall.services[service_id].closed:
        return "supervisor"
    if not hall.cfg.schedules[svc.schedule].is_open(local_datetime(now, hall.cfg.site.tz)):
        return "hours"
    quota = quota_of(hall, service_id)
    count = hall.days.get((service_id, day))
    if quota is not None and count is not None and count.walkins >= quota:
        return "quota"
    return None


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
