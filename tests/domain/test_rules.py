"""Can a ticket be issued now? Supervisor closing, opening hours and daily quotas."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from queue_server.config import Schedule
from queue_server.domain.rules import OpenCheck, check_issuable, why_closed
from queue_server.protocol.errors import ErrorCode, ProtocolError

WITA = ZoneInfo("Asia/Makassar")
# Monday and Friday mornings and afternoons, a lunch break, closed at the weekend.
HOURS = Schedule(mon=("08:00-12:00", "13:00-15:00"), fri=("08:00-11:00",))


def _mon(hhmm: str) -> dt.datetime:
    """Monday 6 May 2024 at hh:mm in Makassar."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    return dt.datetime(2024, 5, 6, hour, minute, tzinfo=WITA)


OPEN_TIME = _mon("09:30")
SUNDAY = dt.datetime(2024, 5, 5, 9, 30, tzinfo=WITA)


def issue(schedule: OpenCheck, local: dt.datetime, *, manually_closed: bool,
          issued_today: int, quota: int | None) -> None:
    """What the kiosk's ticket.issue checks: the reason the service is closed, if any."""
    check_issuable(why_closed(schedule, local, manually_closed, issued_today, quota), quota)


@pytest.mark.parametrize(
    ("local", "issued", "quota"),
    [
        pytest.param(OPEN_TIME, 0, None, id="no-quota"),
        pytest.param(OPEN_TIME, 99, 100, id="one-left"),
        pytest.param(_mon("08:00"), 0, 1, id="opening-minute"),
        pytest.param(_mon("13:00"), 5, 10, id="after-lunch"),
        pytest.param(_mon("14:59"), 5, None, id="last-minute"),
    ],
)
def test_open_and_under_quota_passes(local: dt.datetime, issued: int, quota: int | None) -> None:
    assert why_closed(HOURS, local, False, issued, quota) is None
    issue(HOURS, local, manually_closed=False, issued_today=issued, quota=quota)


@pytest.mark.parametrize(
    ("local", "closed", "issued_quota", "code", "reason"),
    [
        pytest.param(OPEN_TIME, True, (0, None), ErrorCode.SERVICE_CLOSED, "supervisor",
                     id="supervisor-closed"),
        pytest.param(OPEN_TIME, True, (100, 100), ErrorCode.SERVICE_CLOSED, "supervisor",
                     id="supervisor-closed-beats-quota"),
        pytest.param(SUNDAY, True, (0, None), ErrorCode.SERVICE_CLOSED, "supervisor",
                     id="supervisor-closed-beats-hours"),
        pytest.param(_mon("07:59"), False, (0, None), ErrorCode.SERVICE_CLOSED, "hours",
                     id="before-opening"),
        pytest.param(_mon("12:00"), False, (0, None), ErrorCode.SERVICE_CLOSED, "hours",
                     id="lunch-break-end-exclusive"),
        pytest.param(_mon("15:00"), False, (0, None), ErrorCode.SERVICE_CLOSED, "hours",
                     id="closing-time-exclusive"),
        pytest.param(SUNDAY, False, (0, None), ErrorCode.SERVICE_CLOSED, "hours",
                     id="day-not-in-schedule"),
        pytest.param(SUNDAY, False, (100, 100), ErrorCode.SERVICE_CLOSED, "hours",
                     id="hours-beat-quota"),
        pytest.param(OPEN_TIME, False, (100, 100), ErrorCode.QUOTA_FULL, "100",
                     id="quota-reached"),
        pytest.param(OPEN_TIME, False, (101, 100), ErrorCode.QUOTA_FULL, "100",
                     id="over-quota"),
        pytest.param(OPEN_TIME, False, (1, 1), ErrorCode.QUOTA_FULL, "1 ticket",
                     id="quota-of-one"),
    ],
)
def test_refusals_and_their_precedence(
    local: dt.datetime,
    closed: bool,
    issued_quota: tuple[int, int | None],
    code: ErrorCode,
    reason: str,
) -> None:
    # GIVEN tickets issued today and the daily quota
    issued, quota = issued_quota
    # WHEN a kiosk asks for a ticket
    with pytest.raises(ProtocolError) as info:
        issue(HOURS, local, manually_closed=closed, issued_today=issued, quota=quota)
    # THEN the first blocking rule names itself: supervisor, then hours, then quota
    assert info.value.code is code
    assert reason in info.value.message
    # AND why_closed gives the same rule as the word state/queue publishes
    word = why_closed(HOURS, local, closed, issued, quota)
    assert word == (reason if code is ErrorCode.SERVICE_CLOSED else "quota")
    # AND a full quota's figure is a field of the error, not only words in its message
    assert info.value.fields == ({"quota": quota} if code is ErrorCode.QUOTA_FULL else {})


def test_hours_are_read_in_the_site_zone() -> None:
    # GIVEN 09:30 WITA expressed as the same instant in UTC (01:30 UTC)
    same_instant_utc = OPEN_TIME.astimezone(dt.UTC)
    # THEN the caller must convert: the schedule reads the wall clock it is given
    issue(HOURS, OPEN_TIME, manually_closed=False, issued_today=0, quota=None)
    with pytest.raises(ProtocolError) as info:
        issue(HOURS, same_instant_utc, manually_closed=False, issued_today=0, quota=None)
    assert info.value.code is ErrorCode.SERVICE_CLOSED


class _AlwaysOpen:
    def is_open(self, local: dt.datetime) -> bool:
        return True


def test_any_object_with_is_open_is_a_schedule() -> None:
    with pytest.raises(ProtocolError) as info:
        issue(_AlwaysOpen(), SUNDAY, manually_closed=False, issued_today=3, quota=3)
    assert info.value.code is ErrorCode.QUOTA_FULL
