"""Wait estimates from recent service times and open counters."""

from __future__ import annotations

import math
from collections.abc import Sequence


def mean_service_s(recent: Sequence[float], default_s: float) -> float:
    """Mean of recent service durations; the configured default before any data.
    Durations under 5 s are button slips, not service, so they are ignored."""
    real = [d for d in recent if d >= 5.0]
    if not real:
        return default_s
    return sum(real) / len(real)


def estimate_wait_s(ahead: int, service_s: float, open_counters: int) -> int:
    """Seconds until a citizen with `ahead` people before them is called.
    With no open counter yet we assume one will open, rather than saying 'never'."""
    if ahead <= 0:
        return 0
    counters = max(1, open_counters)
    return int(math.ceil(ahead / counters) * service_s)
