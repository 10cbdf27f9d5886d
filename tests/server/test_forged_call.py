"""A kiosk cannot call a ticket, whatever it forges (issue 12's acceptance), on the suite's
secured broker (accounts, ACL, TLS) with a real server: the broker drops what it publishes
on a counter's command topic, and the server refuses a counter op from a kiosk, however
the payload names the counter's device. The ticket stays waiting for the real counter."""

from __future__ import annotations

import pytest

from queue_server.protocol.client import CommandError
from queue_server.protocol.messages import dumps


def test_a_kiosk_cannot_call_a_ticket_even_by_forging_the_payload(
        server, site, client_factory, mqtt_collector, mosquitto):
    root = f"mpp/v1/{site.site.id}"
    events = mqtt_collector(mosquitto, f"{root}/event/ticket")
    kiosk = client_factory("kiosk-01", "kiosk")
    counter = client_factory("counter-01", "counter")
    waiting = kiosk.request("ticket.issue", {"service": "ktp"})
    counter.request("counter.open", {"counter": "loket-01"})
    call = {"op": "counter.call_next", "args": {"counter": "loket-01"}}
    # WHEN the kiosk's own account publishes a call on the counter's command topic
    kiosk.link.publish(f"{root}/cmd/counter-01", dumps({"id": "forged-1", **call}))
    # AND on its own topic, with the payload naming the counter's device and role
    with pytest.raises(CommandError) as own:
        kiosk.request("counter.call_next", {"counter": "loket-01"})
    forged = dumps({"id": "forged-2", **call, "device": "counter-01", "role": "counter"})
    kiosk.link.publish(f"{root}/cmd/kiosk-01", forged)
    # (a ping after them: the broker hands the server the kiosk's messages in order)
    assert kiosk.request("ping")["pong"]
    # THEN the server refused what reached it, and nothing was called
    assert own.value.code == "forbidden"
    assert not [e for e in events.payloads() if e["type"] == "ticket.called"]
    # AND the real counter calls the kiosk's ticket, first
    called = counter.request("counter.call_next", {"counter": "loket-01"})["ticket"]
    assert called["id"] == waiting["id"] and called["number"] == waiting["number"]
    events.wait_for(lambda item: item.payload["type"] == "ticket.called")
    calls = [e for e in events.payloads() if e["type"] == "ticket.called"]
    assert [c["ticket"]["id"] for c in calls] == [waiting["id"]]
