"""Clocks nobody trusts: a kiosk whose clock is an hour ahead, then jumps two hours back,
issues tickets beside a kiosk with the right time. The hall's order and numbers follow the
server's clock alone, the printed ticket carries the server's time, and the dashboard and
/health report the skewed kiosk. Real server with its dashboard, broker and kiosk."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from queue_server.server import QueueServer
from tests.kiosk.test_kiosk_flow import WAIT_MS, to_priority
from tests.support.hall import server_options
from tests.web.test_live import wait_snapshot

HOUR = 3600.0


@pytest.fixture
def hall(mosquitto, site, sqlite_url, clock) -> Iterator[QueueServer]:
    server = QueueServer(site, server_options(mosquitto, sqlite_url, http_port=0,
                                              http_host="127.0.0.1", advertise=False), clock)
    server.start(wait_connected=10)
    try:
        assert server.web is not None and server.web.live.connected.wait(10)
        yield server
    finally:
        server.stop()


def device(snap: dict, device_id: str) -> dict:
    return next(d for d in snap["devices"] if d["id"] == device_id)


def test_a_skewed_and_jumping_kiosk_changes_no_order_and_is_reported(
        qtbot, hall, clock, kiosk_factory, client_factory, simulator):
    live = hall.web.live
    ahead = [HOUR]  # kiosk-01's clock, an hour ahead of the real time
    kiosk = kiosk_factory("kiosk-01", device_clock=lambda: time.time() + ahead[0])
    other = client_factory("kiosk-02", "kiosk")  # the right time
    # THEN the dashboard reports kiosk-01's clock an hour off, and kiosk-02's as right
    snap = wait_snapshot(live, lambda s: device(s, "kiosk-01")["clock_skew_s"] is not None
                         and device(s, "kiosk-02")["clock_skew_s"] is not None)
    assert abs(device(snap, "kiosk-01")["clock_skew_s"] - HOUR) < 5
    assert abs(device(snap, "kiosk-02")["clock_skew_s"]) < 5
    alerts = {a["key"]: a for a in snap["alerts"]}
    assert alerts["clock:kiosk-01"]["kind"] == "clock_skew"
    assert abs(alerts["clock:kiosk-01"]["value"] - HOUR) < 5
    assert "clock:kiosk-02" not in alerts
    # AND /health says so, with the allowed skew
    with httpx.Client() as web:
        health = web.get(f"http://127.0.0.1:{hall.http_port}/health").json()
    assert health["clocks"]["max_skew_s"] == 60
    assert list(health["clocks"]["devices_off"]) == ["kiosk-01"]
    # AND the kiosk shows the hall's time: its clock plus the offset a ping measured
    qtbot.waitUntil(lambda: abs(kiosk.bridge.server_now() - clock.now()) < 5, timeout=WAIT_MS)

    issued: list[tuple[str, str]] = []  # (who, number) in the order they were issued

    def from_kiosk() -> None:
        to_priority(qtbot, kiosk, "ktp")
        kiosk.click("priority-none")
        qtbot.waitUntil(lambda: kiosk.model.screen == "result", timeout=WAIT_MS)
        issued.append(("kiosk-01", kiosk.model.ticket["number"]))
        kiosk.click("doneButton")
        qtbot.waitUntil(lambda: kiosk.model.screen == "welcome", timeout=WAIT_MS)

    def from_other() -> None:
        issued.append(("kiosk-02", other.request("ticket.issue", {"service": "ktp"})["number"]))

    # WHEN both issue, the server's clock moving on between tickets
    for take in (from_kiosk, from_other):
        take()
        clock.advance(30)
    # AND kiosk-01's clock jumps two hours back (an NTP correction overshooting), then both
    # issue again
    ahead[0] = -HOUR
    kiosk.bridge.check_clock_now()
    snap = wait_snapshot(live, lambda s: (device(s, "kiosk-01")["clock_skew_s"] or 0) < 0)
    assert abs(device(snap, "kiosk-01")["clock_skew_s"] + HOUR) < 5
    for take in (from_kiosk, from_other):
        take()
        clock.advance(30)
    # THEN the numbers are in the order of issue, whoever's clock said what
    assert [n for _, n in issued] == ["A-001", "A-002", "A-003", "A-004"]
    assert [w for w, _ in issued] == ["kiosk-01", "kiosk-02", "kiosk-01", "kiosk-02"]
    # AND the printed tickets carry the server's time (Monday 09:00 and 09:01 WITA), not
    # the kiosk's
    printed = [t.lines for t in simulator.tickets]
    assert [next(line for line in lines if "WITA" in line) for lines in printed] == [
        "30/11/2026 09:00 WITA", "30/11/2026 09:01 WITA"]
    # AND a counter calls them in that order
    desk = client_factory("counter-01", "counter")
    desk.request("counter.open", {"counter": "loket-01"})
    called = [desk.request("counter.call_next", {"counter": "loket-01"})["ticket"]["number"]
              for _ in issued]
    assert called == [n for _, n in issued]
