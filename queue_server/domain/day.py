"""The day ends: numbering restarts at midnight, so what is left of an earlier day goes."""

from __future__ import annotations

from queue_server.domain.hall import Hall
from queue_server.domain.lifecycle import FINISHED, TICKET_EVENTS, next_ticket_status
from queue_server.domain.records import EventRec


def roll_over(hall: Hall, now: float, today: str) -> int:
    """Retire the tickets of earlier days (an open one is cancelled, through the lifecycle
    table); each leaves the hall once its last change is written. Returns how many."""
    stale = [t for t in hall.tickets.values() if t.day < today]
    for t in stale:
        if t.status not in FINISHED:
            t.status, t.finished_at = next_ticket_status(t.status, "retire"), now
            hall.touch_ticket(t)
            hall.log(EventRec(None, now, "rollover", TICKET_EVENTS["retire"], t.id, t.counter,
                              None, {"reason": "day ended", "number": t.label}))
        if t.id not in hall.changes.tickets:
            hall.drop_ticket(t.id)
    for counter in hall.counters.values():
        if counter.ticket and counter.ticket not in hall.tickets:
            counter.ticket = None
            hall.touch_counter(counter)
    return len(stale)
