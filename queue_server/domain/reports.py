"""Report figures from ticket records, computed in one streaming pass.

Feed facts one by one to `ReportAccumulator.add`, then read `result()`. Figures per group:
the whole site and each agency, service, counter and officer (a ticket that never reached a
counter or officer is counted only under site, agency and service).

Definitions (docs/ikm.md, "Report figures"):
- issued: every fact; served: status done; no_shows, transferred, cancelled, voided: by
  status (voided: taken out of the queue by a supervisor, never handed out).
- wait = called_at - issued_at, for every ticket that was called (whatever came next).
- service time = finished_at - (started_at, or called_at when never started), done tickets only.
- within_target: among served tickets whose service has a target, the share whose wait was
  at most the target (inclusive); None when there is no such ticket.
- p90: nearest rank, the smallest value with at least 90 % of the samples at or below it:
  sorted[ceil(0.9 n) - 1]. Samples are kept as whole seconds (truncated) in a histogram
  {second: count}, so the percentile is exact to the second while the memory per group is
  bounded by the number of distinct seconds seen (at most one entry per second of the
  longest wait, ~100 bytes each), not by the number of tickets. Averages use the exact sums.
- arrivals_by_hour: issued tickets per local hour (0..23, the site's time zone), over all the
  days fed in; busiest_hour: the hour with most arrivals, the earliest on a tie.
- wait buckets, in minutes, half-open [low, high): 0-5, 5-10, 10-15, 15-30, 30-60, 60+.
- a negative duration (clock step on the appliance) counts as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from queue_server.domain.lifecycle import TicketStatus

# (label, lower bound in seconds); each bucket runs up to the next bound
WAIT_BUCKETS: tuple[tuple[str, float], ...] = (
    ("0-5", 0.0),
    ("5-10", 5 * 60.0),
    ("10-15", 10 * 60.0),
    ("15-30", 15 * 60.0),
    ("30-60", 30 * 60.0),
    ("60+", 60 * 60.0),
)

DIMENSIONS = ("agency", "service", "counter", "officer")


@dataclass(frozen=True, slots=True)
class TicketFact:
    service: str
    agency: str
    counter: str | None
    officer: str | None
    issued_at: float  # epoch seconds
    called_at: float | None
    started_at: float | None
    finished_at: float | None
    status: str  # a TicketStatus value
    priority: bool = False


@dataclass(frozen=True)
class GroupFigures:
    issued: int
    served: int
    no_shows: int
    transferred: int
    cancelled: int
    voided: int  # never handed out (ticket.void): not a no-show
    priority: int
    wait_avg_s: float | None
    wait_p90_s: int | None
    service_avg_s: float | None
    service_p90_s: int | None
    within_target: float | None  # 0..1
    within_target_of: int  # served tickets with a target (the share's denominator)
    arrivals_by_hour: Mapping[int, int]
    busiest_hour: int | None
    wait_buckets: Mapping[str, int]


@dataclass(frozen=True)
class Report:
    site: GroupFigures
    by_agency: Mapping[str, GroupFigures]
    by_service: Mapping[str, GroupFigures]
    by_counter: Mapping[str, GroupFigures]
    by_officer: Mapping[str, GroupFigures]


def nearest_rank(histogram: Mapping[int, int], percent: int) -> int | None:
    """The nearest-rank percentile of samples held as {value: count}: the smallest value
    with at least `percent` % of the samples at or below it. None when empty."""
    n = sum(histogram.values())
    if n == 0:
        return None
    rank = max(1, (percent * n + 99) // 100)  # ceil(percent / 100 * n), in integers
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable: rank <= n")


def wait_bucket(wait_s: float) -> str:
    label = WAIT_BUCKETS[0][0]
    for name, low in WAIT_BUCKETS:
        if wait_s >= low:
            label = name
    return label


@dataclass
class Durations:
    """Count, exact sum and a whole-second histogram of one duration; durations add up
    (the SQL path of reporting/ merges partial sums with them)."""

    count: int = 0
    total: float = 0.0
    histogram: dict[int, int] = field(default_factory=dict)  # plain dicts: 5x faster than Counter

    def add(self, seconds: float, whole: int) -> None:
        self.count += 1
        self.total += seconds
        self.histogram[whole] = self.histogram.get(whole, 0) + 1

    def merge(self, other: Durations) -> None:
        self.count += other.count
        self.total += other.total
        for whole, n in other.histogram.items():
            self.histogram[whole] = self.histogram.get(whole, 0) + n

    def mean(self) -> float | None:
        return self.total / self.count if self.count else None

    def p90(self) -> int | None:
        return nearest_rank(self.histogram, 90)


@dataclass
class _Group:
    statuses: dict[str, int] = field(default_factory=dict)
    issued: int = 0
    priority: int = 0
    wait: Durations = field(default_factory=Durations)
    service: Durations = field(default_factory=Durations)
    within: int = 0
    with_target: int = 0
    hours: dict[int, int] = field(default_factory=dict)
    buckets: dict[str, int] = field(default_factory=dict)

    def add(self, f: _Derived) -> None:
        self.issued += 1
        self.priority += f.priority
        self.statuses[f.status] = self.statuses.get(f.status, 0) + 1
        self.hours[f.hour] = self.hours.get(f.hour, 0) + 1
        if f.wait is not None:
            self.wait.add(f.wait, int(f.wait))
            self.buckets[f.bucket] = self.buckets.get(f.bucket, 0) + 1
        if f.service is not None:
            self.service.add(f.service, int(f.service))
        if f.within is not None:
            self.with_target += 1
            self.within += f.within

    def figures(self) -> GroupFigures:
        return group_figures(
            issued=self.issued, statuses=self.statuses, priority=self.priority,
            hours=self.hours, wait_avg_s=self.wait.mean(), wait_p90_s=self.wait.p90(),
            service_avg_s=self.service.mean(), service_p90_s=self.service.p90(),
            within=self.within, with_target=self.with_target,
            wait_buckets={name: self.buckets.get(name, 0) for name, _ in WAIT_BUCKETS},
        )


def group_figures(*, issued: int, statuses: Mapping[str, int], priority: int,
                  hours: Mapping[int, int], wait_avg_s: float | None,
                  wait_p90_s: int | None, service_avg_s: float | None,
                  service_p90_s: int | None, within: int, with_target: int,
                  wait_buckets: dict[str, int]) -> GroupFigures:
    """A group's figures from its totals: the one place for what is derived from them
    (served and the other statuses, the within-target share, the busiest hour). The
    streaming accumulator here and the SQL path (queue_server/reporting) both end here."""
    return GroupFigures(
        issued=issued,
        served=statuses.get(TicketStatus.DONE, 0),
        no_shows=statuses.get(TicketStatus.NO_SHOW, 0),
        transferred=statuses.get(TicketStatus.TRANSFERRED, 0),
        cancelled=statuses.get(TicketStatus.CANCELLED, 0),
        voided=statuses.get(TicketStatus.VOIDED, 0),
        priority=priority,
        wait_avg_s=wait_avg_s,
        wait_p90_s=wait_p90_s,
        service_avg_s=service_avg_s,
        service_p90_s=service_p90_s,
        within_target=within / with_target if with_target else None,
        within_target_of=with_target,
        arrivals_by_hour=dict(sorted(hours.items())),
        busiest_hour=max(sorted(hours), key=lambda h: hours[h], default=None),
        wait_buckets=wait_buckets,
    )


@dataclass(frozen=True, slots=True)
class _Derived:
    """What every group needs from one fact, computed once per fact."""

    status: TicketStatus
    priority: bool
    hour: int
    wait: float | None
    bucket: str
    service: float | None
    within: bool | None


def _duration(start: float | None, end: float | None) -> float | None:
    if start is None or end is None:
        return None
    return max(0.0, end - start)


def _derive(fact: TicketFact, tz: ZoneInfo, targets_s: Mapping[str, float]) -> _Derived:
    status = TicketStatus(fact.status)  # ValueError on an unknown status
    wait = _duration(fact.issued_at, fact.called_at)
    done = status is TicketStatus.DONE
    service = None
    if done:
        start = fact.started_at if fact.started_at is not None else fact.called_at
        service = _duration(start, fact.finished_at)
    target = targets_s.get(fact.service)
    within = None
    if done and wait is not None and target is not None:
        within = wait <= target
    hour = datetime.fromtimestamp(fact.issued_at, tz).hour
    bucket = wait_bucket(wait) if wait is not None else ""
    return _Derived(status, fact.priority, hour, wait, bucket, service, within)


class ReportAccumulator:
    """One pass over any number of facts; memory per group as the module docstring says."""

    def __init__(self, tz: ZoneInfo, targets_s: Mapping[str, float] | None = None) -> None:
        self._tz = tz
        self._targets = dict(targets_s or {})
        self._site = _Group()
        self._groups: dict[str, dict[str, _Group]] = {d: {} for d in DIMENSIONS}

    def add(self, fact: TicketFact) -> None:
        d = _derive(fact, self._tz, self._targets)
        self._site.add(d)
        for dim in DIMENSIONS:
            key: str | None = getattr(fact, dim)
            if key is None:
                continue
            groups = self._groups[dim]
            if key not in groups:
                groups[key] = _Group()
            groups[key].add(d)

    def result(self) -> Report:
        def by(dim: str) -> dict[str, GroupFigures]:
            return {k: g.figures() for k, g in sorted(self._groups[dim].items())}

        return Report(
            site=self._site.figures(),
            by_agency=by("agency"),
            by_service=by("service"),
            by_counter=by("counter"),
            by_officer=by("officer"),
        )


def build_report(
    facts: Iterable[TicketFact], tz: ZoneInfo, targets_s: Mapping[str, float] | None = None
) -> Report:
    acc = ReportAccumulator(tz, targets_s)
    for f in facts:
        acc.add(f)
    return acc.result()
