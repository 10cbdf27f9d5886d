"""Reads for the dashboard and the citizens' pages, each on a connection of its own (never
the engine's writer): today's waits for the live picture, the ticket a page is about."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
class TicketPage:
    """What a ticket's page or a counter's tablet shows of a ticket: no personal data."""

    id: str
    number: str
    service: str
    day: str
    status: str
    counter: str | None
    rated: bool


def waits_of_day(db: Database, day: str) -> DayWaits:
    called = Ticket.called_at.is_not(None)
    with Session(db) as s:
        rows = s.execute(select(Ticket.service, func.sum(Ticket.called_at - Ticket.issued_at),
                                func.count()).where(Ticket.day == day, called)
                         .group_by(Ticket.service)).all()
        ids = s.scalars(select(Ticket.id).where(Ticket.day == day, called)).all()
    return DayWaits({svc: (float(total or 0), int(n)) for svc, total, n in rows}, set(ids))


def _ticket_page(where: Any) -> Any:
    return (select(Ticket.id, Ticket.label, Ticket.service, Ticket.day, Ticket.status,
                   Ticket.counter, Feedback.ticket.is_not(None).label("rated"))
            .outerjoin(Feedback, Feedback.ticket == Ticket.id).where(where))


def _page_of(row: Any) -> TicketPage | None:
    if row is None:
        return None
    return TicketPage(row.id, row.label, row.service, row.day, row.status, row.counter,
                      bool(row.rated))


def ticket_by_key(db: Database, digest: str) -> TicketPage | None:
    """The ticket whose page key has this digest; after a transfer, where it is now (the
    copies share the key: the newest is the one still moving)."""
    query = _ticket_page(Ticket.key_digest == digest).order_by(Ticket.issued_at.desc())
    with db.connect() as conn:
        return _page_of(conn.execute(query.limit(1)).first())


def ticket_by_id(db: Database, ticket_id: str) -> TicketPage | None:
    with db.connect() as conn:
        return _page_of(conn.execute(_ticket_page(Ticket.id == ticket_id)).first())


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
