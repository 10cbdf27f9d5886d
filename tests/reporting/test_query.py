"""day_report's input checks (stable codes), the time-zone offsets it reads hours with,
and the empty report."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from queue_server.config import default_site_path, load_site
from queue_server.reporting import ReportError, day_report
from queue_server.reporting.sql import utc_offsets


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
