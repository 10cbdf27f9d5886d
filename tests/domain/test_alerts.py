"""The dashboard's alert rules (queue_server/domain/alerts.py): plain values in, alerts out;
no broker, database or web."""

from __future__ import annotations

import pytest

from queue_server.domain.alerts import (
    PAUSE_ALERT_S,
    Alert,
    AlertKind,
    clock_alerts,
    counter_alerts,
    device_alerts,
    over_target,
    standing_acks,
    wait_alerts,
)


@pytest.mark.parametrize(
    ("waiting", "longest", "expected"),
    [
        pytest.param(0, 0.0, False, id="nobody-waits"),
        pytest.param(0, 9999.0, False, id="nobody-waits-whatever-the-clock"),
        pytest.param(3, 1800.0, False, id="exactly-the-target"),
        pytest.param(3, 1801.0, True, id="past-the-target"),
        pytest.param(1, 60.0, False, id="well-within"),
    ],
)
def test_over_target_needs_someone_waiting_past_the_target(waiting: int, longest: float,
                                                           expected: bool) -> None:
    assert over_target(waiting, longest, 1800) is expected


def test_a_wait_over_target_is_one_alert_per_service_with_the_longest_wait() -> None:
    assert wait_alerts("ktp", False, 4000) == []
    assert wait_alerts("ktp", True, 1860) == [
        Alert("wait:ktp", AlertKind.WAIT_OVER_TARGET, "ktp", 1860)]


@pytest.mark.parametrize(
    ("status", "state", "paper", "expected"),
    [
        pytest.param("online", "ready", "ok", [], id="all-well"),
        pytest.param("online", None, None, [], id="no-printer"),
        pytest.param("offline", None, None,
                     [("offline:kiosk-01", AlertKind.DEVICE_OFFLINE, None)], id="offline"),
        pytest.param("online", "paper_near_end", "near_end",
                     [("paper:kiosk-01:near_end", AlertKind.PAPER_LOW, None)], id="paper-low"),
        pytest.param("online", "paper_out", "out",
                     [("paper:kiosk-01:out", AlertKind.PAPER_OUT, None)], id="paper-out"),
        pytest.param("online", "cover_open", "ok",
                     [("printer:kiosk-01:cover_open", AlertKind.PRINTER_PROBLEM, "cover_open")],
                     id="cover-open"),
        pytest.param("online", "error", None,
                     [("printer:kiosk-01:error", AlertKind.PRINTER_PROBLEM, "error")],
                     id="printer-error"),
        pytest.param("unknown", "offline", None,
                     [("printer:kiosk-01:offline", AlertKind.PRINTER_PROBLEM, "offline")],
                     id="printer-offline-device-unknown"),
        pytest.param("offline", "offline", None,
                     [("offline:kiosk-01", AlertKind.DEVICE_OFFLINE, None)],
                     id="offline-device-says-no-more-of-its-printer"),
        pytest.param("offline", "paper_out", "out",
                     [("offline:kiosk-01", AlertKind.DEVICE_OFFLINE, None),
                      ("paper:kiosk-01:out", AlertKind.PAPER_OUT, None)],
                     id="offline-and-out-of-paper"),
        pytest.param("online", "cover_open", "out",
                     [("paper:kiosk-01:out", AlertKind.PAPER_OUT, None)],
                     id="paper-comes-before-the-printer-state"),
    ],
)
def test_device_alerts(status: str, state: str | None, paper: str | None,
                       expected: list[tuple[str, AlertKind, str | None]]) -> None:
    found = device_alerts("kiosk-01", status, state, paper)
    assert found == [Alert(key, kind, "kiosk-01", value) for key, kind, value in expected]


@pytest.mark.parametrize(
    ("status", "for_s", "alerted"),
    [
        pytest.param("paused", int(PAUSE_ALERT_S) + 1, True, id="paused-too-long"),
        pytest.param("paused", int(PAUSE_ALERT_S), False, id="paused-exactly-the-limit"),
        pytest.param("paused", None, False, id="paused-since-unknown"),
        pytest.param("open", 99999, False, id="open-for-long"),
        pytest.param("closed", 99999, False, id="closed-for-long"),
    ],
)
def test_a_counter_paused_too_long(status: str, for_s: int | None, alerted: bool) -> None:
    found = counter_alerts("loket-02", status, for_s)
    expected = [Alert("paused:loket-02", AlertKind.COUNTER_PAUSED_LONG, "loket-02", for_s)]
    assert found == (expected if alerted else [])


def test_the_pause_limit_is_an_argument() -> None:
    assert counter_alerts("loket-02", "paused", 61, pause_alert_s=60)
    assert not counter_alerts("loket-02", "paused", 59, pause_alert_s=60)


def test_an_acknowledgement_lasts_as_long_as_its_condition() -> None:
    # GIVEN two acknowledged alerts
    acks = {"wait:ktp": "sari", "offline:kiosk-01": "ani"}
    # WHEN only one of the conditions still stands
    still = standing_acks(acks, [Alert("wait:ktp", AlertKind.WAIT_OVER_TARGET, "ktp", 1900),
                                 Alert("paused:loket-01", AlertKind.COUNTER_PAUSED_LONG,
                                       "loket-01", 1000)])
    # THEN its acknowledgement is kept, the other forgotten, and none is invented
    assert still == {"wait:ktp": "sari"}
    assert standing_acks(acks, []) == {}


def test_a_rate_limited_device_is_alerted_while_it_was_refused_lately():
    from queue_server.domain.alerts import LIMIT_ALERT_S, limit_alerts

    alerts = limit_alerts("kiosk-01", 12, last_at=1000.0, now=1000.0 + LIMIT_ALERT_S)
    assert alerts == [Alert("limited:kiosk-01", AlertKind.RATE_LIMITED, "kiosk-01", 12)]
    assert limit_alerts("kiosk-01", 12, last_at=1000.0, now=1001.0 + LIMIT_ALERT_S) == []
    assert limit_alerts("kiosk-01", 0, last_at=1000.0, now=1000.0) == []


@pytest.mark.parametrize(
    ("status", "skew", "expected"),
    [
        pytest.param("online", None, None, id="never-told"),
        pytest.param("online", 59.6, None, id="within-a-minute"),
        pytest.param("online", 60.0, None, id="a-minute-exactly"),
        pytest.param("online", 61.2, 61, id="ahead"),
        pytest.param("online", -3600.4, -3600, id="behind"),
        pytest.param("offline", 3600.0, None, id="offline-device"),
    ],
)
def test_a_clock_further_than_the_limit_is_one_alert_with_the_signed_skew(
        status: str, skew: float | None, expected: int | None) -> None:
    found = clock_alerts("kiosk-01", status, skew, 60)
    assert found == ([] if expected is None else
                     [Alert("clock:kiosk-01", AlertKind.CLOCK_SKEW, "kiosk-01", expected)])
