"""Fixtures for the kiosk: a real QueueServer on the real Mosquitto, the small site
(kiosk-01..08; services ktp/kk/akta/izin/pindah), a simulated printer, and the kiosk
offscreen (pytest-qt's application object)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before pytest-qt makes the app

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from counter_display.qt.app import WindowOptions
from counter_display.qt.bridge import Endpoint
from drivers.printer import PrinterSimulator, open_printer
from kiosk.kiosk import LANDSCAPE, PORTRAIT, Kiosk
from queue_server.broker import BrokerHandle
from queue_server.clock import Clock, ManualClock
from queue_server.config import SiteConfig
from queue_server.protocol.client import QueueClient
from queue_server.server import QueueServer, ServerOptions
from tests.support.site import local_ts, small_site

MONDAY_9 = "2026-11-30T09:00"


@pytest.fixture
def site(unique_site: str) -> SiteConfig:
    return small_site(unique_site)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(local_ts(MONDAY_9))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'mpp.db'}"


@pytest.fixture
def server_factory(mosquitto: BrokerHandle) -> Iterator[Callable[..., QueueServer]]:
    started: list[QueueServer] = []

    def start(cfg: SiteConfig, db_url: str, clock: Clock,
              broker: BrokerHandle | None = None) -> QueueServer:
        b = broker or mosquitto
        server = QueueServer(cfg, ServerOptions(db_url=db_url, mqtt_host=b.host,
                                                mqtt_port=b.port, advertise=False), clock)
        server.start(wait_connected=10)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def server(server_factory: Callable[..., QueueServer], site: SiteConfig, sqlite_url: str,
           clock: ManualClock) -> QueueServer:
    return server_factory(site, sqlite_url, clock)


@pytest.fixture
def client_factory(mosquitto: BrokerHandle, site: SiteConfig
                   ) -> Iterator[Callable[..., QueueClient]]:
    clients: list[QueueClient] = []

    def make(device: str, role: str, broker: BrokerHandle | None = None,
             **kwargs: object) -> QueueClient:
        b = broker or mosquitto
        client = QueueClient(b.host, b.port, site.site.id, device, role, **kwargs)  # type: ignore[arg-type]
        client.start()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.stop()


@pytest.fixture(scope="session")
def qm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Compiled catalogs for the session: the tests never write the user's cache."""
    return tmp_path_factory.mktemp("qm")


@pytest.fixture
def simulator(tmp_path: Path) -> PrinterSimulator:
    """The simulated printer's device end: faults, received tickets, rendered PNGs."""
    return PrinterSimulator(output_dir=tmp_path / "tickets")


@pytest.fixture
def kiosk_factory(qtbot: object, mosquitto: BrokerHandle, site: SiteConfig, qm_dir: Path,
                  simulator: PrinterSimulator) -> Iterator[Callable[..., Kiosk]]:
    """Factory: `kiosk_factory(device="kiosk-01", lang="id", orientation="portrait",
    broker=None)`: a kiosk offscreen printing to `simulator`; closed at teardown."""
    kiosks: list[Kiosk] = []

    def make(device: str = "kiosk-01", lang: str = "id", orientation: str = "portrait",
             broker: BrokerHandle | None = None) -> Kiosk:
        b = broker or mosquitto
        (simulator.output_dir or Path()).mkdir(parents=True, exist_ok=True)
        printer = open_printer({"type": "simulated"}, simulator=simulator)
        endpoint = Endpoint(b.host, b.port, site.site.id, device, "kiosk")
        size = PORTRAIT if orientation == "portrait" else LANDSCAPE
        kiosk = Kiosk(endpoint, printer, lang=lang, qm_dir=qm_dir,
                      window=WindowOptions(size=size))
        kiosks.append(kiosk)
        return kiosk

    yield make
    for kiosk in kiosks:
        kiosk.close()
