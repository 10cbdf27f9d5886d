"""Fixtures for the web dashboard: a real QueueServer (real Mosquitto, SQLite file) with
its dashboard on a free loopback port, accounts, and signed-in HTTP clients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from mpp.broker import BrokerHandle
from queue_server.clock import ManualClock
from queue_server.config import SiteConfig
from queue_server.server import QueueServer
from tests.support.hall import server_options

PASSWORD = "kata-sandi-rahasia"
ADMIN, SUPERVISOR = "ani", "sari"


@dataclass
class Dash:
    server: QueueServer
    url: str

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10.0, follow_redirects=False)


@pytest.fixture
def dash(mosquitto: BrokerHandle, site: SiteConfig, sqlite_url: str,
         clock: ManualClock) -> Iterator[Dash]:
    server = QueueServer(site, server_options(mosquitto, sqlite_url, http_port=0,
                                              http_host="127.0.0.1", advertise=False), clock)
    server.start(wait_connected=10)
    try:
        assert server.web is not None
        server.web.accounts.add(ADMIN, PASSWORD, "administrator")
        server.web.accounts.add(SUPERVISOR, PASSWORD, "supervisor")
        assert server.web.live.connected.wait(10), "the dashboard never reached the broker"
        yield Dash(server, f"http://127.0.0.1:{server.http_port}")
    finally:
        server.stop()


def login_token(client: httpx.Client) -> str:
    page = client.get("/login")
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "the sign-in form carries a CSRF token"
    return found.group(1)


def sign_in(client: httpx.Client, username: str = SUPERVISOR,
            password: str = PASSWORD) -> httpx.Response:
    token = login_token(client)
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token, "next": "/"})


def csrf_of(client: httpx.Client) -> str:
    page = client.get("/")
    assert page.status_code == 200, page.text[:300]
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
    assert found
    return found.group(1)


@pytest.fixture
def clients(dash: Dash) -> Iterator[Callable[[], httpx.Client]]:
    made: list[httpx.Client] = []

    def make() -> httpx.Client:
        c = dash.client()
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()


@pytest.fixture
def supervisor(clients: Callable[[], httpx.Client]) -> httpx.Client:
    """A client signed in as the supervisor; its CSRF token is in .headers."""
    c = clients()
    assert sign_in(c).status_code == 303
    c.headers["X-CSRF-Token"] = csrf_of(c)
    return c
