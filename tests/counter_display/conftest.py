"""Fixtures for the display apps: displays offscreen (pytest-qt's application object).
The server and clients come from tests/support/hall.py (registered in tests/conftest.py)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before pytest-qt makes the app

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from counter_display.counter.display import CounterDisplay
from mpp.broker import BrokerHandle
from qtkit.app import WindowOptions
from qtkit.bridge import Endpoint
from queue_server.config import SiteConfig


@pytest.fixture(scope="session")
def qm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Compiled catalogs for the session: the tests never write the user's cache."""
    return tmp_path_factory.mktemp("qm")


@pytest.fixture
def display_factory(qtbot: object, mosquitto: BrokerHandle, site: SiteConfig, qm_dir: Path
                    ) -> Iterator[Callable[..., CounterDisplay]]:
    """Factory: `display_factory(counter="loket-01", lang="id", broker=None)`, offscreen at
    1280x720; each display's MQTT client is stopped and its window closed at teardown."""
    displays: list[CounterDisplay] = []

    def make(counter: str = "loket-01", lang: str = "id",
             broker: BrokerHandle | None = None) -> CounterDisplay:
        b = broker or mosquitto
        endpoint = Endpoint(b.host, b.port, site.site.id, "display-01", "display",
                            b.credentials("display-01"), b.tls)
        display = CounterDisplay(endpoint, counter, lang=lang, qm_dir=qm_dir,
                                 window=WindowOptions(size=(1280, 720)))
        displays.append(display)
        return display

    yield make
    for display in displays:
        display.close()
