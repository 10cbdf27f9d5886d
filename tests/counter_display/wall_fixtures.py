"""Fixtures for the hall wall tests: a site with two zones (the small test site plus a tax
agency on loket-04/05), and walls offscreen with a WAV-file sink and the tone voice."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from counter_display.announcer import AnnounceStyle, Sink, ToneVoice, Voice, WavFileSink
from counter_display.announcer.outputs import CallWavSink
from counter_display.wall.display import WallDisplay
from mpp.broker import BrokerHandle
from qtkit.app import WindowOptions
from qtkit.bridge import Endpoint
from queue_server.config import SiteConfig, parse_site
from tests.support.site import small_site_data


def zoned_site_data(site_id: str) -> dict[str, Any]:
    data = small_site_data(site_id)
    data["agencies"].append({"id": "pajak", "name_id": "Bapenda", "name_en": "Revenue Office"})
    data["services"].append({"id": "pbb", "agency": "pajak", "name_id": "Pajak Bumi dan Bangunan",
                             "name_en": "Land and building tax", "prefix": "F",
                             "schedule": "always", "avg_service_min": 5})
    for n in (4, 5):
        data["counters"].append({"id": f"loket-0{n}", "name": f"Loket {n}", "number": n,
                                 "agency": "pajak", "services": ["pbb"]})
        data["devices"].append({"id": f"counter-0{n}", "role": "counter",
                                "counters": [f"loket-0{n}"]})
    data["devices"].append({"id": "display-02", "role": "display"})
    data["zones"] = [{"id": "lantai-1", "name": "Lantai 1", "agencies": ["dukcapil"]},
                     {"id": "lantai-2", "name": "Lantai 2", "agencies": ["pajak"]}]
    return data


class GateSink(CallWavSink):
    """A speaker that holds each announcement until the test lets it finish."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.gate = threading.Event()
        self.playing = threading.Event()

    def play_call(self, audio, call) -> None:  # type: ignore[no-untyped-def]
        self.playing.set()
        assert self.gate.wait(30)
        super().play_call(audio, call)


@pytest.fixture(name="site")
def zoned_site_fixture(unique_site: str) -> SiteConfig:
    """Overrides conftest's `site` in the modules that import it: the zoned site."""
    return parse_site(zoned_site_data(unique_site), source="tests/counter_display/wall")


@pytest.fixture(name="wall_factory")
def wall_factory_fixture(qtbot: object, mosquitto: BrokerHandle, site: SiteConfig, qm_dir: Path,
                 tmp_path: Path) -> Iterator[Callable[..., WallDisplay]]:
    """`wall_factory(zone="lantai-1", lang="id", voice=ToneVoice(), sound=True,
    broker=None, device="display-01", screen=None, fullscreen=False, media=None, sink=None,
    skip_behind=None)`: a wall at 1280x720 whose announcements go to WAV files
    (wall.announcer.sink.history) unless `sink` is given; every wall is closed at
    teardown."""
    walls: list[WallDisplay] = []

    def make(zone: str | None = "lantai-1", lang: str = "id", voice: Voice | None = None,
             sound: bool = True, broker: BrokerHandle | None = None,
             device: str = "display-01", style: AnnounceStyle | None = None,
             screen: str | None = None, fullscreen: bool = False,
             media: Path | None = None, media_seconds: float = 10.0,
             sink: Sink | None = None, skip_behind: int | None = None) -> WallDisplay:
        b = broker or mosquitto
        endpoint = Endpoint(b.host, b.port, site.site.id, device, "display",
                            b.credentials(device), b.tls)
        if sink is None and sound:
            sink = WavFileSink(tmp_path / f"wav-{len(walls)}")
        wall = WallDisplay(endpoint, zone, lang=lang, qm_dir=qm_dir,
                           window=WindowOptions(size=(1280, 720), fullscreen=fullscreen),
                           voice=voice or ToneVoice(token_ms=5), sink=sink, style=style,
                           screen=screen, media=media, media_seconds=media_seconds,
                           skip_behind=skip_behind)
        walls.append(wall)
        return wall

    yield make
    for wall in walls:
        wall.close()
