"""The Link's credentials and TLS on real Mosquittos configured by `mpp provision`: a box
logs in over TLS with the site CA; every refusal is a LinkError a technician can act on
(which file to check, which CA, which name); a failed handshake leaves no socket open."""

from __future__ import annotations

import os
import ssl
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from mpp.broker import BrokerHandle, start_mosquitto
from mpp.provision import provision
from mpp.provision.run import TlsRequest
from queue_server.protocol.credentials import Credentials
from queue_server.protocol.link import NOT_AUTHORISED, TLS_REFUSED, Link, LinkError, LinkOptions
from tests.support.broker import require_mosquitto
from tests.support.site import small_site


def link(broker: BrokerHandle, credentials: Credentials | None, *, host: str | None = None,
         tls: bool | None = None) -> Link:
    return Link(LinkOptions(host or broker.host, broker.port, client_id="test-security",
                            credentials=credentials,
                            tls=broker.tls if tls is None else tls))


def refusal(broker: BrokerHandle, credentials: Credentials | None, **options: object
            ) -> LinkError:
    attempt = link(broker, credentials, **options)  # type: ignore[arg-type]
    with pytest.raises(LinkError) as err:
        attempt.start(timeout=3.0)
    attempt.stop()
    return err.value


@pytest.fixture(scope="module")
def named_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrokerHandle]:
    """A hall's broker whose certificate names mpp-server.local and 127.0.0.1 only."""
    require_mosquitto()
    out = tmp_path_factory.mktemp("named")
    done = provision(small_site("mpp-uji"), out / "provision",
                     tls=TlsRequest(names=["mpp-server.local"], ips=["127.0.0.1"]))
    broker = start_mosquitto(out / "broker", access=done.access)
    broker.accounts = done.load()
    yield broker
    broker.stop()


@pytest.fixture(scope="module")
def foreign_ca(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another site's CA."""
    done = provision(small_site("mpp-lain"), tmp_path_factory.mktemp("foreign"),
                     tls=TlsRequest(names=["localhost"], ips=["127.0.0.1"]))
    return done.credentials("kiosk-01").parent / "ca.crt"


def test_a_box_logs_in_over_tls_with_the_site_ca(tls_mosquitto: BrokerHandle) -> None:
    box = link(tls_mosquitto, tls_mosquitto.credentials("kiosk-01"))
    box.start(timeout=5.0)
    try:
        assert box.connected.is_set()
        assert isinstance(box.client.socket(), ssl.SSLSocket)
    finally:
        box.stop()


def test_a_wrong_secret_names_the_file_to_check(tls_mosquitto: BrokerHandle) -> None:
    right = tls_mosquitto.credentials("kiosk-01")
    assert right is not None
    wrong = replace(right, password="not-the-secret-of-kiosk-01")
    err = refusal(tls_mosquitto, wrong)
    assert err.code == NOT_AUTHORISED
    assert str(err).endswith(f"not authorised as kiosk-01: check the credentials file "
                             f"{right.source}")
    assert wrong.password not in str(err)


def test_an_anonymous_box_is_told_to_get_its_credentials(plain_mosquitto: BrokerHandle
                                                        ) -> None:
    err = refusal(plain_mosquitto, None)
    assert err.code == NOT_AUTHORISED
    assert "refuses anonymous clients" in str(err) and "--credentials" in str(err)


def test_a_broker_another_ca_signed_is_refused(tls_mosquitto: BrokerHandle,
                                               foreign_ca: Path) -> None:
    theirs = replace(tls_mosquitto.credentials("kiosk-01"), ca=foreign_ca)  # type: ignore[type-var]
    err = refusal(tls_mosquitto, theirs)
    assert err.code == TLS_REFUSED
    assert str(err).endswith(f"the broker's certificate is not signed by this site's CA "
                             f"({foreign_ca})")


def test_a_certificate_that_does_not_name_the_host_dialled_is_refused(
        named_broker: BrokerHandle) -> None:
    # "localhost" reaches the same broker, but its certificate does not name it
    err = refusal(named_broker, named_broker.credentials("kiosk-01"), host="localhost")
    assert err.code == TLS_REFUSED
    assert "the broker's certificate does not name localhost" in str(err)
    box = link(named_broker, named_broker.credentials("kiosk-01"))  # 127.0.0.1: named
    box.start(timeout=5.0)
    box.stop()


def test_tls_and_plain_mixed_up_say_which_to_use(tls_mosquitto: BrokerHandle,
                                                 plain_mosquitto: BrokerHandle) -> None:
    plain_on_tls = refusal(tls_mosquitto, tls_mosquitto.credentials("kiosk-01"), tls=False)
    assert "if that port speaks TLS, use mqtts://" in str(plain_on_tls)
    plain = plain_mosquitto
    tls_on_plain = refusal(plain, plain.credentials("kiosk-01"), tls=True)
    assert tls_on_plain.code == TLS_REFUSED
    assert f"{plain.host}:{plain.port} does not speak TLS" in str(tls_on_plain)


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_failed_handshakes_leave_no_socket_open(tls_mosquitto: BrokerHandle,
                                                foreign_ca: Path) -> None:
    # paho neither keeps nor closes the socket of a failed handshake; the Link's does
    theirs = replace(tls_mosquitto.credentials("kiosk-01"), ca=foreign_ca)  # type: ignore[type-var]
    refusal(tls_mosquitto, theirs)  # warm: whatever is opened once per process
    before = open_descriptors()
    for _ in range(5):
        refusal(tls_mosquitto, theirs)
    assert open_descriptors() == before
