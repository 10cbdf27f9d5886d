"""The broker launcher (mpp/broker/) and the suite's broker/database fixtures."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
import sqlalchemy as sa

from mpp.broker import (
    BrokerError,
    BrokerHandle,
    embedded,
    free_port,
    mosquitto,
    mosquitto_conf,
    port_is_free,
    start_amqtt,
    start_embedded,
    start_mosquitto,
)
from tests.support.broker import Collector, MqttClientFactory, publish_json, subscribe_and_wait


def _nodelay(client: mqtt.Client) -> int:
    sock = client.socket()
    assert isinstance(sock, socket.socket)
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def _roundtrip(factory: MqttClientFactory, broker: BrokerHandle, root: str) -> None:
    """Retained state reaches a late subscriber; live messages reach a subscriber."""
    pub = factory(broker, user="server")
    publish_json(pub, f"{root}/state/server", {"status": "online"}, retain=True)

    sub = factory(broker)
    collector = Collector(sub, f"{root}/#")
    retained = collector.wait_for(f"{root}/state/server")
    assert retained.payload == {"status": "online"}
    assert retained.retain

    mark = collector.mark()
    publish_json(pub, f"{root}/event/ticket", {"type": "ticket.issued", "seq": 1})
    live = collector.wait_for(f"{root}/event/ticket", start=mark)
    assert live == (f"{root}/event/ticket", {"type": "ticket.issued", "seq": 1})
    assert not live.retain

    # clearing a retained topic: an empty payload, decoded as None
    publish_json(pub, f"{root}/state/server", b"", retain=True)
    late = Collector(factory(broker), f"{root}/state/#")
    assert _retained_for(late, pub, root) == []


def _retained_for(late: Collector, pub: mqtt.Client, root: str) -> list[str]:
    """Topics `late` (just subscribed to `{root}/state/#`, SUBACK received) got as retained
    messages. The broker sends a subscription's retained messages when it handles the
    SUBSCRIBE, before anything published later; so once a live marker published now has
    arrived, any retained message would have arrived before it."""
    marker = f"{root}/state/zz-marker"
    publish_json(pub, marker, {"marker": True})
    late.wait_for(marker)
    return [item.topic for item in late.snapshot() if item.topic != marker]


# --------------------------------------------------------------------------- Mosquitto


def test_mosquitto_pubsub_retained_with_nodelay(
    mosquitto: BrokerHandle, mqtt_client_factory: MqttClientFactory, unique_site: str
) -> None:
    assert mosquitto.kind == "mosquitto"
    assert mosquitto.is_running()
    _roundtrip(mqtt_client_factory, mosquitto, f"mpp/v1/{unique_site}")
    client = mqtt_client_factory(mosquitto)
    assert client.protocol == mqtt.MQTTv5
    assert _nodelay(client) == 1


def test_mosquitto_request_reply_is_fast(
    mosquitto: BrokerHandle, mqtt_client_factory: MqttClientFactory, unique_site: str
) -> None:
    """With TCP_NODELAY on both sides a QoS 1 round trip is well under Nagle's 40 ms."""
    root = f"mpp/v1/{unique_site}"
    server = mqtt_client_factory(
        mosquitto,
        on_message=lambda c, _u, m: c.publish(
            m.topic.replace("/cmd/", "/reply/"), m.payload, qos=1
        ),
        user="server",
    )
    subscribe_and_wait(server, f"{root}/cmd/+")
    device = mqtt_client_factory(mosquitto, user="kiosk-01")
    replies = Collector(device, f"{root}/reply/kiosk-01")
    timings = []
    for i in range(20):
        mark = replies.mark()
        t0 = time.perf_counter()
        publish_json(device, f"{root}/cmd/kiosk-01", {"id": str(i), "op": "ping"})
        replies.wait_for(lambda item, i=i: item.payload["id"] == str(i), start=mark)
        timings.append(time.perf_counter() - t0)
    timings.sort()
    assert timings[len(timings) // 2] < 0.02, timings


def test_mosquitto_conf_contents(tmp_path: Path) -> None:
    conf = mosquitto_conf(18830, tmp_path)
    for line in (
        "listener 18830 127.0.0.1",
        "allow_anonymous true",
        "set_tcp_nodelay true",
        "persistence false",
        "max_queued_messages 10000",
    ):
        assert line in conf.splitlines()
    assert "user " not in conf  # see mosquitto_conf's docstring


def test_fresh_mosquitto_kill_and_restart_on_same_port(
    fresh_mosquitto, mqtt_client_factory: MqttClientFactory, unique_site: str
) -> None:
    root = f"mpp/v1/{unique_site}"
    first = fresh_mosquitto()
    reconnected = threading.Event()
    connects: list[int] = []

    def on_connect(_c, _u, _f, rc, _p) -> None:
        connects.append(rc.value)
        if len(connects) >= 2:
            reconnected.set()

    watcher = mqtt_client_factory(first, on_connect=on_connect)
    collector = Collector(watcher, f"{root}/#")
    client = mqtt_client_factory(first, user="server")
    publish_json(client, f"{root}/state/server", {"status": "online"}, retain=True)
    collector.wait_for(f"{root}/state/server")

    first.kill()
    assert not first.is_running()
    assert first.process is not None
    assert first.process.returncode == -9

    second = fresh_mosquitto(port=first.port)
    assert second.port == first.port
    assert second.is_running()
    assert reconnected.wait(10), "client did not reconnect to the restarted broker"

    # SIGKILL lost the retained message (Mosquitto persistence is off / not durable) ...
    late = Collector(mqtt_client_factory(second), f"{root}/state/#")
    assert _retained_for(late, client, root) == []
    # ... and the Collector resubscribed on reconnect, so traffic flows again.
    collector.subscribe()  # its SUBACK: the resubscription is in before the publish
    mark = collector.mark()
    publish_json(client, f"{root}/event/ticket", {"seq": 2})
    assert collector.wait_for(f"{root}/event/ticket", start=mark).payload == {"seq": 2}


def test_start_mosquitto_refuses_a_busy_port(mosquitto: BrokerHandle, tmp_path: Path) -> None:
    assert not port_is_free("127.0.0.1", mosquitto.port)
    with pytest.raises(BrokerError, match="Address already in use") as info:
        start_mosquitto(tmp_path, port=mosquitto.port)
    assert info.value.code == "broker_unavailable"


def test_start_mosquitto_reports_broker_stderr(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(mosquitto, "mosquitto_conf", lambda *a, **k: "no_such_option 1\n")
    with pytest.raises(BrokerError, match="no_such_option"):
        start_mosquitto(tmp_path)


def test_stop_is_idempotent(fresh_mosquitto) -> None:
    handle = fresh_mosquitto()
    handle.stop()
    handle.stop()
    assert not handle.is_running()
    assert port_is_free("127.0.0.1", handle.port)


# --------------------------------------------------------------------------- amqtt


def test_amqtt_pubsub_retained_mqtt311(
    mqtt_client_factory: MqttClientFactory, unique_site: str
) -> None:
    handle = start_amqtt()
    try:
        assert handle.kind == "amqtt"
        assert handle.is_running()
        _roundtrip(mqtt_client_factory, handle, f"mpp/v1/{unique_site}")
        client = mqtt_client_factory(handle)
        assert client.protocol == mqtt.MQTTv311
        assert _nodelay(client) == 1
        # amqtt refuses MQTT 5: clients must fall back to 3.1.1.
        with pytest.raises(AssertionError, match="Unsupported protocol version"):
            mqtt_client_factory(handle, protocol=mqtt.MQTTv5)
        mqtt_client_factory.close_all()
    finally:
        handle.stop()
    assert not handle.is_running()
    assert not any(t.name == "amqtt-broker" for t in threading.enumerate())
    assert port_is_free("127.0.0.1", handle.port)


def test_amqtt_stops_with_clients_connected(mqtt_client_factory: MqttClientFactory) -> None:
    handle = start_amqtt()
    try:
        client = mqtt_client_factory(handle, user=None)
        publish_json(client, "mpp/v1/x/state/server", {"status": "online"}, retain=True)
    finally:
        handle.stop()
    assert not handle.is_running()


def test_amqtt_explicit_port_and_busy_port() -> None:
    port = free_port()
    handle = start_amqtt(port=port)
    try:
        assert handle.port == port
        with pytest.raises(BrokerError, match="Address already in use"):
            start_amqtt(port=port)
    finally:
        handle.stop()


# --------------------------------------------------------------------------- embedded


def test_start_embedded_prefers_mosquitto(tmp_path: Path) -> None:
    handle = start_embedded(tmp_path)
    try:
        assert handle.kind == "mosquitto"
        assert handle.is_running()
    finally:
        handle.stop()


def test_start_embedded_falls_back_to_amqtt(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(embedded, "mosquitto_binary", lambda: None)
    handle = start_embedded(tmp_path)
    try:
        assert handle.kind == "amqtt"
    finally:
        handle.stop()


def test_external_handle_stop_is_a_noop() -> None:
    handle = BrokerHandle(host="127.0.0.1", port=1883, kind="external")
    handle.stop()
    assert handle.url == "mqtt://127.0.0.1:1883"


# --------------------------------------------------------------------------- PostgreSQL


def test_postgres_url_accepts_connections(postgres_url: str) -> None:
    assert postgres_url.startswith("postgresql+psycopg://mpp@127.0.0.1:")
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT 1")).scalar_one() == 1
            assert conn.execute(sa.text("SHOW fsync")).scalar_one() == "on"
            assert conn.execute(sa.text("SELECT current_database()")).scalar_one() == "mpp_test"
    finally:
        engine.dispose()


def test_db_url_is_an_empty_database(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    try:
        with engine.begin() as conn:
            assert sa.inspect(conn).get_table_names() == []
            conn.execute(sa.text("CREATE TABLE t (x INTEGER)"))
            conn.execute(sa.text("INSERT INTO t VALUES (1)"))
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT x FROM t")).scalar_one() == 1
    finally:
        engine.dispose()
