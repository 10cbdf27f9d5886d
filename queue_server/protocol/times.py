"""The wire's times: ISO 8601 local time with its UTC offset, to the millisecond (the
engine writes them with domain.numbering.iso_local). Clients read them back here."""

from __future__ import annotations

from datetime import datetime


def epoch_of(text: object) -> float | None:
    """An ISO 8601 time of the wire as epoch seconds; None when absent or not a time."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None
