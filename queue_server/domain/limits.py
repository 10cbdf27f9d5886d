"""Per-device rate limits: a token bucket per device. A kiosk may issue `burst` tickets at
once, then `per_min` a minute: a child at the screen, or a script with a kiosk's
credentials, cannot empty a service's daily quota or the paper roll. Pure: the caller
gives the time (the hall's clock)."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass
class Bucket:
    tokens: float
    at: float  # when `tokens` was last brought up to date
    refused: int = 0  # refusals since the last token it gave


class TokenBuckets:
    """One bucket per key (a device id). `burst` 0: no limit. A bucket that has filled up
    again is forgotten, so memory follows the devices refused lately, not all devices
    ever seen."""

    def __init__(self, burst: int, per_min: float) -> None:
        self.burst, self.rate_s = burst, per_min / 60.0
        self._buckets: dict[str, Bucket] = {}

    def _bucket(self, key: str, now: float) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = Bucket(float(self.burst), now)
        elif now > bucket.at:
            bucket.tokens = min(float(self.burst),
                                bucket.tokens + (now - bucket.at) * self.rate_s)
            bucket.at = now
        return bucket

    def take(self, key: str, now: float) -> int:
        """0 when `key` may go on (a token is taken); else the whole seconds to wait for
        the next token (at least 1)."""
        if self.burst <= 0:
            return 0
        bucket = self._bucket(key, now)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.refused = 0
            return 0
        bucket.refused += 1
        return max(1, math.ceil((1.0 - bucket.tokens) / self.rate_s))

    def refused(self, key: str) -> int:
        """Refusals in a row since `key` last got a token."""
        bucket = self._buckets.get(key)
        return bucket.refused if bucket is not None else 0

    def give_back(self, key: str) -> None:
        """Return a token taken for a command that then had no effect."""
        bucket = self._buckets.get(key)
        if bucket is not None:
            bucket.tokens = min(float(self.burst), bucket.tokens + 1.0)

    def forget_full(self, now: float) -> None:
        """Drop the buckets that have filled up again (housekeeping)."""
        for key in [k for k, b in self._buckets.items()
                    if b.tokens + (now - b.at) * self.rate_s >= self.burst]:
            del self._buckets[key]
