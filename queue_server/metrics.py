"""The server's figures for Prometheus (/metrics on the dashboard's port: web/routes_metrics).

One `Metrics` per server, on a CollectorRegistry of its own: never the library's global
registry, so that two servers in one process (the tests, the demo) count apart. The engine
feeds it on its thread; the cost per command is a dictionary look-up and an addition, as
the labels' children are kept (`_Family`). Labels only ever take values from the site file
or the op catalogue: no ticket ids, no numbers, no personal data, and no value a device
makes up (a forged one would grow the series without bound)."""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

__all__ = ["CONTENT_TYPE_LATEST", "Metrics", "Presence"]

# a call's reply on the LAN takes a few milliseconds; a slow disk, a few hundred
CALL_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
COMMIT_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)

# the ticket events (protocol: event/ticket `type`) that have a counter of their own
TICKET_COUNTERS = {
    "ticket.issued": ("mpp_tickets_issued", "Tickets issued, by service"),
    "ticket.called": ("mpp_tickets_called", "First calls of a ticket, by service"),
    "ticket.completed": ("mpp_tickets_completed", "Tickets served to the end, by service"),
    "ticket.no_show": ("mpp_tickets_no_show", "Tickets closed as no-show, by service"),
    "ticket.transferred": ("mpp_tickets_transferred", "Tickets sent to another service"),
}

Presence = Callable[[], Iterable[tuple[str, str]]]  # (role, status) of every device heard


class _Family:
    """A labelled metric's children, kept: `labels()` takes the library's lock each time."""

    def __init__(self, metric: Any) -> None:
        self.metric = metric
        self.children: dict[tuple[str, ...], Any] = {}

    def __call__(self, *values: str) -> Any:
        child = self.children.get(values)
        if child is None:
            child = self.children[values] = self.metric.labels(*values)
        return child


class _Devices(Collector):
    """Devices by role and status, counted at each scrape from what the server heard."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily("mpp_devices", "Devices by role and presence status "
                                   "(online, offline) as last heard", labels=["role", "status"])
        for (role, status), n in sorted(Tally(self.metrics.presence()).items()):
            family.add_metric([role, status], n)
        yield family


class Metrics:
    def __init__(self) -> None:
        self.registry = r = CollectorRegistry()
        self.tickets = {kind: _Family(Counter(name, text, ["service"], registry=r))
                        for kind, (name, text) in TICKET_COUNTERS.items()}
        self.commands = _Family(Counter(
            "mpp_commands", "Commands answered, by op and result (ok, an error code, "
            "or `repeat` for a repeated command id answered from memory)",
            ["op", "result"], registry=r))
        self.storage_errors = Counter("mpp_storage_errors", "Commits that failed",
                                      registry=r)
        self.waiting = _Family(Gauge("mpp_queue_waiting", "Tickets waiting, by service",
                                     ["service"], registry=r))
        self.longest_wait = _Family(Gauge(
            "mpp_queue_longest_wait_seconds", "How long the oldest waiting ticket has "
            "waited, by service", ["service"], registry=r))
        self.call_latency = Histogram(
            "mpp_call_latency_seconds", "counter.call_next: from the command's arrival at "
            "the server to its reply and the call's event handed to the broker",
            buckets=CALL_BUCKETS, registry=r)
        self.commit_time = Histogram(
            "mpp_commit_seconds", "The engine's transactions (one per batch of commands, "
            "and the periodic tick): time to commit", buckets=COMMIT_BUCKETS, registry=r)
        # the outbox's backlog (rows waiting for the WAN) comes with the outbox (issue #14)
        self.presence: Presence = lambda: ()
        r.register(_Devices(self))

    def ticket_event(self, kind: str, service: str) -> None:
        family = self.tickets.get(kind)
        if family is not None:
            family(service).inc()

    def queue(self, service: str, view: dict[str, Any]) -> None:
        """From the queue's state as the server publishes it (engine/views.queue_view)."""
        self.waiting(service).set(view["waiting"])
        self.longest_wait(service).set(view["longest_wait_s"])

    def text(self) -> bytes:
        """The exposition, in Prometheus' text format (CONTENT_TYPE_LATEST)."""
        return generate_latest(self.registry)
