"""The first boot of a kiosk box (issue #13's acceptance): the site is provisioned with
`mpp provision` (accounts, ACL, TLS with the site CA) and its boxes' bundles; a blank box
takes its own bundle from a USB stick (`mpp box firstboot`) into its root; then the real
kiosk app starts with nothing but MPP_BOX pointing at that root's box.toml: no --mqtt,
no --device, no --site-id, no typed address. It finds the server by zeroconf, logs in
with the box's own account over TLS, shows the services and issues a ticket."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app import parser, start_kiosk
from mpp.box.bundle import BoxOptions, make_boxes
from mpp.broker import BrokerHandle, start_mosquitto
from mpp.cli import main
from mpp.provision import Provisioned, provision
from mpp.provision.run import TlsRequest
from queue_server.clock import ManualClock
from queue_server.config import SiteConfig
from queue_server.protocol.discovery.browse import browse
from queue_server.server import QueueServer
from tests.kiosk.test_kiosk_flow import WAIT_MS, ready, take_a_number, text
from tests.support.broker import require_mosquitto
from tests.support.hall import server_options

LOOPBACK = ["127.0.0.1"]
TLS = TlsRequest(names=["localhost"], ips=["127.0.0.1"])


@pytest.fixture
def provisioned(site: SiteConfig, tmp_path: Path) -> Provisioned:
    done = provision(site, tmp_path / "provision", tls=TLS)
    make_boxes(site, done, BoxOptions(), tls=TLS)
    return done


@pytest.fixture
def hall_broker(provisioned: Provisioned, tmp_path: Path) -> Iterator[BrokerHandle]:
    require_mosquitto()
    broker = start_mosquitto(tmp_path / "broker", access=provisioned.access)
    broker.accounts = provisioned.load()
    yield broker
    broker.stop()


@pytest.fixture
def advertised_server(site: SiteConfig, hall_broker: BrokerHandle, sqlite_url: str,
                      clock: ManualClock) -> Iterator[QueueServer]:
    """The queue server on the hall's broker, announcing itself by zeroconf (on the
    loopback interface: the test machine's LAN)."""
    server = QueueServer(site, server_options(hall_broker, sqlite_url, advertise=True,
                                              mdns_interfaces=LOOPBACK), clock)
    server.start(wait_connected=10)
    try:
        # the announcement is on the air (name probing takes ~3 s after start)
        assert browse(timeout=20, site=site.site.id, interfaces=LOOPBACK)
        yield server
    finally:
        server.stop()


def test_a_blank_kiosk_box_takes_its_bundle_and_issues_a_ticket(
        qtbot, advertised_server: QueueServer, provisioned: Provisioned, site: SiteConfig,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    # GIVEN a USB stick with kiosk-03's bundle, and kiosk-04's already taken by its box
    stick = tmp_path / "stick"
    stick.mkdir()
    boxes = provisioned.out / "boxes"
    shutil.copy(boxes / "kiosk-03.mppbox", stick / "kiosk-03.mppbox")
    shutil.copy(boxes / "kiosk-04.mppbox", stick / "kiosk-04.mppbox.taken")
    # WHEN the blank box boots: the first-boot unit takes the bundle into its root
    root = tmp_path / "root"
    assert main(["box", "firstboot", "--media", str(stick), "--root", str(root)]) == 0
    assert "installed box kiosk-03 (kiosk)" in capsys.readouterr().out
    assert (stick / "kiosk-03.mppbox.taken").exists()
    # AND the kiosk unit starts the app with MPP_BOX and nothing else of the hall's
    monkeypatch.setenv("MPP_BOX", str(root / "etc/mpp/box.toml"))
    for name in ("MPP_CREDENTIALS", "CREDENTIALS_DIRECTORY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _app, kiosk = start_kiosk(parser().parse_args(["--offscreen"]))
    try:
        # THEN it is kiosk-03 of this site, over TLS with the box's CA, online
        endpoint = kiosk.bridge.endpoint
        assert (endpoint.device_id, endpoint.site, endpoint.tls) == ("kiosk-03",
                                                                     site.site.id, True)
        assert endpoint.credentials is not None
        assert endpoint.credentials.ca == root / "etc/mpp/credentials/ca.crt"
        ready(qtbot, kiosk)
        # AND a citizen gets a number from it
        kiosk.click("startButton")
        qtbot.waitUntil(lambda: kiosk.model.screen == "services", timeout=WAIT_MS)
        take_a_number(qtbot, kiosk, "ktp")
        assert text(kiosk, "ticketNumber") == "A-001"
    finally:
        kiosk.close()
