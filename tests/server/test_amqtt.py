"""The contract needs nothing from MQTT 5: the server and clients work on amqtt, the
embedded broker of `mpp demo`, falling back to 3.1.1 by themselves; secured as the demo
runs it (accounts, ACL, TLS with the site's CA)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mpp.broker import BrokerHandle, start_amqtt
from mpp.provision import Provisioned
from queue_server.protocol.credentials import Credentials
from queue_server.server import QueueServer
from tests.support.accounts import access_of, secured
from tests.support.hall import client_of, server_options


@pytest.fixture
def amqtt(broker_accounts: Provisioned,
          suite_credentials: dict[str, Credentials]) -> Iterator[BrokerHandle]:
    broker = start_amqtt(access=access_of(broker_accounts, tls=True))
    yield secured(broker, suite_credentials)
    broker.stop()


def test_server_and_clients_on_amqtt(amqtt, site, sqlite_url, clock):
    assert amqtt.tls
    server = QueueServer(site, server_options(amqtt, sqlite_url, advertise=False), clock)
    server.start(wait_connected=15)
    kiosk = client_of(amqtt, site.site.id, "kiosk-01", "kiosk")
    display = client_of(amqtt, site.site.id, "display-01", "display")
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
