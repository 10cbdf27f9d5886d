"""Which waiting ticket a counter calls next.

Order, for the services of one counter taken in the counter's order:
1. tickets transferred "to the front", oldest first;
2. appointment tickets whose slot is near (due), earliest slot first;
3. priority citizens (UU 25/2009 Art. 29), oldest first, but never more than
   `priority_ratio` in a row while a regular citizen waits, so nobody starves;
4. everyone else by original issue time (a transfer keeps its place).
The first service in the counter's list that has anyone waiting wins, unless it is
within its target wait and a later service of the counter is overdue (its oldest
citizen has waited past that service's target): then the most overdue one is served,
so a counter's secondary services never starve.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    ticket_id: str
    service_id: str
    queue_at: float
    order: int = 0  # issue order: breaks ties between tickets of the same instant
    priority: bool = False
    front: bool = False
    slot_at: float | None = None


@dataclass(frozen=True)
class DispatchPolicy:
    priority_ratio: int = 2
    appointment_early_s: float = 15 * 60


def _is_due(c: Candidate, now: float, policy: DispatchPolicy) -> bool:
    return c.slot_at is not None and now >= c.slot_at - policy.appointment_early_s


def _oldest(items: Sequence[Candidate]) -> Candidate | None:
    return min(items, key=lambda c: (c.queue_at, c.order), default=None)


def pick_in_service(
    waiting: Sequence[Candidate], now: float, policy: DispatchPolicy, priority_streak: int
) -> Candidate | None:
    """The next ticket of one service's waiting list."""
    front = [c for c in waiting if c.front]
    if front:
        return _oldest(front)
    due = [c for c in waiting if _is_due(c, now, policy)]
    if due:
        return min(due, key=lambda c: (c.slot_at or 0.0, c.queue_at, c.order))
    priority = [c for c in waiting if c.priority]
    regular = [c for c in waiting if not c.priority]
    if priority and (not regular or priority_streak < policy.priority_ratio):
        return _oldest(priority)
    return _oldest(regular)


def choose_service(
    counter_services: Sequence[str],
    oldest_at: Mapping[str, float | None],
    now: float,
    targets_s: Mapping[str, float] | None = None,
) -> str | None:
    """The service a counter serves next, from when each one's oldest citizen came."""
    present = [s for s in counter_services if oldest_at.get(s) is not None]
    if not present:
        return None
    targets = targets_s or {}

    def overdue_s(s: str) -> float:  # how long past its target (<= 0: not overdue)
        target = targets.get(s)
        return 0.0 if target is None else now - (oldest_at[s] or now) - target

    over = {s: overdue_s(s) for s in present}
    if over[present[0]] > 0:
        return present[0]
    late = max(present, key=lambda s: over[s])
    return late if over[late] > 0 else present[0]


def choose_next(
    counter_services: Sequence[str],
    waiting: Mapping[str, Sequence[Candidate]],
    now: float,
    policy: DispatchPolicy,
    priority_streaks: Mapping[str, int],
    targets_s: Mapping[str, float] | None = None,
) -> Candidate | None:
    oldest = {s: min((c.queue_at for c in waiting.get(s, ())), default=None)
              for s in counter_services}
    service_id = choose_service(counter_services, oldest, now, targets_s)
    if service_id is None:
        return None
    return pick_in_service(waiting[service_id], now, policy,
                           priority_streaks.get(service_id, 0))


def next_streak(streak: int, called: Candidate, now: float, policy: DispatchPolicy) -> int:
    """Consecutive priority calls in a service; a regular call resets it. Calls that
    jump the line for another reason (front transfer, due appointment) do not count;
    an appointment called early, in normal order, counts as its kind."""
    if called.front or _is_due(called, now, policy):
        return streak
    return streak + 1 if called.priority else 0


def position_ahead(
    waiting: Sequence[Candidate], ticket: Candidate, now: float, policy: DispatchPolicy
) -> int:
    """How many of `waiting` would be called before `ticket` (an estimate:
    priority tickets arriving later may still pass a regular one)."""

    def rank(c: Candidate) -> tuple[int, float, int]:
        if c.front:
            return (0, c.queue_at, c.order)
        if _is_due(c, now, policy):
            return (1, c.slot_at or 0.0, c.order)
        return (2 if c.priority else 3, c.queue_at, c.order)

    mine = rank(ticket)
    return sum(1 for c in waiting if c.ticket_id != ticket.ticket_id and rank(c) < mine)
