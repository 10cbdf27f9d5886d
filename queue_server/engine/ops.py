"""Command handlers. Each takes the hall and a context, mutates the hall through
its recording methods, and returns the reply's result; errors are ProtocolError.
Here the kiosk's and the counter's ops; the supervisor's in supervisor.py, the officers'
sign-in in officers.py. registry() keys them all by the op catalogue's names."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from queue_server.domain.dispatch import choose_service, next_streak, pick_in_service
from queue_server.domain.hall import Hall
from queue_server.domain.lifecycle import (
    ACTIVE,
    TICKET_EVENTS,
    TicketStatus,
    next_counter_status,
    next_ticket_status,
    require_open_counter,
)
from queue_server.domain.numbering import format_number, iso_local, local_datetime
from queue_server.domain.privacy import carries_nik
from queue_server.domain.queues import ahead_and_wait, closed_reason, policy_of, quota_of
from queue_server.domain.records import Call, CounterRec, EventRec, TicketRec
from queue_server.domain.rules import check_issuable
from queue_server.domain.ticket_page import KEY_BYTES, key_digest, page_url
from queue_server.engine.views import counter_view, ticket_view
from queue_server.protocol.errors import ErrorCode, ProtocolError
from queue_server.protocol.ops import IKM_ELEMENTS, OPS

Result = dict[str, Any]


@dataclass(frozen=True)
class Ctx:
    now: float
    day: str
    device: str
    page_base: str = ""  # where the hall's pages are for phones (Engine.page_base)


Handler = Callable[[Hall, Ctx, dict[str, Any]], Result]


def _err(code: ErrorCode, message: str) -> ProtocolError:
    return ProtocolError(code, message)


def known_service(hall: Hall, service_id: str) -> Any:
    try:
        return hall.cfg.service(service_id)
    except KeyError:
        raise _err(ErrorCode.UNKNOWN_SERVICE, f"unknown service '{service_id}'") from None


def counter_of(hall: Hall, counter_id: str) -> CounterRec:
    rec = hall.counters.get(counter_id)
    if rec is None:
        raise _err(ErrorCode.UNKNOWN_COUNTER, f"unknown counter '{counter_id}'")
    return rec


def ticket_event(hall: Hall, ctx: Ctx, kind: str, t: TicketRec,
                  counter: str | None = None, extra: Result | None = None) -> int:
    payload: Result = {
        "seq": hall.next_seq(), "type": kind, "ticket": ticket_view(hall, t),
        "counter": counter, "at": iso_local(ctx.now, hall.cfg.site.tz),
    }
    if extra:
        payload.update(extra)
    hall.log(EventRec(payload["seq"], ctx.now, "ticket", kind, t.id, counter, ctx.device,
                      payload))
    return int(payload["seq"])


def audit(hall: Hall, ctx: Ctx, kind: str, type_: str, counter: str | None,
           payload: Result) -> None:
    hall.log(EventRec(None, ctx.now, kind, type_, None, counter, ctx.device, payload))


# -- kiosk -------------------------------------------------------------------------


def _new_ticket(hall: Hall, ctx: Ctx, service_id: str, priority: str | None,
                lang: str | None, walkin: bool, slot_at: float | None = None,
                appointment: str | None = None,
                assist: str | None = None) -> tuple[TicketRec, str]:
    """The new ticket, and the key of its page (kept only as a digest)."""
    svc = hall.cfg.service(service_id)
    count = hall.day_count(service_id, ctx.day)
    count.last_number += 1
    if walkin:
        count.walkins += 1
    hall.touch_day(service_id, ctx.day)
    key = secrets.token_urlsafe(KEY_BYTES)
    t = TicketRec(
        id=uuid.uuid4().hex, day=ctx.day, service=service_id, number=count.last_number,
        label=format_number(svc.prefix, count.last_number), status=TicketStatus.WAITING,
        issued_at=ctx.now, queue_at=ctx.now, priority=priority, appointment=appointment,
        slot_at=slot_at, lang=lang, device=ctx.device, key_digest=key_digest(key),
        assist=assist,
    )
    hall.add_ticket(t)
    t.seq = ticket_event(hall, ctx, TICKET_EVENTS["issue"], t)
    return t, key


def _issue_result(hall: Hall, ctx: Ctx, t: TicketRec, key: str) -> Result:
    """The reply, and only the reply, carries the page's url (its key): never an event,
    a state topic or a log line (DESIGN.md)."""
    ahead, wait = ahead_and_wait(hall, t, ctx.now)
    svc = hall.cfg.service(t.service)
    counters = [c.id for c in hall.cfg.counters if t.service in c.services]
    return {**ticket_view(hall, t), "ahead": ahead, "est_wait_s": wait,
            "agency": svc.agency, "counters": counters, "url": page_url(ctx.page_base, key)}


def _priority_of(value: Any) -> str | None:
    if value is True:
        return "priority"
    return value if isinstance(value, str) else None


def ticket_issue(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    if args.get("appointment"):
        refuse_nik(args["appointment"])
        appt = hall.appointments.get(args["appointment"])
        if appt is not None and appt.service != args["service"]:
            raise _err(ErrorCode.BAD_REQUEST, "appointment is for another service")
        return appointment_checkin(hall, ctx, {"code": args["appointment"],
                                               "lang": args.get("lang")})
    svc = known_service(hall, args["service"])
    check_issuable(closed_reason(hall, svc.id, ctx.now, ctx.day), quota_of(hall, svc.id))
    t, key = _new_ticket(hall, ctx, svc.id, _priority_of(args.get("priority")),
                         args.get("lang"), walkin=True, assist=args.get("assist"))
    return _issue_result(hall, ctx, t, key)


def refuse_nik(code: str) -> None:
    """Appointment codes are random: one that holds a NIK is refused before it is looked up
    or kept, and the refusal does not repeat it (it reaches the log)."""
    if carries_nik(code):
        raise _err(ErrorCode.PERSONAL_DATA,
                   "an appointment code must not carry a NIK (16 digits)")


def appointment_checkin(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    refuse_nik(args["code"])
    appt = hall.appointments.get(args["code"])
    if appt is None:
        raise _err(ErrorCode.APPOINTMENT_UNKNOWN, "appointment code not found")
    if appt.status == "used":
        raise _err(ErrorCode.APPOINTMENT_USED, "appointment already checked in")
    policy = hall.cfg.policy
    if ctx.now > appt.slot_at + policy.appointment_late_min * 60:
        raise _err(ErrorCode.APPOINTMENT_EXPIRED, "appointment slot has passed")
    tz = hall.cfg.site.tz
    if local_datetime(appt.slot_at, tz).date().isoformat() != ctx.day:
        raise _err(ErrorCode.APPOINTMENT_TOO_EARLY, "appointment is for another day")
    t, key = _new_ticket(hall, ctx, appt.service, None, args.get("lang"), walkin=False,
                         slot_at=appt.slot_at, appointment=appt.code)
    appt.status, appt.ticket = "used", t.id
    hall.changes.appointments.add(appt.code)
    return _issue_result(hall, ctx, t, key)


# -- counter -----------------------------------------------------------------------


def _current(hall: Hall, c: CounterRec) -> TicketRec:
    t = hall.tickets.get(c.ticket) if c.ticket else None
    if t is None or t.status not in ACTIVE:
        raise _err(ErrorCode.NO_CURRENT_TICKET, "no ticket at this counter")
    return t


def _finish(hall: Hall, ctx: Ctx, c: CounterRec, t: TicketRec, action: str,
            extra: Result | None = None) -> None:
    t.status = next_ticket_status(t.status, action)
    t.finished_at = ctx.now
    if action == "complete":
        begin = t.started_at or t.called_at or ctx.now
        hall.services[t.service].durations.append(ctx.now - begin)
    hall.touch_ticket(t)
    c.ticket, c.since = None, ctx.now
    hall.touch_counter(c)
    ticket_event(hall, ctx, TICKET_EVENTS[action], t, c.id, extra)


def counter_open(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    c = counter_of(hall, args["counter"])
    session = hall.sessions.get(ctx.device)
    officer = args.get("officer") or session
    device = hall.cfg.device(ctx.device)
    if (officer and officer != session and hall.cfg.officers
            and device is not None and device.role == "counter"):
        raise _err(ErrorCode.NOT_SIGNED_IN, f"officer {officer} is not signed in here")
    c.status = next_counter_status(c.status, "open")
    c.since, c.reason = ctx.now, None
    if officer:
        c.officer = officer
    hall.touch_counter(c, status_changed=True)
    audit(hall, ctx, "counter", "counter.opened", c.id, {"officer": c.officer})
    return counter_view(hall, c.id)


def _pause_or_close(hall: Hall, ctx: Ctx, args: dict[str, Any], action: str) -> Result:
    c = counter_of(hall, args["counter"])
    if c.ticket and hall.tickets[c.ticket].status in ACTIVE:
        raise _err(ErrorCode.TICKET_ACTIVE, "finish the current ticket first")
    c.status = next_counter_status(c.status, action)
    c.since = ctx.now
    c.reason = args.get("reason", "break") if action == "pause" else None
    if action == "close":
        c.officer = None
    hall.touch_counter(c, status_changed=True)
    audit(hall, ctx, "counter", f"counter.{action}d", c.id, {"reason": c.reason})
    return counter_view(hall, c.id)


def counter_pause(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    return _pause_or_close(hall, ctx, args, "pause")


def counter_close(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    return _pause_or_close(hall, ctx, args, "close")


def counter_call_next(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    """Completes the current ticket (the officer has moved on), then calls the next."""
    c = counter_of(hall, args["counter"])
    require_open_counter(c.status)
    completed = None
    if c.ticket and hall.tickets[c.ticket].status in ACTIVE:
        completed = hall.tickets[c.ticket]
        _finish(hall, ctx, c, completed, "complete")
    services = hall.cfg.counter(c.id).services
    oldest = {s: hall.oldest_at(s) for s in services}
    targets = {s: hall.cfg.service(s).target_wait_min * 60.0 for s in services}
    service_id = choose_service(services, oldest, ctx.now, targets)
    pick = None
    if service_id is not None:
        pick = pick_in_service([t.candidate() for t in hall.candidates(service_id)], ctx.now,
                               policy_of(hall), hall.services[service_id].priority_streak)
    result: Result = {"completed": completed.label if completed else None}
    if pick is None:
        return {**result, "ticket": None, "counter": counter_view(hall, c.id)}
    t = hall.tickets[pick.ticket_id]
    svc_rec = hall.services[t.service]
    streak = next_streak(svc_rec.priority_streak, pick, ctx.now, policy_of(hall))
    if streak != svc_rec.priority_streak:  # one page less to write per call otherwise
        svc_rec.priority_streak = streak
        hall.touch_service(svc_rec)
    t.status = next_ticket_status(t.status, "call")
    t.counter, t.called_at, t.officer = c.id, ctx.now, c.officer
    hall.touch_ticket(t)
    c.ticket, c.since = t.id, ctx.now
    hall.touch_counter(c)
    hall.add_call(Call(t.id, t.label, t.service, c.id, ctx.now, t.recalls))
    ticket_event(hall, ctx, TICKET_EVENTS["call"], t, c.id)
    return {**result, "ticket": ticket_view(hall, t)}


def counter_recall(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    c = counter_of(hall, args["counter"])
    t = _current(hall, c)
    t.status = next_ticket_status(t.status, "recall")
    t.recalls += 1
    hall.touch_ticket(t)
    hall.touch_counter(c)  # its state carries the ticket, and the recall count with it
    hall.add_call(Call(t.id, t.label, t.service, c.id, ctx.now, t.recalls))
    ticket_event(hall, ctx, TICKET_EVENTS["recall"], t, c.id)
    return {"ticket": ticket_view(hall, t)}


def counter_start(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    c = counter_of(hall, args["counter"])
    t = _current(hall, c)
    t.status = next_ticket_status(t.status, "start")
    t.started_at = ctx.now
    hall.touch_ticket(t)
    c.since = ctx.now
    hall.touch_counter(c)
    ticket_event(hall, ctx, TICKET_EVENTS["start"], t, c.id)
    return {"ticket": ticket_view(hall, t)}


def counter_complete(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    c = counter_of(hall, args["counter"])
    t = _current(hall, c)
    _finish(hall, ctx, c, t, "complete")
    return {"ticket": ticket_view(hall, t)}


def counter_no_show(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    c = counter_of(hall, args["counter"])
    t = _current(hall, c)
    _finish(hall, ctx, c, t, "no_show")
    return {"ticket": ticket_view(hall, t)}


def counter_transfer(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    """The citizen keeps the paper number and their place (original issue time)."""
    c = counter_of(hall, args["counter"])
    t = _current(hall, c)
    target = known_service(hall, args["service"])
    copy = moved_copy(ctx, t, target.id, bool(args.get("front")))
    _finish(hall, ctx, c, t, "transfer", {"to_service": target.id, "new_ticket": copy.id})
    hall.add_ticket(copy)
    ahead, wait = ahead_and_wait(hall, copy, ctx.now)
    return {"ticket": ticket_view(hall, t), "new_ticket": ticket_view(hall, copy),
            "ahead": ahead, "est_wait_s": wait}


def moved_copy(ctx: Ctx, t: TicketRec, service_id: str, front: bool) -> TicketRec:
    """The ticket in its new service: same paper number, same place (issue time, seq),
    same page key (the citizen holds the same paper)."""
    copy = TicketRec(
        id=uuid.uuid4().hex, day=ctx.day, service=service_id, number=None, label=t.label,
        status=TicketStatus.WAITING, issued_at=ctx.now, queue_at=t.queue_at,
        priority=t.priority, front=front, origin=t.id, lang=t.lang, device=ctx.device,
        key_digest=t.key_digest, assist=t.assist,
    )
    copy.seq = t.seq
    return copy


def feedback_submit(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    missing = [e for e in IKM_ELEMENTS if e not in args["scores"]]
    if missing:  # an IKM answer has all nine elements (PermenPANRB 14/2017)
        raise _err(ErrorCode.BAD_REQUEST, f"all nine IKM elements are required; missing "
                   f"{', '.join(missing)}")
    t = hall.tickets.get(args["ticket"])
    if t is None:
        raise _err(ErrorCode.UNKNOWN_TICKET, "unknown ticket")
    if t.status is not TicketStatus.DONE:
        raise _err(ErrorCode.INVALID_TRANSITION, "only a completed ticket can be rated")
    if t.id in hall.rated:
        raise _err(ErrorCode.ALREADY_RATED, "this ticket was already rated")
    hall.rated.add(t.id)
    hall.changes.feedback.append({"ticket": t.id, "at": ctx.now, "service": t.service,
                                  "counter": t.counter,
                                  "scores": json.dumps(args["scores"], sort_keys=True)})
    return {"ticket": t.id, "recorded": True}


def ping(hall: Hall, ctx: Ctx, args: dict[str, Any]) -> Result:
    return {"pong": True, "at": iso_local(ctx.now, hall.cfg.site.tz), "seq": hall.seq}


HANDLERS: dict[str, Handler] = {
    "ping": ping,
    "ticket.issue": ticket_issue,
    "appointment.checkin": appointment_checkin,
    "counter.open": counter_open,
    "counter.pause": counter_pause,
    "counter.close": counter_close,
    "counter.call_next": counter_call_next,
    "counter.recall": counter_recall,
    "counter.start": counter_start,
    "counter.complete": counter_complete,
    "counter.no_show": counter_no_show,
    "counter.transfer": counter_transfer,
    "feedback.submit": feedback_submit,
}


def registry(*tables: Mapping[str, Handler]) -> dict[str, Handler]:
    """The handler of each op, from the engine's tables, keyed by the op catalogue's names
    (protocol/ops.py): a name the catalogue does not know, or a second handler for one op,
    stops the engine at import. tests/engine/test_registry.py proves it covers every op."""
    merged: dict[str, Handler] = {}
    for table in tables:
        for name, handler in table.items():
            if name not in OPS or name in merged:
                raise KeyError(f"handler for {name!r}: not in the op catalogue, or twice")
            merged[name] = handler
    return merged

