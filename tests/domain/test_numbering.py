"""Ticket numbers and the site's local day (Makassar: Asia/Makassar, WITA, UTC+8)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from queue_server.domain.numbering import format_number, iso_local, local_datetime, local_day

MAKASSAR = ZoneInfo("Asia/Makassar")
JAKARTA = ZoneInfo("Asia/Jakarta")  # WIB, UTC+7


def _utc(text: str) -> float:
    """'2024-05-01 15:59:59' in UTC -> epoch seconds."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp()


@pytest.mark.parametrize(
    ("prefix", "n", "expected"),
    [
        pytest.param("A", 1, "A-001", id="first"),
        pytest.param("A", 12, "A-012", id="two-digits-padded"),
        pytest.param("A", 999, "A-999", id="last-three-digit"),
        pytest.param("A", 1000, "A-1000", id="grows-past-999"),
        pytest.param("B", 12345, "B-12345", id="five-digits"),
        pytest.param("KT", 7, "KT-007", id="two-letter-prefix"),
    ],
)
def test_format_number(prefix: str, n: int, expected: str) -> None:
    assert format_number(prefix, n) == expected


@pytest.mark.parametrize(
    ("utc", "tz", "expected"),
    [
        pytest.param("2024-05-01 15:59:59", MAKASSAR, "2024-05-01", id="2359-59-wita-same-day"),
        pytest.param("2024-05-01 16:00:00", MAKASSAR, "2024-05-02", id="midnight-wita-next-day"),
        pytest.param("2024-05-01 00:00:00", MAKASSAR, "2024-05-01", id="0800-wita"),
        pytest.param("2024-04-30 23:30:00", MAKASSAR, "2024-05-01", id="utc-yesterday"),
        pytest.param("2024-02-28 16:00:00", MAKASSAR, "2024-02-29", id="leap-day"),
        pytest.param("2024-12-31 16:00:00", MAKASSAR, "2025-01-01", id="new-year"),
        pytest.param("2024-05-01 16:00:00", JAKARTA, "2024-05-01", id="same-instant-wib"),
        pytest.param("2024-05-01 16:59:59", JAKARTA, "2024-05-01", id="2359-59-wib"),
        pytest.param("2024-05-01 17:00:00", JAKARTA, "2024-05-02", id="midnight-wib"),
    ],
)
def test_local_day_follows_the_site_time_zone(utc: str, tz: ZoneInfo, expected: str) -> None:
    assert local_day(_utc(utc), tz) == expected


@pytest.mark.parametrize(
    ("ts", "expected"),
    [
        pytest.param(_utc("2024-05-01 15:59:59"), "2024-05-01T23:59:59.000+08:00", id="wita"),
        pytest.param(_utc("2024-05-01 16:00:00"), "2024-05-02T00:00:00.000+08:00", id="midnight"),
        pytest.param(_utc("2024-05-01 01:02:03") + 0.25, "2024-05-01T09:02:03.250+08:00",
                     id="milliseconds"),
        pytest.param(None, None, id="none"),
    ],
)
def test_iso_local(ts: float | None, expected: str | None) -> None:
    assert iso_local(ts, MAKASSAR) == expected


def test_local_datetime_is_aware_in_the_site_zone() -> None:
    local = local_datetime(_utc("2024-05-01 16:00:00"), MAKASSAR)
    assert (local.date(), local.hour, local.utcoffset()) == (
        dt.date(2024, 5, 2), 0, dt.timedelta(hours=8)
    )
