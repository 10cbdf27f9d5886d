"""Ticket numbers: per service per local day, prefix letter plus three digits."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo


def format_number(prefix: str, n: int) -> str:
    """A-001; past 999 the number just grows (A-1000) rather than wrapping."""
    return f"{prefix}-{n:03d}"


def local_day(ts: float, tz: ZoneInfo) -> str:
    """The site's calendar day for an epoch time, as YYYY-MM-DD."""
    return datetime.fromtimestamp(ts, tz).date().isoformat()


def local_datetime(ts: float, tz: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(ts, tz)


def iso_local(ts: float | None, tz: ZoneInfo) -> str | None:
    if ts is None:
        return None
    return _iso(ts, tz)


@lru_cache(maxsize=4096)  # the same few instants are formatted many times per command
def _iso(ts: float, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(ts, tz).isoformat(timespec="milliseconds")
