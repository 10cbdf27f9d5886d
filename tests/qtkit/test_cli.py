"""The apps' shared options: without an address they find their server on the LAN through
zeroconf (DESIGN.md); --mqtt/--site-id are used as given otherwise."""

from __future__ import annotations

import uuid

import pytest

from qtkit.cli import base_parser, endpoint_of
from queue_server.protocol.discovery import Advertiser

LOOPBACK = ["127.0.0.1"]


def _args(*argv: str):
    return base_parser("mpp display test", "test", device="display-01").parse_args(list(argv))


def test_static_address_and_site_are_used_as_given():
    ep = endpoint_of(_args("--mqtt", "mqtt://10.0.0.2:1884", "--site-id", "mpp-x"),
                     role="counter")
    assert (ep.host, ep.port, ep.site, ep.device_id, ep.role) == (
        "10.0.0.2", 1884, "mpp-x", "display-01", "counter")


def test_without_an_address_the_advertised_server_is_used():
    site = f"mpp-test-{uuid.uuid4().hex[:8]}"
    with Advertiser(site, "192.0.2.10", 18831, 18081, addresses=["127.0.0.1"],
                    interfaces=LOOPBACK):
        ep = endpoint_of(_args("--site-id", site, "--discover-timeout", "10"),
                         interfaces=LOOPBACK)
    assert (ep.host, ep.port, ep.site) == ("192.0.2.10", 18831, site)


def test_nothing_found_and_no_address_is_a_clear_error():
    with pytest.raises(SystemExit) as err:
        endpoint_of(_args("--site-id", f"mpp-none-{uuid.uuid4().hex[:8]}",
                          "--discover-timeout", "0.3"), interfaces=LOOPBACK)
    assert "no queue server found" in str(err.value) and "--mqtt" in str(err.value)


def test_an_address_without_a_site_needs_the_site_from_the_lan():
    with pytest.raises(SystemExit):
        endpoint_of(_args("--mqtt", "mqtt://10.0.0.2", "--discover-timeout", "0.3"),
                    interfaces=LOOPBACK)


def test_a_malformed_address_is_refused():
    with pytest.raises(SystemExit) as err:
        endpoint_of(_args("--mqtt", "http://x:1", "--site-id", "s"))
    assert "mqtt://HOST:PORT" in str(err.value)
