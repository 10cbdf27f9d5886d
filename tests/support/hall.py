"""Pytest plugin (registered in tests/conftest.py): a real QueueServer on the real
Mosquitto with the small test site, and MQTT clients to drive it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mpp.broker import BrokerHandle
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


def server_options(broker: BrokerHandle, db_url: str, **options: Any) -> ServerOptions:
    """The server's options on `broker`, logged in as `server` (and its dashboard's
    follower as `dashboard`), over TLS when the broker speaks it."""
    return ServerOptions(db_url=db_url, mqtt_host=broker.host, mqtt_port=broker.port,
                         mqtt_tls=broker.tls, credentials=broker.credentials("server"),
                         follower_credentials=broker.credentials("dashboard"), **options)


def client_of(broker: BrokerHandle, site: str, device: str, role: str,
              **options: Any) -> QueueClient:
    """A QueueClient for `device`, logged in with its own account (not started)."""
    return QueueClient(broker.host, broker.port, site, device, role,
                       credentials=broker.credentials(device), tls=broker.tls, **options)


def broker_args(broker: BrokerHandle, user: str = "server") -> list[str]:
    """`--mqtt URL --credentials FILE` for an `mpp` command run as `user` on `broker`
    (the file's path goes on the command line, never the secret)."""
    credentials = broker.credentials(user)
    return ["--mqtt", broker.url,
            *(["--credentials", str(credentials.source)] if credentials else [])]


@pytest.fixture
def server_factory(mosquitto: BrokerHandle) -> Iterator[Callable[..., QueueServer]]:
    """`server_factory(cfg, db_url, clock, broker=None)`: started, stopped at teardown."""
    started: list[QueueServer] = []

    def start(cfg: SiteConfig, db_url: str, clock: Clock,
              broker: BrokerHandle | None = None) -> QueueServer:
        b = broker or mosquitto
        server = QueueServer(cfg, server_options(b, db_url, advertise=False), clock)
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
    """`client_factory(device, role, broker=None, **QueueClient options)`: connected."""
    clients: list[QueueClient] = []

    def make(device: str, role: str, broker: BrokerHandle | None = None,
             **kwargs: object) -> QueueClient:
        client = client_of(broker or mosquitto, site.site.id, device, role, **kwargs)
        client.start()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.stop()
