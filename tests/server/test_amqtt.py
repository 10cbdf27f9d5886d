"""The contract needs nothing from MQTT 5: the server and clients work on amqtt, the
embedded broker of `mpp demo`, falling back to 3.1.1 by themselves."""

from __future__ import annotations

import pytest

from mpp.broker import start_amqtt
from queue_server.protocol.client import QueueClient
from queue_server.server import QueueServer, ServerOptions


@pytest.fixture
def amqtt():
    broker = start_amqtt()
    yield broker
    broker.stop()


def test_server_and_clients_on_amqtt(amqtt, site, sqlite_url, clock):
    server = QueueServer(site, ServerOptions(db_url=sqlite_url, mqtt_host=amqtt.host,
                                             mqtt_port=amqtt.port, advertise=False), clock)
    server.start(wait_connected=15)
    kiosk = QueueClient(amqtt.host, amqtt.port, site.site.id, "kiosk-01", "kiosk")
    display = QueueClient(amqtt.host, amqtt.port, site.site.id, "display-01", "display")
    try:
        assert server.connected.is_set()
        kiosk.start(timeout=15)
        assert kiosk.link.protocol == 4  # MQTT 3.1.1 after the fallback
        assert kiosk.request("ticket.issue", {"service": "kk"})["number"] == "B-001"
        display.start(timeout=15)
        assert display.wait_state(lambda s: (s.get("queue/kk") or {}).get("waiting") == 1)
    finally:
        kiosk.stop()
        display.stop()
        server.stop()
