"""Clocks. `--start-at` runs the server on a clock that starts at a chosen local
time and advances in real time, so demos and tests do not depend on the hour."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo


class Clock:
    """Wall clock with an optional fixed offset and speed-up (demo days)."""

    def __init__(self, offset_s: float = 0.0, speed: float = 1.0) -> None:
        self._offset = offset_s
        self._speed = speed
        self._origin = time.time()

    def now(self) -> float:
        real = time.time()
        return self._origin + (real - self._origin) * self._speed + self._offset

    @property
    def offset_s(self) -> float:
        return self.now() - time.time()

    @staticmethod
    def reference_now() -> float:
        """What the devices' clocks are checked against: this box's own clock. A training
        clock's shift (`--start-at`) is no skew: devices add `clock_offset_s` themselves."""
        return time.time()

    @classmethod
    def starting_at(cls, local: str, tz: ZoneInfo, speed: float = 1.0) -> Clock:
        """A clock that reads `local` (YYYY-MM-DDTHH:MM in the site zone) now."""
        try:
            start = datetime.fromisoformat(local)
        except ValueError as err:
            raise ValueError(f"--start-at: '{local}' is not YYYY-MM-DDTHH:MM") from err
        if start.tzinfo is None:
            start = start.replace(tzinfo=tz)
        return cls(offset_s=start.timestamp() - time.time(), speed=speed)


class ManualClock(Clock):
    """A clock that moves only when told: for tests of midnight and opening hours."""

    def __init__(self, start: float) -> None:
        super().__init__()
        self._now = start

    def now(self) -> float:
        return self._now

    def set(self, ts: float) -> None:
        self._now = ts

    def advance(self, seconds: float) -> None:
        self._now += seconds
