"""A ticket's transaction, run on the kiosk's worker: the request (`ticket.issue`, or
`appointment.checkin` for a scanned appointment), then the print, in that order, under one
command id. A command that got no answer may still have been committed: choosing the same
again (or scanning the same code) resends it with the same id, so the server answers with
the ticket it issued, never a second number or "already used". No Qt here."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.choices import counter_names, names_of, site_value
from kiosk.printing import qr_data_url, qr_payload, slot_time, ticket_layout, wait_minutes
from queue_server.protocol.client import CommandError, QueueClient

log = logging.getLogger("mpp.kiosk")

ISSUE, CHECKIN = "ticket.issue", "appointment.checkin"
RETRYABLE = ("timeout", "internal_error")  # no answer: the server may have committed it
UNANSWERED_KEPT = 20  # commands without an answer, kept to be resent with their id
WALKIN_RETRY_S = 120.0  # later, the same choice is another citizen: a new ticket


@dataclass(frozen=True)
class TicketJob:
    """One command: its id (the command id on the wire), op and arguments."""

    tx: str
    op: str
    args: dict[str, Any]

    @property
    def checkin(self) -> bool:
        return self.op == CHECKIN


@dataclass(frozen=True)
class Names:
    """What a printed ticket names, read on the Qt thread before the job starts (a
    check-in's service is known only from the answer, so every service is named)."""

    mall: str
    agencies: dict[str, str]
    services: dict[str, str]
    counters: dict[str, str]

    @classmethod
    def of(cls, config: dict[str, Any], lang: str) -> Names:
        def ids(kind: str) -> list[str]:
            return [str(e.get("id")) for e in config.get(kind) or []]

        return cls(mall=site_value(config, "name"),
                   agencies={a: names_of(config, "agencies", a)["id"] for a in ids("agencies")},
                   services={s: names_of(config, "services", s)[lang] for s in ids("services")},
                   counters=counter_names(config))


@dataclass(frozen=True)
class Outcome:
    """A job's end: the ticket (answered), or the request's error code; `print_error` is
    "" when the ticket was printed."""

    job: TicketJob
    ticket: dict[str, Any] | None = None
    error: str = ""
    print_error: str = ""


def run_job(job: TicketJob, client: QueueClient, printer: Any | None, names: Names,
            timeout: float) -> Outcome:
    """Worker thread: the request, then, once answered, the print."""
    try:
        result = client.request(job.op, job.args, timeout=timeout, cmd_id=job.tx)
    except CommandError as err:
        return Outcome(job, error=str(getattr(err.code, "value", err.code)))
    except Exception:  # the number must never be lost silently: say something
        log.exception("%s failed", job.op)
        return Outcome(job, error="internal_error")
    return Outcome(job, ticket=result, print_error=print_ticket(printer, result, names))


def print_ticket(printer: Any | None, ticket: dict[str, Any], names: Names, *,
                 copy: bool = False) -> str:
    """Worker thread: print the answer (a copy marked as one); "" or the printer's error
    code."""
    if printer is None:
        return "printer_offline"
    from drivers.printer import PrinterError

    counters = [names.counters.get(str(c), str(c)) for c in ticket.get("counters") or []]
    service, agency = str(ticket.get("service", "")), str(ticket.get("agency", ""))
    layout = ticket_layout(ticket, mall=names.mall,
                           agency=names.agencies.get(agency, agency),
                           service=names.services.get(service, service),
                           counters=counters, copy=copy)
    try:
        printer.print_ticket(layout)
    except PrinterError as err:
        log.warning("ticket %s not printed: %s", ticket.get("number"), err)
        return err.code
    except Exception:
        log.exception("ticket %s not printed", ticket.get("number"))
        return "printer_error"
    return ""


def ticket_view(ticket: dict[str, Any], config: dict[str, Any],
                print_error: str) -> dict[str, Any]:
    """What the result screen shows of the answer; the QR drawn only when not printed."""
    names = counter_names(config)
    payload = qr_payload(ticket)
    return {
        "number": str(ticket.get("number", "")),
        "ahead": int(ticket.get("ahead") or 0),
        "waitMin": wait_minutes(ticket.get("est_wait_s")),
        "counters": ", ".join(names.get(str(c), str(c)) for c in ticket.get("counters") or []),
        "priority": str(ticket.get("priority") or ""),
        "qr": qr_data_url(payload) if print_error else "",
        "qrPayload": payload,
        "id": str(ticket.get("id", "")),
        "slot": slot_time(ticket.get("appointment_slot")),
    }


class Unanswered:
    """Commands that got no answer, by what they repeat: the same appointment code, or a
    walk-in ticket for the same service and priority (within WALKIN_RETRY_S)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._kept: dict[str, tuple[TicketJob, float]] = {}

    def job(self, op: str, args: dict[str, Any]) -> TicketJob:
        """The command to send: the unanswered one this repeats, or a new one."""
        kept, at = self._kept.get(_retry_key(op, args), (None, 0.0))
        if kept is None or (op == ISSUE and self._clock() - at > WALKIN_RETRY_S):
            return TicketJob(uuid.uuid4().hex, op, args)
        return kept

    def answered(self, job: TicketJob) -> None:
        self._kept.pop(_retry_key(job.op, job.args), None)

    def failed(self, job: TicketJob, code: str) -> None:
        """Keep a command that got no answer: trying again must be able to resend it."""
        key = _retry_key(job.op, job.args)
        self._kept.pop(key, None)
        if code in RETRYABLE:
            self._kept[key] = (job, self._clock())
            while len(self._kept) > UNANSWERED_KEPT:
                self._kept.pop(next(iter(self._kept)))


def _retry_key(op: str, args: dict[str, Any]) -> str:
    if op == CHECKIN:
        return f"checkin:{args.get('code')}"
    return f"issue:{args.get('service')}:{args.get('priority') or 'none'}"
