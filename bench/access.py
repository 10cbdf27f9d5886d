"""How the benchmarks' clients reach the broker. The benchmarks run secured, as a hall
does: their Mosquitto is configured by `mpp provision` for the sample site (accounts, the
ACL, client ids bound to user names) with a TLS listener signed by a site CA of its own,
and every client (the server, the kiosks, the counters, the displays, the floors' raw
clients) logs in with its own account over TLS. The raw floor clients have accounts of
their own that may use `bench/#` only (SuitePolicy.floor_accounts): the floor pays the
handshake, the login and the ACL check on every message, as any client does. `bench.run`
also measures its plain floors on a plain Mosquitto (anonymous, no TLS: the development
switch), where these helpers connect anonymously (the handle holds no accounts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mpp.broker import BrokerHandle, start_mosquitto
from mpp.provision import provision
from mpp.provision.run import SuitePolicy, TlsRequest
from queue_server.config import SiteConfig
from queue_server.protocol.client import QueueClient

# the requester (or publisher) of a floor, and its echo responder (or subscriber)
FLOOR_CLIENT, FLOOR_ECHO = "bench-floor-1", "bench-floor-2"
BENCH_TLS = TlsRequest(names=["localhost"], ips=["127.0.0.1"])


def secured_broker(workdir: Path, cfg: SiteConfig,
                   extra_devices: tuple[str, ...] = ()) -> BrokerHandle:
    """Mosquitto with the site's accounts and ACL on a TLS listener; the handle holds the
    accounts (handle.credentials(user)). `extra_devices`: device accounts beyond the site
    file's (a benchmark's box that the sample site does not list), with a device's ACL."""
    done = provision(cfg, workdir / "provision", tls=BENCH_TLS,
                     testing=SuitePolicy(any_site=False, extra_devices=extra_devices,
                                         observer=None, bind_client_id=True,
                                         floor_accounts=(FLOOR_CLIENT, FLOOR_ECHO)))
    broker = start_mosquitto(workdir / "mosquitto", access=done.access)
    broker.accounts = done.load()
    return broker


def client(broker: BrokerHandle, site: str, device: str, role: str,
           **options: Any) -> QueueClient:
    """A QueueClient for `device` with its own account (none on an anonymous broker)."""
    return QueueClient(broker.host, broker.port, site, device, role,
                       credentials=broker.credentials(device), tls=broker.tls, **options)
