"""Forged and malformed retained state, as a stranger (or a broken tool) would publish it:
every display and the dashboard must ignore it and keep showing the truth. The broker's
access control lets only the server write `state/` (tests/mpp/test_provision.py); these
payloads test the second line, the state check (queue_server/protocol/state.py)."""

from __future__ import annotations

import json
from typing import Any

import paho.mqtt.client as mqtt

# (topic below the site's root, payload): each one wrong for its topic
MALFORMED: list[tuple[str, Any]] = [
    ("state/calls", 5),  # a number where a list belongs
    ("state/calls", [{"number": "Z-999", "counter": "loket-01", "recall_count": 0,
                      "ticket": "forged"}] * 2_000),  # a huge list, under the broker's
    # max_packet_size (mpp/broker/access.py), which cuts a bigger one before any reader
    ("state/calls", ["Z-999"]),
    ("state/config", {"site": "x", "services": 7, "counters": "loket-01", "agencies": {}}),
    ("state/config", [1, 2, 3]),
    ("state/counter/loket-01", {"status": ["open"], "ticket": 5, "name": {"id": "x"}}),
    ("state/counter/loket-01", {"status": "open", "ticket": {"status": "called"}}),
    ("state/queue/ktp", {"waiting": "many", "open": "yes", "est_wait_s": "soon"}),
    ("state/server", {"status": 1, "clock_offset_s": "later"}),
    ("state/server", "online"),
    ("state/message", {"text": ["Gratis!"]}),
    ("state/message", {"text": "x" * 600}),
    ("state/calls", b"not json at all"),
    ("state/counter/loket-01", b"\xff\xfe\x00"),
    ("event/ticket", {"seq": "1", "type": "ticket.called", "ticket": "Z-999",
                      "counter": ["loket-01"]}),
]

# well-formed but thin: every key the contract lists is optional here, and the apps must
# not fall over a payload that leaves them out
THIN: list[tuple[str, Any]] = [
    ("state/config", {"agencies": [{"id": "dukcapil"}], "services": [{"id": "ktp"}],
                      "counters": [{"id": "loket-01"}]}),
    ("state/queue/ktp", {}),
    ("state/counter/loket-01", {"ticket": {"number": "Z-001"}}),
    ("state/calls", [{"number": "Z-001", "counter": "loket-01"}]),
    ("state/message", {"text": {"id": "", "en": ""}}),
]


def encode(payload: Any) -> bytes:
    return payload if isinstance(payload, bytes) else json.dumps(payload).encode()


def forge(client: mqtt.Client, site: str, items: list[tuple[str, Any]]) -> None:
    """Publish each as the retained value of its topic (events not retained), and wait
    until the broker has them all."""
    infos = [client.publish(f"mpp/v1/{site}/{topic}", encode(payload), qos=1,
                            retain=not topic.startswith("event/"))
             for topic, payload in items]
    for info in infos:
        info.wait_for_publish(10)
        assert info.is_published()


def settle(qtbot: Any, bridge: Any, client: mqtt.Client, site: str,
           items: list[tuple[str, Any]], timeout_ms: int = 15000) -> None:
    """Forge `items`, then a harmless marker, and wait until the app's bridge has the
    marker: it takes messages in order, so by then it has seen (and judged) them all."""
    import uuid

    marker = uuid.uuid4().hex
    forge(client, site, [*items, ("state/queue/settle", {"service": "settle", "at": marker})])
    qtbot.waitUntil(lambda: (bridge.value("queue/settle") or {}).get("at") == marker,
                    timeout=timeout_ms)
