"""Bad input, late joiners and a broker that loses everything."""

from __future__ import annotations

import json
import logging
import random

from queue_server.protocol.errors import ErrorCode
from queue_server.protocol.messages import dumps
from tests.support.accounts import NOT_A_DEVICE_ID

STABLE_CODES = {str(code) for code in ErrorCode}


def _malformed(rng: random.Random, n: int) -> list[tuple[str, bytes]]:
    """(device, payload) pairs covering every kind of bad command."""
    makers = [
        lambda i: ("kiosk-01", b"not json at all %d" % i),
        lambda i: ("kiosk-01", b"\xff\xfe\x00garbage"),
        lambda i: ("kiosk-01", b"[1, 2, 3]"),
        lambda i: ("kiosk-01", json.dumps({"op": "ticket.issue"}).encode()),
        lambda i: ("kiosk-01", json.dumps({"id": i, "op": "ticket.issue"}).encode()),
        lambda i: ("kiosk-01", dumps({"id": f"m{i}", "op": 42})),
        lambda i: ("kiosk-01", dumps({"id": f"m{i}", "op": "ticket.explode"})),
        lambda i: ("kiosk-01", dumps({"id": f"m{i}", "op": "ticket.issue", "args": []})),
        lambda i: ("kiosk-01", dumps({"id": f"m{i}", "op": "ticket.issue",
                                      "args": {"service": 7}})),
        lambda i: ("kiosk-01", dumps({"id": f"m{i}", "op": "ticket.issue",
                                      "args": {"service": "ktp", "priority": "vip"}})),
        lambda i: ("kiosk-01", dumps({"id": f"m{i}", "op": "ticket.issue",
                                      "args": {"service": "no-such-service"}})),
        lambda i: ("kiosk-01", dumps({"id": f"m{i}", "op": "ticket.issue",
                                      "args": {"service": "ktp", "x": "A" * 9000}})),
        lambda i: ("kiosk-01", dumps({"id": f"m{i}", "op": "counter.call_next",
                                      "args": {"counter": "loket-01"}})),
        lambda i: ("counter-01", dumps({"id": f"m{i}", "op": "counter.open",
                                        "args": {"counter": "loket-02"}})),
        lambda i: ("ghost-99", dumps({"id": f"m{i}", "op": "ticket.issue",
                                      "args": {"service": "ktp"}})),
        lambda i: ("display-01", dumps({"id": f"m{i}", "op": "ticket.issue",
                                        "args": {"service": "ktp"}})),
    ]
    return [rng.choice(makers)(i) for i in range(n)]


def test_thousand_malformed_commands_get_stable_errors(server, client_factory, mqtt_collector,
                                                       mosquitto, site, caplog):
    caplog.set_level(logging.WARNING, logger="mpp.server")
    root = f"mpp/v1/{site.site.id}"
    replies = mqtt_collector(mosquitto, f"{root}/reply/+")
    bad = _malformed(random.Random(7), 1000)
    # each on its own account: the broker lets a device publish on its own cmd/ alone
    senders = {device: client_factory(device, "kiosk", follow_state=False)
               for device in sorted({device for device, _ in bad})}
    # an account named as no device may be (tests/support/accounts.py)
    stranger = client_factory(NOT_A_DEVICE_ID, "kiosk", follow_state=False)
    # WHEN 1000 malformed commands and 20 on a topic that names no device arrive
    for device, payload in bad:
        senders[device].link.publish(f"{root}/cmd/{device}", payload)
    for _ in range(20):
        stranger.link.publish(f"{root}/cmd/{NOT_A_DEVICE_ID}", b"{}")
    # THEN each malformed command gets an error reply with a stable code
    got = replies.wait_for_count(1000, timeout=30)
    assert all(r.payload["ok"] is False for r in got)
    assert {r.payload["error"]["code"] for r in got} <= STABLE_CODES
    assert len({r.payload["error"]["code"] for r in got}) >= 5
    # AND the foreign topics were dropped with one log line each
    assert sum("unexpected topic" in r.getMessage() for r in caplog.records) == 20
    # AND the server keeps serving, with nothing issued by the garbage
    kiosk = client_factory("kiosk-01", "kiosk")
    assert kiosk.request("ticket.issue", {"service": "ktp"})["number"] == "A-001"


def test_late_display_gets_whole_state(server, client_factory, site):
    kiosk = client_factory("kiosk-01", "kiosk")
    counter = client_factory("counter-01", "counter")
    kiosk.request("ticket.issue", {"service": "ktp"})
    kiosk.request("ticket.issue", {"service": "kk"})
    counter.request("counter.open", {"counter": "loket-01"})
    counter.request("counter.call_next", {"counter": "loket-01"})
    # the reply comes before the state topics: wait until they are out (seen by the kiosk)
    assert kiosk.wait_state(lambda s: bool(s.get("calls")))
    # WHEN a display connects after all this
    display = client_factory("display-01", "display")
    services = {s.id for s in site.services}
    counters = {c.id for c in site.counters}

    def complete(state: dict) -> bool:
        have = set(state)
        return ({f"queue/{s}" for s in services} | {f"counter/{c}" for c in counters}
                | {"server", "config", "calls"}) <= have

    # THEN the retained topics give it the whole current state at once
    assert display.wait_state(complete)
    assert display.state["server"]["status"] == "online"
    assert display.state["calls"][0]["number"] == "A-001"
    assert display.state["counter/loket-01"]["ticket"]["number"] == "A-001"
    assert display.state["queue/kk"]["waiting"] == 1
    assert [s["id"] for s in display.state["config"]["services"]] == [s.id for s in site.services]


def test_server_republishes_after_broker_loses_everything(fresh_mosquitto, server_factory, site,
                                                          sqlite_url, clock, client_factory):
    broker = fresh_mosquitto()
    server = server_factory(site, sqlite_url, clock, broker=broker)
    kiosk = client_factory("kiosk-01", "kiosk", broker=broker)
    kiosk.request("ticket.issue", {"service": "akta"})
    # WHEN the broker is killed (its retained messages die with it) and restarted
    port = broker.port
    broker.kill()
    broker2 = fresh_mosquitto(port=port)
    assert broker2.port == port
    # THEN the server reconnects and republishes the truth from its database
    late = client_factory("display-01", "display", broker=broker2)
    assert late.wait_state(lambda s: (s.get("queue/akta") or {}).get("waiting") == 1
                           and (s.get("server") or {}).get("status") == "online", timeout=15)
    assert server.link.connected.is_set()


def test_server_will_marks_it_offline(fresh_mosquitto, server_factory, site, sqlite_url, clock,
                                      client_factory):
    broker = fresh_mosquitto()
    server = server_factory(site, sqlite_url, clock, broker=broker)
    display = client_factory("display-01", "display", broker=broker)
    assert display.wait_state(lambda s: (s.get("server") or {}).get("status") == "online")
    server.stop()
    assert display.wait_state(lambda s: (s.get("server") or {}).get("status") == "offline")
