"""Dispatch policy: which waiting ticket a counter calls next.

Queues are written as strings of ticket ids in arrival order ("P1 R1 P2"): an id starting
with P is a priority citizen, anything else is regular; each ticket arrives 10 s after the
one before it. Appointment and transfer cases build their `Candidate`s explicitly.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

import pytest

from queue_server.domain.dispatch import (
    Candidate,
    DispatchPolicy,
    choose_next,
    next_streak,
    pick_in_service,
    position_ahead,
)

NOW = 1_700_000_000.0
EARLY_S = 15 * 60
RATIO_2 = DispatchPolicy(priority_ratio=2, appointment_early_s=EARLY_S)


def _queue(spec: str, service: str = "a", start: float = NOW - 3600) -> list[Candidate]:
    """ "P1 R1 P2" -> candidates in arrival order, 10 s apart."""
    return [
        Candidate(tid, service, start + 10 * i, priority=tid.startswith("P"))
        for i, tid in enumerate(spec.split())
    ]


def _drain(
    tickets: Iterable[Candidate],
    policy: DispatchPolicy = RATIO_2,
    services: Sequence[str] = ("a",),
    now: float = NOW,
) -> list[str]:
    """Call until nobody waits, as the engine does: choose_next, then next_streak."""
    waiting = {s: [c for c in tickets if c.service_id == s] for s in services}
    streaks = dict.fromkeys(services, 0)
    order: list[str] = []
    while (pick := choose_next(services, waiting, now, policy, streaks)) is not None:
        order.append(pick.ticket_id)
        streaks[pick.service_id] = next_streak(streaks[pick.service_id], pick, now, policy)
        waiting[pick.service_id].remove(pick)
    return order


def _ids(picks: Iterable[Candidate | None]) -> list[str | None]:
    return [p.ticket_id if p else None for p in picks]


# --------------------------------------------------------------------------- priority ratio


@pytest.mark.parametrize(
    ("ratio", "arrivals", "expected"),
    [
        pytest.param(2, "P1 P2 P3 P4 R1 R2", "P1 P2 R1 P3 P4 R2", id="ratio2-PPR-PPR"),
        pytest.param(2, "R1 R2 P1 P2 P3 P4", "P1 P2 R1 P3 P4 R2", id="ratio2-older-regulars-wait"),
        pytest.param(
            2, "P1 R1 P2 R2 P3 R3 P4 R4", "P1 P2 R1 P3 P4 R2 R3 R4", id="ratio2-interleaved"
        ),
        pytest.param(1, "P1 P2 P3 R1 R2 R3", "P1 R1 P2 R2 P3 R3", id="ratio1-alternates"),
        pytest.param(3, "P1 P2 P3 P4 R1 R2", "P1 P2 P3 R1 P4 R2", id="ratio3-PPPR"),
        pytest.param(2, "P1 P2 P3 P4 P5", "P1 P2 P3 P4 P5", id="only-priority-keeps-going"),
        pytest.param(2, "R1 R2 R3", "R1 R2 R3", id="only-regular-by-arrival"),
        pytest.param(2, "P1 P2 P3 P4 P5 R1", "P1 P2 R1 P3 P4 P5", id="priority-resumes-after-R"),
        pytest.param(2, "", "", id="empty"),
    ],
)
def test_full_drain_follows_the_priority_ratio(ratio: int, arrivals: str, expected: str) -> None:
    # GIVEN a mixed queue of one service
    policy = DispatchPolicy(priority_ratio=ratio, appointment_early_s=EARLY_S)
    # WHEN the counter calls until the queue is empty
    order = _drain(_queue(arrivals), policy)
    # THEN the calls follow the ratio exactly
    assert order == expected.split()


@pytest.mark.parametrize(
    ("streak", "expected"),
    [
        pytest.param(0, "P1", id="streak0-priority"),
        pytest.param(1, "P1", id="streak1-priority"),
        pytest.param(2, "R1", id="streak2-regular-turn"),
        pytest.param(7, "R1", id="long-streak-while-no-regular-waited"),
    ],
)
def test_streak_decides_between_priority_and_regular(streak: int, expected: str) -> None:
    pick = pick_in_service(_queue("R1 P1"), NOW, RATIO_2, streak)
    assert pick is not None and pick.ticket_id == expected


def test_priority_keeps_going_whatever_the_streak_when_no_regular_waits() -> None:
    pick = pick_in_service(_queue("P1 P2"), NOW, RATIO_2, priority_streak=50)
    assert pick is not None and pick.ticket_id == "P1"


_REG = Candidate("r", "a", NOW)
_PRI = Candidate("p", "a", NOW, priority=True)
_FRONT_PRI = Candidate("f", "a", NOW, priority=True, front=True)
_FRONT_REG = Candidate("g", "a", NOW, front=True)
_DUE_APPT = Candidate("d", "a", NOW, slot_at=NOW)


@pytest.mark.parametrize(
    ("streak", "called", "expected"),
    [
        pytest.param(0, _PRI, 1, id="priority-counts"),
        pytest.param(1, _PRI, 2, id="priority-counts-again"),
        pytest.param(2, _REG, 0, id="regular-resets"),
        pytest.param(0, _REG, 0, id="regular-stays-zero"),
        pytest.param(1, _FRONT_PRI, 1, id="front-transfer-does-not-count"),
        pytest.param(2, _FRONT_REG, 2, id="front-regular-does-not-reset"),
        pytest.param(1, _DUE_APPT, 1, id="appointment-does-not-count"),
    ],
)
def test_next_streak(streak: int, called: Candidate, expected: int) -> None:
    assert next_streak(streak, called, NOW, RATIO_2) == expected


@pytest.mark.parametrize(
    ("tickets", "expected"),
    [
        pytest.param(
            [*_queue("P1 P2 P3 P4 R2"), Candidate("R1", "a", NOW - 7200, slot_at=NOW + 7200)],
            "P1 P2 R1 P3 P4 R2",
            id="early-regular-appointment-resets-streak",
        ),
        pytest.param(
            [
                *(Candidate(f"P{i}", "a", NOW - 3600 + i, priority=True, slot_at=NOW + 7200)
                  for i in range(1, 5)),
                *_queue("R1 R2"),
            ],
            "P1 P2 R1 P3 P4 R2",
            id="early-priority-appointment-counts-in-streak",
        ),
    ],
)
def test_not_yet_due_appointment_counts_as_its_kind(
    tickets: list[Candidate], expected: str
) -> None:
    # GIVEN appointment tickets checked in hours before their slot (the kiosk allows any
    # time of the same day), so they wait in normal order like walk-ins
    # WHEN the queue is drained
    order = _drain(tickets)
    # THEN they count toward the priority ratio exactly as walk-ins of their kind
    assert order == expected.split()


# --------------------------------------------------------------------------- no starvation


def _simulate(
    rng: random.Random, ratio: int, steps: int, early_appointments: bool
) -> list[tuple[str, int]]:
    """Random arrivals and calls; returns (ticket, calls it waited as oldest regular)."""
    policy = DispatchPolicy(priority_ratio=ratio, appointment_early_s=EARLY_S)
    waiting: list[Candidate] = []
    streak, clock = 0, NOW - 10 * steps
    head: str | None = None
    passed = 0
    waits: list[tuple[str, int]] = []
    for step in range(steps):
        if rng.random() < 0.55:
            priority = rng.random() < 0.6
            # appointment tickets are never priority (appointment.checkin sets none)
            early = early_appointments and not priority and rng.random() < 0.5
            slot = NOW + 7200 if early else None
            waiting.append(
                Candidate(f"t{step}", "a", clock + step, priority=priority, slot_at=slot)
            )
        else:
            pick = pick_in_service(waiting, NOW, policy, streak)
            if pick is None:
                continue
            streak = next_streak(streak, pick, NOW, policy)
            waiting.remove(pick)
            if pick.ticket_id == head:
                waits.append((pick.ticket_id, passed))
            elif head is not None:
                passed += 1
        regulars = [c for c in waiting if not c.priority]
        oldest = min(regulars, key=lambda c: c.queue_at).ticket_id if regulars else None
        if oldest != head:
            head, passed = oldest, 0
    return waits


@pytest.mark.parametrize("early_appointments", [False, True], ids=["walk-ins", "with-early-appts"])
@pytest.mark.parametrize("ratio", [1, 2, 3, 5], ids=lambda r: f"ratio{r}")
def test_no_starvation(ratio: int, early_appointments: bool) -> None:
    for seed in range(25):
        # GIVEN random arrivals of priority and regular citizens interleaved with calls
        # (optionally with appointment tickets checked in long before their slot)
        waits = _simulate(random.Random(seed), ratio, 250, early_appointments)
        # THEN once a regular citizen is the oldest regular, at most `ratio` others go first
        assert waits, f"seed {seed}: the simulation should call some regular citizens"
        worst = max(waits, key=lambda w: w[1])
        assert worst[1] <= ratio, f"seed {seed}: {worst[0]} waited {worst[1]} calls as oldest"


# --------------------------------------------------------------------------- transfers


def test_transferred_ticket_keeps_its_place_by_original_issue_time() -> None:
    # GIVEN two regulars and a ticket transferred in later but issued before both
    transferred = Candidate("T", "a", NOW - 3600)
    waiting = [*_queue("R1 R2", start=NOW - 600), transferred]
    # WHEN the queue is drained
    # THEN the transferred ticket goes first, by its original queue time
    assert _drain(waiting) == ["T", "R1", "R2"]


def test_transferred_ticket_newer_than_others_waits_its_turn() -> None:
    transferred = Candidate("T", "a", NOW - 300)
    assert _drain([transferred, *_queue("R1 R2", start=NOW - 600)]) == ["R1", "R2", "T"]


def test_front_transfer_goes_before_everyone() -> None:
    # GIVEN priority, regular, a due appointment and a newest ticket sent to the front
    waiting = [
        *_queue("P1 R1"),
        Candidate("D", "a", NOW - 100, slot_at=NOW),
        Candidate("F", "a", NOW - 1, front=True),
    ]
    # WHEN the counter calls
    # THEN the front transfer is first, then the appointment, then the ratio
    assert _drain(waiting) == ["F", "D", "P1", "R1"]


def test_two_front_transfers_go_oldest_first() -> None:
    waiting = [
        Candidate("F2", "a", NOW - 10, front=True),
        Candidate("F1", "a", NOW - 20, front=True),
        *_queue("P1"),
    ]
    assert _drain(waiting) == ["F1", "F2", "P1"]


def test_front_transfer_does_not_use_up_the_priority_streak() -> None:
    # GIVEN ratio 2, two priority and one regular waiting, a front transfer in between
    waiting = [*_queue("P1 P2 P3 R1"), Candidate("F", "a", NOW, priority=True, front=True)]
    assert _drain(waiting) == ["F", "P1", "P2", "R1", "P3"]


# --------------------------------------------------------------------------- multi-service


@pytest.mark.parametrize(
    ("services", "queues", "expected"),
    [
        pytest.param(("a", "b"), {"a": "R1 R2", "b": "X1"}, "R1 R2 X1", id="b-only-when-a-empty"),
        pytest.param(("b", "a"), {"a": "R1 R2", "b": "X1"}, "X1 R1 R2", id="order-matters"),
        pytest.param(
            ("a", "b"), {"a": "R1", "b": "P9"}, "R1 P9", id="priority-in-b-waits-for-a"
        ),
        pytest.param(("a", "b"), {"a": "", "b": "X1 X2"}, "X1 X2", id="a-empty-list"),
        pytest.param(("a", "b"), {"b": "X1"}, "X1", id="a-missing-key"),
        pytest.param(("a", "c"), {"a": "R1", "b": "X1"}, "R1", id="other-services-ignored"),
    ],
)
def test_counter_serves_its_services_in_order(
    services: tuple[str, ...], queues: dict[str, str], expected: str
) -> None:
    tickets = [c for s, spec in queues.items() for c in _queue(spec, service=s)]
    assert _drain(tickets, services=services) == expected.split()


@pytest.mark.parametrize(
    ("front", "slot_at"),
    [
        pytest.param(False, None, id="walk-ins"),
        pytest.param(True, None, id="front-transfers"),
        pytest.param(False, NOW, id="due-appointments"),
    ],
)
def test_same_instant_ties_break_by_issue_order(front: bool, slot_at: float | None) -> None:
    # GIVEN two tickets of the same instant, listed against their issue order
    second = Candidate("b-second", "a", NOW - 60, order=2, front=front, slot_at=slot_at)
    first = Candidate("z-first", "a", NOW - 60, order=1, front=front, slot_at=slot_at)
    # THEN the one issued first is called first and counted ahead of the other
    assert _drain([second, first]) == ["z-first", "b-second"]
    assert position_ahead([second, first], second, NOW, RATIO_2) == 1
    assert position_ahead([second, first], first, NOW, RATIO_2) == 0


def test_each_service_has_its_own_streak() -> None:
    # GIVEN service a is at its priority limit but service b is not
    waiting = {"a": [], "b": _queue("R1 P1", service="b")}
    # WHEN the counter serving a then b calls
    pick = choose_next(["a", "b"], waiting, NOW, RATIO_2, {"a": 2, "b": 0})
    # THEN b's own streak (0) decides: priority first
    assert pick is not None and pick.ticket_id == "P1"


# --------------------------------------------------------------------------- appointments


def _appt(tid: str, slot_in_s: float, queue_at: float = NOW - 60) -> Candidate:
    return Candidate(tid, "a", queue_at, slot_at=NOW + slot_in_s)


@pytest.mark.parametrize(
    ("appt", "expected"),
    [
        pytest.param(_appt("A", 0), "A P1 P2 R1", id="slot-now-due"),
        pytest.param(_appt("A", EARLY_S), "A P1 P2 R1", id="exactly-early-window-due"),
        pytest.param(_appt("A", -1200), "A P1 P2 R1", id="late-still-due"),
        pytest.param(_appt("A", EARLY_S + 1), "P1 P2 R1 A", id="one-second-too-early-waits"),
        pytest.param(
            _appt("A", 7200, queue_at=NOW - 7200), "P1 P2 A R1", id="not-due-oldest-regular"
        ),
    ],
)
def test_due_appointment_goes_before_priority_and_regular(
    appt: Candidate, expected: str
) -> None:
    # GIVEN priority and regular walk-ins and one appointment
    waiting = [*_queue("P1 P2 R1"), appt]
    # WHEN the counter calls until the queue is empty (the clock stands still)
    order = _drain(waiting)
    # THEN a due appointment comes first; one not yet due waits in normal order
    assert order == expected.split()


def test_two_due_appointments_go_by_slot_not_arrival() -> None:
    waiting = [
        _appt("late-slot", 300, queue_at=NOW - 900),
        _appt("early-slot", -300, queue_at=NOW - 60),
        *_queue("P1"),
    ]
    assert _drain(waiting) == ["early-slot", "late-slot", "P1"]


def test_appointment_becomes_due_as_time_passes() -> None:
    waiting = [*_queue("R1"), _appt("A", 3600)]
    before = pick_in_service(waiting, NOW, RATIO_2, 0)
    after = pick_in_service(waiting, NOW + 3600 - EARLY_S, RATIO_2, 0)
    assert _ids([before, after]) == ["R1", "A"]


# --------------------------------------------------------------------------- position ahead


_MIXED = [
    Candidate("R1", "a", 100.0),
    Candidate("R2", "a", 200.0),
    Candidate("P1", "a", 150.0, priority=True),
    Candidate("P2", "a", 250.0, priority=True),
    Candidate("F1", "a", 300.0, front=True),
    Candidate("D1", "a", 50.0, slot_at=NOW),
    Candidate("D2", "a", 40.0, slot_at=NOW + 600),
    Candidate("E1", "a", 120.0, slot_at=NOW + 7200),
]


@pytest.mark.parametrize(
    ("ticket_id", "expected"),
    [
        pytest.param("F1", 0, id="front-first"),
        pytest.param("D1", 1, id="due-after-front"),
        pytest.param("D2", 2, id="later-slot-after-earlier-slot"),
        pytest.param("P1", 3, id="priority-after-front-and-due"),
        pytest.param("P2", 4, id="second-priority"),
        pytest.param("R1", 5, id="oldest-regular-after-all-priority"),
        pytest.param("E1", 6, id="early-appointment-as-regular-by-arrival"),
        pytest.param("R2", 7, id="last"),
    ],
)
def test_position_ahead(ticket_id: str, expected: int) -> None:
    ticket = next(c for c in _MIXED if c.ticket_id == ticket_id)
    assert position_ahead(_MIXED, ticket, NOW, RATIO_2) == expected


def test_position_ahead_of_a_new_ticket_not_yet_in_the_list() -> None:
    newcomer = Candidate("new", "a", 400.0)
    assert position_ahead(_MIXED, newcomer, NOW, RATIO_2) == len(_MIXED)


def test_position_ahead_in_an_empty_queue_is_zero() -> None:
    assert position_ahead([], Candidate("x", "a", 1.0), NOW, RATIO_2) == 0


# --------------------------------------------------------------------------- empty


@pytest.mark.parametrize(
    ("services", "waiting"),
    [
        pytest.param(["a"], {}, id="no-queues"),
        pytest.param(["a", "b"], {"a": [], "b": []}, id="all-empty"),
        pytest.param([], {"a": _queue("R1")}, id="counter-without-services"),
        pytest.param(["b"], {"a": _queue("R1")}, id="only-other-services-waiting"),
    ],
)
def test_choose_next_with_nobody_waiting_is_none(
    services: list[str], waiting: dict[str, list[Candidate]]
) -> None:
    assert choose_next(services, waiting, NOW, RATIO_2, {}) is None


def test_pick_in_empty_service_is_none() -> None:
    assert pick_in_service([], NOW, RATIO_2, 0) is None


# --------------------------------------------------------------------------- overdue services

_TARGETS = {"a": 1800.0, "b": 1800.0}


@pytest.mark.parametrize(
    ("ages", "expected"),
    [
        pytest.param({"a": 60, "b": 1700}, "a", id="nobody-overdue-keeps-the-counter-order"),
        pytest.param({"a": 60, "b": 1900}, "b", id="overdue-secondary-service-goes-first"),
        pytest.param({"a": 1850, "b": 3000}, "a", id="overdue-first-service-keeps-its-turn"),
        pytest.param({"b": 10}, "b", id="only-the-secondary-has-anyone"),
        pytest.param({}, None, id="nobody-waits"),
    ],
)
def test_overdue_secondary_service_is_served(ages: dict[str, int], expected: str | None) -> None:
    # GIVEN a counter serving a then b, with each service's oldest citizen of the given age
    waiting = {s: [Candidate(f"{s}1", s, NOW - age)] for s, age in ages.items()}
    # WHEN it calls the next citizen
    pick = choose_next(("a", "b"), waiting, NOW, RATIO_2, {}, _TARGETS)
    # THEN the secondary service is served once it is past its target wait, not before
    assert (pick.service_id if pick else None) == expected


def test_without_targets_the_counter_order_is_strict() -> None:
    waiting = {"a": [Candidate("a1", "a", NOW)], "b": [Candidate("b1", "b", NOW - 99999)]}
    pick = choose_next(("a", "b"), waiting, NOW, RATIO_2, {})
    assert pick is not None and pick.service_id == "a"
