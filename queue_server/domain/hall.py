"""The hall in memory: every open ticket, counter and service, with the set of changes
since the last commit. Pure data: the store loads and writes it (store/hall_store.py), the
engine's handlers change it through its recording methods."""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from queue_server.domain.lockout import Key, PinFailures
from queue_server.domain.outbox import Entry
from queue_server.domain.records import (
    AppointmentRec,
    Call,
    CounterRec,
    DayCount,
    EventRec,
    ServiceRec,
    TicketRec,
)

if TYPE_CHECKING:
    from queue_server.config import SiteConfig

PROCESSED_KEEP_S = 48 * 3600  # how long a command id is remembered (idempotency)


@dataclass
class Changes:
    """What a batch changed: rows to write, then state topics to publish."""

    new_tickets: set[str] = field(default_factory=set)
    tickets: set[str] = field(default_factory=set)
    counters: set[str] = field(default_factory=set)
    services: set[str] = field(default_factory=set)
    days: set[tuple[str, str]] = field(default_factory=set)
    new_appointments: set[str] = field(default_factory=set)
    appointments: set[str] = field(default_factory=set)
    events: list[EventRec] = field(default_factory=list)
    processed: list[tuple[str, str, str, float, str]] = field(default_factory=list)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    pin_failures: set[Key] = field(default_factory=set)  # written, or deleted when gone
    # for the outbox besides what the store finds itself (ended tickets, survey answers)
    outbox: list[Entry] = field(default_factory=list)
    # (today, now): close the days before today not yet closed (their figures to the outbox)
    day_close: tuple[str, float] | None = None
    dropped: set[str] = field(default_factory=set)  # tickets that left the hall (not rows)
    queues: set[str] = field(default_factory=set)  # state/queue topics to republish
    calls: bool = False
    message: bool = False

    def empty(self) -> bool:
        return not (self.new_tickets or self.tickets or self.counters or self.services
                    or self.days or self.new_appointments or self.appointments
                    or self.events or self.processed or self.feedback or self.settings
                    or self.pin_failures or self.outbox or self.day_close)


@dataclass
class Hall:
    cfg: SiteConfig
    tickets: dict[str, TicketRec] = field(default_factory=dict)
    # waiting tickets per service, and the same split into lanes (TicketRec.lane): the
    # plain and priority lanes are in issue order, so dispatch, ahead counts and the
    # oldest wait read their first ticket and scan only the rare lane, never the queue
    waiting: dict[str, dict[str, TicketRec]] = field(default_factory=dict)
    lanes: dict[str, dict[str, dict[str, TicketRec]]] = field(default_factory=dict)
    counters: dict[str, CounterRec] = field(default_factory=dict)
    services: dict[str, ServiceRec] = field(default_factory=dict)
    days: dict[tuple[str, str], DayCount] = field(default_factory=dict)
    appointments: dict[str, AppointmentRec] = field(default_factory=dict)
    calls: deque[Call] = field(default_factory=deque)
    rated: set[str] = field(default_factory=set)
    # (device, command id) -> (reply, when), in time order; and each device's ids, in
    # the same order (remember() keeps both under the policy's caps)
    processed: dict[tuple[str, str], tuple[str, float]] = field(default_factory=dict)
    processed_by_device: dict[str, dict[str, None]] = field(default_factory=dict)
    message: dict[str, Any] | None = None
    sessions: dict[str, str] = field(default_factory=dict)  # device -> signed-in officer
    pin_failures: dict[Key, PinFailures] = field(default_factory=dict)  # domain/lockout.py
    seq: int = 0
    changes: Changes = field(default_factory=Changes)

    @classmethod
    def empty(cls, cfg: SiteConfig) -> Hall:
        hall = cls(cfg=cfg, calls=deque(maxlen=cfg.policy.calls_kept))
        window = cfg.policy.service_time_window
        for svc in cfg.services:
            hall.services[svc.id] = ServiceRec(id=svc.id, durations=deque(maxlen=window))
            hall.waiting[svc.id] = {}
            hall.lanes[svc.id] = {"plain": {}, "priority": {}, "rare": {}}
        for counter in cfg.counters:
            hall.counters[counter.id] = CounterRec(id=counter.id)
        return hall

    # -- mutations that also record what changed --------------------------------

    def enqueue(self, t: TicketRec) -> None:
        self.waiting[t.service][t.id] = t
        self.lanes[t.service][t.lane()][t.id] = t

    def add_ticket(self, t: TicketRec) -> None:
        self.tickets[t.id] = t
        self.changes.new_tickets.add(t.id)
        if t.status == "waiting":
            self.enqueue(t)
        self.changes.queues.add(t.service)

    def touch_ticket(self, t: TicketRec) -> None:
        if t.id not in self.changes.new_tickets:
            self.changes.tickets.add(t.id)
        if t.status != "waiting" and self.waiting[t.service].pop(t.id, None) is not None:
            del self.lanes[t.service][t.lane()][t.id]
        self.changes.queues.add(t.service)

    def requeue(self, t: TicketRec) -> None:
        """A finished ticket waits again (a returned no-show): its row and its queue."""
        self.touch_ticket(t)
        self.enqueue(t)

    def drop_ticket(self, ticket_id: str) -> None:
        """Forget a finished ticket of an earlier day (its row stays in the database)."""
        del self.tickets[ticket_id]
        self.changes.dropped.add(ticket_id)

    def remember(self, device: str, cmd_id: str, reply: str, at: float) -> None:
        """Keep a command's reply for its repeats. Bounded whatever the flood: past the
        policy's cap for the device, or in all, the oldest ids go first."""
        self.processed[(device, cmd_id)] = (reply, at)
        mine = self.processed_by_device.setdefault(device, {})
        mine[cmd_id] = None
        policy = self.cfg.policy
        while len(mine) > policy.replies_kept_per_device:
            self._forget((device, next(iter(mine))))
        while len(self.processed) > policy.replies_kept:
            self._forget(next(iter(self.processed)))

    def _forget(self, key: tuple[str, str]) -> None:
        self.processed.pop(key, None)
        mine = self.processed_by_device.get(key[0])
        if mine is not None:
            mine.pop(key[1], None)
            if not mine:
                del self.processed_by_device[key[0]]

    def forget_processed(self, before: float) -> None:
        """Command ids older than `before` leave the idempotency memory."""
        processed = self.processed  # in time order: the old ones are in front
        old = [key for key, _ in itertools.takewhile(lambda item: item[1][1] < before,
                                                     processed.items())]
        for key in old:
            self._forget(key)

    # -- queue reading in O(rare) --------------------------------------------------------

    def candidates(self, service_id: str) -> list[TicketRec]:
        """Every ticket that could be called next: the rare lane and each lane's first."""
        lanes = self.lanes[service_id]
        found = list(lanes["rare"].values())
        for lane in (lanes["plain"], lanes["priority"]):
            if lane:
                found.append(next(iter(lane.values())))
        return found

    def oldest_at(self, service_id: str) -> float | None:
        return min((t.queue_at for t in self.candidates(service_id)), default=None)

    def priority_waiting(self, service_id: str) -> int:
        lanes = self.lanes[service_id]
        return len(lanes["priority"]) + sum(1 for t in lanes["rare"].values() if t.priority)

    def touch_counter(self, c: CounterRec, status_changed: bool = False) -> None:
        self.changes.counters.add(c.id)
        if status_changed:  # open counters change the estimates of its services
            self.changes.queues.update(self.cfg.counter(c.id).services)

    def touch_service(self, s: ServiceRec) -> None:
        self.changes.services.add(s.id)
        self.changes.queues.add(s.id)

    def day_count(self, service_id: str, day: str) -> DayCount:
        key = (service_id, day)
        count = self.days.get(key)
        if count is None:
            count = self.days[key] = DayCount()
        return count

    def touch_day(self, service_id: str, day: str) -> None:
        self.changes.days.add((service_id, day))

    def log(self, event: EventRec) -> None:
        self.changes.events.append(event)

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def add_call(self, call: Call) -> None:
        self.calls.appendleft(call)
        self.changes.calls = True

    def take_changes(self) -> Changes:
        changes, self.changes = self.changes, Changes()
        return changes
