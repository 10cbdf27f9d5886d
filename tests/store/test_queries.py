"""The reads behind the dashboard and the survey pages (queue_server/store/queries.py), on
SQLite and PostgreSQL, over rows written as the engine writes them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine as DbEngine
from sqlalchemy.orm import Session

from queue_server.store.db import make_engine, migrate
from queue_server.store.models import Feedback, Ticket
from queue_server.store.queries import (
    TicketPage,
    last_unrated_ticket,
    ticket_by_id,
    ticket_by_key,
    waits_of_day,
)

DAY, YESTERDAY = "2026-12-01", "2026-11-30"
T0 = 1_796_000_000.0


@pytest.fixture
def db(db_url: str) -> Iterator[DbEngine]:
    engine = make_engine(db_url)
    migrate(engine)
    yield engine
    engine.dispose()


def ticket(tid: str, service: str = "ktp", day: str = DAY, status: str = "waiting",
           **times: Any) -> Ticket:
    n = int(tid[-2:], 16)
    return Ticket(id=tid, day=day, service=service, number=n, label=f"A-{n:03d}",
                  status=status, issued_at=T0, queue_at=T0, **times)


def add(db: DbEngine, *rows: object) -> None:
    with Session(db) as s, s.begin():
        s.add_all(rows)


def test_waits_of_day_sums_the_called_tickets_of_that_day_per_service(db: DbEngine) -> None:
    # GIVEN tickets called after 60 s and 180 s, one still waiting, one of yesterday
    add(db, ticket("a" * 30 + "01", called_at=T0 + 60, status="called"),
        ticket("a" * 30 + "02", called_at=T0 + 180, status="done"),
        ticket("a" * 30 + "03"),
        ticket("a" * 30 + "04", service="kk", called_at=T0 + 30, status="serving"),
        ticket("a" * 30 + "05", day=YESTERDAY, called_at=T0 + 999, status="done"))
    # WHEN today's waits are read
    found = waits_of_day(db, DAY)
    # THEN each service has its sum and count, and the called tickets are known by id
    assert found.totals == {"ktp": (240.0, 2), "kk": (30.0, 1)}
    assert found.called == {"a" * 30 + "01", "a" * 30 + "02", "a" * 30 + "04"}
    assert waits_of_day(db, "2026-12-02").totals == {}


def test_a_ticket_page_by_id_shows_number_service_day_status_and_rating(db: DbEngine) -> None:
    add(db, ticket("b" * 30 + "01", status="done", counter="loket-01", called_at=T0 + 5,
                   finished_at=T0 + 90),
        Feedback(ticket="b" * 30 + "01", at=T0 + 95, service="ktp", counter="loket-01",
                 scores="{}"))
    assert ticket_by_id(db, "b" * 30 + "01") == TicketPage(
        "b" * 30 + "01", "A-001", "ktp", DAY, "done", "loket-01", True)
    assert ticket_by_id(db, "c" * 32) is None


def test_a_page_key_finds_where_its_ticket_is_now(db: DbEngine) -> None:
    # GIVEN a ticket transferred to kk (its copy shares the key's digest), and another
    add(db, ticket("e" * 30 + "01", status="transferred", key_digest="k1" * 32),
        Ticket(id="e" * 30 + "02", day=DAY, service="kk", number=None, label="A-001",
               status="waiting", issued_at=T0 + 60, queue_at=T0, key_digest="k1" * 32),
        ticket("e" * 30 + "03", key_digest="k2" * 32))
    # THEN the key's page is the copy (the newest), still waiting; other digests open nothing
    found = ticket_by_key(db, "k1" * 32)
    assert found is not None and (found.id, found.service, found.status, found.rated) == (
        "e" * 30 + "02", "kk", "waiting", False)
    assert ticket_by_key(db, "k2" * 32).number == "A-003"  # type: ignore[union-attr]
    assert ticket_by_key(db, "k3" * 32) is None


def test_last_unrated_ticket_of_a_counter(db: DbEngine) -> None:
    # GIVEN at loket-01: two done tickets (the later one rated), one called; one elsewhere
    add(db, ticket("d" * 30 + "01", status="done", counter="loket-01", finished_at=T0 + 100),
        ticket("d" * 30 + "02", status="done", counter="loket-01", finished_at=T0 + 200),
        ticket("d" * 30 + "03", status="called", counter="loket-01", called_at=T0 + 300),
        ticket("d" * 30 + "04", status="done", counter="loket-02", finished_at=T0 + 400),
        Feedback(ticket="d" * 30 + "02", at=T0 + 250, service="ktp", counter="loket-01",
                 scores="{}"))
    # THEN the newest done ticket without an answer, if it ended at or after `since`
    assert last_unrated_ticket(db, DAY, "loket-01", T0) == "d" * 30 + "01"
    assert last_unrated_ticket(db, DAY, "loket-01", T0 + 100) == "d" * 30 + "01"
    assert last_unrated_ticket(db, DAY, "loket-01", T0 + 101) is None
    assert last_unrated_ticket(db, DAY, "loket-02", T0) == "d" * 30 + "04"
    assert last_unrated_ticket(db, YESTERDAY, "loket-01", T0) is None
