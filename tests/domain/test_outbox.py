"""The outbox's pure rules: the incidents between two presences of a device, and the
delay before the next try after failures in a row."""

from __future__ import annotations

import pytest

from queue_server.domain.outbox import incidents, retry_delay

ONLINE = {"role": "kiosk", "status": "online", "printer": {"state": "ready", "paper": "ok"}}
OFFLINE = {"role": "kiosk", "status": "offline"}


def kinds(before, after):
    return [(e.type, e.data.get("fault")) for e in incidents("kiosk-01", "kiosk", before,
                                                              after, 100.0)]


def test_a_device_that_goes_and_comes_back_is_two_incidents():
    assert kinds(ONLINE, OFFLINE) == [("device.offline", None)]
    assert kinds(OFFLINE, ONLINE) == [("device.online", None)]
    # a device first heard online (a boot) is no incident; one first heard offline is
    assert kinds(None, ONLINE) == []
    assert kinds(None, OFFLINE) == [("device.offline", None)]
    assert kinds(ONLINE, dict(ONLINE)) == []


@pytest.mark.parametrize(("printer", "fault"), [
    ({"state": "ready", "paper": "near_end"}, "paper_near_end"),
    ({"state": "paper_out", "paper": "out"}, "paper_out"),
    ({"state": "cover_open", "paper": "ok"}, "cover_open"),
    ({"state": "error"}, "error"),
])
def test_a_printer_fault_begins_and_ends(printer, fault):
    broken = {**ONLINE, "printer": printer}
    assert kinds(ONLINE, broken) == [("printer.fault", fault)]
    assert kinds(broken, broken) == []
    assert kinds(broken, ONLINE) == [("printer.ok", fault)]


def test_an_offline_device_says_nothing_of_its_printer():
    broken = {**ONLINE, "printer": {"state": "cover_open"}}
    assert kinds(broken, OFFLINE) == [("device.offline", None)]


def test_the_delay_doubles_to_its_cap_and_keeps_at_least_half():
    # GIVEN a base of 1 s and a cap of 60 s
    lows = [retry_delay(n, 1.0, 60.0, 0.0) for n in range(1, 10)]
    highs = [retry_delay(n, 1.0, 60.0, 0.999999) for n in range(1, 10)]
    # THEN each failure doubles the step up to the cap; the jitter spans its upper half
    assert lows == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]
    assert [round(h) for h in highs] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    # AND a failure count of years does not overflow
    assert retry_delay(10**9, 1.0, 300.0, 0.5) == 225.0
