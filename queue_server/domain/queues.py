"""What the hall's queues say: a ticket's place and its wait, a service's quota and
whether it is open now. Read by the handlers and by the state the engine publishes."""

from __future__ import annotations

from queue_server.domain.dispatch import DispatchPolicy, position_ahead
from queue_server.domain.estimate import estimate_wait_s, mean_service_s
from queue_server.domain.hall import Hall
from queue_server.domain.lifecycle import CounterStatus
from queue_server.domain.numbering import local_datetime
from queue_server.domain.records import TicketRec
from queue_server.domain.rules import why_closed


def policy_of(hall: Hall) -> DispatchPolicy:
    p = hall.cfg.policy
    return DispatchPolicy(priority_ratio=p.priority_ratio,
                          appointment_early_s=p.appointment_early_min * 60)


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
    """Why `service_id` issues no ticket now (domain/rules.py why_closed), or None."""
    svc = hall.cfg.service(service_id)
    count = hall.days.get((service_id, day))
    return why_closed(hall.cfg.schedules[svc.schedule], local_datetime(now, hall.cfg.site.tz),
                      hall.services[service_id].closed, count.walkins if count else 0,
                      quota_of(hall, service_id))
