"""One MQTT connection per running app (issue 11, STYLE.md 10): each app, started the way
`mpp demo` starts it, is counted on the broker. Two clients under one device id each carry
a Last Will, so either one dropping would show the device offline.

How it counts: Mosquitto's own figure `$SYS/broker/clients/connected` (retained, sent again
at each $SYS tick when it changed; the tests' broker ticks every 2 s with `sys_interval 1`)
is read once the server and the test's own clients are up, then once the app runs and has
done its work (presence published, a call made; the wall and the announcer have announced
it): the two must differ by exactly one. A figure is read at the second tick after asking,
so the first tick, later than every connection made before the question, has been seen.
No client ids are guessed and no log format is parsed: whatever the app opens is counted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest

from mpp.broker import BrokerHandle
from mpp.demo.apps import AppRunner, DemoSound, plan_apps
from queue_server.config import SiteConfig
from queue_server.protocol.client import QueueClient
from queue_server.protocol.topics import Topics
from queue_server.server import QueueServer
from tests.support.broker import Collector, subscribe_and_wait

SYS_CONNECTED = "$SYS/broker/clients/connected"
SYS_UPTIME = "$SYS/broker/uptime"  # sent at every tick: the clock of the figures
DRIVERS = ("kiosk-01", "counter-03")  # the test's own clients: they issue and call
APPS = {
    "counter-display": "counter_display.counter.app",
    "console": "counter_display.console.app",
    "kiosk": "kiosk.app",
    "wall": "counter_display.wall.app",
}


class BrokerCount:
    """Mosquitto's count of connected clients, on a client of its own (counted too)."""

    def __init__(self, client: mqtt.Client) -> None:
        self._cond = threading.Condition()
        self.connected: int | None = None
        self.ticks = 0
        client.message_callback_add(SYS_CONNECTED, self._on_connected)
        client.message_callback_add(SYS_UPTIME, self._on_tick)
        subscribe_and_wait(client, SYS_CONNECTED)
        subscribe_and_wait(client, SYS_UPTIME)

    def _on_connected(self, _client: mqtt.Client, _userdata: Any,
                      msg: mqtt.MQTTMessage) -> None:
        with self._cond:
            self.connected = int(msg.payload)
            self._cond.notify_all()

    def _on_tick(self, _client: mqtt.Client, _userdata: Any, msg: mqtt.MQTTMessage) -> None:
        if msg.retain:
            return  # kept from a tick before we subscribed
        with self._cond:
            self.ticks += 1
            self._cond.notify_all()

    def now(self, timeout: float = 15.0) -> int:
        """The count at the first tick after this call (read at the tick after it)."""
        with self._cond:
            target = self.ticks + 2
            assert self._cond.wait_for(lambda: self.ticks >= target, timeout), \
                "Mosquitto sent no $SYS ticks (sys_interval missing from its config?)"
            assert self.connected is not None
            return self.connected


class Hall:
    """A fresh broker ticking every 2 s, the server, the counter and the test's clients."""

    def __init__(self, broker: BrokerHandle, site: SiteConfig, count: BrokerCount,
                 presence: Collector, drivers: dict[str, QueueClient]) -> None:
        self.broker, self.site, self.count = broker, site, count
        self.presence, self.drivers = presence, drivers

    def credentials_file(self, device: str) -> Path | None:
        """Where an app started as the demo starts it reads its account."""
        credentials = self.broker.credentials(device)
        return credentials.source if credentials else None

    def call(self) -> str:
        """A citizen takes a number at kiosk-01 and loket-03 calls it."""
        counter, loket = self.drivers["counter-03"], {"counter": "loket-03"}
        counter.request("counter.open", loket)
        number = self.drivers["kiosk-01"].request("ticket.issue", {"service": "ktp"})["number"]
        assert counter.request("counter.call_next", loket)["ticket"]["number"] == number
        return str(number)

    def app_online(self, timeout: float = 60.0) -> str:
        """The device id of the first presence online that is not the test's."""
        topics = Topics(self.site.site.id)
        ours = {topics.device(d) for d in DRIVERS}
        found = self.presence.wait_for(
            lambda r: r.topic not in ours and isinstance(r.payload, dict)
            and r.payload.get("status") == "online", timeout=timeout)
        return found.topic.rsplit("/", 1)[-1]


@pytest.fixture
def hall(fresh_mosquitto: Callable[..., BrokerHandle],
         server_factory: Callable[..., QueueServer], client_factory: Callable[..., QueueClient],
         mqtt_client_factory: Callable[..., mqtt.Client],
         mqtt_collector: Callable[..., Collector], site: SiteConfig, sqlite_url: str,
         clock: Any) -> Hall:
    broker = fresh_mosquitto(sys_interval=1)
    count = BrokerCount(mqtt_client_factory(broker))
    server_factory(site, sqlite_url, clock, broker=broker)
    drivers = {d: client_factory(d, d.split("-")[0], broker=broker, follow_state=False)
               for d in DRIVERS}
    presence = mqtt_collector(broker, Topics(site.site.id).device_all)
    return Hall(broker, site, count, presence, drivers)


@pytest.mark.parametrize("module", list(APPS.values()), ids=list(APPS))
def test_each_app_opens_one_connection(hall: Hall, module: str, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN the hall up, counted
    before = hall.count.now()
    sound = tmp_path / "sound"
    spec = next(s for s in plan_apps(hall.site, hall.broker.url,
                                     ("--sound", f"wav-dir:{sound}", "--voice", "tone"),
                                     hall.credentials_file)
                if s.module == module)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # its compiled catalogs
    runner = AppRunner(tmp_path / "logs", extra_args=("--offscreen",))
    # WHEN the app runs as the demo starts it, and a call is made
    runner.start(spec)
    try:
        device = hall.app_online()
        number = hall.call()
        if module == APPS["wall"]:  # the announcement came through the wall's connection
            _wait_for(lambda: any(sound.glob(f"*{number}*.wav")), 30, "the wall's WAV")
        assert not runner.exited(), runner.exited()
        # THEN the broker counts one connection more than before, no matter which did what
        opened = hall.count.now() - before
        assert opened == 1, f"{spec.name} (device {device}) opened {opened} connections"
    finally:
        runner.stop()


def test_the_demos_headless_announcer_opens_one_connection(hall: Hall, tmp_path: Path) -> None:
    # GIVEN the hall up, counted
    before = hall.count.now()
    # WHEN the demo's announcer runs without a wall window and a call is made
    sound = DemoSound(hall.site, tmp_path, {}, window=False)
    sound.start(hall.broker.host, hall.broker.port,
                credentials=hall.broker.credentials(sound.device), tls=hall.broker.tls)
    try:
        hall.app_online()
        hall.call()
        assert sound.headless is not None
        assert sound.headless.wait(lambda: bool(sound.headless and sound.headless.submitted), 20)
        # THEN the broker counts one connection more
        assert hall.count.now() - before == 1
    finally:
        sound.stop()


def _wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    done = threading.Event()
    for _ in range(int(timeout * 10)):
        if predicate():
            return
        done.wait(0.1)
    raise AssertionError(f"no {what} within {timeout} s")
