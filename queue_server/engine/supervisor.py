"""Supervisor command handlers: services opened, closed and given a quota, the running
message, appointments, a waiting ticket moved to another service or voided."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from queue_server.domain.hall import Hall
from queue_server.domain.lifecycle import TICKET_EVENTS, next_ticket_status
from queue_server.domain.numbering import iso_local
from queue_server.domain.privacy import carries_nik
from queue_server.domain.queues import ahead_and_wait
from queue_server.domain.records import AppointmentRec, TicketRec
from queue_server.engine.ops import (
    Ctx,
    Handler,
    Result,
    audit,
    known_service,
    moved_copy,
    refuse_nik,
    ticket_event,
)
from queue_server.engine.views import queue_view, ticket_view
from queue_server.protocol.errors import ErrorCode, ProtocolError


def _set_service(hall: Hall, ctx: Ctx, service_id: str, **values: Any) -> Result:
    rec = hall.services[known_service(hall, service_id).id]
    for key, value in values.items():
        setattr(rec, key, value)
    hall.touch_service(rec)
    audit(hall, ctx, "service", "service.changed", None, {"service": rec.id, **values})
    return queue_view(hall, rec.id, ctx.now, ctx.day)


def service_open(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    return _set_service(hall, ctx, args["service"], closed=False)


def service_close(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    return _set_service(hall, ctx, args["service"], closed=True)


def service_set_quota(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    return _set_service(hall, ctx, args["service"], quota=args["quota"])


def message_broadcast(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    hall.message = {"text": {"id": args["text"], "en": args.get("text_en", args["text"])},
                    "at": iso_local(ctx.now, hall.cfg.site.tz), "by": ctx.device}
    hall.changes.settings["message"] = json.dumps(hall.message, ensure_ascii=False)
    hall.changes.message = True
    audit(hall, ctx, "message", "message.broadcast", None, hall.message)
    return hall.message


def appointment_add(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    refuse_nik(args["code"])
    svc = known_service(hall, args["service"])
    try:
        slot = datetime.fromisoformat(args["slot"])
    except ValueError:
        raise ProtocolError(ErrorCode.BAD_REQUEST,
                            "slot must be an ISO 8601 date and time") from None
    if slot.tzinfo is None:
        slot = slot.replace(tzinfo=hall.cfg.site.tz)
    code = args["code"]
    if code in hall.appointments:
        raise ProtocolError(ErrorCode.BAD_REQUEST, "appointment code already exists")
    hall.appointments[code] = AppointmentRec(code, svc.id, slot.timestamp())
    hall.changes.new_appointments.add(code)
    audit(hall, ctx, "appointment", "appointment.added", None, {"service": svc.id})
    return {"code": code, "service": svc.id, "slot": iso_local(slot.timestamp(),
                                                               hall.cfg.site.tz)}


def _waiting_ticket(hall: Hall, ctx: Ctx, key: str) -> TicketRec:
    """Today's ticket by id, or a waiting one by its number."""
    t = hall.tickets.get(key) or next(
        (w for lane in hall.waiting.values() for w in lane.values() if w.label == key), None)
    if t is None or t.day != ctx.day:
        raise ProtocolError(ErrorCode.UNKNOWN_TICKET, "unknown ticket")
    return t


def ticket_move(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    """A supervisor moves a waiting ticket (by id or today's number) to another service."""
    t = _waiting_ticket(hall, ctx, args["ticket"])
    target = known_service(hall, args["service"])
    if target.id == t.service:
        raise ProtocolError(ErrorCode.BAD_REQUEST, "the ticket is already in that service")
    t.status = next_ticket_status(t.status, "move")
    t.finished_at = ctx.now
    hall.touch_ticket(t)
    copy = moved_copy(ctx, t, target.id, bool(args.get("front")))
    ticket_event(hall, ctx, TICKET_EVENTS["move"], t, None,
                 {"to_service": target.id, "new_ticket": copy.id})
    hall.add_ticket(copy)
    ahead, wait = ahead_and_wait(hall, copy, ctx.now)
    return {"ticket": ticket_view(hall, t), "new_ticket": ticket_view(hall, copy),
            "ahead": ahead, "est_wait_s": wait}


def ticket_void(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    """A waiting ticket that was never handed out leaves the queue: it can no longer be
    called, and reports count it as voided. The reason goes to the audit log only."""
    reason = args.get("reason") or ""
    if carries_nik(reason):
        raise ProtocolError(ErrorCode.PERSONAL_DATA, "a reason must not carry a NIK")
    t = _waiting_ticket(hall, ctx, args["ticket"])
    t.status = next_ticket_status(t.status, "void")
    t.finished_at = ctx.now
    hall.touch_ticket(t)
    ticket_event(hall, ctx, TICKET_EVENTS["void"], t)
    audit(hall, ctx, "void", "ticket.void_reason", None,
          {"ticket": t.id, "number": t.label, "reason": reason})
    return {"ticket": ticket_view(hall, t)}


SUPERVISOR_HANDLERS: dict[str, Handler] = {
    "service.open": service_open,
    "service.close": service_close,
    "service.set_quota": service_set_quota,
    "message.broadcast": message_broadcast,
    "appointment.add": appointment_add,
    "ticket.move": ticket_move,
    "ticket.void": ticket_void,
}
