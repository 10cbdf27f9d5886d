"""The state bridge: the app's one MQTT client, its retained state and (when asked) its
events handed to the Qt thread in the order they arrived."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mpp.broker import BrokerHandle
from qtkit.bridge import CONNECTED, SERVER_OFFLINE, Endpoint, StateBridge
from queue_server.protocol.times import aware_epoch_of
from queue_server.protocol.topics import Topics
from tests.support.broker import publish_json

WAIT_MS = 10000


@pytest.fixture
def bridge_factory(qtbot: Any, mosquitto: BrokerHandle, unique_site: str
                   ) -> Iterator[Callable[..., StateBridge]]:
    bridges: list[StateBridge] = []

    def make(device: str = "display-01", *, events: bool = False) -> StateBridge:
        endpoint = Endpoint(mosquitto.host, mosquitto.port, unique_site, device, "display",
                            mosquitto.credentials(device), mosquitto.tls)
        bridge = StateBridge(endpoint, events=events)
        bridges.append(bridge)
        bridge.start()
        return bridge

    yield make
    for bridge in bridges:
        bridge.stop()


def test_events_come_on_the_qt_thread_after_the_state_sent_before_them(
        qtbot, bridge_factory, mqtt_client_factory, mosquitto, unique_site):
    # GIVEN a bridge that follows events, connected
    bridge = bridge_factory(events=True)
    qtbot.waitUntil(lambda: bridge.status == SERVER_OFFLINE, timeout=WAIT_MS)
    seen: list[tuple[Any, Any, bool]] = []
    bridge.eventReceived.connect(lambda event: seen.append(
        (event, bridge.value("calls"), threading.current_thread() is threading.main_thread())))
    # WHEN the server publishes the calls, then the event of that call
    topics, server = Topics(unique_site), mqtt_client_factory(mosquitto, user="server")
    publish_json(server, topics.server, {"status": "online"}, retain=True)
    publish_json(server, topics.calls, [{"number": "A-001"}], retain=True)
    publish_json(server, topics.event(), {"type": "ticket.called", "seq": 1})
    # THEN the event comes on the Qt thread, with the state it followed already in
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    assert seen == [({"type": "ticket.called", "seq": 1}, [{"number": "A-001"}], True)]
    assert bridge.status == CONNECTED


def test_a_bridge_without_events_hears_none(qtbot, bridge_factory, mqtt_client_factory,
                                            mosquitto, unique_site):
    # GIVEN two bridges, one following events
    plain, with_events = bridge_factory("display-01"), bridge_factory("display-02", events=True)
    heard: list[str] = []
    plain.eventReceived.connect(lambda _e: heard.append("plain"))
    with_events.eventReceived.connect(lambda _e: heard.append("events"))
    qtbot.waitUntil(lambda: plain.status == with_events.status == SERVER_OFFLINE,
                    timeout=WAIT_MS)
    # WHEN an event is published, then the state after it
    topics, server = Topics(unique_site), mqtt_client_factory(mosquitto, user="server")
    publish_json(server, topics.event(), {"type": "ticket.called", "seq": 1})
    publish_json(server, topics.calls, [], retain=True)
    # THEN only the bridge that asked heard it (the later state proves the plain one is past it)
    qtbot.waitUntil(lambda: plain.value("calls") == [] and heard == ["events"],
                    timeout=WAIT_MS)


def _no_clock(presence: object) -> object:
    return {k: v for k, v in presence.items() if k != "clock"} \
        if isinstance(presence, dict) else presence


def test_the_apps_health_rides_on_the_one_presence_and_survives_a_reconnect(
        qtbot, fresh_mosquitto, mqtt_collector, unique_site):
    # GIVEN a bridge given its health before it is even connected
    broker = fresh_mosquitto()
    bridge = StateBridge(Endpoint(broker.host, broker.port, unique_site, "kiosk-01", "kiosk",
                                  broker.credentials("kiosk-01"), broker.tls))
    bridge.publish_presence({"printer": {"state": "ready"}})
    bridge.start()
    try:
        # THEN once connected its presence carries the health after the bare birth message
        # (and this box's clock, a UTC time)
        healthy = {"role": "kiosk", "status": "online", "printer": {"state": "ready"}}
        presence = mqtt_collector(broker, Topics(unique_site).device("kiosk-01"))
        qtbot.waitUntil(lambda: [_no_clock(p) for p in presence.payloads()[-1:]] == [healthy],
                        timeout=WAIT_MS)
        told = aware_epoch_of(presence.payloads()[-1]["clock"])
        assert told is not None and abs(told - time.time()) < 30
        # WHEN the broker restarts (retained presence lost) THEN the health comes back too
        broker.kill()
        mark = presence.mark()
        fresh_mosquitto(port=broker.port)
        qtbot.waitUntil(lambda: [_no_clock(r.payload) for r in presence.snapshot()[mark:]][-1:]
                        == [healthy], timeout=30000)
    finally:
        bridge.stop()


def test_a_bridge_follows_its_server_to_another_broker_and_the_last_move_wins(
        qtbot, bridge_factory, mosquitto, fresh_mosquitto, unique_site, mqtt_client_factory):
    # GIVEN a connected bridge, and the client an app holds of it
    bridge = bridge_factory()
    qtbot.waitUntil(lambda: bridge.status == SERVER_OFFLINE, timeout=WAIT_MS)
    client = bridge.client
    moved = fresh_mosquitto()

    def at(broker: BrokerHandle, port: int | None = None) -> Endpoint:
        return Endpoint(broker.host, port or broker.port, unique_site, "display-01",
                        "display", broker.credentials("display-01"), broker.tls)
    # WHEN the server moves twice in a row, first to a port where nothing listens
    dead = fresh_mosquitto()
    dead.stop()
    bridge.move_to(at(dead))
    bridge.move_to(at(moved))
    # THEN the bridge ends on the last address, with the same client, and hears it there
    qtbot.waitUntil(lambda: client.link.opts.port == moved.port
                    and client.link.connected.is_set(), timeout=WAIT_MS)
    assert bridge.client is client and bridge.endpoint.port == moved.port
    server = mqtt_client_factory(moved, user="server")
    publish_json(server, Topics(unique_site).server, {"status": "online"}, retain=True)
    qtbot.waitUntil(lambda: bridge.status == CONNECTED, timeout=WAIT_MS)
    # a bridge never moves to another hall
    with pytest.raises(ValueError, match="cannot move to site"):
        bridge.move_to(Endpoint(moved.host, moved.port, "mpp-elsewhere", "display-01"))
