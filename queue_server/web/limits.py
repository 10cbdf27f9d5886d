"""A rate limit per address on the citizens' pages (/t/, /f/): a token bucket of
policy.public_requests_per_min, refilled evenly; the 429 answer says when to come back
(Retry-After, and in the page in both languages). The key of a ticket's page has 128
random bits, so guessing is hopeless anyway: this keeps one phone or script from
flooding the hall's server. Addresses are the connection's own (no X-Forwarded-For: a
header anyone can write would make every request a new address)."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from fastapi import Request

ADDRESSES_KEPT = 4096  # the least recently seen address goes first beyond this


class TooMany(Exception):
    """Answered 429 with Retry-After (app.py)."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(retry_after_s)
        self.retry_after_s = retry_after_s


class PublicLimit:
    """`per_min` requests a minute per address, in bursts of at most `per_min`."""

    def __init__(self, per_min: int, now: Callable[[], float] = time.monotonic) -> None:
        self.per_min, self.now = per_min, now
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, at
        self._lock = threading.Lock()  # routes run on a thread pool

    def take(self, address: str) -> float:
        """Take one request's token: 0.0 when allowed, else the seconds until allowed."""
        rate = self.per_min / 60.0
        with self._lock:
            now = self.now()
            tokens, at = self._buckets.pop(address, (float(self.per_min), now))
            tokens = min(float(self.per_min), tokens + (now - at) * rate)
            wait = 0.0 if tokens >= 1.0 else (1.0 - tokens) / rate
            self._buckets[address] = (tokens - 1.0 if wait == 0.0 else tokens, now)
            while len(self._buckets) > ADDRESSES_KEPT:
                self._buckets.popitem(last=False)
        return wait


def public_limited(request: Request) -> None:
    """Dependency of every citizen route: raises TooMany past the address's limit."""
    limit: PublicLimit = request.app.state.public_limit
    wait = limit.take(request.client.host if request.client else "")
    if wait > 0:
        raise TooMany(max(1, math.ceil(wait)))
