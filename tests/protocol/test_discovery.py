"""Zeroconf discovery against real mDNS sockets on this machine's loopback interface.

Every test uses a fresh random site slug, so servers advertised by other tests (or other
processes on the same host) never match. Synchronisation is by zeroconf events or
bounded waits, never by sleeping.
"""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from queue_server.protocol.discovery import (
    PROTOCOL_VERSION,
    SERVICE_TYPE,
    Advertiser,
    DiscoveryError,
    ServerInfo,
    Watcher,
    browse,
    resolve_server,
)

pytestmark = pytest.mark.timeout(60)

REPO = Path(__file__).resolve().parents[2]

# Multicast on the loopback interface works here (Linux), keeps test traffic off the LAN
# and works on CI machines without a network.
LOOPBACK = ["127.0.0.1"]
WAIT = 10.0  # upper bound for events that normally take well under 2 s
LONG = 60.0  # a browse timeout no machine comes near: "returns early" is then clear


def _site() -> str:
    return f"mpp-test-{uuid.uuid4().hex[:10]}"


# conftest's suite-wide check ignores most daemon threads; zeroconf's loop and browser
# threads are daemon threads, so this module checks every thread.
def _zeroconf_threads() -> set[threading.Thread]:
    # pytest-timeout's watchdog thread (timeout_method = "thread") lives per test
    return {t for t in threading.enumerate() if t is not threading.main_thread()
            and not t.name.startswith("pytest_timeout")}


def _assert_no_new_threads(before: set[threading.Thread]) -> None:
    new = _zeroconf_threads() - before
    for t in new:
        t.join(timeout=5)  # a closed zeroconf joins its threads; allow a bounded wind-down
    leaked = [t.name for t in new if t.is_alive()]
    assert not leaked, f"threads leaked: {leaked}"


@pytest.fixture(scope="module", autouse=True)
def _no_thread_leaks_module():
    before = _zeroconf_threads()
    yield
    _assert_no_new_threads(before)


@pytest.fixture(autouse=True)
def _no_thread_leaks():
    before = _zeroconf_threads()
    yield
    _assert_no_new_threads(before)


@pytest.fixture(scope="module")
def server(_no_thread_leaks_module):
    """One server advertised for the whole module (registration probes take ~1.6 s)."""
    adv = Advertiser(
        site=_site(),
        mqtt_host="127.0.0.10",
        mqtt_port=18830,
        http_port=18080,
        addresses=["127.0.0.1"],
        interfaces=LOOPBACK,
    )
    adv.start()
    try:
        yield adv
    finally:
        adv.stop()


def test_browse_finds_advertised_server_with_txt_fields(server):
    found = browse(timeout=WAIT, site=server.site, interfaces=LOOPBACK)
    assert found == [
        ServerInfo(
            site=server.site,
            mqtt_host="127.0.0.10",
            mqtt_port=18830,
            http_port=18080,
            protocol=PROTOCOL_VERSION,
            name=f"{server.site}.{SERVICE_TYPE}",
            address="127.0.0.1",
        )
    ]
    assert server.name == f"{server.site}.{SERVICE_TYPE}"
    # a blank box pairs with the dashboard at the address the record resolved to
    assert found[0].http_url == "http://127.0.0.1:18080"


def test_browse_with_site_filter_returns_early(server):
    started = time.monotonic()
    found = browse(timeout=LONG, site=server.site, interfaces=LOOPBACK)
    elapsed = time.monotonic() - started
    assert [s.site for s in found] == [server.site]
    assert elapsed < LONG / 2, f"browse did not return early ({elapsed:.2f}s)"


def test_browse_without_filter_collects_for_the_whole_timeout(server):
    started = time.monotonic()
    found = browse(timeout=3.0, interfaces=LOOPBACK)
    elapsed = time.monotonic() - started
    assert server.site in {s.site for s in found}
    assert elapsed >= 3.0


def timed_browse(site: str) -> float:
    """Seconds a browse for `site` takes to find it here (about 1 s on loopback)."""
    started = time.monotonic()
    assert [s.site for s in browse(timeout=WAIT, site=site, interfaces=LOOPBACK)] == [site]
    return time.monotonic() - started


def test_browse_for_unknown_site_finds_nothing(server):
    # GIVEN how long finding the server's own site takes on this machine
    seen_in = timed_browse(server.site)
    # THEN a browse three times as long for another site still finds nothing (a shorter
    # one would find nothing even with the site filter broken)
    assert browse(timeout=max(3.0, 3 * seen_in), site=_site(), interfaces=LOOPBACK) == []


def test_same_site_twice_gets_host_suffix_and_wildcard_host_resolves(server):
    # A second server for the same site on this host: the name gets the host appended.
    # It listens on every interface (mqtt_host 0.0.0.0), so browsers use its address.
    with Advertiser(
        site=server.site,
        mqtt_host="0.0.0.0",
        mqtt_port=18831,
        http_port=None,
        addresses=["127.0.0.1"],
        interfaces=LOOPBACK,
    ) as second:
        assert second.name is not None
        assert second.name != server.name
        assert second.name.startswith(f"{server.site} (")

        # A third on the same host has no unique name left.
        third = Advertiser(server.site, "127.0.0.1", 18832, None, ["127.0.0.1"], LOOPBACK)
        with pytest.raises(DiscoveryError) as excinfo:
            third.start()
        assert excinfo.value.code == "discovery_failed"
        assert not third.running
        third.stop()  # harmless when never started

        found = browse(timeout=3.0, interfaces=LOOPBACK)
        ours = {s.name: s for s in found if s.site == server.site}
        assert set(ours) == {server.name, second.name}
        assert ours[second.name].mqtt_host == "127.0.0.1"
        assert ours[second.name].mqtt_port == 18831
        assert ours[second.name].http_port is None


def test_loopback_mqtt_host_of_a_remote_server_becomes_its_address():
    # The server advertises its own view (127.0.0.1) but its A record is another machine's
    # (198.51.100.7, not on this host): a device must connect to that address instead.
    # A server on this machine keeps its loopback host (see the wildcard test above).
    with Advertiser(
        _site(), "127.0.0.1", 18837, None, addresses=["198.51.100.7"], interfaces=LOOPBACK
    ) as remote:
        found = browse(timeout=WAIT, site=remote.site, interfaces=LOOPBACK)
        assert [(s.mqtt_host, s.mqtt_port) for s in found] == [("198.51.100.7", 18837)]


def test_stop_unregisters_is_idempotent_and_can_restart():
    from zeroconf import ServiceBrowser, Zeroconf

    site = _site()
    name = f"{site}.{SERVICE_TYPE}"
    added, removed = threading.Event(), threading.Event()

    class Watch:
        def add_service(self, zc, type_, n):
            if n == name:
                added.set()

        def update_service(self, zc, type_, n):
            pass

        def remove_service(self, zc, type_, n):
            if n == name:
                removed.set()

    watcher = Zeroconf(interfaces=LOOPBACK)
    try:
        browser = ServiceBrowser(watcher, SERVICE_TYPE, Watch())
        try:
            with Advertiser(site, "127.0.0.1", 18833, 18083, ["127.0.0.1"], LOOPBACK) as adv:
                assert adv.running
                assert added.wait(WAIT), "advertisement never seen"
                seen_in = timed_browse(site)
                adv.stop()
                assert not adv.running
                assert removed.wait(WAIT), "goodbye never seen"
                adv.stop()  # idempotent; __exit__ stops a third time
        finally:
            browser.cancel()
    finally:
        watcher.close()
    # nobody answers for it any more: three times as long as finding it took, nothing
    assert browse(timeout=max(3.0, 3 * seen_in), site=site, interfaces=LOOPBACK) == []

    # A stopped advertiser can be started again (e.g. after a network change).
    adv.start()
    try:
        adv.start()  # no-op while running
        again = browse(timeout=WAIT, site=site, interfaces=LOOPBACK)
        assert [s.mqtt_port for s in again] == [18833]
    finally:
        adv.stop()


def test_resolve_server_prefers_advertised_server(server):
    found = resolve_server("127.0.0.5", 1884, server.site, timeout=WAIT, interfaces=LOOPBACK)
    assert found is not None
    assert (found.mqtt_host, found.mqtt_port, found.name) == ("127.0.0.10", 18830, server.name)


def test_resolve_server_falls_back_to_static_config():
    site = _site()
    found = resolve_server("127.0.0.5", 1884, site, timeout=0.5, interfaces=LOOPBACK)
    assert found == ServerInfo(
        site=site,
        mqtt_host="127.0.0.5",
        mqtt_port=1884,
        http_port=None,
        protocol=PROTOCOL_VERSION,
        name="static",
    )
    default_port = resolve_server("127.0.0.5", None, site, timeout=0.5,
                                  interfaces=LOOPBACK)
    assert default_port is not None and default_port.mqtt_port == 1883


def test_resolve_server_returns_none_without_any_source():
    assert resolve_server(None, None, _site(), timeout=0.5, interfaces=LOOPBACK) is None


def test_unusable_interface_raises_discovery_error():
    adv = Advertiser(_site(), "127.0.0.1", 18835, None, interfaces=["127.0.0.77"])
    with pytest.raises(DiscoveryError) as excinfo:
        adv.start()
    assert excinfo.value.code == "discovery_failed"
    assert not adv.running
    with pytest.raises(DiscoveryError):
        browse(timeout=0.5, interfaces=["127.0.0.77"])
    # resolve_server swallows it and falls back.
    fallback = resolve_server("127.0.0.5", 1884, None, timeout=0.5, interfaces=["127.0.0.77"])
    assert fallback is not None and fallback.name == "static"


def test_socket_errors_from_zeroconf_become_discovery_error(monkeypatch):
    import zeroconf

    def no_network(*args, **kwargs):
        raise OSError(19, "No such device")

    monkeypatch.setattr(zeroconf, "Zeroconf", no_network)
    with pytest.raises(DiscoveryError, match="No such device") as excinfo:
        Advertiser(_site(), "127.0.0.1", 18836, None).start()
    assert excinfo.value.code == "discovery_failed"
    with pytest.raises(DiscoveryError):
        browse(timeout=0.5)


def test_a_watcher_follows_a_server_that_appears_moves_and_goes():
    # GIVEN a watcher open before any server of this site is advertised
    site = _site()
    views: queue.Queue[list[ServerInfo]] = queue.Queue()
    watcher = Watcher(lambda servers: views.put([s for s in servers if s.site == site]),
                      interfaces=LOOPBACK)
    watcher.start()

    def next_view(wanted: Callable[[list[ServerInfo]], bool]) -> list[ServerInfo]:
        deadline = time.monotonic() + WAIT
        while (left := deadline - time.monotonic()) > 0:
            try:
                view = views.get(timeout=left)
            except queue.Empty:
                break
            if wanted(view):
                return view
        raise AssertionError("the watcher did not report the expected change in time")

    try:
        # WHEN the server is advertised THEN it is reported
        with Advertiser(site, "127.0.0.10", 18830, None, addresses=["127.0.0.1"],
                        interfaces=LOOPBACK):
            assert [s.mqtt_port for s in next_view(bool)] == [18830]
        # WHEN it is withdrawn THEN it is gone; WHEN it comes back on another port THEN
        # that port is reported (the server moved)
        next_view(lambda view: not view)
        with Advertiser(site, "127.0.0.11", 18831, None, addresses=["127.0.0.1"],
                        interfaces=LOOPBACK):
            view = next_view(bool)
            assert [(s.mqtt_host, s.mqtt_port) for s in view] == [("127.0.0.11", 18831)]
    finally:
        watcher.stop()
        watcher.stop()  # idempotent


def test_invalid_arguments_are_rejected_early():
    with pytest.raises(ValueError):
        Advertiser("", "127.0.0.1", 1883, None)
    with pytest.raises(ValueError):
        Advertiser("mpp-x", "127.0.0.1", 0, None)
    with pytest.raises(ValueError):
        Advertiser("mpp-x", "127.0.0.1", 1883, 70000)
    with pytest.raises(ValueError):
        Advertiser("mpp-x", "127.0.0.1", 1883, None, addresses=["not-an-ip"])


def test_module_is_import_light():
    code = (
        "import sys, queue_server.protocol.discovery\n"
        "heavy = [m for m in ('zeroconf', 'sqlalchemy', 'PySide6', 'ifaddr') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=30)


def test_the_dashboard_url_a_blank_box_pairs_with():
    def info(**kw: object) -> ServerInfo:
        fields: dict[str, object] = {"site": "s", "mqtt_host": "mpp.local", "mqtt_port": 8883,
                                     "http_port": 8443, "protocol": "1", "name": "n", **kw}
        return ServerInfo(**fields)  # type: ignore[arg-type]

    assert info(address="127.0.0.2", http_tls=True).http_url == "https://127.0.0.2:8443"
    assert info(address="::1").http_url == "http://[::1]:8443"
    assert info().http_url == "http://mpp.local:8443"  # static: no resolved address
    assert info(address="127.0.0.2", http_port=None).http_url is None
