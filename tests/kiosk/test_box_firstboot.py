"""The first boot of a kiosk box (issue #13's acceptance): the site is provisioned with
`mpp provision` (accounts, ACL, TLS with the site CA) and its boxes' bundles; a blank box
takes its own bundle from a USB stick (`mpp box firstboot`) into its root; then the real
kiosk app starts with nothing but MPP_BOX pointing at that root's box.toml: no --mqtt,
no --device, no --site-id, no typed address. It finds the server by zeroconf, logs in
with the box's own account over TLS, shows the services and issues a ticket."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
from tests.support.picture import load, share

pytestmark = pytest.mark.mdns  # a server advertised on loopback (tests/conftest.py)

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


def first_boot(provisioned: Provisioned, tmp_path: Path, device: str) -> Path:
    """A USB stick with `device`'s bundle (and kiosk-04's, already taken by its box); the
    blank box's first-boot unit takes it into the box's root. Returns the box file."""
    stick = tmp_path / "stick"
    stick.mkdir()
    boxes = provisioned.out / "boxes"
    shutil.copy(boxes / f"{device}.mppbox", stick / f"{device}.mppbox")
    shutil.copy(boxes / "kiosk-04.mppbox", stick / "kiosk-04.mppbox.taken")
    root = tmp_path / "root"
    assert main(["box", "firstboot", "--media", str(stick), "--root", str(root)]) == 0
    assert (stick / f"{device}.mppbox.taken").exists()
    return root / "etc/mpp/box.toml"


def test_a_blank_kiosk_box_takes_its_bundle_and_issues_a_ticket(
        qtbot, advertised_server: QueueServer, provisioned: Provisioned, site: SiteConfig,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    # GIVEN a blank box that took kiosk-03's bundle from the stick at first boot
    box = first_boot(provisioned, tmp_path, "kiosk-03")
    assert "installed box kiosk-03 (kiosk)" in capsys.readouterr().out
    root = box.parents[2]
    # WHEN the kiosk unit starts the app with MPP_BOX and nothing else of the hall's
    monkeypatch.setenv("MPP_BOX", str(box))
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


def test_the_mpp_kiosk_command_of_the_unit_comes_up_connected(
        advertised_server: QueueServer, provisioned: Provisioned, tmp_path: Path) -> None:
    # GIVEN a blank box that took kiosk-05's bundle at first boot
    box = first_boot(provisioned, tmp_path, "kiosk-05")
    # WHEN the unit's command runs, as its own process, with MPP_BOX and no address
    env = {k: v for k, v in os.environ.items()
           if k not in ("MPP_CREDENTIALS", "CREDENTIALS_DIRECTORY")}
    env.update(MPP_BOX=str(box), XDG_CACHE_HOME=str(tmp_path / "cache"))
    shot = tmp_path / "kiosk.png"
    done = subprocess.run([sys.executable, "-m", "mpp", "kiosk", "--offscreen",
                           "--orientation", "landscape", "--screenshot", str(shot)],
                          env=env, capture_output=True, text=True, timeout=90, check=False)
    assert done.returncode == 0, done.stderr
    # THEN it found the server on the LAN and logged in as kiosk-05 over TLS
    assert ": site " in done.stderr and "on mqtts://127.0.0.1:" in done.stderr
    assert "connecting -> connected" in done.stderr
    # AND it drew the welcome screen with the site's config in: the start button is
    # enabled (action blue; grey while no server has sent the config)
    assert share(load(shot), "#0a4a9c", (0.3, 0.52, 0.7, 0.64)) >= 0.5, done.stderr


def test_where_multicast_is_blocked_the_box_falls_back_to_its_bundles_address(
        site: SiteConfig, hall_broker: BrokerHandle, sqlite_url: str, clock: ManualClock,
        provisioned: Provisioned, tmp_path: Path) -> None:
    # GIVEN a server that announces nothing (a LAN whose switches drop multicast)
    server = QueueServer(site, server_options(hall_broker, sqlite_url, advertise=False),
                         clock)
    server.start(wait_connected=10)
    try:
        # AND kiosk-02's bundle made with `--box-mqtt`: the broker's address as a fallback
        assert hall_broker.tls
        make_boxes(site, provisioned, BoxOptions(fallback_mqtt=hall_broker.url), tls=TLS)
        box = first_boot(provisioned, tmp_path, "kiosk-02")
        # WHEN the unit's command runs with MPP_BOX and nothing else
        env = {k: v for k, v in os.environ.items()
               if k not in ("MPP_CREDENTIALS", "CREDENTIALS_DIRECTORY")}
        env.update(MPP_BOX=str(box), XDG_CACHE_HOME=str(tmp_path / "cache"))
        shot = tmp_path / "kiosk.png"
        done = subprocess.run([sys.executable, "-m", "mpp", "kiosk", "--offscreen",
                               "--discover-timeout", "1", "--orientation", "landscape",
                               "--screenshot", str(shot)],
                              env=env, capture_output=True, text=True, timeout=90,
                              check=False)
    finally:
        server.stop()
    # THEN, no server announced, it took the box file's address and came up connected
    assert done.returncode == 0, done.stderr
    assert f"using the box file's {hall_broker.url}" in done.stderr
    assert "connecting -> connected" in done.stderr
    assert share(load(shot), "#0a4a9c", (0.3, 0.52, 0.7, 0.64)) >= 0.5, done.stderr
