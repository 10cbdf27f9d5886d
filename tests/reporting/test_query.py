"""day_report's input checks (stable codes), the time-zone offsets it reads hours with,
and the empty report."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text

from queue_server.config import default_site_path, load_site
from queue_server.reporting import ReportError, day_report
from queue_server.reporting.sql import utc_offsets
from queue_server.store.db import make_engine, migrate
from tests.reporting.data import insert_rows, ticket_row
from tests.support.site import local_ts, small_site


@pytest.mark.parametrize(("first", "last", "code"), [
    ("2026-13-01", "2026-13-01", "bad_day"),
    ("2026-1-5", "2026-01-05", "bad_day"),
    ("yesterday", "2026-01-05", "bad_day"),
    ("2026-01-05", "2026-01-05T10:00", "bad_day"),
    ("2026-01-06", "2026-01-05", "bad_range"),
    ("2020-01-01", "2026-01-05", "bad_range"),  # more than three years
])
def test_bad_ranges_have_stable_codes(first: str, last: str, code: str) -> None:
    cfg = load_site(default_site_path())
    with pytest.raises(ReportError) as err:
        day_report(None, cfg, first, last)  # type: ignore[arg-type]  # refused before any query
    assert err.value.code == code
    assert isinstance(err.value, ValueError)


def test_empty_report(db: Engine) -> None:
    cfg = load_site(default_site_path())
    doc = day_report(db, cfg, "2026-01-05", "2026-01-05")
    site = doc["levels"]["site"][0]
    assert (site["key"], site["issued"], site["wait_p90_s"], site["busiest_hour"]) == (
        cfg.site.id, 0, None, None)
    assert site["arrivals_by_hour"] == [0] * 24
    assert site["ikm"] is None
    assert [doc["levels"][lv] for lv in ("agency", "service", "counter", "officer")] == [
        [], [], [], []]
    assert (doc["days"], doc["ikm_weight"]) == (1, "1/9")


def test_utc_offsets_find_transitions_to_the_second() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 1, 1, tzinfo=berlin).timestamp()
    end = datetime(2027, 1, 1, tzinfo=berlin).timestamp()
    spring = datetime(2026, 3, 29, 1, 0, tzinfo=ZoneInfo("UTC")).timestamp()
    autumn = datetime(2026, 10, 25, 1, 0, tzinfo=ZoneInfo("UTC")).timestamp()
    assert utc_offsets(berlin, start, end) == [(None, 3600), (spring, 7200), (autumn, 3600)]
    assert utc_offsets(ZoneInfo("Asia/Makassar"), start, end) == [(None, 8 * 3600)]


def test_report_reads_while_the_server_holds_the_write_lock(tmp_path: Path) -> None:
    """The store begins transactions with BEGIN IMMEDIATE; a report must not: it reads a
    WAL snapshot while a writer holds the lock (and so never holds the lock itself)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.db'}")
    try:
        migrate(engine)
        insert_rows(engine, [ticket_row(1, "2026-01-05", "ktp", local_ts("2026-01-05T09:00"))])
        cfg = small_site("t-busy")
        with engine.begin() as writer:  # BEGIN IMMEDIATE: the server mid-command
            writer.execute(text("UPDATE tickets SET recalls = 1"))
            doc = day_report(engine, cfg, "2026-01-05", "2026-01-05")
            assert doc["levels"]["site"][0]["issued"] == 1
            # and the writer can still commit afterwards: the report left no lock behind
        with engine.begin() as writer:
            writer.execute(text("UPDATE tickets SET recalls = 2"))
    finally:
        engine.dispose()
