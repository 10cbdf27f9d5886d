"""A no-show citizen who comes back: the officer sees today's no-shows of the counter's
services still within the site's grace (policy.no_show_grace_min) and puts one back at the
front of its queue with the same number. The grace runs on the server's clock."""

from __future__ import annotations

from typing import Any

from queue_server.domain.hall import Hall
from queue_server.domain.lifecycle import TICKET_EVENTS, TicketStatus, next_ticket_status
from queue_server.domain.numbering import iso_local
from queue_server.domain.queues import ahead_and_wait
from queue_server.domain.records import TicketRec
from queue_server.engine.ops import Ctx, Handler, Result, counter_of, ticket_event
from queue_server.engine.views import ticket_view
from queue_server.protocol.errors import ErrorCode, ProtocolError


def _grace_s(hall: Hall) -> float:
    return hall.cfg.policy.no_show_grace_min * 60.0


def _returnable(hall: Hall, ctx: Ctx, services: tuple[str, ...]) -> list[TicketRec]:
    """Today's no-shows of `services` within the grace, the newest first (a scan of
    today's tickets: asked for by a console now and then, not per call)."""
    since = ctx.now - _grace_s(hall)
    found = [t for t in hall.tickets.values()
             if t.status is TicketStatus.NO_SHOW and t.day == ctx.day
             and t.service in services and (t.finished_at or 0.0) >= since]
    return sorted(found, key=lambda t: t.finished_at or 0.0, reverse=True)


def counter_no_shows(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    c = counter_of(hall, args["counter"])
    services = hall.cfg.counter(c.id).services
    tz, grace = hall.cfg.site.tz, _grace_s(hall)
    rows = []
    for t in _returnable(hall, ctx, services):
        gone = t.finished_at or ctx.now
        rows.append({**ticket_view(hall, t), "no_show_at": iso_local(gone, tz),
                     "until": iso_local(gone + grace, tz),
                     "left_s": max(0, int(gone + grace - ctx.now))})
    return {"grace_min": hall.cfg.policy.no_show_grace_min, "tickets": rows}


def _no_show(hall: Hall, ctx: Ctx, key: str) -> TicketRec:
    """Today's ticket by id, or by number: the latest no-show that carries it (a
    transferred ticket's copies share its number)."""
    t = hall.tickets.get(key)
    if t is None:
        same = [x for x in hall.tickets.values() if x.label == key and x.day == ctx.day]
        gone = [x for x in same if x.status is TicketStatus.NO_SHOW]
        t = max(gone or same, key=lambda x: x.finished_at or 0.0, default=None)
    if t is None or t.day != ctx.day:
        raise ProtocolError(ErrorCode.UNKNOWN_TICKET, "unknown ticket")
    return t


def counter_return(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    c = counter_of(hall, args["counter"])
    t = _no_show(hall, ctx, args["ticket"])
    if t.service not in hall.cfg.counter(c.id).services:
        raise ProtocolError(ErrorCode.FORBIDDEN, f"{c.id} does not serve {t.service}")
    status = next_ticket_status(t.status, "return")  # only a no-show comes back
    grace = hall.cfg.policy.no_show_grace_min
    if ctx.now - (t.finished_at or 0.0) > grace * 60.0:
        raise ProtocolError(ErrorCode.GRACE_EXPIRED,
                            f"{t.label} was a no-show more than {grace} min ago: "
                            "a new number at the kiosk", grace_min=grace)
    t.status, t.front, t.finished_at, t.counter = status, True, None, None
    hall.requeue(t)
    ticket_event(hall, ctx, TICKET_EVENTS["return"], t, c.id)
    ahead, wait = ahead_and_wait(hall, t, ctx.now)
    return {"ticket": ticket_view(hall, t), "ahead": ahead, "est_wait_s": wait}


RETURN_HANDLERS: dict[str, Handler] = {
    "counter.no_shows": counter_no_shows,
    "counter.return": counter_return,
}
