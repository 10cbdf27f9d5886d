"""The engine's store on SQLite and on PostgreSQL: what is acknowledged is durable, a
restart reloads the same hall, and a failing write refuses the batch without losing it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine as DbEngine
from sqlalchemy import text

from queue_server.clock import ManualClock
from queue_server.engine import Engine
from queue_server.engine.core import Inbound
from queue_server.protocol.messages import dumps
from queue_server.store.db import make_engine
from queue_server.store.hall_store import HallStore
from tests.support.engine import Sink, run
from tests.support.site import local_ts, small_site


@pytest.fixture
def db(db_url: str) -> Iterator[DbEngine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def new_engine(db: DbEngine, clock: ManualClock) -> tuple[Engine, Sink]:
    sink = Sink()
    cfg = small_site("t-store")
    engine = Engine(cfg, HallStore(cfg, db), clock, sink)
    engine.open()
    return engine, sink


def test_hall_survives_restart(db):
    clock = ManualClock(local_ts("2026-11-30T09:00"))
    engine, sink = new_engine(db, clock)
    for i in range(3):
        run(engine, sink, "kiosk-01", "ticket.issue", f"i{i}", service="ktp")
    run(engine, sink, "kiosk-01", "ticket.issue", "p1", service="ktp", priority="elderly")
    run(engine, sink, "counter-01", "counter.open", "o1", counter="loket-01")
    called = run(engine, sink, "counter-01", "counter.call_next", "c1", counter="loket-01")
    assert called["result"]["ticket"]["number"] == "A-004"  # the elderly citizen first
    moved = run(engine, sink, "counter-01", "counter.transfer", "t1", counter="loket-01",
                service="akta")
    assert moved["ok"]
    run(engine, sink, "supervisor-01", "service.set_quota", "q1", service="kk", quota=9)
    before = (dict(engine.hall.waiting["ktp"]), engine.hall.seq, engine.hall.counters)

    # WHEN the engine restarts on the same database
    engine2, sink2 = new_engine(db, clock)
    hall = engine2.hall
    # THEN it has the same queues, counters, seq, settings and idempotency memory
    assert list(hall.waiting["ktp"]) == list(before[0])
    assert [t.label for t in hall.waiting["akta"].values()] == ["A-004"]
    assert hall.seq == before[1]
    assert hall.counters["loket-01"] == before[2]["loket-01"]
    assert hall.services["kk"].quota == 9
    assert hall.services["ktp"].priority_streak == 1
    again = run(engine2, sink2, "kiosk-01", "ticket.issue", "i0", service="ktp")
    assert again == sink.replies()[0]
    nxt = run(engine2, sink2, "kiosk-01", "ticket.issue", "i9", service="ktp")
    assert nxt["result"]["number"] == "A-005"
    # the event log holds every ticket event with a gap-free seq
    with db.connect() as conn:
        seqs = conn.execute(text("SELECT seq FROM events WHERE seq IS NOT NULL ORDER BY seq"))
        assert [r[0] for r in seqs] == list(range(1, hall.seq + 1))


def test_a_setting_written_twice_keeps_the_second_across_a_restart(db):
    """Settings are upserted through raw statements (repo._flush_settings): the second
    write must update the row, on SQLite and on PostgreSQL alike."""
    clock = ManualClock(local_ts("2026-11-30T09:00"))
    engine, sink = new_engine(db, clock)
    run(engine, sink, "supervisor-01", "message.broadcast", "m1", text="Selamat pagi")
    second = run(engine, sink, "supervisor-01", "message.broadcast", "m2",
                 text="Istirahat siang", text_en="Lunch break")
    assert second["ok"], second
    engine.close()
    engine2, _ = new_engine(db, clock)
    assert engine2.hall.message is not None
    assert engine2.hall.message["text"] == {"id": "Istirahat siang", "en": "Lunch break"}
    with db.connect() as conn:
        rows = conn.execute(text("SELECT count(*) FROM settings WHERE key = 'message'"))
        assert rows.scalar_one() == 1
    engine2.close()


def test_group_commit_of_many_commands(db):
    clock = ManualClock(local_ts("2026-11-30T09:00"))
    engine, sink = new_engine(db, clock)
    batch = [Inbound(f"kiosk-0{1 + i % 8}",
                     dumps({"id": f"g{i}", "op": "ticket.issue",
                            "args": {"service": ("ktp", "kk")[i % 2]}}))
             for i in range(300)]
    batch.append(batch[5])  # a retry inside the same batch
    engine.process(batch)
    replies = sink.replies()
    assert len(replies) == 301 and all(r["ok"] for r in replies)
    assert replies[-1] == replies[5]
    with db.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM tickets")).scalar_one()
        last = conn.execute(text(
            "SELECT last_number FROM service_days WHERE service = 'kk'")).scalar_one()
    assert (count, last) == (300, 150)


def test_failed_write_refuses_batch_and_loses_nothing(tmp_path):
    db = make_engine(f"sqlite:///{tmp_path / 'full.db'}")
    clock = ManualClock(local_ts("2026-11-30T09:00"))
    engine, sink = new_engine(db, clock)
    run(engine, sink, "kiosk-01", "ticket.issue", "a", service="ktp")
    # GIVEN a database that refuses writes (as a full disk would)
    with db.begin() as conn:
        conn.exec_driver_sql("CREATE TRIGGER full BEFORE INSERT ON tickets "
                             "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    reply = run(engine, sink, "kiosk-01", "ticket.issue", "b", service="ktp")
    # THEN the citizen is told to retry, with a stable code, and no number is consumed
    assert reply == {"re": "b", "ok": False,
                     "error": {"code": "storage_error",
                               "message": "the server could not save; try again"}}
    with db.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER full")
    retry = run(engine, sink, "kiosk-01", "ticket.issue", "b", service="ktp")
    assert retry["result"]["number"] == "A-002"
    db.dispose()


def test_command_ids_are_forgotten_after_the_idempotency_window(db):
    clock = ManualClock(local_ts("2026-11-30T09:00"))
    engine, sink = new_engine(db, clock)
    run(engine, sink, "kiosk-01", "ticket.issue", "old", service="ktp")
    clock.advance(24 * 3600)
    run(engine, sink, "kiosk-01", "ticket.issue", "recent", service="ktp")
    # WHEN the periodic work runs 49 hours after the first command
    clock.advance(25 * 3600)
    engine.tick()
    # THEN the old id is gone from memory and disk, the recent one is kept
    assert set(engine.hall.processed) == {("kiosk-01", "recent")}
    with db.connect() as conn:
        ids = conn.execute(text("SELECT cmd_id FROM processed")).scalars().all()
    assert ids == ["recent"]
    # AND a restart loads the same memory of recent ids
    engine.close()
    engine2, _ = new_engine(db, clock)
    assert set(engine2.hall.processed) == {("kiosk-01", "recent")}
    engine2.close()


def test_wal_is_folded_back_by_the_checkpointer_not_by_commits(tmp_path):
    from queue_server.store.db import Checkpointer

    path = tmp_path / "ck.db"
    db = make_engine(f"sqlite:///{path}")
    engine, sink = new_engine(db, ManualClock(local_ts("2026-11-30T09:00")))
    size_after_migration = path.stat().st_size
    for i in range(300):  # ~1000+ WAL pages: a default auto-checkpoint would have run
        run(engine, sink, "kiosk-01", "ticket.issue", f"w{i}", service="ktp")
    # THEN the commits left everything in the WAL (no checkpoint on the command path)
    assert path.stat().st_size == size_after_migration
    assert (tmp_path / "ck.db-wal").stat().st_size > 1_000_000
    # WHEN the checkpointer runs, the database file takes the pages in
    checkpointer = Checkpointer(db, interval_s=0.05)
    checkpointer.start()
    try:
        assert checkpointer.done.wait(5)
    finally:
        checkpointer.stop()
    assert path.stat().st_size > size_after_migration
    engine.close()
    db.dispose()


def test_a_call_writes_few_wal_pages(tmp_path):
    """The durable commit's cost grows with what it writes (docs/benchmarks.md): a call
    next that also completes the previous ticket stays within ten WAL pages."""
    path = tmp_path / "pages.db"
    db = make_engine(f"sqlite:///{path}")
    engine, sink = new_engine(db, ManualClock(local_ts("2026-11-30T09:00")))
    for i in range(200):
        run(engine, sink, "kiosk-01", "ticket.issue", f"p{i}", service="ktp")
    run(engine, sink, "counter-01", "counter.open", "open", counter="loket-01")
    run(engine, sink, "counter-01", "counter.call_next", "first", counter="loket-01")
    raw = sqlite3.connect(path)  # outside any transaction: a checkpoint needs that
    try:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = 24 + raw.execute("PRAGMA page_size").fetchone()[0]
    finally:
        raw.close()
    wal = tmp_path / "pages.db-wal"
    assert wal.stat().st_size == 0
    calls = 30
    for i in range(calls):
        reply = run(engine, sink, "counter-01", "counter.call_next", f"c{i}",
                    counter="loket-01")
        assert reply["result"]["completed"] is not None  # each call also completes one
    per_call = (wal.stat().st_size - 32) / page / calls  # 32: the WAL header
    assert 3 <= per_call <= 10, per_call
    engine.close()
    db.dispose()
