"""A ticket the supervisor voids (never handed out) and a no-show who comes back within
the site's grace, over the real broker and server: who may, what the queue does, what
goes on the wire and what the reports count."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from queue_server.protocol.client import CommandError
from queue_server.reporting.query import day_report

DAY = "2026-11-30"


def _events(collector) -> list[dict]:
    return [p for p in collector.payloads() if isinstance(p, dict)]


def test_a_voided_ticket_leaves_the_queue_and_is_counted_as_voided(
        server, site, clock, client_factory, mqtt_collector, mosquitto):
    events = mqtt_collector(mosquitto, f"mpp/v1/{site.site.id}/event/ticket")
    kiosk = client_factory("kiosk-01", "kiosk")
    boss = client_factory("supervisor-01", "supervisor")
    desk = client_factory("counter-02", "counter")  # loket-02 serves KK
    lost, kept = (kiosk.request("ticket.issue", {"service": "kk"}) for _ in range(2))
    # a kiosk and a counter may not void
    for device in (kiosk, desk):
        with pytest.raises(CommandError) as err:
            device.request("ticket.void", {"ticket": lost["number"]})
        assert err.value.code == "forbidden"
    # WHEN the supervisor voids the first by its number, with a reason
    voided = boss.request("ticket.void", {"ticket": lost["number"],
                                          "reason": "kertas habis, warga pergi"})
    # THEN it is voided, the queue holds only the other, and the wire says so
    assert voided["ticket"]["status"] == "voided"
    assert kiosk.wait_state(lambda s: s.get("queue/kk", {}).get("waiting") == 1)
    event = next(e for e in _wait_events(events, "ticket.voided"))
    assert event["ticket"]["number"] == lost["number"] and "reason" not in event
    # AND the counter calls the other one; the voided one is never called
    desk.request("counter.open", {"counter": "loket-02"})
    called = desk.request("counter.call_next", {"counter": "loket-02"})["ticket"]
    assert called["number"] == kept["number"]
    assert desk.request("counter.call_next", {"counter": "loket-02"})["ticket"] is None
    # AND voiding it again, or a called ticket, is refused with a stable code
    for key in (lost["id"], kept["id"]):
        with pytest.raises(CommandError) as err:
            boss.request("ticket.void", {"ticket": key})
        assert err.value.code == "invalid_transition"
    with pytest.raises(CommandError) as err:
        boss.request("ticket.void", {"ticket": "B-999"})
    assert err.value.code == "unknown_ticket"
    # AND the day's report counts it as voided, not as a no-show
    site_row = day_report(server.db, site, DAY, DAY)["levels"]["site"][0]
    assert (site_row["issued"], site_row["voided"], site_row["no_shows"]) == (2, 1, 0)
    # AND the reason is in the audit log only
    with server.db.connect() as conn:
        audit = conn.execute(text("SELECT device, payload FROM events "
                                  "WHERE type = 'ticket.void_reason'")).all()
    assert audit[0][0] == "supervisor-01" and "kertas habis" in audit[0][1]


def _wait_events(collector, kind: str) -> list[dict]:
    collector.wait_for(lambda r: isinstance(r.payload, dict) and r.payload.get("type") == kind)
    return [e for e in _events(collector) if e.get("type") == kind]


def test_a_no_show_back_within_the_grace_is_called_next_with_the_same_number(
        server_factory, site, sqlite_url, clock, client_factory, mqtt_collector, mosquitto):
    server = server_factory(site, sqlite_url, clock)
    events = mqtt_collector(mosquitto, f"mpp/v1/{site.site.id}/event/ticket")
    kiosk = client_factory("kiosk-01", "kiosk")
    desk = client_factory("counter-01", "counter")  # loket-01: ktp, kk
    other = client_factory("counter-02", "counter")  # loket-02: kk only
    first, second, third = (kiosk.request("ticket.issue", {"service": "ktp"})
                            for _ in range(3))
    desk.request("counter.open", {"counter": "loket-01"})
    desk.request("counter.call_next", {"counter": "loket-01"})
    clock.advance(60)
    desk.request("counter.no_show", {"counter": "loket-01"})  # the first did not come
    # THEN the console lists it as one who may come back, with the time left
    listed = desk.request("counter.no_shows", {"counter": "loket-01"})
    assert listed["grace_min"] == 15
    assert [(t["number"], t["left_s"]) for t in listed["tickets"]] == [
        (first["number"], 15 * 60)]
    # WHEN the citizen comes back 14 minutes later (the second is being served meanwhile)
    desk.request("counter.call_next", {"counter": "loket-01"})
    clock.advance(14 * 60)
    # a counter that does not serve KTP may not take it back
    with pytest.raises(CommandError) as err:
        other.request("counter.return", {"counter": "loket-02", "ticket": first["number"]})
    assert err.value.code == "forbidden"
    back = desk.request("counter.return", {"counter": "loket-01", "ticket": first["number"]})
    # THEN it waits again, same number, at the front: nobody ahead of it
    assert back["ticket"]["number"] == first["number"] and back["ticket"]["id"] == first["id"]
    assert back["ticket"]["status"] == "waiting" and back["ahead"] == 0
    assert _wait_events(events, "ticket.returned")[0]["ticket"]["number"] == first["number"]
    assert desk.request("counter.no_shows", {"counter": "loket-01"})["tickets"] == []
    # AND so it stays when the server restarts (the return was committed)
    server.stop()
    server_factory(site, sqlite_url, clock)
    # AND it is called next, before the third who waited all along
    called = desk.request("counter.call_next", {"counter": "loket-01"})["ticket"]
    assert (called["number"], called["id"]) == (first["number"], first["id"])
    assert desk.request("counter.call_next", {"counter": "loket-01"})["ticket"]["number"] \
        == third["number"]
    # AND a ticket that is not a no-show cannot "return"
    with pytest.raises(CommandError) as err:
        desk.request("counter.return", {"counter": "loket-01", "ticket": second["number"]})
    assert err.value.code == "invalid_transition"


def test_a_no_show_back_after_the_grace_is_refused_with_a_stable_code(
        server, clock, client_factory):
    kiosk = client_factory("kiosk-01", "kiosk")
    desk = client_factory("counter-01", "counter")
    gone = kiosk.request("ticket.issue", {"service": "ktp"})
    desk.request("counter.open", {"counter": "loket-01"})
    desk.request("counter.call_next", {"counter": "loket-01"})
    desk.request("counter.no_show", {"counter": "loket-01"})
    # WHEN the citizen comes back 15 minutes and one second later
    clock.advance(15 * 60 + 1)
    assert desk.request("counter.no_shows", {"counter": "loket-01"})["tickets"] == []
    with pytest.raises(CommandError) as err:
        desk.request("counter.return", {"counter": "loket-01", "ticket": gone["number"]})
    # THEN it is refused with grace_expired, the grace as a field; the ticket stays a no-show
    assert err.value.code == "grace_expired"
    assert err.value.fields == {"grace_min": 15}
    assert desk.request("counter.call_next", {"counter": "loket-01"})["ticket"] is None
