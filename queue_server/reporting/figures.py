"""Mergeable tallies of report figures, and the JSON-ready form of a group's figures.

The SQL path (query.py) gets partial sums per (service, counter, officer) from the database
and adds them up here. The figures are then built by the same definitions as the pure
`queue_server.domain.reports` (nearest-rank p90 over whole seconds, buckets, busiest hour),
so both paths agree; tests/reporting/test_sql_vs_domain.py checks that they do.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from queue_server.domain.reports import WAIT_BUCKETS, Durations, GroupFigures, group_figures

BUCKET_LABELS: tuple[str, ...] = tuple(name for name, _ in WAIT_BUCKETS)
BUCKET_LOWS: tuple[float, ...] = tuple(low for _, low in WAIT_BUCKETS)
HOURS = 24


@dataclass
class Tally:
    """Everything one group's figures are made from; tallies add up."""

    issued: int = 0
    priority: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    hours: dict[int, int] = field(default_factory=dict)
    wait: Durations = field(default_factory=Durations)
    service: Durations = field(default_factory=Durations)
    within: int = 0
    with_target: int = 0

    def add_tickets(self, status: str, priority: bool, hour: int, count: int) -> None:
        self.issued += count
        if priority:
            self.priority += count
        self.statuses[status] = self.statuses.get(status, 0) + count
        self.hours[hour] = self.hours.get(hour, 0) + count

    def merge(self, other: Tally) -> None:
        self.issued += other.issued
        self.priority += other.priority
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n
        for hour, n in other.hours.items():
            self.hours[hour] = self.hours.get(hour, 0) + n
        self.wait.merge(other.wait)
        self.service.merge(other.service)
        self.within += other.within
        self.with_target += other.with_target

    def figures(self) -> GroupFigures:
        # Bucket bounds are whole minutes, so a wait's bucket is its whole second's bucket
        # (domain.reports.wait_bucket: the last bucket whose lower bound is <= the wait).
        counts = [0] * len(BUCKET_LABELS)
        for whole, n in self.wait.histogram.items():
            counts[bisect_right(BUCKET_LOWS, whole) - 1] += n
        return group_figures(
            issued=self.issued, statuses=self.statuses, priority=self.priority,
            hours=self.hours, wait_avg_s=self.wait.mean(), wait_p90_s=self.wait.p90(),
            service_avg_s=self.service.mean(), service_p90_s=self.service.p90(),
            within=self.within, with_target=self.with_target,
            wait_buckets=dict(zip(BUCKET_LABELS, counts, strict=True)),
        )


# The figures of a group, in the order the exports show them.
FIGURE_FIELDS: tuple[str, ...] = (
    "issued", "served", "no_shows", "transferred", "cancelled", "voided", "priority",
    "wait_avg_s", "wait_p90_s", "service_avg_s", "service_p90_s",
    "within_target", "within_target_of", "busiest_hour",
)


def figures_dict(fig: GroupFigures) -> dict[str, Any]:
    """A group's figures as plain JSON data: hours as a list of 24 counts (index = local
    hour), buckets as {label: count} in bucket order."""
    out: dict[str, Any] = {name: getattr(fig, name) for name in FIGURE_FIELDS}
    out["arrivals_by_hour"] = [fig.arrivals_by_hour.get(h, 0) for h in range(HOURS)]
    out["wait_buckets"] = {label: fig.wait_buckets.get(label, 0) for label in BUCKET_LABELS}
    return out
