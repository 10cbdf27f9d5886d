"""Privacy in the engine and its store (UU PDP 27/2022), on SQLite and PostgreSQL: codes
that carry a NIK are refused and kept nowhere, and the retention job of the periodic tick
deletes appointment details after privacy.retention_days (the manual clock stands in for
three months)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine as DbEngine
from sqlalchemy import text

from queue_server.clock import ManualClock
from queue_server.engine import Engine
from queue_server.store.db import migrate
from queue_server.store.hall_store import HallStore
from queue_server.store.privacy import privacy_key
from tests.support.engine import Sink, run
from tests.support.site import small_site

NIK = "3201012345670001"
DAY_S = 86400.0


@pytest.fixture
def engine(db: DbEngine, clock: ManualClock) -> Iterator[tuple[Engine, Sink]]:
    sink = Sink()
    cfg = small_site("t-privacy")
    engine = Engine(cfg, HallStore(cfg, db), clock, sink)
    engine.open()
    yield engine, sink
    engine.close()


def dump(db: DbEngine) -> str:
    """Every row of the tables a command writes, as text."""
    with db.connect() as conn:
        return repr([conn.execute(text(f"SELECT * FROM {table}")).all() for table in
                     ("tickets", "events", "processed", "appointments", "settings")])


def test_codes_carrying_a_nik_are_refused_and_kept_nowhere(engine, db) -> None:
    eng, sink = engine
    # WHEN a supervisor books with a NIK as code, and kiosks check in with one
    attempts = [
        run(eng, sink, "supervisor-01", "appointment.add", code=NIK, service="kk",
            slot="2026-11-30T10:00"),
        run(eng, sink, "supervisor-01", "appointment.add", code=f"BK-{NIK[:8]}-{NIK[8:]}",
            service="kk", slot="2026-11-30T10:00"),
        run(eng, sink, "kiosk-01", "appointment.checkin", code=NIK),
        run(eng, sink, "kiosk-01", "ticket.issue", service="kk", appointment=NIK),
    ]
    # THEN each is refused with personal_data, in words that do not repeat it
    assert [a["error"]["code"] for a in attempts] == ["personal_data"] * 4
    assert all(NIK[4:12] not in json.dumps(a) for a in attempts)
    # AND no row and nothing published holds it; a random code still books
    assert run(eng, sink, "supervisor-01", "appointment.add", code="JT-7F3K",
               service="kk", slot="2026-11-30T10:00")["ok"]
    assert NIK[4:12] not in dump(db)
    assert not [t for t, p, _r in sink.sent if NIK[4:12].encode() in p]


def test_retention_deletes_appointments_past_their_days(engine, db, clock) -> None:
    eng, sink = engine
    # GIVEN one appointment used today, one booked two months ahead
    run(eng, sink, "supervisor-01", "appointment.add", code="JT-OLD1", service="kk",
        slot="2026-11-30T09:15")
    run(eng, sink, "supervisor-01", "appointment.add", code="JT-NEW1", service="kk",
        slot="2027-01-29T09:15")
    ticket = run(eng, sink, "kiosk-01", "appointment.checkin", code="JT-OLD1")["result"]
    eng.tick()  # within the retention: nothing goes
    assert set(eng.hall.appointments) == {"JT-OLD1", "JT-NEW1"}
    # WHEN 91 days pass (retention_days = 90 by default) and the periodic tick runs
    clock.advance(91 * DAY_S)
    eng.tick()
    # THEN the old appointment is gone from the database and the hall, its ticket keeps
    # its slot but not the code; the future one stays
    with db.connect() as conn:
        codes = conn.execute(text("SELECT code FROM appointments")).scalars().all()
        row = conn.execute(text("SELECT appointment, slot_at FROM tickets WHERE id = :id"),
                           {"id": ticket["id"]}).one()
    assert codes == ["JT-NEW1"]
    assert row.appointment is None and row.slot_at is not None
    assert set(eng.hall.appointments) == {"JT-NEW1"}
    # AND the code may be booked again: the store knows the row is gone
    assert run(eng, sink, "supervisor-01", "appointment.add", code="JT-OLD1", service="kk",
               slot="2027-03-01T09:15")["ok"]
    with db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM appointments")).scalar() == 2


def test_the_sites_privacy_key_is_made_once(db) -> None:
    migrate(db)
    first = privacy_key(db)
    assert len(first) == 32 and privacy_key(db) == first
