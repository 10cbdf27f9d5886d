"""HallStore on its own: the hall it loads is the one it committed, an ended day's tickets
leave the hall but not the database, and a refused commit raises StoreError and drops the
writer connection."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine as DbEngine
from sqlalchemy import text

from queue_server.domain.day import roll_over
from queue_server.domain.hall import Hall
from queue_server.engine.ops import HANDLERS, Ctx
from queue_server.store.db import StoreError, make_engine
from queue_server.store.hall_store import HallStore
from tests.support.site import local_ts, small_site

MONDAY = "2026-11-30"
MONDAY_9 = local_ts(f"{MONDAY}T09:00")


@pytest.fixture
def db(db_url: str) -> Iterator[DbEngine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def opened(db: DbEngine) -> tuple[HallStore, Hall]:
    store = HallStore(small_site("t-hallstore"), db)
    store.migrate()
    return store, store.load(MONDAY_9)


def issue(store: HallStore, hall: Hall, service: str = "ktp") -> None:
    ctx = Ctx(now=MONDAY_9, day=MONDAY, device="kiosk-01")
    HANDLERS["ticket.issue"](hall, ctx, {"service": service})
    store.commit(hall.take_changes())


def test_a_reload_gives_the_committed_hall(db: DbEngine) -> None:
    # GIVEN two tickets committed through the store
    store, hall = opened(db)
    issue(store, hall)
    issue(store, hall)
    assert store.writer is not None and not store.writer.closed
    store.close()
    # WHEN a new store loads the hall
    _, again = opened(db)
    # THEN it holds the same queue and numbering
    assert [t.label for t in again.waiting["ktp"].values()] == ["A-001", "A-002"]
    assert again.days[("ktp", MONDAY)].last_number == 2
    assert again.seq == hall.seq == 2


def test_an_ended_day_leaves_the_hall_and_stays_in_the_database(db: DbEngine) -> None:
    # GIVEN a ticket left waiting on Monday
    store, hall = opened(db)
    issue(store, hall)
    tuesday = MONDAY_9 + 24 * 3600
    # WHEN the day rolls over twice (retired, then forgotten once written)
    assert roll_over(hall, tuesday, "2026-12-01") == 1
    store.commit(hall.take_changes())
    assert roll_over(hall, tuesday, "2026-12-01") == 1
    store.commit(hall.take_changes())
    # THEN the hall has no ticket, the database keeps it as cancelled
    assert not hall.tickets and not hall.waiting["ktp"]
    with db.connect() as conn:
        rows = conn.execute(text("SELECT number, status FROM tickets")).all()
    assert [tuple(r) for r in rows] == [(1, "cancelled")]


def test_a_refused_commit_raises_store_error_and_drops_the_writer(tmp_path) -> None:
    db = make_engine(f"sqlite:///{tmp_path / 'full.db'}")
    try:
        store, hall = opened(db)
        issue(store, hall)
        # GIVEN a database that refuses writes (as a full disk would)
        with db.begin() as conn:
            conn.exec_driver_sql("CREATE TRIGGER full BEFORE INSERT ON tickets "
                                 "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
        # WHEN a batch is committed, THEN StoreError, and the writer is closed
        with pytest.raises(StoreError, match="disk is full"):
            issue(store, hall)
        assert store.writer is None
        # AND a reload has only what was committed
        reloaded = store.load(MONDAY_9)
        assert [t.label for t in reloaded.waiting["ktp"].values()] == ["A-001"]
    finally:
        db.dispose()
