"""Plain statistics: nearest-rank percentiles over a sorted list, in milliseconds, and
figures rounded to significant digits."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of an already sorted, non-empty sequence."""
    if not sorted_values:
        raise ValueError("percentile of an empty sequence")
    rank = max(1, math.ceil(p / 100.0 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def significant(value: float, digits: int = 3) -> float:
    """`value` to `digits` significant figures (0.000123456 -> 0.000123, 1234.5 -> 1230.0
    with 3): unlike round(value, n), a small figure keeps its digits and never becomes
    0.0 on a fast machine. 0, inf and nan come back as they are."""
    if digits < 1:
        raise ValueError(f"digits must be at least 1, not {digits}")
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def ratio(a: float | None, b: float | None) -> float | None:
    """a / b to two decimals; None when either is missing or b is zero."""
    return None if a is None or not b else round(a / b, 2)


def summary_ms(samples_ns: Sequence[int]) -> dict[str, Any]:
    """count, p50, p99, max, mean of durations given in ns, reported in ms (3 decimals)."""
    values = sorted(samples_ns)
    if not values:
        return {"n": 0, "p50": None, "p99": None, "max": None, "mean": None}
    return {
        "n": len(values),
        "p50": round(percentile(values, 50) / 1e6, 3),
        "p99": round(percentile(values, 99) / 1e6, 3),
        "max": round(values[-1] / 1e6, 3),
        "mean": round(sum(values) / len(values) / 1e6, 3),
    }


def numbering_check(numbers_by_service: dict[str, list[int]]) -> dict[str, Any]:
    """Ticket numbers per service must be unique and contiguous from 1 (fresh day)."""
    duplicates = gaps = 0
    per_service: dict[str, dict[str, int]] = {}
    for service, numbers in sorted(numbers_by_service.items()):
        distinct = set(numbers)
        dup = len(numbers) - len(distinct)
        top = max(distinct) if distinct else 0
        gap = top - len(distinct)  # numbers in 1..top that nobody holds
        per_service[service] = {"tickets": len(numbers), "max": top, "duplicates": dup,
                                "gaps": gap}
        duplicates += dup
        gaps += gap
    return {"duplicates": duplicates, "gaps": gaps, "per_service": per_service}
