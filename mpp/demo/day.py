"""The simulated day, as pure functions: which date to play, when counters open and pause,
how many citizens each service gets and when they arrive. No I/O, no threads."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import Counter as Tally
from dataclasses import dataclass, replace

from queue_server.config import Schedule, SiteConfig

Minutes = float  # minutes since local midnight
Span = tuple[Minutes, Minutes]

# Relative arrival intensity over the day (minute of day, weight), linear in between, zero
# outside: a few early birds before the doors open, the peak from 08:30 to 11:00, a lull at
# lunch, a smaller afternoon wave and almost nobody in the last hour.
DAY_SHAPE: tuple[tuple[Minutes, float], ...] = (
    (7 * 60 + 30, 0.0), (8 * 60, 0.7), (8 * 60 + 30, 1.5), (11 * 60, 1.5),
    (11 * 60 + 45, 1.2), (12 * 60 + 15, 0.6), (13 * 60, 1.1), (14 * 60, 1.0),
    (15 * 60, 0.7), (16 * 60, 0.2), (16 * 60 + 30, 0.0),
)
_SHAPE_X = [x for x, _ in DAY_SHAPE]

# Arrivals while a service is closed (before opening, at lunch) are refused by the kiosk;
# this many of them come anyway, relative to the open-hours intensity.
CLOSED_FACTOR = 0.05
DEFAULT_LOAD = 0.85  # daily demand as a share of the counters' capacity
# Per citizen besides the service itself: calling, walking up, the officer's short pauses.
OVERHEAD_MIN = 1.2
ROTATING_BREAK_MIN = 30.0


def day_shape(minute: Minutes) -> float:
    """Arrival intensity weight at a minute of the day (piecewise linear DAY_SHAPE)."""
    if minute <= _SHAPE_X[0] or minute >= _SHAPE_X[-1]:
        return 0.0
    i = bisect.bisect_right(_SHAPE_X, minute)
    (x0, y0), (x1, y1) = DAY_SHAPE[i - 1], DAY_SHAPE[i]
    return y0 + (y1 - y0) * (minute - x0) / (x1 - x0)


def _minutes(t: dt.time) -> Minutes:
    return t.hour * 60 + t.minute + t.second / 60


def spans(schedule: Schedule, day: dt.date) -> list[Span]:
    """The open intervals of a schedule on a date, in minutes of the day."""
    return [(_minutes(a), _minutes(b)) for a, b in schedule.intervals(day.weekday())]


def is_open(open_spans: list[Span], minute: Minutes) -> bool:
    return any(a <= minute < b for a, b in open_spans)


def merge(all_spans: list[Span]) -> list[Span]:
    """Union of intervals, sorted; touching intervals are joined."""
    out: list[Span] = []
    for a, b in sorted(all_spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


# --------------------------------------------------------------------------- the date


def main_schedule(cfg: SiteConfig) -> Schedule:
    """The schedule most services follow ("standard" in the sample site)."""
    used = Tally(s.schedule for s in cfg.services)
    name = max(used, key=lambda n: (used[n], n == "standard"))
    return cfg.schedules[name]


def regular_pattern(schedule: Schedule) -> tuple[tuple[dt.time, dt.time], ...]:
    """The opening hours most open weekdays share (Mon-Thu in the sample: Friday has the
    longer prayer break)."""
    patterns = Tally(schedule.intervals(d) for d in range(7) if schedule.intervals(d))
    if not patterns:
        raise ValueError("the site's main schedule is never open")
    return max(patterns, key=lambda p: (patterns[p], -min(
        d for d in range(7) if schedule.intervals(d) == p)))


def pick_demo_date(cfg: SiteConfig, today: dt.date) -> dt.date:
    """The first date from `today` on which the main schedule keeps its regular hours."""
    schedule = main_schedule(cfg)
    pattern = regular_pattern(schedule)
    for ahead in range(7):
        day = today + dt.timedelta(days=ahead)
        if schedule.intervals(day.weekday()) == pattern:
            return day
    raise AssertionError("unreachable: the pattern occurs on some weekday")


def next_open_date(cfg: SiteConfig, after: dt.date) -> dt.date | None:
    """The next date after `after` on which any service is open (for multi-day runs)."""
    for ahead in range(1, 8):
        day = after + dt.timedelta(days=ahead)
        if any(cfg.schedules[s.schedule].intervals(day.weekday()) for s in cfg.services):
            return day
    return None


# --------------------------------------------------------------------------- counters


@dataclass(frozen=True)
class CounterPlan:
    """One counter's day: opens, takes breaks (start, end, reason), closes once drained."""

    counter: str
    open_at: Minutes
    breaks: tuple[tuple[Minutes, Minutes, str], ...]
    close_at: Minutes


def counter_plans(cfg: SiteConfig, day: dt.date) -> list[CounterPlan]:
    """Counters follow their services' hours: they pause in the gaps (lunch, Friday prayer);
    every other counter without a gap takes a rotating half-hour break around midday."""
    reason = "prayer" if day.weekday() == 4 else "break"
    plans: list[CounterPlan] = []
    gapless = 0
    for counter in cfg.counters:
        hours = merge([sp for sid in counter.services
                       for sp in spans(cfg.schedules[cfg.service(sid).schedule], day)])
        if not hours:
            continue
        breaks = [(b1, a2, reason) for (_a1, b1), (a2, _b2) in itertools.pairwise(hours)]
        start, end = hours[0][0], hours[-1][1]
        if not breaks and end - start >= 6 * 60:
            if gapless % 2 == 0:
                at = 11 * 60 + 30 + (gapless // 2 % 3) * 35
                breaks.append((at, at + ROTATING_BREAK_MIN, "break"))
            gapless += 1
        plans.append(CounterPlan(counter.id, start, tuple(breaks), end))
    return plans


def open_minutes(plan: CounterPlan) -> Minutes:
    return plan.close_at - plan.open_at - sum(b - a for a, b, _ in plan.breaks)


# --------------------------------------------------------------------------- demand


@dataclass(frozen=True)
class Demand:
    """A service's citizens for one day: expected volume and its arrival intensity."""

    service: str
    volume: float  # expected arrivals during opening hours
    open_spans: tuple[Span, ...]
    norm: float  # sum of day_shape over the open minutes
    peak: float = 0.0  # the highest rate of the day (for thinning)

    def rate(self, minute: Minutes) -> float:
        """Expected arrivals per hall minute at `minute` (closed: a few, who get refused)."""
        if self.norm <= 0:
            return 0.0
        factor = 1.0 if is_open(list(self.open_spans), minute) else CLOSED_FACTOR
        return self.volume * day_shape(minute) * factor / self.norm

    def max_rate(self) -> float:
        return max((self.rate(m) for m in range(7 * 60, 17 * 60)), default=0.0)

    def with_peak(self) -> Demand:
        return replace(self, peak=self.max_rate())


def capacity(cfg: SiteConfig, day: dt.date) -> dict[str, float]:
    """Citizens each service's counters can serve that day, splitting a counter's time
    evenly over the services it takes."""
    cap = {s.id: 0.0 for s in cfg.services}
    for plan in counter_plans(cfg, day):
        services = cfg.counter(plan.counter).services
        share = open_minutes(plan) / len(services)
        for sid in services:
            cap[sid] += share / (cfg.service(sid).avg_service_min + OVERHEAD_MIN)
    return cap


def demands(cfg: SiteConfig, day: dt.date, load: float = DEFAULT_LOAD) -> list[Demand]:
    """Daily volume near `load` x capacity, never far above the service's daily quota."""
    cap = capacity(cfg, day)
    out = []
    for svc in cfg.services:
        open_spans = spans(cfg.schedules[svc.schedule], day)
        if not open_spans or cap[svc.id] <= 0:
            continue
        volume = load * cap[svc.id]
        if svc.daily_quota is not None:
            volume = min(volume, svc.daily_quota * 1.02)
        norm = sum(day_shape(m + 0.5) for m in range(24 * 60) if is_open(open_spans, m + 0.5))
        out.append(Demand(svc.id, volume, tuple(open_spans), norm).with_peak())
    return out
