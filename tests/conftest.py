"""Suite-wide fixtures: real Mosquitto, real PostgreSQL, MQTT clients, leak checks.

Brokers and databases are real and started here on free loopback ports; a missing Mosquitto
or PostgreSQL FAILS the tests that need it (never skips): run scripts/install-system-deps.sh.

The brokers run secured, as a hall's does: accounts, ACL (tests/support/accounts.py), and
TLS for the ones that say so. Everything the fixtures build logs in with its own account,
`broker.credentials(user)`; anonymous clients appear only in the tests that check they
are refused.

Fixtures:
    broker_accounts                 session  Provisioned: the suite's accounts, ACL, TLS files
    mosquitto                       session  BrokerHandle of a shared Mosquitto (accounts,
                                             ACL, TLS with the suite's site CA)
    tls_mosquitto                   session  the same broker, for the tests about TLS
    plain_mosquitto                 session  a shared one without TLS (accounts and ACL on)
    fresh_mosquitto(port=None, tls=True, ...)  function factory -> BrokerHandle (own broker:
                                             kill/restart)
    mqtt_client_factory(broker, **) function factory -> connected paho Client (user=observer)
    mqtt_collector(broker, filter)  function factory -> Collector on a dedicated client
    unique_site                     function a fresh site slug ("t-1a2b3c4d") to isolate topics
    postgres_cluster                session  PostgresCluster (tests/support/postgres.py)
    postgres_url                    session  "postgresql+psycopg://mpp@127.0.0.1:PORT/mpp_test"
    db_url                          function SQLAlchemy URL, parametrized ["sqlite", "postgresql"]

The city's central for the outbox's tests (tests/support/central.py): central_tls,
central_db, central_factory(db_url, port=None) -> CentralProcess, scripted_central.

Marker: @pytest.mark.allow_thread_leak disables the thread leak check for one test.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mpp.broker import BrokerError, BrokerHandle, start_mosquitto
from mpp.provision import Provisioned
from queue_server.protocol.credentials import Credentials
from tests.support.accounts import access_of, provision_suite, secured
from tests.support.broker import (
    Collector,
    MqttClientFactory,
    leaked_threads,
    require_mosquitto,
)
from tests.support.postgres import PostgresCluster, require_pg_bindir

THREAD_LEAK_GRACE_S = 2.0

pytest_plugins = ["tests.support.hall", "tests.support.central"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "allow_thread_leak: do not fail this test for threads it leaves running"
    )


# --------------------------------------------------------------------------- leak check


@pytest.fixture(autouse=True)
def _no_leaked_threads(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves non-daemon threads (or paho loop / amqtt threads) running.

    Higher-scoped fixtures are set up before this one, so their threads are not counted.
    Threads get a short grace period to finish.
    """
    before = set(threading.enumerate())
    yield
    if request.node.get_closest_marker("allow_thread_leak"):
        return
    leaked = leaked_threads(before)
    deadline = time.monotonic() + THREAD_LEAK_GRACE_S
    for thread in leaked:
        thread.join(max(0.0, deadline - time.monotonic()))
    leaked = [t for t in leaked if t.is_alive()]
    if leaked:
        names = ", ".join(f"{t.name} (daemon={t.daemon})" for t in leaked)
        pytest.fail(f"test leaked running threads: {names}", pytrace=False)


# --------------------------------------------------------------------------- MQTT


@pytest.fixture(scope="session")
def broker_accounts(tmp_path_factory: pytest.TempPathFactory) -> Provisioned:
    """The suite's broker accounts, ACL and TLS files, made by `mpp provision` with the
    test-only relaxations (tests/support/accounts.py)."""
    return provision_suite(tmp_path_factory.mktemp("accounts"))


@pytest.fixture(scope="session")
def suite_credentials(broker_accounts: Provisioned) -> dict[str, Credentials]:
    return broker_accounts.load()


def _secured_mosquitto(data_dir: Path, done: Provisioned, accounts: dict[str, Credentials],
                       *, tls: bool, **options: int | None) -> BrokerHandle:
    try:
        handle = start_mosquitto(data_dir, access=access_of(done, tls=tls),
                                 **options)  # type: ignore[arg-type]
    except BrokerError as exc:
        pytest.fail(str(exc), pytrace=False)
    return secured(handle, accounts)


@pytest.fixture(scope="session")
def mosquitto(tmp_path_factory: pytest.TempPathFactory, broker_accounts: Provisioned,
              suite_credentials: dict[str, Credentials]) -> Iterator[BrokerHandle]:
    """A real Mosquitto 2 shared by the session, on a free 127.0.0.1 port, secured as a
    hall's: the suite's accounts and ACL, MQTT over TLS with a certificate signed by the
    suite's site CA that names 127.0.0.1 and localhost.

    Shared: isolate tests by topic (see `unique_site`). Use `fresh_mosquitto` to kill or
    restart a broker.
    """
    require_mosquitto()
    handle = _secured_mosquitto(tmp_path_factory.mktemp("mosquitto"), broker_accounts,
                                suite_credentials, tls=True)
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
def tls_mosquitto(mosquitto: BrokerHandle) -> BrokerHandle:
    """The shared broker, named for the tests that are about TLS itself."""
    assert mosquitto.tls
    return mosquitto


@pytest.fixture(scope="session")
def plain_mosquitto(tmp_path_factory: pytest.TempPathFactory, broker_accounts: Provisioned,
                    suite_credentials: dict[str, Credentials]) -> Iterator[BrokerHandle]:
    """Like `mosquitto` without TLS (accounts and ACL still on): for the tests of what a
    plain listener does, such as a TLS client dialling it."""
    require_mosquitto()
    handle = _secured_mosquitto(tmp_path_factory.mktemp("mosquitto-plain"), broker_accounts,
                                suite_credentials, tls=False)
    yield handle
    handle.stop()


@pytest.fixture
def fresh_mosquitto(tmp_path: Path, broker_accounts: Provisioned,
                    suite_credentials: dict[str, Credentials]
                    ) -> Iterator[Callable[..., BrokerHandle]]:
    """Factory: `fresh_mosquitto(port=None, sys_interval=None, tls=True) -> BrokerHandle`,
    a broker of this test's own with the suite's accounts, over TLS like `mosquitto`
    (`sys_interval`: how often it publishes its $SYS figures; `tls=False`: plain MQTT).

    Restart on the same port after `handle.stop()` / `handle.kill()` with
    `fresh_mosquitto(port=handle.port)`. Every broker is stopped at teardown.
    """
    require_mosquitto()
    handles: list[BrokerHandle] = []

    def start(port: int | None = None, sys_interval: int | None = None,
              tls: bool = True) -> BrokerHandle:
        data_dir = tmp_path / f"mosquitto-{len(handles)}"
        handle = _secured_mosquitto(data_dir, broker_accounts, suite_credentials, tls=tls,
                                    port=port, sys_interval=sys_interval)
        handles.append(handle)
        return handle

    yield start
    for handle in handles:
        handle.stop()


@pytest.fixture
def mqtt_client_factory() -> Iterator[MqttClientFactory]:
    """Factory: `mqtt_client_factory(broker, *, client_id=None, protocol=None, clean=True,
    keepalive=30, will=None, userdata=None, on_connect=None, on_message=None,
    connect=True, timeout=5.0) -> paho.mqtt.client.Client`.

    Clients use CallbackAPIVersion.VERSION2, TCP_NODELAY (on_socket_open), MQTT 5 on
    Mosquitto and 3.1.1 elsewhere, and come back connected with their loop running. All are
    disconnected and their loops stopped at teardown.
    """
    factory = MqttClientFactory()
    yield factory
    factory.close_all()


@pytest.fixture
def mqtt_collector(
    mqtt_client_factory: MqttClientFactory,
) -> Callable[..., Collector]:
    """Factory: `mqtt_collector(broker, topic_filter, *, qos=1) -> Collector`, subscribed
    (SUBACK received) on a dedicated client."""

    def make(broker: BrokerHandle, topic_filter: str, *, qos: int = 1) -> Collector:
        client = mqtt_client_factory(broker)
        collector = Collector(client, topic_filter, qos=qos)
        return collector

    return make  # the clients are closed by mqtt_client_factory's teardown


@pytest.fixture
def unique_site() -> str:
    """A site slug no other test uses, so tests sharing `mosquitto` do not see each other."""
    return f"t-{uuid.uuid4().hex[:8]}"


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A real PostgreSQL (15 on Debian 12) for the session, on a free 127.0.0.1 port."""
    cluster = PostgresCluster(bindir=require_pg_bindir())
    try:
        cluster.start()
    except RuntimeError as exc:
        cluster.stop()
        pytest.fail(f"could not start PostgreSQL: {exc}", pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_cluster: PostgresCluster) -> str:
    """SQLAlchemy URL of the session database: postgresql+psycopg://mpp@127.0.0.1:PORT/mpp_test."""
    return postgres_cluster.url()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, once on SQLite (a file in tmp_path) and once on PostgreSQL (a
    fresh database on the session cluster, dropped afterwards). Select one backend with
    `-k sqlite` / `-k postgresql`."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mpp.db'}"
        return
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    name = cluster.new_database()
    yield cluster.url(name)
    cluster.drop_database(name)
