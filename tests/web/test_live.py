"""The live picture: waits against targets, today's average wait, counters paused too
long, acknowledgements, and a clean stop while browsers are still listening."""

from __future__ import annotations

import json
import time

from tests.web.conftest import SUPERVISOR


def wait_snapshot(live, predicate, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        snap = live.snapshot()
        if predicate(snap):
            return snap
        left = deadline - time.monotonic()
        assert left > 0, f"the live picture never matched; last: {json.dumps(snap)[:800]}"
        live.wait_change(snap["version"], left)


def service(snap, sid):  # type: ignore[no-untyped-def]
    return next(s for a in snap["agencies"] for s in a["services"] if s["id"] == sid)


def counter(snap, cid):  # type: ignore[no-untyped-def]
    return next(c for c in snap["counters"] if c["id"] == cid)


def alert_keys(snap):  # type: ignore[no-untyped-def]
    return {a["key"]: a for a in snap["alerts"]}


def test_wait_over_target_and_average_wait(dash, clock, client_factory, supervisor):
    live = dash.server.web.live
    kiosk = client_factory("kiosk-01", "kiosk")
    kiosk.request("ticket.issue", {"service": "ktp"})
    snap = wait_snapshot(live, lambda s: service(s, "ktp")["waiting"] == 1)
    assert not service(snap, "ktp")["over_target"] and "wait:ktp" not in alert_keys(snap)
    clock.advance(31 * 60)  # the small site's target is 30 minutes
    snap = supervisor.get("/api/snapshot").json()
    ktp = service(snap, "ktp")
    assert ktp["longest_wait_s"] == 31 * 60 and ktp["over_target"]
    assert alert_keys(snap)["wait:ktp"]["kind"] == "wait_over_target"

    desk = client_factory("counter-01", "counter")
    desk.request("officer.signin", {"officer": "petugas-01", "pin": "1234"})
    desk.request("counter.open", {"counter": "loket-01"})
    desk.request("counter.call_next", {"counter": "loket-01"})
    snap = wait_snapshot(live, lambda s: service(s, "ktp")["avg_wait_s"] is not None
                         and counter(s, "loket-01")["ticket"] == "A-001")
    assert counter(snap, "loket-01")["officer"] == "petugas-01"
    assert counter(snap, "loket-01")["officer_name"] == "Andi"
    assert service(snap, "ktp")["avg_wait_s"] == 31 * 60
    assert service(snap, "ktp")["calls_today"] == 1
    assert snap["totals"] == {"waiting": 0, "issued_today": 1, "called_today": 1,
                              "counters_open": 1, "counters_paused": 0}
    assert "wait:ktp" not in alert_keys(snap)  # nobody waits any more
    desk.request("counter.recall", {"counter": "loket-01"})  # a recall is not a second wait
    kiosk.request("ticket.issue", {"service": "ktp"})
    snap = wait_snapshot(live, lambda s: service(s, "ktp")["waiting"] == 1)
    assert service(snap, "ktp")["calls_today"] == 1


def test_average_wait_survives_a_restart_of_the_dashboard(dash, clock, client_factory):
    from queue_server.web.live import LiveState

    kiosk = client_factory("kiosk-01", "kiosk")
    kiosk.request("ticket.issue", {"service": "kk"})
    clock.advance(600)
    desk = client_factory("counter-02", "counter")
    desk.request("counter.open", {"counter": "loket-02"})
    desk.request("counter.call_next", {"counter": "loket-02"})
    fresh = LiveState(dash.server.cfg, clock, dash.server.db)
    fresh.load_waits()  # what a restarted server reads from the database
    assert service(fresh.snapshot(), "kk")["avg_wait_s"] == 600


def test_counter_paused_too_long_is_alerted_and_acknowledged(dash, clock, client_factory,
                                                             supervisor):
    live = dash.server.web.live
    desk = client_factory("counter-02", "counter")
    desk.request("counter.open", {"counter": "loket-02"})
    wait_snapshot(live, lambda s: counter(s, "loket-02")["status"] == "open")
    resp = supervisor.post("/api/counters/loket-02/pause", json={"reason": "prayer"})
    assert resp.status_code == 200, resp.text
    snap = wait_snapshot(live, lambda s: counter(s, "loket-02")["status"] == "paused")
    assert counter(snap, "loket-02")["reason"] == "prayer"
    assert "paused:loket-02" not in alert_keys(snap)
    clock.advance(live.pause_alert_s + 60)
    snap = supervisor.get("/api/snapshot").json()
    assert alert_keys(snap)["paused:loket-02"]["acked_by"] is None
    assert supervisor.post("/api/alerts/ack", json={"key": "paused:loket-02"}).json()["ok"]
    assert alert_keys(live.snapshot())["paused:loket-02"]["acked_by"] == SUPERVISOR
    assert supervisor.post("/api/alerts/ack", json={"key": "nope"}).status_code == 404
    # the condition ends, then comes back: a new alert, not acknowledged
    desk.request("counter.open", {"counter": "loket-02"})
    wait_snapshot(live, lambda s: "paused:loket-02" not in alert_keys(s))
    desk.request("counter.pause", {"counter": "loket-02", "reason": "break"})
    wait_snapshot(live, lambda s: counter(s, "loket-02")["status"] == "paused")
    clock.advance(live.pause_alert_s + 60)
    assert alert_keys(live.snapshot())["paused:loket-02"]["acked_by"] is None


def test_live_stream_sends_changes_and_stop_ends_it(dash, supervisor, client_factory):
    kiosk = client_factory("kiosk-03", "kiosk")
    with supervisor.stream("GET", "/api/live") as resp:
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/event-stream")
        lines = resp.iter_lines()
        assert next(lines) == "retry: 2000"  # the browser's reconnect delay comes first
        snaps = []
        deadline = time.monotonic() + 10.0  # a keepalive picture comes every 5 s at least
        for line in lines:
            assert time.monotonic() < deadline, f"no picture with the ticket in {len(snaps)}"
            if line.startswith("data: "):
                snaps.append(json.loads(line[6:]))
                if len(snaps) == 1:
                    kiosk.request("ticket.issue", {"service": "akta"})
                if service(snaps[-1], "akta")["waiting"] == 1:
                    break
            else:  # every event is a named snapshot, one "data:" line each
                assert line in ("event: snapshot", ""), line
        # THEN the first picture is the empty queue, and a later one the issued ticket
        waiting = [service(s, "akta")["waiting"] for s in snaps]
        assert waiting[0] == 0 and waiting[-1] == 1 and waiting == sorted(waiting)
        versions = [s["version"] for s in snaps]
        assert versions == sorted(versions) and versions[-1] > versions[0]
        # WHEN the server stops with this stream still open
        dash.server.stop()
        assert not dash.server._http._thread.is_alive()
        # THEN the server ends the response itself: the rest reads to its end without a
        # broken chunk, holding at most whole snapshot events sent before it closed
        rest = list(lines)
    assert {line for line in rest if not line.startswith("data: ")} <= {"event: snapshot", ""}
    for snap in (json.loads(line[6:]) for line in rest if line.startswith("data: ")):
        assert "agencies" in snap and service(snap, "akta")["waiting"] == 1, snap
