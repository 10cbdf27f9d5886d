"""The wire's times: ISO 8601 local time with its UTC offset, to the millisecond (the
engine writes them with domain.numbering.iso_local). Clients read them back here."""

from __future__ import annotations

from datetime import UTC, datetime


def epoch_of(text: object) -> float | None:
    """An ISO 8601 time of the wire as epoch seconds; None when absent or not a time."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None


def device_clock(epoch: float) -> str:
    """A device's own clock for its presence (`clock`): UTC, to the millisecond."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds")


def aware_epoch_of(text: object) -> float | None:
    """As epoch_of, but only for a time that names its offset: a device's clock without one
    says nothing about how far off it is."""
    if not isinstance(text, str) or not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when.timestamp() if when.tzinfo is not None else None
