"""Fixtures for the kiosk: a simulated printer and scanner, and the kiosk offscreen (pytest-qt's
application object). The server, clients and the small site (kiosk-01..08; services
ktp/kk/akta/izin/pindah) come from tests/support/hall.py."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before pytest-qt makes the app

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from drivers.printer import PrinterSimulator
from drivers.printer import open_printer as driver_open
from drivers.scanner import SimulatedScanner
from kiosk.kiosk import LANDSCAPE, PORTRAIT, Kiosk
from mpp.broker import BrokerHandle
from qtkit.app import WindowOptions
from qtkit.bridge import Endpoint
from queue_server.config import SiteConfig


@pytest.fixture(scope="session")
def qm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Compiled catalogs for the session: the tests never write the user's cache."""
    return tmp_path_factory.mktemp("qm")


@pytest.fixture
def simulator(tmp_path: Path) -> PrinterSimulator:
    """The simulated printer's device end: faults, received tickets, rendered PNGs."""
    return PrinterSimulator(output_dir=tmp_path / "tickets")


@pytest.fixture
def scanner() -> Iterator[SimulatedScanner]:
    """The simulated scanner's device end: `feed(text)`, `feed_garbage()`, `unplug()`.
    Closed by the kiosk given it (or here when no kiosk took it)."""
    sim = SimulatedScanner()
    yield sim
    sim.close()


@pytest.fixture
def kiosk_factory(qtbot: object, mosquitto: BrokerHandle, site: SiteConfig, qm_dir: Path,
                  simulator: PrinterSimulator) -> Iterator[Callable[..., Kiosk]]:
    """Factory: `kiosk_factory(device="kiosk-01", lang="id", orientation="portrait",
    broker=None, scanner=None, scanner_opened=True, open_printer=None, device_clock=None,
    keypad=None, press_filter=None, speaker=None)`: a kiosk offscreen printing to
    `simulator` (and reading `scanner` when given; with `open_printer`, the kiosk opens its
    printer with it instead; `device_clock`: the box's own clock; with `keypad` and
    `speaker`, voice guidance); closed at teardown."""
    kiosks: list[Kiosk] = []

    def make(device: str = "kiosk-01", lang: str = "id", orientation: str = "portrait",
             broker: BrokerHandle | None = None,
             scanner: SimulatedScanner | None = None,
             scanner_opened: bool = True,
             open_printer: Callable[[], object] | None = None,
             device_clock: Callable[[], float] | None = None,
             keypad: object | None = None, press_filter: object | None = None,
             speaker: object | None = None) -> Kiosk:
        b = broker or mosquitto
        (simulator.output_dir or Path()).mkdir(parents=True, exist_ok=True)
        printer = None if open_printer else driver_open({"type": "simulated"},
                                                        simulator=simulator)
        endpoint = Endpoint(b.host, b.port, site.site.id, device, "kiosk", b.credentials(device),
                            b.tls)
        size = PORTRAIT if orientation == "portrait" else LANDSCAPE
        kiosk = Kiosk(endpoint, printer, lang=lang, qm_dir=qm_dir,
                      window=WindowOptions(size=size), scanner=scanner,
                      scanner_opened=scanner_opened, open_printer=open_printer,
                      clock=device_clock, keypad=keypad, press_filter=press_filter,
                      speaker=speaker)
        kiosks.append(kiosk)
        return kiosk

    yield make
    for kiosk in kiosks:
        kiosk.close()
