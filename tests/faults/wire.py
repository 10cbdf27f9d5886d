"""A display written from the wire contract alone (DESIGN.md): a plain paho client on
`state/#` and `event/#` that keeps the retained state, dedupes events by `seq`, and on a
gap in `seq` re-reads the state (subscribing again makes the broker resend it)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt

from mpp.broker import BrokerHandle
from tests.support.broker import MqttClientFactory


class WireDisplay:
    def __init__(self, factory: MqttClientFactory, broker: BrokerHandle, site: str,
                 user: str = "display-01") -> None:
        self.root = f"mpp/v1/{site}/"
        self.lock = threading.Lock()
        self.state: dict[str, Any] = {}
        self.events: dict[int, dict[str, Any]] = {}
        self.redelivered = 0  # the same seq twice (QoS 1 is at least once): dropped
        self.gaps = 0  # gaps in seq seen, each answered by re-reading the state
        self.called: dict[str, set[int]] = {}  # ticket id -> seqs of its ticket.called
        self.seen_calls: set[str] = set()  # ticket ids seen called (event or state/calls)
        self._last_seq = 0
        self.client = factory(broker, user=user, on_connect=self._subscribe,
                              on_message=self._on_message, reconnect_delay=(0.1, 1.0))

    def _subscribe(self, client: mqtt.Client, *_args: Any) -> None:
        client.subscribe([(self.root + "state/#", 1), (self.root + "event/#", 1)])

    def _on_message(self, client: mqtt.Client, _userdata: Any, msg: mqtt.MQTTMessage) -> None:
        topic = msg.topic.removeprefix(self.root)
        body = json.loads(msg.payload) if msg.payload else None
        with self.lock:
            if topic.startswith("state/"):
                self.state[topic.removeprefix("state/")] = body
                if topic == "state/calls":
                    self.seen_calls.update(c["ticket"] for c in body or [])
            elif topic.startswith("event/") and isinstance(body, dict):
                self._event(client, body)

    def _event(self, client: mqtt.Client, event: dict[str, Any]) -> None:
        seq = int(event["seq"])
        if seq in self.events:
            self.redelivered += 1
            return
        self.events[seq] = event
        if self._last_seq and seq > self._last_seq + 1:
            self.gaps += 1
            client.subscribe(self.root + "state/#", 1)  # the retained truth, again
        self._last_seq = max(self._last_seq, seq)
        if event.get("type") == "ticket.called":
            ticket = event["ticket"]["id"]
            self.called.setdefault(ticket, set()).add(seq)
            self.seen_calls.add(ticket)

    def duplicate_calls(self) -> int:
        """Tickets called under more than one seq: a call made twice."""
        with self.lock:
            return sum(len(seqs) - 1 for seqs in self.called.values())

    def wait(self, predicate: Callable[[WireDisplay], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if predicate(self):
                    return True
            time.sleep(0.02)  # polling a condition, not waiting for time to pass
        with self.lock:
            return predicate(self)
