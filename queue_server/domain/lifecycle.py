"""Ticket and counter lifecycles: Enums, named sets and one transition table each."""

from __future__ import annotations

from enum import StrEnum

from queue_server.protocol.errors import ErrorCode, ProtocolError
from queue_server.protocol.ops import EventType


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"
    VOIDED = "voided"  # never handed out: the supervisor took it out of the queue


ACTIVE = frozenset({TicketStatus.CALLED, TicketStatus.SERVING})
FINISHED = frozenset({
    TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.TRANSFERRED, TicketStatus.CANCELLED,
    TicketStatus.VOIDED,
})
OPEN = frozenset({TicketStatus.WAITING}) | ACTIVE  # not finished yet

# action -> (allowed from, to)
TICKET_TRANSITIONS: dict[str, tuple[frozenset[TicketStatus], TicketStatus]] = {
    "call": (frozenset({TicketStatus.WAITING}), TicketStatus.CALLED),
    "recall": (ACTIVE, TicketStatus.CALLED),
    "start": (frozenset({TicketStatus.CALLED}), TicketStatus.SERVING),
    "complete": (ACTIVE, TicketStatus.DONE),
    "no_show": (frozenset({TicketStatus.CALLED}), TicketStatus.NO_SHOW),
    "transfer": (ACTIVE, TicketStatus.TRANSFERRED),
    "move": (frozenset({TicketStatus.WAITING}), TicketStatus.TRANSFERRED),
    "cancel": (frozenset({TicketStatus.WAITING, TicketStatus.CALLED}), TicketStatus.CANCELLED),
    "retire": (OPEN, TicketStatus.CANCELLED),  # the day ended with the ticket still open
    "void": (frozenset({TicketStatus.WAITING}), TicketStatus.VOIDED),
    "return": (frozenset({TicketStatus.NO_SHOW}), TicketStatus.WAITING),  # within the grace
}

# the event type published for each action
TICKET_EVENTS: dict[str, EventType] = {
    "issue": "ticket.issued",
    "call": "ticket.called",
    "recall": "ticket.recalled",
    "start": "ticket.started",
    "complete": "ticket.completed",
    "no_show": "ticket.no_show",
    "transfer": "ticket.transferred",
    "move": "ticket.transferred",
    "cancel": "ticket.cancelled",
    "retire": "ticket.cancelled",
    "void": "ticket.voided",
    "return": "ticket.returned",
}


def next_ticket_status(current: TicketStatus, action: str) -> TicketStatus:
    """The status after `action`; a recall keeps a serving ticket serving."""
    allowed, target = TICKET_TRANSITIONS[action]
    if current not in allowed:
        raise ProtocolError(
            ErrorCode.INVALID_TRANSITION, f"cannot {action.replace('_', '-')} a {current} ticket"
        )
    if action == "recall":
        return current
    return target


class CounterStatus(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    PAUSED = "paused"


COUNTER_TRANSITIONS: dict[str, tuple[frozenset[CounterStatus], CounterStatus]] = {
    "open": (frozenset(CounterStatus), CounterStatus.OPEN),
    "pause": (frozenset({CounterStatus.OPEN, CounterStatus.PAUSED}), CounterStatus.PAUSED),
    "close": (frozenset(CounterStatus), CounterStatus.CLOSED),
}


def next_counter_status(current: CounterStatus, action: str) -> CounterStatus:
    allowed, target = COUNTER_TRANSITIONS[action]
    if current not in allowed:
        raise ProtocolError(ErrorCode.COUNTER_CLOSED, f"cannot {action} a {current} counter")
    return target


def require_open_counter(status: CounterStatus) -> None:
    """Calling needs an open counter; the error says which state blocks it."""
    if status is CounterStatus.CLOSED:
        raise ProtocolError(ErrorCode.COUNTER_CLOSED, "counter is closed: open it first")
    if status is CounterStatus.PAUSED:
        raise ProtocolError(ErrorCode.COUNTER_PAUSED, "counter is paused: resume it first")
