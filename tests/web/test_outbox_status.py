"""The outbox as the hall's people see it, on a real server with its dashboard (real
Mosquitto, SQLite, uvicorn) and no central in its site file: the device incidents the
dashboard's follower hears go to the outbox; /health, /metrics and the live picture show
the backlog, and the WAN as `off`."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from queue_server.protocol.client import QueueClient
from tests.web.conftest import Dash


def incidents(dash: Dash) -> list[tuple[str, dict[str, str]]]:
    with dash.server.db.connect() as conn:
        rows = conn.execute(text("SELECT body FROM outbox WHERE stream = 'incidents' "
                                 "ORDER BY seq")).scalars().all()
    return [(r["type"], r["data"]) for r in map(json.loads, rows)]


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, f"not within 10 s: {what}"
        time.sleep(0.02)  # the follower's and the server's threads: watched from here


def test_device_incidents_reach_the_outbox_and_the_status_shows_them(
        dash: Dash, client_factory: Callable[..., QueueClient],
        supervisor: httpx.Client, clients: Callable[[], httpx.Client]) -> None:
    web = clients()
    # GIVEN a kiosk that comes up (a boot: no incident), goes away and comes back
    kiosk = client_factory("kiosk-01", "kiosk")
    wait_for(lambda: dash.server.web.live.devices.get("kiosk-01") is not None, "heard")
    kiosk.stop()
    wait_for(lambda: len(incidents(dash)) == 1, "the first incident")
    kiosk = client_factory("kiosk-01", "kiosk")
    # AND its printer runs out of paper
    root = f"mpp/v1/{dash.server.cfg.site.id}"
    kiosk.link.publish(f"{root}/device/kiosk-01", json.dumps(
        {"role": "kiosk", "status": "online",
         "printer": {"state": "paper_out", "paper": "out"}}).encode(), retain=True)
    wait_for(lambda: len(incidents(dash)) == 3, "three incidents")
    # THEN the outbox holds them in the order they happened
    assert incidents(dash) == [
        ("device.offline", {"device": "kiosk-01", "role": "kiosk"}),
        ("device.online", {"device": "kiosk-01", "role": "kiosk"}),
        ("printer.fault", {"device": "kiosk-01", "role": "kiosk", "fault": "paper_out"})]
    # AND /health says the WAN is off (no central) with three records waiting
    health = web.get("/health").json()["outbox"]
    assert (health["wan"], health["enabled"], health["alert"]) == ("off", False, False)
    wait_for(lambda: web.get("/health").json()["outbox"]["backlog"] == 3, "counted")
    # AND /metrics counts them by stream
    samples = {(s.name, tuple(s.labels.items())): s.value for f in text_string_to_metric_families(
        web.get("/metrics").text) for s in f.samples}
    assert samples[("mpp_outbox_backlog", (("stream", "incidents"),))] == 3
    assert samples[("mpp_outbox_wan_up", ())] == 0
    # AND the dashboard's picture carries the status bar's figures, and no outbox alert
    snap = supervisor.get("/api/snapshot").json()
    assert snap["outbox"]["wan"] == "off" and snap["outbox"]["backlog"] == 3
    assert not [a for a in snap["alerts"] if a["kind"] == "outbox_stale"]
