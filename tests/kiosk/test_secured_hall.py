"""End to end over MQTT with TLS, as a hall runs: a broker configured by `mpp provision`
for the site (accounts, the ACL, client ids bound to user names: none of the test suite's
relaxations) with a TLS listener signed by the site's CA; the server, the kiosk app, a
counter and the wall each log in with their own account and check the broker's
certificate. A citizen takes a number at the kiosk, the counter calls it, the wall shows
and announces it."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from counter_display.announcer import ToneVoice, WavFileSink
from counter_display.wall.display import WallDisplay
from mpp.broker import BrokerHandle, start_mosquitto
from mpp.provision import provision
from mpp.provision.run import TlsRequest
from qtkit.app import WindowOptions
from qtkit.bridge import Endpoint
from queue_server.config import SiteConfig
from queue_server.protocol.client import QueueClient
from queue_server.protocol.link import Link
from queue_server.server import QueueServer
from tests.kiosk.test_kiosk_flow import WAIT_MS, ready, take_a_number, text
from tests.support.broker import require_mosquitto
from tests.support.probe import REFUSED, Probe


@pytest.fixture
def hall_broker(site: SiteConfig, tmp_path: Path) -> Iterator[BrokerHandle]:
    require_mosquitto()
    done = provision(site, tmp_path / "provision",
                     tls=TlsRequest(names=["localhost"], ips=["127.0.0.1"]))
    assert done.access.tls is not None and done.access.bind_client_id
    broker = start_mosquitto(tmp_path / "broker", access=done.access)
    broker.accounts = done.load()
    yield broker
    broker.stop()


def speaks_tls(link: Link) -> bool:
    return isinstance(link.client.socket(), ssl.SSLSocket)


def test_a_number_from_the_kiosk_is_called_on_the_wall_over_tls(
        qtbot, hall_broker: BrokerHandle, server_factory: Callable[..., QueueServer],
        kiosk_factory, client_factory: Callable[..., QueueClient], site: SiteConfig,
        sqlite_url: str, clock, qm_dir: Path, tmp_path: Path) -> None:
    assert hall_broker.tls and hall_broker.url.startswith("mqtts://127.0.0.1:")
    # GIVEN the server, the kiosk, a counter and the wall, each with its own account
    server = server_factory(site, sqlite_url, clock, broker=hall_broker)
    assert server.connected.is_set() and server.link is not None and speaks_tls(server.link)
    kiosk = kiosk_factory(broker=hall_broker)
    desk = client_factory("counter-01", "counter", broker=hall_broker, follow_state=False)
    wall = WallDisplay(Endpoint(hall_broker.host, hall_broker.port, site.site.id,
                                "display-01", "display",
                                hall_broker.credentials("display-01"), tls=True),
                       None, qm_dir=qm_dir, window=WindowOptions(size=(1280, 720)),
                       voice=ToneVoice(token_ms=5), sink=WavFileSink(tmp_path / "wav"))
    try:
        qtbot.waitUntil(lambda: wall.bridge.online and wall.announcer is not None
                        and wall.announcer.listening, timeout=WAIT_MS)
        ready(qtbot, kiosk)
        assert speaks_tls(kiosk.bridge.client.link) and speaks_tls(desk.link)
        # a stranger on the port, even speaking TLS with the site's CA, gets nothing
        ca = hall_broker.credentials("kiosk-01").ca  # type: ignore[union-attr]
        with Probe(hall_broker.host, hall_broker.port, None, None, ca=ca) as stranger:
            assert stranger.connack in REFUSED
        # WHEN a citizen takes a number at the kiosk and loket-01 calls the next one
        desk.request("counter.open", {"counter": "loket-01"})
        kiosk.click("startButton")
        qtbot.waitUntil(lambda: kiosk.model.screen == "services", timeout=WAIT_MS)
        take_a_number(qtbot, kiosk, "ktp")
        number = text(kiosk, "ticketNumber")
        assert number == "A-001"
        called = desk.request("counter.call_next", {"counter": "loket-01"})
        assert called["ticket"]["number"] == number
        # THEN the wall shows it with its counter, and announces it
        qtbot.waitUntil(lambda: str(wall.item("callNumber").property("text")) == number,
                        timeout=WAIT_MS)
        assert str(wall.item("callCounter").property("text")) == "→ Loket 1"
        assert wall.announcer is not None
        qtbot.waitUntil(lambda: [c.number for c in list(wall.announcer.played)] == [number],
                        timeout=WAIT_MS)
    finally:
        wall.close()
