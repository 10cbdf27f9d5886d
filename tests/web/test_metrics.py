"""/metrics on a real server (real Mosquitto, SQLite, uvicorn): the figures move as tickets
are issued and called and as devices come and go, the text parses with prometheus_client's
own parser, and it names no ticket and nothing of a citizen's."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import prometheus_client
from prometheus_client.parser import text_string_to_metric_families

from queue_server.protocol.client import CommandError, QueueClient
from queue_server.web.live import LiveState
from tests.web.conftest import Dash

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: httpx.Client) -> Samples:
    resp = client.get("/metrics")
    assert resp.status_code == 200, resp.text[:300]
    assert resp.headers["content-type"].startswith("text/plain; version=")
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(resp.text) for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def buckets(samples: Samples, name: str) -> list[tuple[float, float]]:
    return sorted((float(dict(labels)["le"]), v) for (n, labels), v in samples.items()
                  if n == f"{name}_bucket")


def answered(device: QueueClient) -> None:
    """Every command before this one has been counted: the server counts a batch right
    after its replies, on the thread that then takes this command."""
    device.request("ping", {})


def test_tickets_calls_and_commands_are_counted(dash: Dash, clients: Callable[[], httpx.Client],
                                                client_factory: Callable[..., QueueClient]
                                                ) -> None:
    web = clients()  # no session: Prometheus signs in to nothing
    kiosk = client_factory("kiosk-01", "kiosk")
    counter = client_factory("counter-01", "counter")
    before = scrape(web)
    # GIVEN three tickets issued, and one refused for an unknown service
    numbers = [kiosk.request("ticket.issue", {"service": "ktp"})["number"] for _ in range(3)]
    try:
        kiosk.request("ticket.issue", {"service": "no-such-service"})
        refused = ""
    except CommandError as err:
        refused = str(err.code)
    assert refused
    # WHEN a counter calls two of them, serves one and marks the other a no-show
    counter.request("counter.open", {"counter": "loket-01"})
    counter.request("counter.call_next", {"counter": "loket-01"})
    counter.request("counter.complete", {"counter": "loket-01"})
    counter.request("counter.call_next", {"counter": "loket-01"})
    counter.request("counter.no_show", {"counter": "loket-01"})
    answered(kiosk)
    after = scrape(web)
    # THEN the ticket counters, by service
    assert value(after, "mpp_tickets_issued_total", service="ktp") == 3
    assert value(after, "mpp_tickets_called_total", service="ktp") == 2
    assert value(after, "mpp_tickets_completed_total", service="ktp") == 1
    assert value(after, "mpp_tickets_no_show_total", service="ktp") == 1
    # AND the commands by op and result
    assert value(after, "mpp_commands_total", op="ticket.issue", result="ok") == 3
    assert value(after, "mpp_commands_total", op="ticket.issue", result=refused) == 1
    assert value(after, "mpp_commands_total", op="counter.call_next", result="ok") == 2
    # AND the two calls in the latency histogram, its buckets rising to the count
    calls = buckets(after, "mpp_call_latency_seconds")
    assert value(after, "mpp_call_latency_seconds_count") == 2
    assert calls[-1] == (float("inf"), 2)
    assert [v for _le, v in calls] == sorted(v for _le, v in calls)
    assert 0 < value(after, "mpp_call_latency_seconds_sum") < 10
    assert value(before, "mpp_call_latency_seconds_count") == 0
    # AND every batch's commit in the commit histogram
    committed = value(after, "mpp_commit_seconds_count") - value(before, "mpp_commit_seconds_count")
    assert committed >= 9  # eight commands that change the hall, one refusal
    # AND the queue's length from the state the server published
    assert value(after, "mpp_queue_waiting", service="ktp") == 1
    # AND no ticket number, no ticket id
    text = web.get("/metrics").text
    assert not any(number in text for number in numbers)
    assert "ticket=" not in text and "A-0" not in text


def test_the_longest_wait_follows_the_clock(dash: Dash, clients: Callable[[], httpx.Client],
                                            client_factory: Callable[..., QueueClient]) -> None:
    web = clients()
    kiosk = client_factory("kiosk-01", "kiosk")
    # GIVEN a ticket waiting
    kiosk.request("ticket.issue", {"service": "kk"})
    # WHEN ten minutes pass and the server refreshes its queues
    dash.server.clock.advance(600)
    dash.server.request_tick()
    assert kiosk.wait_state(lambda s: (s.get("queue/kk") or {}).get("longest_wait_s", 0) >= 600)
    # THEN the gauge says so (set before the state it was computed for is published)
    samples = scrape(web)
    assert value(samples, "mpp_queue_longest_wait_seconds", service="kk") >= 600
    assert value(samples, "mpp_queue_waiting", service="kk") == 1


def wait_status(live: LiveState, device: str, status: str, timeout: float = 10.0) -> None:
    """Until the dashboard's follower has heard `device` say `status`."""
    deadline = time.monotonic() + timeout
    while True:
        version = live.version  # before looking: a change in between is not missed
        if (live.devices.get(device) or {}).get("status") == status:
            return
        left = deadline - time.monotonic()
        assert left > 0, f"{device} never said {status}"
        live.wait_change(version, left)


def test_devices_by_role_follow_presence(dash: Dash, clients: Callable[[], httpx.Client],
                                         client_factory: Callable[..., QueueClient]) -> None:
    web = clients()
    live = dash.server.web.live if dash.server.web else None
    assert live is not None
    # GIVEN a kiosk that comes online
    kiosk = client_factory("kiosk-05", "kiosk")
    wait_status(live, "kiosk-05", "online")
    online = value(scrape(web), "mpp_devices", role="kiosk", status="online")
    assert online >= 1
    # WHEN it goes offline
    kiosk.stop()
    wait_status(live, "kiosk-05", "offline")
    # THEN one kiosk fewer online, one more offline
    samples = scrape(web)
    assert value(samples, "mpp_devices", role="kiosk", status="online") == online - 1
    assert value(samples, "mpp_devices", role="kiosk", status="offline") >= 1


def test_the_figures_are_the_servers_own(dash: Dash) -> None:
    # the library's global registry holds none of ours: two servers in one process
    # (tests, the demo) would otherwise count together
    names = {m.name for m in prometheus_client.REGISTRY.collect()}
    assert not any(name.startswith("mpp_") for name in names)
    assert "mpp_commands" in {m.name for m in dash.server.metrics.registry.collect()}
