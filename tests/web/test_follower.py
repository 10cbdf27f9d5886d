"""The dashboard's follower (web/follower.py) on its own, with no server: it starts before
the broker and connects when the broker comes, it tells a retained presence from a live
one (presence alone tells a device's life: its account reads no command), and it publishes
nothing of its own."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine as DbEngine

from mpp.broker import BrokerHandle, free_port
from queue_server.clock import ManualClock
from queue_server.config import SiteConfig
from queue_server.protocol.credentials import Credentials
from queue_server.protocol.link import Link, LinkOptions
from queue_server.protocol.topics import Topics
from queue_server.store.db import make_engine, migrate
from queue_server.web.follower import Follower
from queue_server.web.live import LiveState
from tests.support.broker import Collector


@pytest.fixture
def db(sqlite_url: str) -> Iterator[DbEngine]:
    engine = make_engine(sqlite_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def followers(site: SiteConfig, clock: ManualClock, db: DbEngine,
              suite_credentials: dict[str, Credentials]
              ) -> Iterator[Callable[[int], Follower]]:
    made: list[Follower] = []

    def make(port: int) -> Follower:
        follower = Follower(LiveState(site, clock, db), "127.0.0.1", port,
                            credentials=suite_credentials["dashboard"], tls=True)
        follower.start()
        made.append(follower)
        return follower

    yield make
    for follower in made:
        follower.stop()


def device(live: LiveState, dev_id: str) -> dict[str, Any]:
    return next(d for d in live.snapshot()["devices"] if d["id"] == dev_id)


def wait_until(live: LiveState, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        version = live.version  # before looking: a change in between is not missed
        if predicate():
            return
        left = deadline - time.monotonic()
        assert left > 0, f"never true; last picture: {json.dumps(live.snapshot())[:600]}"
        live.wait_change(version, left)


def test_the_follower_waits_for_the_broker_then_follows_the_hall(
        fresh_mosquitto: Callable[..., BrokerHandle], followers: Callable[[int], Follower],
        site: SiteConfig, clock: ManualClock) -> None:
    topics = Topics(site.site.id)
    # GIVEN a follower started while no broker listens: start does not wait for one
    port = free_port()
    began = time.monotonic()
    first = followers(port)
    assert time.monotonic() - began < 1.0
    assert not first.live.connected.is_set()
    # WHEN the broker comes
    broker = fresh_mosquitto(port=port)
    assert first.live.connected.wait(15), "the follower never reached the broker"
    device_link, server_link = (
        Link(LinkOptions(broker.host, broker.port, client_id=f"{user}-test",
                         credentials=broker.credentials(user), tls=broker.tls))
        for user in ("kiosk-01", "server"))
    device_link.start(5.0)
    server_link.start(5.0)
    try:
        # THEN a presence published now is live, with the time it was heard
        presence = json.dumps({"role": "kiosk", "status": "online"}).encode()
        device_link.publish(topics.device("kiosk-01"), presence, retain=True)
        server_link.publish(topics.queue("ktp"), json.dumps({"waiting": 2}).encode(),
                            retain=True)
        wait_until(first.live, lambda: device(first.live, "kiosk-01")["status"] == "online")
        assert device(first.live, "kiosk-01")["stale"] is False
        # AND a follower that starts later reads both from the broker's store: the
        # presence is stale (it says nothing of when)
        clock.advance(60)
        later = followers(broker.port)
        assert later.live.connected.wait(10)
        wait_until(later.live, lambda: device(later.live, "kiosk-01")["status"] == "online")
        assert service(later.live, "ktp")["waiting"] == 2
        assert device(later.live, "kiosk-01")["stale"] is True
        # AND a command tells it nothing (its account reads none): once the state the
        # server published after the command is in, the presence is still stale
        device_link.publish(topics.cmd("kiosk-01"), b'{"id":"1","op":"ping"}')
        server_link.publish(topics.queue("ktp"), json.dumps({"waiting": 3}).encode(),
                            retain=True)
        wait_until(later.live, lambda: service(later.live, "ktp")["waiting"] == 3)
        assert device(later.live, "kiosk-01")["stale"] is True
        # AND the device's next presence (a reconnect, a change in its health) is live
        clock.advance(5)
        device_link.publish(topics.device("kiosk-01"), presence, retain=True)
        wait_until(later.live, lambda: device(later.live, "kiosk-01")["stale"] is False)
        assert device(later.live, "kiosk-01")["last_seen"] == clock.now()
    finally:
        device_link.stop()
        server_link.stop()


def service(live: LiveState, service_id: str) -> dict[str, Any]:
    return next(s for a in live.snapshot()["agencies"] for s in a["services"]
                if s["id"] == service_id)


def test_the_follower_publishes_nothing(
        mosquitto: BrokerHandle, followers: Callable[[int], Follower],
        mqtt_collector: Callable[..., Collector], site: SiteConfig) -> None:
    # GIVEN everything published under the site's root is collected
    collector = mqtt_collector(mosquitto, f"{Topics(site.site.id).root}/#")
    # WHEN a follower connects and stops again
    follower = followers(mosquitto.port)
    assert follower.live.connected.wait(10)
    follower.stop()
    # THEN it said nothing: no presence, no Last Will, no offline
    assert not follower.live.connected.is_set()
    time.sleep(0.3)
    assert collector.snapshot() == []
