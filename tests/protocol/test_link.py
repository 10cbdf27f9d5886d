"""The MQTT link every process uses (queue_server/protocol/link.py), on a real Mosquitto."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator

import paho.mqtt.client as mqtt
import pytest

from mpp.broker import BrokerHandle
from queue_server.protocol.link import Link, LinkOptions
from tests.support.broker import Collector


@pytest.fixture
def link_factory(mosquitto: BrokerHandle) -> Iterator[Callable[..., Link]]:
    links: list[Link] = []

    def make(threaded: bool = False, **options: object) -> Link:
        link = Link(LinkOptions(mosquitto.host, mosquitto.port,
                                client_id=f"test-link-{len(links)}-{time.monotonic_ns()}",
                                **options))  # type: ignore[arg-type]
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
    topic = f"{unique_site}/burst"
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
