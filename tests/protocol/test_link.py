"""The MQTT link every process uses (queue_server/protocol/link.py), on a real Mosquitto."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import paho.mqtt.client as mqtt
import pytest

from mpp.broker import BrokerHandle
from queue_server.protocol.link import Link, LinkOptions, close_sockets
from queue_server.protocol.secure import client_context
from tests.support.broker import Collector


@pytest.fixture
def link_factory(mosquitto: BrokerHandle) -> Iterator[Callable[..., Link]]:
    links: list[Link] = []

    def make(threaded: bool = False, **options: object) -> Link:
        link = Link(LinkOptions(mosquitto.host, mosquitto.port,
                                client_id=f"test-link-{len(links)}-{time.monotonic_ns()}",
                                credentials=mosquitto.credentials("server"),
                                tls=mosquitto.tls, **options))  # type: ignore[arg-type]
        link.start(timeout=5.0, threaded=threaded)
        links.append(link)
        return link

    yield make
    for link in links:
        link.stop()


def _cork(link: Link) -> int:
    sock = link.client.socket()
    assert isinstance(sock, socket.socket)
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_CORK)


def test_speaks_mqtt_311_unless_asked(link_factory: Callable[..., Link]) -> None:
    assert link_factory().client.protocol == mqtt.MQTTv311  # DESIGN.md: 3.1.1 everywhere
    assert link_factory(protocol="5").client.protocol == mqtt.MQTTv5


def test_a_burst_holds_the_messages_until_it_ends_then_all_arrive_in_order(
        link_factory: Callable[..., Link], mqtt_collector: Callable[..., Collector],
        mosquitto: BrokerHandle, unique_site: str) -> None:
    topic = f"mpp/v1/{unique_site}/state/burst"
    collector = mqtt_collector(mosquitto, f"{topic}/#")
    link = link_factory()
    assert _cork(link) == 0
    with link.burst():
        assert _cork(link) == 1
        infos = [link.publish(f"{topic}/{i}", b'{"n": %d}' % i) for i in range(3)]
    assert _cork(link) == 0
    deadline = time.monotonic() + 5.0
    while not all(info.is_published() for info in infos) and time.monotonic() < deadline:
        link.pump(0.05)  # the PUBACKs
    assert all(info.is_published() for info in infos)
    collector.wait_for_count(3)
    assert collector.snapshot() == [(f"{topic}/{i}", {"n": i}) for i in range(3)]


def test_a_burst_without_a_connection_does_nothing(mosquitto: BrokerHandle) -> None:
    link = Link(LinkOptions(mosquitto.host, mosquitto.port, client_id="never-connected"))
    with link.burst():  # no socket yet: nothing to cork, and no error
        pass


def test_on_received_tells_a_retained_message_from_a_live_one(
        link_factory: Callable[..., Link], mosquitto: BrokerHandle, unique_site: str) -> None:
    # GIVEN a retained message stored before anyone subscribed
    topic = f"mpp/v1/{unique_site}/state/kept"
    publisher = link_factory(threaded=True)
    publisher.publish(f"{topic}/old", b"1", retain=True).wait_for_publish(5.0)
    # WHEN a link subscribes (asking for QoS 0) and then hears a live message
    got: list[tuple[str, bytes, bool]] = []
    arrived = threading.Event()

    def received(msg: tuple[str, bytes, bool]) -> None:
        got.append(msg)
        arrived.set()

    listener = Link(LinkOptions(mosquitto.host, mosquitto.port, client_id="test-link-kept",
                                subscriptions=[(f"{topic}/#", 0)],
                                credentials=mosquitto.credentials("display-01"),
                                tls=mosquitto.tls),
                    on_received=received)
    listener.start(timeout=5.0)
    try:
        assert arrived.wait(5.0)
        arrived.clear()
        publisher.publish(f"{topic}/new", b"2").wait_for_publish(5.0)
        assert arrived.wait(5.0)
    finally:
        listener.stop()
        publisher.publish(f"{topic}/old", b"", retain=True).wait_for_publish(5.0)
    # THEN each message carries its retain flag
    assert got == [(f"{topic}/old", b"1", True), (f"{topic}/new", b"2", False)]


def test_on_disconnected_is_told_when_the_connection_drops(mosquitto: BrokerHandle) -> None:
    # GIVEN a connected link
    dropped = threading.Event()
    link = Link(LinkOptions(mosquitto.host, mosquitto.port, client_id="test-link-dropped",
                            credentials=mosquitto.credentials("display-01"),
                            tls=mosquitto.tls),
                on_disconnected=dropped.set)
    link.start(timeout=5.0)
    thief = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="test-link-dropped")
    thief.username_pw_set("display-01", mosquitto.credentials("display-01").password)
    if mosquitto.tls:
        thief.tls_set_context(client_context(mosquitto.credentials("display-01").ca))
    try:
        assert not dropped.is_set()
        # WHEN another client takes its client id (the broker closes the first connection)
        thief.connect(mosquitto.host, mosquitto.port)
        thief.loop_start()
        # THEN the link says so
        assert dropped.wait(5.0)
    finally:
        link.stop()
        thief.disconnect()
        thief.loop_stop()
        close_sockets(thief)
