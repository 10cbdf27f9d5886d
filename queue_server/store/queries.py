"""Reads for the dashboard and the survey pages, each on a connection of its own (never the
engine's writer): today's waits for the live picture, and the ticket a survey is about."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from queue_server.domain.lifecycle import TicketStatus
from queue_server.store.models import Feedback, Ticket

Database = Engine  # what the web holds and hands back to these functions


@dataclass
class DayWaits:
    """One local day's waits from issue to first call, per service."""

    totals: dict[str, tuple[float, int]] = field(default_factory=dict)  # (sum s, count)
    called: set[str] = field(default_factory=set)  # the ids of the tickets counted


@dataclass(frozen=True)
class TicketSummary:
    """What a survey page may show of a ticket: no number, no personal data."""

    service: str
    day: str
    status: str


def waits_of_day(db: Database, day: str) -> DayWaits:
    called = Ticket.called_at.is_not(None)
    with Session(db) as s:
        rows = s.execute(select(Ticket.service, func.sum(Ticket.called_at - Ticket.issued_at),
                                func.count()).where(Ticket.day == day, called)
                         .group_by(Ticket.service)).all()
        ids = s.scalars(select(Ticket.id).where(Ticket.day == day, called)).all()
    return DayWaits({svc: (float(total or 0), int(n)) for svc, total, n in rows}, set(ids))


def ticket_summary(db: Database, ticket_id: str) -> TicketSummary | None:
    with db.connect() as conn:
        row = conn.execute(select(Ticket.service, Ticket.day, Ticket.status)
                           .where(Ticket.id == ticket_id)).first()
    return TicketSummary(row.service, row.day, row.status) if row is not None else None


def last_unrated_ticket(db: Database, day: str, counter: str, since: float) -> str | None:
    """The id of the ticket `counter` completed last on `day`, at or after `since`, if it
    has no survey answer yet."""
    query = (select(Ticket.id).outerjoin(Feedback, Feedback.ticket == Ticket.id)
             .where(Ticket.day == day, Ticket.counter == counter,
                    Ticket.status == TicketStatus.DONE.value, Ticket.finished_at >= since,
                    Feedback.ticket.is_(None))
             .order_by(Ticket.finished_at.desc()).limit(1))
    with db.connect() as conn:
        return conn.execute(query).scalar()
