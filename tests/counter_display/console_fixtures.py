"""Fixtures for the staff console tests (imported by test_console*.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from counter_display.console.console import StaffConsole
from drivers.buttons import Keypad, PressFilter
from mpp.broker import BrokerHandle
from qtkit.app import WindowOptions
from qtkit.bridge import Endpoint
from queue_server.config import SiteConfig


@pytest.fixture(name="console_factory")
def console_factory_fixture(qtbot: object, mosquitto: BrokerHandle, site: SiteConfig, qm_dir: Path
                    ) -> Iterator[Callable[..., StaffConsole]]:
    """Factory: `console_factory(device="counter-01", lang="id", keypad=None,
    press_filter=None, broker=None)`, offscreen at 1280x720; every console (reader, request
    worker, MQTT client, window) is closed at teardown."""
    consoles: list[StaffConsole] = []

    def make(device: str = "counter-01", lang: str = "id", keypad: Keypad | None = None,
             press_filter: PressFilter | None = None,
             broker: BrokerHandle | None = None) -> StaffConsole:
        b = broker or mosquitto
        endpoint = Endpoint(b.host, b.port, site.site.id, device, "counter",
                            b.credentials(device), b.tls)
        console = StaffConsole(endpoint, lang=lang, qm_dir=qm_dir, keypad=keypad,
                               press_filter=press_filter,
                               window=WindowOptions(size=(1280, 720), hide_cursor=False))
        consoles.append(console)
        return console

    yield make
    for console in consoles:
        console.close()
