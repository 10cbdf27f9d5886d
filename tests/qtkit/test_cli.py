"""The apps' shared options: without an address they find their server on the LAN through
zeroconf (DESIGN.md); --mqtt/--site-id are used as given otherwise."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

import pytest

from qtkit.cli import base_parser, endpoint_of
from queue_server.protocol.discovery import Advertiser

# servers advertised, and a box without a site that must find none (tests/conftest.py)
pytestmark = pytest.mark.mdns

LOOPBACK = ["127.0.0.1"]


def _args(*argv: str):
    return base_parser("mpp display test", "test", device="display-01").parse_args(list(argv))


def test_static_address_and_site_are_used_as_given():
    ep = endpoint_of(_args("--mqtt", "mqtt://127.0.0.2:1884", "--site-id", "mpp-x"),
                     role="counter")
    assert (ep.host, ep.port, ep.site, ep.device_id, ep.role) == (
        "127.0.0.2", 1884, "mpp-x", "display-01", "counter")


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
        endpoint_of(_args("--mqtt", "mqtt://127.0.0.2", "--discover-timeout", "0.3"),
                    interfaces=LOOPBACK)


def test_a_malformed_address_is_refused():
    with pytest.raises(SystemExit) as err:
        endpoint_of(_args("--mqtt", "http://x:1", "--site-id", "s"))
    assert "mqtt://HOST:PORT" in str(err.value)


# --------------------------------------------------------------------------- credentials

SECRET = "the-secret-of-kiosk-03"


@pytest.fixture
def kiosk_03(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A credentials file as `mpp provision` writes it, and no $MPP_CREDENTIALS around."""
    monkeypatch.delenv("MPP_CREDENTIALS", raising=False)
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    path = tmp_path / "credentials.toml"
    path.write_text(f'[mqtt]\nuser = "kiosk-03"\npassword = "{SECRET}"\n', encoding="utf-8")
    path.chmod(0o600)
    return path


def test_the_credentials_file_names_the_device_and_tls_comes_from_the_url(kiosk_03):
    ep = endpoint_of(_args("--mqtt", "mqtts://127.0.0.2", "--site-id", "mpp-x",
                           "--credentials", str(kiosk_03)), role="kiosk")
    assert (ep.host, ep.port, ep.tls, ep.device_id) == ("127.0.0.2", 8883, True, "kiosk-03")
    assert ep.credentials is not None and ep.credentials.password == SECRET


def test_the_environment_names_the_file(kiosk_03, monkeypatch):
    monkeypatch.setenv("MPP_CREDENTIALS", str(kiosk_03))
    ep = endpoint_of(_args("--mqtt", "mqtt://127.0.0.2", "--site-id", "mpp-x"))
    assert ep.credentials is not None and ep.device_id == "kiosk-03" and not ep.tls


def test_a_device_that_is_not_the_accounts_is_refused(kiosk_03):
    with pytest.raises(SystemExit) as err:
        endpoint_of(_args("--mqtt", "mqtt://127.0.0.2", "--site-id", "mpp-x", "--device",
                          "kiosk-01", "--credentials", str(kiosk_03)))
    assert f"the credentials file {kiosk_03} is the broker account of kiosk-03" in \
        str(err.value)
    with pytest.raises(SystemExit) as err:  # the URL's user names another account
        endpoint_of(_args("--mqtt", "mqtts://kiosk-01@127.0.0.2", "--site-id", "mpp-x",
                          "--credentials", str(kiosk_03)))
    assert "names 'kiosk-01'" in str(err.value) and SECRET not in str(err.value)


def test_a_user_without_a_password_file_is_refused(kiosk_03):
    with pytest.raises(SystemExit) as err:
        endpoint_of(_args("--mqtt", "mqtts://kiosk-03@127.0.0.2", "--site-id", "mpp-x"))
    assert "no credentials file gives its password" in str(err.value)


def test_without_credentials_the_app_warns_it_goes_anonymous(kiosk_03, caplog):
    with caplog.at_level(logging.WARNING, logger="mpp.app"):
        ep = endpoint_of(_args("--mqtt", "mqtt://127.0.0.2", "--site-id", "mpp-x"))
    assert ep.credentials is None and ep.device_id == "display-01"
    assert any("anonymously" in r.getMessage() for r in caplog.records)


def test_an_advertised_tls_broker_is_dialled_with_tls(kiosk_03):
    site = f"mpp-test-{uuid.uuid4().hex[:8]}"
    with Advertiser(site, "192.0.2.10", 18883, 18081, addresses=["127.0.0.1"],
                    interfaces=LOOPBACK, mqtt_tls=True):
        ep = endpoint_of(_args("--site-id", site, "--discover-timeout", "10",
                               "--credentials", str(kiosk_03)), interfaces=LOOPBACK)
    assert (ep.host, ep.port, ep.tls, ep.device_id) == ("192.0.2.10", 18883, True, "kiosk-03")
