"""A hall's morning with a NIK planted where a careless booking tool or citizen would put
it (as an appointment code, inside one, scanned at a kiosk): at the end, no log line (all
loggers, DEBUG), no message the hall published and no byte of its database holds it, and
no log line holds a ticket page's key."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from queue_server.domain.ikm import ELEMENTS
from queue_server.protocol.client import CommandError
from queue_server.server import QueueServer
from tests.support.hall import server_options

NIK = "3201012345670001"
PLANTED = (NIK, f"BOOK-{NIK}", "3201-0123-4567-0001")
DAY_S = 86400.0


def refused(client, op: str, args: dict) -> str:
    with pytest.raises(CommandError) as err:
        client.request(op, args)
    return str(err.value.code)


def test_a_planted_nik_reaches_no_log_no_topic_and_no_database_row(
        mosquitto, site, clock, tmp_path: Path, caplog, mqtt_collector, client_factory):
    caplog.set_level(logging.DEBUG)
    db_file = tmp_path / "mpp.db"
    server = QueueServer(site, server_options(
        mosquitto, f"sqlite:///{db_file}", http_port=0, http_host="127.0.0.1",
        advertise=False), clock)
    server.start(wait_connected=10)
    heard = mqtt_collector(mosquitto, f"mpp/v1/{site.site.id}/#")
    try:
        kiosk = client_factory("kiosk-01", "kiosk")
        desk = client_factory("counter-01", "counter")
        boss = client_factory("supervisor-01", "supervisor")
        # the planted NIKs, each refused
        for code in PLANTED:
            assert refused(boss, "appointment.add", {"code": code, "service": "kk",
                                                     "slot": "2026-11-30T09:10"}) \
                == "personal_data"
            assert refused(kiosk, "appointment.checkin", {"code": code}) == "personal_data"
            assert refused(kiosk, "ticket.issue", {"service": "kk", "appointment": code}) \
                == "personal_data"
        # the morning: walk-ins, a real booking checked in, served, rated on the page
        boss.request("appointment.add", {"code": "JT-7F3K", "service": "kk",
                                         "slot": "2026-11-30T09:10"})
        pages = [kiosk.request("ticket.issue", {"service": "ktp"})["url"],
                 kiosk.request("appointment.checkin", {"code": "JT-7F3K"})["url"]]
        desk.request("counter.open", {"counter": "loket-01"})
        for _ in pages:
            desk.request("counter.call_next", {"counter": "loket-01"})
            desk.request("counter.complete", {"counter": "loket-01"})
        with httpx.Client(timeout=10.0) as phone:
            for page in pages:
                assert phone.get(page).status_code == 200
                answered = phone.post(page, data=dict.fromkeys(ELEMENTS, "3"))
                assert 'data-state="thanks"' in answered.text
        # three months later the periodic tick runs (rollover, retention, housekeeping)
        clock.advance(91 * DAY_S)
        server.request_tick()
        kiosk.request("ping", {})
        kiosk.request("ping", {})  # answered after the tick that was due before it
    finally:
        server.stop()
    digits = NIK[4:12]  # the birth date and serial: in every planted form
    # every logger but the test's own phone's (httpx logs the addresses it opens)
    logged = "\n".join(r.getMessage() for r in caplog.records
                       if not r.name.startswith(("httpx", "httpcore")))
    assert digits not in logged and "0123-4567" not in logged
    assert "retention: 1 appointments past 90 days deleted" in logged
    keys = [page.rsplit("/", 1)[1] for page in pages]
    assert not [k for k in keys if k in logged]
    published = [m for m in heard.snapshot() if "/cmd/" not in m.topic]
    assert published and not [m.topic for m in published
                              if digits.encode() in m.raw or b"0123-4567" in m.raw]
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("mpp.db*"))
    assert digits.encode() not in stored and b"0123-4567" not in stored
