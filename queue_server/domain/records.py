"""In-memory records of the hall, mirrored to the database at each commit."""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from queue_server.domain.dispatch import Candidate
from queue_server.domain.lifecycle import CounterStatus, TicketStatus


@dataclass
class TicketRec:
    id: str
    day: str
    service: str
    number: int | None
    label: str
    status: TicketStatus
    issued_at: float
    queue_at: float
    priority: str | None = None
    appointment: str | None = None
    slot_at: float | None = None
    front: bool = False
    counter: str | None = None
    called_at: float | None = None
    started_at: float | None = None
    finished_at: float | None = None
    recalls: int = 0
    origin: str | None = None
    lang: str | None = None
    device: str | None = None
    seq: int = 0  # seq of the original ticket.issued event: the tie-break for equal times
    officer: str | None = None  # who called it
    key_digest: str | None = None  # of its page's key (domain/ticket_page.py), not the key
    assist: str | None = None  # taken with voice guidance: the officer comes to the citizen

    def lane(self) -> str:
        """Where it waits: `plain` and `priority` walk-ins are each in issue order (their
        first is their oldest); `rare` ones (front, appointment, transfer) may not be."""
        if self.front or self.slot_at is not None or self.origin:
            return "rare"
        return "priority" if self.priority else "plain"

    def candidate(self) -> Candidate:
        return Candidate(
            ticket_id=self.id, service_id=self.service, queue_at=self.queue_at,
            order=self.seq, priority=self.priority is not None, front=self.front,
            slot_at=self.slot_at,
        )


@dataclass
class CounterRec:
    id: str
    status: CounterStatus = CounterStatus.CLOSED
    ticket: str | None = None
    since: float = 0.0
    reason: str | None = None
    officer: str | None = None


@dataclass
class ServiceRec:
    id: str
    closed: bool = False
    quota: int | None = None  # supervisor override of the configured quota
    priority_streak: int = 0
    durations: deque[float] = field(default_factory=lambda: deque(maxlen=20))


@dataclass
class DayCount:
    last_number: int = 0
    walkins: int = 0


@dataclass
class AppointmentRec:
    code: str
    service: str
    slot_at: float
    status: str = "booked"
    ticket: str | None = None


@dataclass
class Call:
    ticket: str
    number: str
    service: str
    counter: str
    at: float
    recalls: int
    wire: bytes = field(default=b"", compare=False, repr=False)  # its state/calls JSON


@dataclass
class EventRec:
    seq: int | None
    at: float
    kind: str
    type: str
    ticket: str | None
    counter: str | None
    device: str | None
    payload: dict[str, Any]
    text: str = ""  # the payload as JSON, encoded once for the log row and the wire

    def __post_init__(self) -> None:
        if not self.text:
            self.text = json.dumps(self.payload, ensure_ascii=False, separators=(",", ":"))
