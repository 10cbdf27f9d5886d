"""Ticket and counter lifecycles: every (status, action) pair against one expected table."""

from __future__ import annotations

import itertools

import pytest

from queue_server.domain.lifecycle import (
    ACTIVE,
    COUNTER_TRANSITIONS,
    FINISHED,
    OPEN,
    TICKET_EVENTS,
    TICKET_TRANSITIONS,
    CounterStatus,
    TicketStatus,
    next_counter_status,
    next_ticket_status,
    require_open_counter,
)
from queue_server.protocol.errors import ErrorCode, ProtocolError
from queue_server.protocol.ops import EVENT_TYPES

T = TicketStatus
C = CounterStatus

# Written out by hand (not derived from TICKET_TRANSITIONS) so the table is checked, not echoed.
TICKET_ALLOWED: dict[tuple[TicketStatus, str], TicketStatus] = {
    (T.WAITING, "call"): T.CALLED,
    (T.WAITING, "cancel"): T.CANCELLED,
    (T.WAITING, "move"): T.TRANSFERRED,  # a supervisor moves a waiting ticket
    (T.CALLED, "recall"): T.CALLED,
    (T.CALLED, "start"): T.SERVING,
    (T.CALLED, "complete"): T.DONE,
    (T.CALLED, "no_show"): T.NO_SHOW,
    (T.CALLED, "transfer"): T.TRANSFERRED,
    (T.CALLED, "cancel"): T.CANCELLED,
    (T.SERVING, "recall"): T.SERVING,  # a recall keeps a serving ticket serving
    (T.SERVING, "complete"): T.DONE,
    (T.SERVING, "transfer"): T.TRANSFERRED,
    (T.WAITING, "retire"): T.CANCELLED,  # the day ended: every open ticket is retired
    (T.CALLED, "retire"): T.CANCELLED,
    (T.SERVING, "retire"): T.CANCELLED,
    (T.WAITING, "void"): T.VOIDED,  # never handed out: only a waiting ticket
    (T.NO_SHOW, "return"): T.WAITING,  # the citizen came back within the grace period
}
TICKET_ACTIONS = ("call", "recall", "start", "complete", "no_show", "transfer", "move",
                  "cancel", "retire", "void", "return")

COUNTER_ALLOWED: dict[tuple[CounterStatus, str], CounterStatus] = {
    (C.CLOSED, "open"): C.OPEN,
    (C.OPEN, "open"): C.OPEN,
    (C.PAUSED, "open"): C.OPEN,  # resume
    (C.OPEN, "pause"): C.PAUSED,
    (C.PAUSED, "pause"): C.PAUSED,
    (C.CLOSED, "close"): C.CLOSED,
    (C.OPEN, "close"): C.CLOSED,
    (C.PAUSED, "close"): C.CLOSED,
}
COUNTER_ACTIONS = ("open", "pause", "close")


def _pairs(
    statuses: type[TicketStatus] | type[CounterStatus], actions: tuple[str, ...]
) -> list[object]:
    return [
        pytest.param(s, a, id=f"{s.value}-{a}") for s, a in itertools.product(statuses, actions)
    ]


def test_tables_cover_exactly_the_expected_actions() -> None:
    assert set(TICKET_TRANSITIONS) == set(TICKET_ACTIONS)
    assert set(COUNTER_TRANSITIONS) == set(COUNTER_ACTIONS)


def test_named_ticket_sets_partition_the_statuses() -> None:
    assert {T.CALLED, T.SERVING} == ACTIVE
    assert {T.DONE, T.NO_SHOW, T.TRANSFERRED, T.CANCELLED, T.VOIDED} == FINISHED
    assert not ACTIVE & FINISHED
    assert ACTIVE | {T.WAITING} == OPEN
    assert ACTIVE | FINISHED | {T.WAITING} == set(TicketStatus)


def test_every_action_and_issue_has_an_event_type() -> None:
    assert set(TICKET_EVENTS) == {"issue", *TICKET_ACTIONS}
    assert all(v.startswith("ticket.") for v in TICKET_EVENTS.values())
    assert set(TICKET_EVENTS.values()) == set(EVENT_TYPES)  # the catalogue's, every one used
    assert TICKET_EVENTS["no_show"] == "ticket.no_show"


@pytest.mark.parametrize(("status", "action"), _pairs(TicketStatus, TICKET_ACTIONS))
def test_ticket_transition(status: TicketStatus, action: str) -> None:
    expected = TICKET_ALLOWED.get((status, action))
    if expected is not None:
        assert next_ticket_status(status, action) is expected
        return
    with pytest.raises(ProtocolError) as info:
        next_ticket_status(status, action)
    assert info.value.code is ErrorCode.INVALID_TRANSITION
    assert status.value in info.value.message


@pytest.mark.parametrize(("status", "action"), _pairs(CounterStatus, COUNTER_ACTIONS))
def test_counter_transition(status: CounterStatus, action: str) -> None:
    expected = COUNTER_ALLOWED.get((status, action))
    if expected is not None:
        assert next_counter_status(status, action) is expected
        return
    with pytest.raises(ProtocolError) as info:
        next_counter_status(status, action)
    assert info.value.code is ErrorCode.COUNTER_CLOSED


@pytest.mark.parametrize(
    ("status", "code"),
    [
        pytest.param(C.CLOSED, ErrorCode.COUNTER_CLOSED, id="closed"),
        pytest.param(C.PAUSED, ErrorCode.COUNTER_PAUSED, id="paused"),
    ],
)
def test_require_open_counter_refuses_with_the_blocking_state(
    status: CounterStatus, code: ErrorCode
) -> None:
    with pytest.raises(ProtocolError) as info:
        require_open_counter(status)
    assert info.value.code is code
    assert info.value.to_wire()["code"] == code.value


def test_require_open_counter_passes_an_open_counter() -> None:
    require_open_counter(C.OPEN)


def test_a_full_ticket_life() -> None:
    # GIVEN a waiting ticket
    status = T.WAITING
    # WHEN it is called, recalled twice, started, recalled while serving and completed
    for action in ("call", "recall", "recall", "start", "recall", "complete"):
        status = next_ticket_status(status, action)
    # THEN it is done
    assert status is T.DONE
