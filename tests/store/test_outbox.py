"""The outbox in the hall's database (issue 14): what the outside world is owed is written
in the transaction of the change that made it, numbered per stream without a gap, on
SQLite and on PostgreSQL; a commit that fails leaves neither the change nor its record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine as DbEngine
from sqlalchemy import text

from queue_server.clock import ManualClock
from queue_server.config import SiteConfig
from queue_server.domain.outbox import Entry
from queue_server.engine import Engine
from queue_server.protocol.ops import IKM_ELEMENTS
from queue_server.protocol.upload import batch_body, parse_batch
from queue_server.store import outbox
from queue_server.store.db import make_engine
from tests.support.engine import Sink, open_engine, run
from tests.support.site import local_ts, small_site

MONDAY_9 = local_ts("2026-11-30T09:00")


@pytest.fixture
def db(db_url: str) -> Iterator[DbEngine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def hall(db: DbEngine) -> Iterator[tuple[Engine, Sink, ManualClock]]:
    clock = ManualClock(MONDAY_9)
    engine, sink = open_engine(small_site("t-outbox"), db, clock)
    yield engine, sink, clock
    engine.close()


def records(db: DbEngine, stream: str) -> list[dict[str, Any]]:
    with db.connect() as conn:
        rows = conn.execute(text("SELECT seq, body FROM outbox WHERE stream = :s ORDER BY seq"),
                            {"s": stream}).all()
    found = [json.loads(body) for _seq, body in rows]
    assert [r["seq"] for r in found] == [seq for seq, _ in rows]
    return found


def serve(engine: Engine, sink: Sink, clock: ManualClock, action: str) -> str:
    """Issue a ticket, call it at loket-01 and end it with `action`; its number."""
    number = run(engine, sink, "kiosk-01", "ticket.issue", service="ktp")["result"]["number"]
    clock.advance(60)
    run(engine, sink, "counter-01", "counter.call_next", counter="loket-01")
    clock.advance(120)
    args: dict[str, Any] = {"counter": "loket-01"}
    if action == "counter.transfer":
        args["service"] = "kk"
    reply = run(engine, sink, "counter-01", action, **args)
    assert reply["ok"], reply
    return str(number)


def test_each_ticket_that_ends_is_one_service_record(hall, db):
    engine, sink, clock = hall
    run(engine, sink, "supervisor-01", "counter.open", counter="loket-01", officer="petugas-01")
    # GIVEN tickets completed, not shown up, and transferred
    done = serve(engine, sink, clock, "counter.complete")
    gone = serve(engine, sink, clock, "counter.no_show")
    moved = serve(engine, sink, clock, "counter.transfer")
    # THEN the tickets stream holds one record per ended ticket, numbered 1, 2, 3
    found = records(db, "tickets")
    assert [(r["seq"], r["data"]["number"], r["data"]["outcome"]) for r in found] == [
        (1, done, "completed"), (2, gone, "no_show"), (3, moved, "transferred")]
    first = found[0]
    assert first["key"] == "t-outbox:tickets:1" and first["type"] == "ticket.ended"
    assert first["data"]["wait_s"] == 60 and first["data"]["service_s"] == 120
    assert first["data"]["officer"] == "petugas-01" and first["data"]["counter"] == "loket-01"
    assert first["at"].endswith("+08:00")  # the site's time, with its offset
    # AND nothing the ticket's page is opened by, and no booking code, leaves the hall
    assert "key_digest" not in first["data"] and first["data"]["booked"] is False
    # AND the transferred copy ends later as a record of its own, naming where it came from
    clock.advance(30)
    run(engine, sink, "counter-01", "counter.call_next", counter="loket-01")
    run(engine, sink, "counter-01", "counter.complete", counter="loket-01")
    copy = records(db, "tickets")[3]["data"]
    assert copy["service"] == "kk" and copy["transferred_from"] == found[2]["data"]["ticket"]
    # AND the records make a batch the upload format accepts
    batch = parse_batch(batch_body("t-outbox", "tickets", [json.dumps(r) for r in found]))
    assert batch.last == 3


def test_a_ticket_issued_and_ended_in_one_batch_is_recorded_once(hall, db):
    from tests.support.engine import command

    engine, sink, _clock = hall
    run(engine, sink, "counter-01", "counter.open", counter="loket-01")
    # WHEN one batch issues, calls and completes a ticket (one transaction)
    engine.process([command("kiosk-01", "i1", "ticket.issue", service="ktp"),
                    command("counter-01", "c1", "counter.call_next", counter="loket-01"),
                    command("counter-01", "d1", "counter.complete", counter="loket-01")])
    # THEN its one record is there, and a repeat of the batch adds nothing
    engine.process([command("counter-01", "d1", "counter.complete", counter="loket-01")])
    assert [r["data"]["outcome"] for r in records(db, "tickets")] == ["completed"]


def test_survey_answers_and_incidents_have_their_own_streams(hall, db):
    engine, sink, clock = hall
    run(engine, sink, "counter-01", "counter.open", counter="loket-01")
    serve(engine, sink, clock, "counter.complete")
    ticket = records(db, "tickets")[0]["data"]["ticket"]
    scores = dict.fromkeys(IKM_ELEMENTS, 4)
    assert run(engine, sink, "counter-01", "feedback.submit", ticket=ticket, scores=scores)["ok"]
    engine.record([Entry("incidents", "device.offline", clock.now(),
                         {"device": "kiosk-02", "role": "kiosk"})])
    [answer] = records(db, "surveys")
    assert answer["type"] == "survey.answered" and answer["data"]["scores"] == scores
    assert answer["data"]["ticket"] == ticket and answer["seq"] == 1
    [incident] = records(db, "incidents")
    assert (incident["type"], incident["seq"]) == ("device.offline", 1)


def _refuse_outbox(db: DbEngine) -> None:
    """The database refuses every outbox record, as a full disk would refuse a write."""
    with db.begin() as conn:
        if db.dialect.name == "sqlite":
            conn.execute(text("CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox "
                              "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"))
            return
        conn.execute(text("""
            CREATE FUNCTION refuse_outbox() RETURNS trigger AS $$ BEGIN
              RAISE EXCEPTION 'refused by the test';
            END $$ LANGUAGE plpgsql"""))
        conn.execute(text("CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox "
                          "FOR EACH ROW EXECUTE FUNCTION refuse_outbox()"))


def test_a_commit_that_fails_leaves_neither_the_change_nor_its_record(hall, db):
    engine, sink, _clock = hall
    run(engine, sink, "counter-01", "counter.open", counter="loket-01")
    run(engine, sink, "kiosk-01", "ticket.issue", service="ktp")
    run(engine, sink, "counter-01", "counter.call_next", counter="loket-01")
    # GIVEN a database that refuses the outbox's insert
    _refuse_outbox(db)
    # WHEN the officer completes the ticket
    reply = run(engine, sink, "counter-01", "counter.complete", counter="loket-01")
    # THEN the command fails, and the ticket's completion is not in the database either
    assert reply["error"]["code"] == "storage_error"
    with db.connect() as conn:
        assert conn.execute(text("SELECT status FROM tickets")).scalar() == "called"
        assert conn.execute(text("SELECT count(*) FROM outbox")).scalar() == 0
    # AND once the database takes it again, the completion and its record go in together
    with db.begin() as conn:
        conn.execute(text("DROP TRIGGER refuse_outbox" + (
            " ON outbox" if db.dialect.name == "postgresql" else "")))
    assert run(engine, sink, "counter-01", "counter.complete", counter="loket-01")["ok"]
    assert [r["seq"] for r in records(db, "tickets")] == [1]


def test_each_closed_day_sends_its_figures_once(hall, db):
    engine, sink, clock = hall
    # GIVEN a first day of the outbox (its first tick closes nothing from before it)
    engine.tick()
    run(engine, sink, "counter-01", "counter.open", counter="loket-01")
    serve(engine, sink, clock, "counter.complete")
    serve(engine, sink, clock, "counter.no_show")
    run(engine, sink, "kiosk-01", "ticket.issue", service="kk")  # still waiting at midnight
    assert records(db, "days") == []
    # WHEN midnight passes and the server ticks
    clock.set(local_ts("2026-12-01T07:00"))
    engine.tick()
    # THEN Monday's figures went out once, the retired ticket counted as cancelled
    [day] = records(db, "days")
    assert day["type"] == "day.closed" and day["data"]["day"] == "2026-11-30"
    site = day["data"]["site"]
    assert (site["issued"], site["served"], site["no_shows"], site["cancelled"]) == (3, 1, 1, 1)
    assert day["data"]["services"]["ktp"]["wait_avg_s"] == 60.0
    assert [r["data"]["outcome"] for r in records(db, "tickets")][-1] == "cancelled"
    # AND neither another tick nor a restart sends them again
    engine.tick()
    engine.close()
    again, _sink = open_engine(small_site("t-outbox"), db, clock)
    again.tick()
    assert len(records(db, "days")) == 1
    # AND the restarted hall numbers on from where it was
    run(again, _sink, "counter-01", "counter.open", counter="loket-01")
    run(again, _sink, "kiosk-01", "ticket.issue", service="ktp")
    run(again, _sink, "counter-01", "counter.call_next", counter="loket-01")
    run(again, _sink, "counter-01", "counter.complete", counter="loket-01")
    assert [r["seq"] for r in records(db, "tickets")] == [1, 2, 3, 4]
    again.close()


def test_delivered_records_are_pruned_after_keeping_and_never_before(db):
    from tests.support.site import small_site_data

    data = small_site_data("t-outbox")
    data["central"] = {"url": "https://127.0.0.1:9", "token_file": "unused.token"}
    clock = ManualClock(MONDAY_9)
    engine, sink = open_engine(SiteConfig.model_validate({**data, "source": "test"}), db,
                               clock)
    run(engine, sink, "counter-01", "counter.open", counter="loket-01")
    for _ in range(3):
        serve(engine, sink, clock, "counter.complete")
    # GIVEN two of three records delivered
    outbox.mark_delivered(db, "tickets", 2, clock.now())
    state = outbox.states(db)["tickets"]
    assert (state.head, state.delivered, state.backlog) == (3, 2, 1)
    assert state.oldest_at is not None
    # WHEN housekeeping runs within the keeping time, then eight days later
    engine.tick()
    assert len(records(db, "tickets")) == 3
    clock.advance(8 * 86400)
    engine.tick()
    # THEN only the delivered ones went; the one waiting stays
    assert [r["seq"] for r in records(db, "tickets")] == [3]
    assert outbox.states(db)["tickets"].backlog == 1
    engine.close()


def test_a_hall_without_a_central_keeps_its_records_a_week_then_lets_them_go(hall, db):
    engine, sink, clock = hall
    run(engine, sink, "counter-01", "counter.open", counter="loket-01")
    serve(engine, sink, clock, "counter.complete")
    serve(engine, sink, clock, "counter.complete")
    # GIVEN two records nobody will fetch (the site names no central)
    clock.advance(6 * 86400)
    engine.tick()
    assert outbox.states(db)["tickets"].backlog == 2
    # WHEN they are older than keep_delivered_days (7)
    clock.advance(2 * 86400)
    engine.tick()
    # THEN they are gone, and nothing is counted as waiting for them
    assert records(db, "tickets") == []
    state = outbox.states(db)["tickets"]
    assert (state.head, state.delivered, state.backlog) == (2, 2, 0)
    # AND the next record numbers on
    serve(engine, sink, clock, "counter.complete")
    assert [r["seq"] for r in records(db, "tickets")] == [3]


def test_a_voided_ticket_and_a_returned_no_show_have_their_records(hall, db):
    engine, sink, clock = hall
    run(engine, sink, "supervisor-01", "counter.open", counter="loket-01", officer="petugas-01")
    # GIVEN a ticket a supervisor voids while it waits
    lost = run(engine, sink, "kiosk-01", "ticket.issue", service="ktp")["result"]["number"]
    assert run(engine, sink, "supervisor-01", "ticket.void", ticket=lost)["ok"]
    # AND a no-show who comes back within the grace and is then served
    back = serve(engine, sink, clock, "counter.no_show")
    clock.advance(60)
    assert run(engine, sink, "counter-01", "counter.return", counter="loket-01",
               ticket=back)["ok"]
    run(engine, sink, "counter-01", "counter.call_next", counter="loket-01")
    assert run(engine, sink, "counter-01", "counter.complete", counter="loket-01")["ok"]
    # THEN the voided one is recorded as voided, the returned one twice: no-show, then served
    found = [(r["data"]["number"], r["data"]["outcome"]) for r in records(db, "tickets")]
    assert found == [(lost, "voided"), (back, "no_show"), (back, "completed")]
