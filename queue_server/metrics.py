"""The server's figures for Prometheus (/metrics on the dashboard's port: web/routes_metrics).

One `Metrics` per server, on a CollectorRegistry of its own: never the library's global
registry, so that two servers in one process (the tests, the demo) count apart.

The engine's thread, which answers every command, only adds to plain ints (a dictionary
entry, a bucket of a list): no lock, no call into the library. The library's families are
built from those numbers when Prometheus scrapes, on the web server's thread (`collect`).
Copying a dict or a list is one step under the GIL, so a scrape sees each figure whole.

Labels only ever take values from the site file or the op catalogue: no ticket ids, no
numbers, no personal data, and no value a device makes up (a forged one would grow the
series without bound)."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter as Tally
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
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


class _Buckets:
    """A histogram kept as counts per bucket (`le` bounds), cumulated at scrape time."""

    def __init__(self, name: str, text: str, bounds: tuple[float, ...]) -> None:
        self.name, self.text, self.bounds = name, text, bounds
        self.counts = [0] * (len(bounds) + 1)  # the last: above every bound
        self.sum = 0.0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.bounds, value)] += 1
        self.sum += value

    def family(self) -> HistogramMetricFamily:
        counts, total = list(self.counts), self.sum
        cumulated, running = [], 0
        for bound, n in zip((*map(str, self.bounds), "+Inf"), counts, strict=True):
            running += n
            cumulated.append((bound, running))
        return HistogramMetricFamily(self.name, self.text, buckets=cumulated,
                                     sum_value=total)


class Metrics(Collector):
    def __init__(self) -> None:
        # (kind, service) -> n, for the TICKET_COUNTERS
        self.tickets: dict[tuple[str, str], int] = {}
        # (op, result) -> n: result is ok, an error code, or `repeat` (a repeated command
        # id answered from memory); op `none` when the command named no catalogued op
        self.commands: dict[tuple[str, str], int] = {}
        self.storage_errors = 0
        self.queues: dict[str, tuple[int, int]] = {}  # service -> (waiting, longest wait s)
        self.call_latency = _Buckets(
            "mpp_call_latency_seconds", "counter.call_next answered ok: from the command's "
            "arrival at the server to its reply and the call's event handed to the broker",
            CALL_BUCKETS)
        self.commit_time = _Buckets(
            "mpp_commit_seconds", "The engine's transactions (one per batch of commands, "
            "and the periodic tick): time to commit", COMMIT_BUCKETS)
        self.presence: Presence = lambda: ()
        # the outbox's status (queue_server/wan/deliverer.py), read at each scrape
        self.outbox: Callable[[], dict[str, Any] | None] = lambda: None
        self.registry = CollectorRegistry()
        self.registry.register(self)

    # -- the engine's thread -----------------------------------------------------------

    def command(self, op: str, result: str) -> None:
        key = (op, result)
        self.commands[key] = self.commands.get(key, 0) + 1

    def ticket_event(self, kind: str, service: str) -> None:
        if kind in TICKET_COUNTERS:
            key = (kind, service)
            self.tickets[key] = self.tickets.get(key, 0) + 1

    def queue(self, service: str, view: dict[str, Any]) -> None:
        """From the queue's state as the server publishes it (engine/views.queue_view)."""
        self.queues[service] = (view["waiting"], view["longest_wait_s"])

    # -- a scrape (the web server's thread) --------------------------------------------

    def text(self) -> bytes:
        """The exposition, in Prometheus' text format (CONTENT_TYPE_LATEST)."""
        return generate_latest(self.registry)

    def describe(self) -> Iterator[Metric]:
        return iter(())  # families are known at collect time only; nothing to check

    def collect(self) -> Iterator[Metric]:
        yield from self._tickets()
        commands = CounterMetricFamily(
            "mpp_commands", "Commands answered, by op and result (ok, an error code, or "
            "repeat: a repeated command id answered from memory)", labels=["op", "result"])
        for (op, result), n in sorted(dict(self.commands).items()):
            commands.add_metric([op, result], n)
        yield commands
        yield CounterMetricFamily("mpp_storage_errors", "Commits that failed",
                                  value=self.storage_errors)
        yield from self._queues()
        yield self.call_latency.family()
        yield self.commit_time.family()
        yield self._devices()
        yield from self._outbox()

    def _tickets(self) -> Iterator[Metric]:
        counts = dict(self.tickets)
        for kind, (name, text) in TICKET_COUNTERS.items():
            family = CounterMetricFamily(name, text, labels=["service"])
            for (of, service), n in sorted(counts.items()):
                if of == kind:
                    family.add_metric([service], n)
            yield family

    def _queues(self) -> Iterator[Metric]:
        waiting = GaugeMetricFamily("mpp_queue_waiting", "Tickets waiting, by service",
                                    labels=["service"])
        longest = GaugeMetricFamily("mpp_queue_longest_wait_seconds", "How long the oldest "
                                    "waiting ticket has waited, by service",
                                    labels=["service"])
        for service, (n, wait_s) in sorted(dict(self.queues).items()):
            waiting.add_metric([service], n)
            longest.add_metric([service], wait_s)
        yield waiting
        yield longest

    def _outbox(self) -> Iterator[Metric]:
        status = self.outbox()
        if status is None:
            return
        backlog = GaugeMetricFamily("mpp_outbox_backlog", "Outbox records not yet "
                                    "acknowledged by the city's central, by stream",
                                    labels=["stream"])
        delivered = CounterMetricFamily("mpp_outbox_delivered", "Outbox records the "
                                        "central acknowledged, by stream", labels=["stream"])
        for stream, figures in sorted(status["streams"].items()):
            backlog.add_metric([stream], figures["backlog"])
            delivered.add_metric([stream], figures["delivered"])
        yield backlog
        yield delivered
        yield GaugeMetricFamily("mpp_outbox_oldest_age_seconds", "How long the oldest "
                                "record not yet delivered has waited (0: none waits)",
                                value=status["oldest_age_s"] or 0)
        if status["last_delivery_age_s"] is not None:
            yield GaugeMetricFamily("mpp_outbox_last_delivery_age_seconds", "Seconds since "
                                    "the central last acknowledged a batch",
                                    value=status["last_delivery_age_s"])
        yield GaugeMetricFamily("mpp_outbox_wan_up", "1 when the last try reached the "
                                "central and was acknowledged, else 0",
                                value=1 if status["wan"] == "up" else 0)
        yield GaugeMetricFamily("mpp_outbox_alert", "1 when the oldest record waiting is "
                                "older than the site's central.alert_after_min",
                                value=1 if status["alert"] else 0)

    def _devices(self) -> Metric:
        family = GaugeMetricFamily("mpp_devices", "Devices by role and presence status "
                                   "(online, offline) as last heard", labels=["role", "status"])
        for (role, status), n in sorted(Tally(self.presence()).items()):
            family.add_metric([role, status], n)
        return family
