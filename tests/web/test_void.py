"""The supervisor voids a ticket never handed out, over the dashboard's HTTP API: the ticket
leaves the queue, cannot be called, the event goes on the wire and the day's report counts
it as voided, not as a no-show."""

from __future__ import annotations

import re

from tests.web.test_live import service, wait_snapshot


def test_void_over_http_takes_the_ticket_out_and_the_report_counts_it(
        dash, supervisor, client_factory, mqtt_collector, mosquitto, site):
    events = mqtt_collector(mosquitto, f"mpp/v1/{site.site.id}/event/ticket")
    live = dash.server.web.live
    kiosk = client_factory("kiosk-01", "kiosk")
    lost = kiosk.request("ticket.issue", {"service": "ktp"})
    kiosk.request("ticket.issue", {"service": "ktp"})
    wait_snapshot(live, lambda s: service(s, "ktp")["waiting"] == 2)
    # WHEN the supervisor voids the first by its number (lower case, as typed)
    resp = supervisor.post("/api/tickets/void", json={"ticket": lost["number"].lower(),
                                                       "reason": "kertas habis"})
    # THEN it is voided, the queue holds one, and the event is on the wire
    assert resp.status_code == 200, resp.text
    assert resp.json()["result"]["ticket"]["status"] == "voided"
    wait_snapshot(live, lambda s: service(s, "ktp")["waiting"] == 1)
    voided = events.wait_for(lambda r: isinstance(r.payload, dict)
                             and r.payload.get("type") == "ticket.voided").payload
    assert voided["ticket"]["id"] == lost["id"] and "reason" not in voided
    # AND it cannot be called: the counter calls the other one, then nobody
    desk = client_factory("counter-01", "counter")
    desk.request("counter.open", {"counter": "loket-01"})
    assert desk.request("counter.call_next", {"counter": "loket-01"})["ticket"]["number"] \
        == "A-002"
    assert desk.request("counter.call_next", {"counter": "loket-01"})["ticket"] is None
    # AND voiding it again is refused in the supervisor's language
    again = supervisor.post("/api/tickets/void", json={"ticket": lost["id"]})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"
    assert "dibatalkan" in again.json()["error"]["message"]
    # AND the day's report page shows one voided and no no-show
    page = supervisor.get("/reports", params={"first_day": "2026-11-30",
                                              "last_day": "2026-11-30"}).text
    totals = dict(re.findall(r'<dd data-field="(\w+)">([^<]*)</dd>', page))
    assert (totals["issued"], totals["voided"], totals["no_shows"]) == ("2", "1", "0")
    assert "Dibatalkan petugas" in page
