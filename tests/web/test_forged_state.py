"""Forged and malformed retained state on a real broker never breaks the dashboard: the
follower's picture ignores each bad message with a log line and keeps the truth, and the
page's snapshot still comes (tests/support/forged.py has the messages)."""

from __future__ import annotations

import logging
import uuid

from tests.support.forged import MALFORMED, THIN, forge

WAIT_S = 10.0

FORGED_PRESENCE = [("device/kiosk-01", 12), ("device/kiosk-02", ["online"]),
                   ("device/kiosk-03", {"status": "online", "printer": "out of paper"}),
                   ("device/kiosk-04", {"role": "kiosk"})]


def settle(dash, forger, site: str, items) -> None:  # type: ignore[no-untyped-def]
    """Forge `items`, then a marker, and wait until the follower took the marker (it takes
    messages in order)."""
    live = dash.server.web.live
    marker = uuid.uuid4().hex
    forge(forger, site, [*items, ("state/queue/settle", {"service": "settle", "at": marker})])
    version = live.version
    while (live.queues.get("settle") or {}).get("at") != marker:
        version = live.wait_change(version, WAIT_S)
        assert (live.queues.get("settle") or {}).get("at") == marker or \
            live.version == version, "the follower never took the marker"


def test_the_dashboard_keeps_the_truth(dash, supervisor, client_factory, mqtt_client_factory,
                                       mosquitto, site, caplog):
    caplog.set_level(logging.WARNING, logger="mpp.web.live")
    kiosk = client_factory("kiosk-01", "kiosk")
    counter = client_factory("counter-01", "counter")
    kiosk.request("ticket.issue", {"service": "ktp"})
    kiosk.request("ticket.issue", {"service": "ktp"})
    counter.request("counter.open", {"counter": "loket-01"})
    counter.request("counter.call_next", {"counter": "loket-01"})
    live = dash.server.web.live
    forger = mqtt_client_factory(mosquitto, user="server")  # only its account may write state/
    settle(dash, forger, site.site.id, [])

    def picture() -> tuple:
        snap = live.snapshot()
        ktp = next(s for a in snap["agencies"] for s in a["services"] if s["id"] == "ktp")
        loket = next(c for c in snap["counters"] if c["id"] == "loket-01")
        return snap["server_online"], ktp["waiting"], loket["ticket"], loket["status"]

    truth = picture()
    assert truth == (True, 1, "A-001", "open")
    # WHEN malformed state and presence arrive
    # (presence only a device's own account may write: each is a stolen kiosk)
    for topic, payload in FORGED_PRESENCE:
        stolen = mqtt_client_factory(mosquitto, user=topic.removeprefix("device/"))
        forge(stolen, site.site.id, [(topic, payload)])
    settle(dash, forger, site.site.id, MALFORMED)
    # THEN the picture is what it was, and each bad message was named in the log
    assert picture() == truth
    ignored = [r.getMessage() for r in caplog.records if "ignored a malformed" in r.getMessage()]
    assert len(ignored) >= 12
    devices = {d["id"]: d for d in live.snapshot()["devices"]}
    assert devices["kiosk-01"]["status"] == "online"  # its own presence, not the forged 12
    # AND the page's snapshot comes as ever
    resp = supervisor.get("/api/snapshot")
    assert resp.status_code == 200 and resp.json()["server_online"] is True
    # AND thin state breaks nothing
    settle(dash, forger, site.site.id, THIN)
    assert supervisor.get("/api/snapshot").status_code == 200
    # AND the server's next change puts the truth back
    counter.request("counter.recall", {"counter": "loket-01"})
    version = live.version
    while picture()[2:] != ("A-001", "open"):
        version = live.wait_change(version, WAIT_S)
