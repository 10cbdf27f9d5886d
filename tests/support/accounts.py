"""The test suite's broker accounts: its brokers run secured, as a hall's does (accounts,
ACL, TLS where a test asks), so the secure path is the tested path.

`mpp provision` makes them, with the relaxations of `SuitePolicy` (tests only, never a
hall; docs/security.md):
* the ACL has `+` at the site level: every test has a random site slug (`unique_site`);
* one account per device id any test uses: the small test site's, the sample site's, and
  EXTRA_DEVICES below;
* `observer`, an account that reads everything under mpp/v1/ and $SYS/ and writes
  nothing, for the raw clients that watch the broker (`mqtt_collector`, counts);
* client ids are not bound to user names, so a test may run a device's app next to a
  raw client of the same account.

TLS: the suite's brokers (`mosquitto`, `fresh_mosquitto`) serve MQTT over TLS
with the suite's own site CA, their certificate naming 127.0.0.1 and localhost."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from mpp.broker import BrokerHandle
from mpp.broker.access import BrokerAccess
from mpp.provision import Provisioned, provision
from mpp.provision.run import SuitePolicy, TlsRequest
from queue_server.config import default_site_path, load_site
from queue_server.protocol.credentials import Credentials
from tests.support.site import small_site

OBSERVER = "observer"
# an account named as no device may be: a test shows that the server drops a command on a
# topic that names no valid device, which only such an account may publish on
NOT_A_DEVICE_ID = "BAD_ID"
# device ids the tests use beyond the two sites' (devices the server does not know and
# refuses, a second display...), and NOT_A_DEVICE_ID
EXTRA_DEVICES = ("display-02", "kiosk-99", "counter-99", "ghost-99", "display-counter",
                 NOT_A_DEVICE_ID)
TLS_NAMES = TlsRequest(names=["localhost"], ips=["127.0.0.1"])


def provision_suite(out: Path) -> Provisioned:
    """The suite's accounts, ACL and TLS files in `out` (secrets kept between calls)."""
    sample = load_site(default_site_path())
    extra = (*(d.id for d in sample.devices), *EXTRA_DEVICES)
    return provision(small_site("t-suite"), out, tls=TLS_NAMES,
                     testing=SuitePolicy(extra_devices=extra, observer=OBSERVER))


def access_of(done: Provisioned, *, tls: bool) -> BrokerAccess:
    """The broker side: the listener speaks TLS only when asked."""
    return done.access if tls else replace(done.access, tls=None)


def secured(handle: BrokerHandle, accounts: dict[str, Credentials]) -> BrokerHandle:
    """`handle` with the accounts its clients log in with (handle.credentials(user))."""
    handle.accounts = accounts
    return handle
