"""One bad command fails only itself, on SQLite and on PostgreSQL. The engine commits a
batch of commands in one transaction: a value the database refuses must not take the rest
of the batch down with it. First line: the argument checks refuse what a column cannot
hold; second line: a batch that still fails is tried again command by command."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine as DbEngine
from sqlalchemy import text

from queue_server.clock import ManualClock
from queue_server.config import SiteConfig
from queue_server.engine import Engine
from queue_server.engine.core import Inbound
from queue_server.protocol.messages import dumps
from queue_server.store.db import make_engine
from tests.support.engine import Sink, command, open_engine
from tests.support.site import local_ts, small_site


@pytest.fixture
def db(db_url: str) -> Iterator[DbEngine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def opened(db: DbEngine) -> Iterator[Callable[..., tuple[Engine, Sink]]]:
    """`opened(cfg, clock)`: an engine on `db`, closed at teardown whatever happens."""
    made: list[Engine] = []

    def make(cfg: SiteConfig, clock: ManualClock) -> tuple[Engine, Sink]:
        engine, sink = open_engine(cfg, db, clock)
        made.append(engine)
        return engine, sink

    yield make
    for engine in made:
        engine.close()

def _tickets(db: DbEngine) -> list[str]:
    with db.connect() as conn:
        rows = conn.execute(text("SELECT service, number FROM tickets ORDER BY service, number"))
        return [f"{service}-{number}" for service, number in rows]


def test_values_no_column_can_hold_fail_only_their_own_command(db, opened):
    engine, sink = opened(small_site("t-batch"), ManualClock(local_ts("2026-11-30T09:00")))
    # GIVEN one batch of good commands from three kiosks, and hostile ones between them:
    # NUL in a command id, an appointment code and a running text (PostgreSQL refuses NUL
    # in text), an officer code longer than the officer columns
    batch = [
        command("kiosk-01", "a1", "ticket.issue", service="ktp"),
        Inbound("kiosk-02", dumps({"id": "nul\x00id", "op": "ticket.issue",
                                   "args": {"service": "ktp"}})),
        command("kiosk-03", "a3", "ticket.issue", service="ktp"),
        command("counter-01", "o1", "counter.open", counter="loket-01", officer="o" * 40),
        command("supervisor-01", "m1", "message.broadcast", text="Selamat\x00pagi"),
        command("kiosk-04", "a4", "appointment.checkin", code="APT\x00-1"),
        command("kiosk-05", "a5", "ticket.issue", service="kk"),
    ]
    # WHEN the engine takes them as one batch
    engine.process(batch)
    replies = sink.replies_by_id()
    # THEN the good ones went through untouched, numbered in order
    assert [replies[i]["result"]["number"] for i in ("a1", "a3", "a5")] == [
        "A-001", "A-002", "B-001"]
    # AND each hostile one got bad_request, the one whose id could not be read with re null
    for cmd_id in ("None", "o1", "m1", "a4"):
        assert replies[cmd_id]["error"]["code"] == "bad_request", replies[cmd_id]
    # AND the database holds the three tickets
    assert _tickets(db) == ["kk-1", "ktp-1", "ktp-2"]


def _refuse_poison(db: DbEngine) -> None:
    """Make the database itself refuse two command ids, as it would refuse a value our
    checks did not foresee: 'poison-data' as a data error (PostgreSQL's 22001, value too
    long), 'poison' as any other error."""
    with db.begin() as conn:
        if db.dialect.name == "sqlite":
            conn.execute(text(
                "CREATE TRIGGER refuse_poison BEFORE INSERT ON processed "
                "WHEN NEW.cmd_id LIKE 'poison%' "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"))
            return
        conn.execute(text("""
            CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN
              IF NEW.cmd_id = 'poison-data' THEN
                RAISE EXCEPTION 'refused by the test' USING ERRCODE = '22001';
              ELSIF NEW.cmd_id = 'poison' THEN
                RAISE EXCEPTION 'refused by the test';
              END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql"""))
        conn.execute(text("CREATE TRIGGER refuse_poison BEFORE INSERT ON processed "
                          "FOR EACH ROW EXECUTE FUNCTION refuse_poison()"))


def test_a_batch_the_database_refuses_is_retried_command_by_command(db, opened):
    engine, sink = opened(small_site("t-batch"), ManualClock(local_ts("2026-11-30T09:00")))
    _refuse_poison(db)
    # GIVEN a batch where the database refuses two commands' writes
    batch = [command("kiosk-01", "a1", "ticket.issue", service="ktp"),
             command("kiosk-02", "poison", "ticket.issue", service="ktp"),
             command("kiosk-03", "a3", "ticket.issue", service="ktp"),
             command("kiosk-04", "poison-data", "ticket.issue", service="ktp"),
             command("counter-01", "o1", "counter.open", counter="loket-01")]
    engine.process(batch)
    replies = sink.replies_by_id()
    # THEN the others went through, numbered without a gap (the failed batch left nothing)
    assert replies["a1"]["result"]["number"] == "A-001"
    assert replies["a3"]["result"]["number"] == "A-002"
    assert replies["o1"]["result"]["status"] == "open"
    assert _tickets(db) == ["ktp-1", "ktp-2"]
    # AND only the guilty ones were refused: a refused value is the command's fault
    # (bad_request), anything else the database's (storage_error, try again)
    assert replies["poison"]["error"]["code"] == "storage_error"
    pg = db.dialect.name == "postgresql"
    assert replies["poison-data"]["error"]["code"] == ("bad_request" if pg else "storage_error")
    # AND the events went out once each, with a gap-free seq
    events = [p for t, p, _r in sink.sent if t.endswith("/event/ticket")]
    assert [e.count(b'"seq":') for e in events] == [1, 1]
    # AND the hall in memory is the database's: the next ticket follows on
    engine.process([command("kiosk-05", "a5", "ticket.issue", service="ktp")])
    assert sink.replies_by_id()["a5"]["result"]["number"] == "A-003"
    # AND the figures (/metrics) count the three failed commits and each refusal by code
    assert engine.metrics.storage_errors == 3  # the batch, then the two guilty alone
    assert engine.metrics.commands[("ticket.issue", "storage_error")] == (1 if pg else 2)
    assert engine.metrics.commands[("ticket.issue", "ok")] == 3


def test_a_refused_batch_gives_back_its_issuing_tokens(db, opened, unique_site):
    from tests.support.site import small_site_data

    data = small_site_data(unique_site)
    data["policy"]["issue_burst"] = 2
    cfg = small_site(unique_site).model_validate({**data, "source": "test"})
    engine, sink = opened(cfg, ManualClock(local_ts("2026-11-30T09:00")))
    _refuse_poison(db)
    # GIVEN a kiosk with two tokens, whose first batch the database refuses
    engine.process([command("kiosk-01", "poison", "ticket.issue", service="ktp"),
                    command("kiosk-02", "x", "ticket.issue", service="ktp")])
    assert sink.replies_by_id()["poison"]["error"]["code"] == "storage_error"
    # THEN the refused command cost it nothing: two tickets still come
    engine.process([command("kiosk-01", "b1", "ticket.issue", service="ktp")])
    engine.process([command("kiosk-01", "b2", "ticket.issue", service="ktp")])
    assert [sink.replies_by_id()[i]["ok"] for i in ("b1", "b2")] == [True, True]
    engine.process([command("kiosk-01", "b3", "ticket.issue", service="ktp")])
    assert sink.replies_by_id()["b3"]["error"]["code"] == "rate_limited"
