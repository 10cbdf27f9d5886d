"""A flapping network between the devices and the broker (a proxy on loopback that resets
every connection it carries, again and again, while kiosks issue and counters call):
nothing acknowledged is lost, no call is made twice, every call reaches the display."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from mpp.broker import BrokerHandle
from tests.faults.conftest import scaled
from tests.faults.proxy import FlakyProxy
from tests.faults.wire import WireDisplay

COUNTERS = {"counter-01": "loket-01", "counter-03": "loket-03"}  # both serve ktp


def _run_with_flaps(work: Callable[[], Any], done: Callable[[], int], total: int,
                    flaps: int, proxy: FlakyProxy) -> None:
    """Run `work` on threads' behalf and reset the proxy `flaps` times, spread over the
    progress `done()` makes towards `total`."""
    failures: list[BaseException] = []

    def guarded() -> None:
        try:
            work()
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=guarded) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        for flap in range(flaps):
            target = (flap + 1) * total // (flaps + 1)
            deadline = time.monotonic() + 60
            while done() < target and time.monotonic() < deadline and not failures:
                time.sleep(0.005)  # polling the load's progress
            assert done() >= target, failures
            proxy.reset()
    finally:
        for t in threads:
            t.join(120)
    assert not failures, failures


def test_flapping_network_loses_nothing(fresh_mosquitto, server_factory, client_factory,
                                        mqtt_client_factory, site, sqlite_url, clock):
    flaps, tickets = scaled(4, 30), scaled(100, 600)  # even: half from each kiosk
    began = time.monotonic()
    broker = fresh_mosquitto()
    server = server_factory(site, sqlite_url, clock, broker=broker)  # the server: direct
    proxy = FlakyProxy(broker.port)
    try:
        flaky = BrokerHandle(broker.host, proxy.port, "mosquitto", tls=broker.tls,
                             accounts=broker.accounts)
        display = WireDisplay(mqtt_client_factory, flaky, site.site.id)
        kiosks = [client_factory(f"kiosk-0{i}", "kiosk", broker=flaky, follow_state=False)
                  for i in (1, 2)]
        counters = [client_factory(d, "counter", broker=flaky, follow_state=False)
                    for d in COUNTERS]
        lock = threading.Lock()
        issued: dict[str, str] = {}
        calls: list[str] = []
        serial = iter(range(10**6))

        def next_id(prefix: str) -> str:
            with lock:
                return f"{prefix}-{next(serial)}"

        kiosk_turn = iter(range(2))

        def issue() -> None:
            with lock:
                kiosk = kiosks[next(kiosk_turn)]
            for _ in range(tickets // 2):
                got = kiosk.request("ticket.issue", {"service": "ktp"},
                                    cmd_id=next_id(kiosk.device_id), timeout=60, retries=30)
                with lock:
                    issued[got["id"]] = got["number"]

        # WHEN the network flaps while kiosks issue
        _run_with_flaps(issue, lambda: len(issued), tickets, flaps, proxy)
        for counter, loket in zip(counters, COUNTERS.values(), strict=True):
            counter.request("counter.open", {"counter": loket}, timeout=60, retries=30)
        which = iter(range(2))

        def call() -> None:
            with lock:
                mine = next(which)
            counter, loket = counters[mine], list(COUNTERS.values())[mine]
            while True:
                got = counter.request("counter.call_next", {"counter": loket},
                                      cmd_id=next_id(counter.device_id), timeout=60,
                                      retries=30)
                if got["ticket"] is None:
                    return
                with lock:
                    calls.append(got["ticket"]["id"])

        # AND while counters call every ticket
        _run_with_flaps(call, lambda: len(calls), tickets, flaps, proxy)
        # THEN every call reaches the display, and every ticket is in the hall
        assert display.wait(lambda d: set(calls) <= d.seen_calls, 10), (
            set(calls) - display.seen_calls)
        hall = server.engine.hall
        lost = sum(1 for tid in issued if tid not in hall.tickets)
        numbers = sorted(issued.values())
        duplicates = (len(calls) - len(set(calls)) + display.duplicate_calls()
                      + len(numbers) - len(set(numbers)))
        print(f"\n[faults] flapping network: {2 * flaps} resets ({proxy.resets} "
              f"connections cut) during {len(issued)} tickets from 2 kiosks and "
              f"{len(calls)} calls from 2 counters; lost {lost}, duplicates {duplicates}, "
              f"seq gaps {display.gaps} (state re-read); {time.monotonic() - began:.1f} s")
        assert lost == 0 and duplicates == 0
        assert sorted(calls) == sorted(issued)
    finally:
        proxy.close()
