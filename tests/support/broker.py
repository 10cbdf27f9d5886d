"""MQTT test helpers: connected paho clients and a message Collector.

Fixtures built on these live in tests/conftest.py (`mosquitto`, `fresh_mosquitto`,
`mqtt_client_factory`, `mqtt_collector`).
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from mpp.broker import BrokerHandle, mosquitto_binary
from queue_server.protocol.link import close_sockets
from queue_server.protocol.secure import client_context

INSTALL_HINT = "run `bash scripts/install-system-deps.sh` (or `make test`, which runs it)"

# Daemon threads that still count as leaks (see `leaked_threads`): paho names its loop_start()
# thread "paho-mqtt-client-<id>"; mpp.broker names the amqtt thread "amqtt-broker".
LEAK_CHECKED_DAEMON_PREFIXES = ("paho-mqtt-client-", "amqtt-broker")


def require_mosquitto() -> str:
    """Path of the Mosquitto binary, or fail the test (never skip: CI must install it)."""
    binary = mosquitto_binary()
    if binary is None:
        pytest.fail(f"Mosquitto is not installed: {INSTALL_HINT}", pytrace=False)
    return binary


def set_tcp_nodelay(client: mqtt.Client, userdata: Any, sock: Any) -> None:
    """paho `on_socket_open` callback: disable Nagle (0.34 ms instead of 44-88 ms per QoS 1
    round trip, see FIELD-NOTES). Runs on every (re)connect, before CONNECT is sent."""
    del client, userdata
    if isinstance(sock, socket.socket) and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def decode_payload(payload: bytes | bytearray) -> Any:
    """JSON payload -> Python value; empty (a cleared retained topic) -> None; else bytes."""
    if not payload:
        return None
    try:
        return json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return payload


class _Pair(NamedTuple):
    topic: str
    payload: Any


class Received(_Pair):
    """(topic, payload) as a tuple, so `topic, payload = item` and `item == (t, p)` work.

    Extra attributes: `retain`, `qos`, `raw` (bytes) and `at` (time.monotonic() on receipt).
    """

    retain: bool
    qos: int
    raw: bytes
    at: float


def _make_received(msg: mqtt.MQTTMessage) -> Received:
    item = Received(msg.topic, decode_payload(msg.payload))
    item.retain = bool(msg.retain)
    item.qos = int(msg.qos)
    item.raw = bytes(msg.payload)
    item.at = time.monotonic()
    return item


class MqttClientFactory:
    """Makes connected paho clients (VERSION2 callbacks, TCP_NODELAY, loop_start) and
    disconnects and stops them all in `close_all()` (the fixture's teardown)."""

    def __init__(self) -> None:
        self.clients: list[mqtt.Client] = []
        self._counter = 0

    def __call__(
        self,
        broker: BrokerHandle,
        *,
        client_id: str | None = None,
        protocol: MQTTProtocolVersion | None = None,
        clean: bool = True,
        keepalive: int = 30,
        will: tuple[str, bytes | str, int, bool] | None = None,
        userdata: Any = None,
        on_connect: Callable[..., None] | None = None,
        on_message: Callable[..., None] | None = None,
        reconnect_delay: tuple[float, float] = (0.1, 2.0),
        connect: bool = True,
        timeout: float = 5.0,
        user: str | None = "observer",
    ) -> mqtt.Client:
        """A client for `broker`, connected (CONNACK received) and looping unless
        `connect=False` (then call `factory.connect(client)` after setting callbacks).

        `user`: the broker account it logs in as (tests/support/accounts.py): by default
        the test-only observer, which reads everything and may publish nothing; name a
        device (or "server") to publish as one; None: anonymous. Over TLS when the
        broker speaks it, checking its certificate against the suite's CA.

        `protocol` defaults to MQTT 5 on Mosquitto and 3.1.1 elsewhere (amqtt refuses 5).
        `will` is (topic, payload, qos, retain). `on_connect` stays installed and runs on
        every (re)connect, the first one included.
        """
        if protocol is None:
            protocol = mqtt.MQTTv5 if broker.kind == "mosquitto" else mqtt.MQTTv311
        self._counter += 1
        if client_id is None:
            client_id = f"t{self._counter}-{uuid.uuid4().hex[:12]}"
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=protocol,
            clean_session=None if protocol == mqtt.MQTTv5 else clean,
            userdata=userdata,
        )
        client.on_socket_open = set_tcp_nodelay
        client.reconnect_delay_set(reconnect_delay[0], reconnect_delay[1])  # type: ignore[arg-type]
        credentials = broker.credentials(user) if user is not None else None
        if credentials is not None:
            client.username_pw_set(credentials.user, credentials.password)
        if broker.tls:  # anonymous too checks the broker against the site's CA
            site = credentials or broker.credentials("observer")
            client.tls_set_context(client_context(site.ca if site else None))
        if will is not None:
            client.will_set(will[0], will[1], qos=will[2], retain=will[3])
        if on_message is not None:
            client.on_message = on_message
        client._mpp_test = {  # type: ignore[attr-defined]
            "broker": broker,
            "clean": clean,
            "keepalive": keepalive,
            "on_connect": on_connect,
        }
        self.clients.append(client)
        if connect:
            self.connect(client, timeout=timeout)
        elif on_connect is not None:
            client.on_connect = on_connect
        return client

    def connect(self, client: mqtt.Client, timeout: float = 5.0) -> mqtt.Client:
        """Connect a client made with `connect=False`, start its loop, wait for CONNACK."""
        opts = client._mpp_test  # type: ignore[attr-defined]
        broker: BrokerHandle = opts["broker"]
        user_on_connect: Callable[..., None] | None = opts["on_connect"] or client.on_connect
        connected = threading.Event()
        outcome: list[Any] = []

        def _on_connect(c: mqtt.Client, u: Any, flags: Any, rc: Any, props: Any) -> None:
            if not connected.is_set():
                outcome.append(rc)
                connected.set()
            if user_on_connect is not None:
                user_on_connect(c, u, flags, rc, props)

        client.on_connect = _on_connect
        kwargs: dict[str, Any] = {}
        if client.protocol == mqtt.MQTTv5:
            kwargs["clean_start"] = opts["clean"]
        client.connect(broker.host, broker.port, keepalive=opts["keepalive"], **kwargs)
        client.loop_start()
        if not connected.wait(timeout):
            raise AssertionError(f"no CONNACK from {broker} within {timeout} s")
        rc = outcome[0]
        if getattr(rc, "is_failure", False) or (isinstance(rc, int) and rc != 0):
            raise AssertionError(f"connect to {broker} refused: {rc}")
        if user_on_connect is None:
            client.on_connect = None
        return client

    def close_all(self) -> None:
        for client in reversed(self.clients):
            try:
                if client.is_connected():
                    client.disconnect()
            finally:
                client.loop_stop()
                close_sockets(client)  # also paho's socket pair (else closed by the GC)
        self.clients.clear()


def subscribe_and_wait(
    client: mqtt.Client, topic_filter: str, qos: int = 1, timeout: float = 5.0
) -> None:
    """Subscribe and block until the SUBACK arrived (and granted the subscription).

    For a client whose messages you handle yourself (on_message / message_callback_add);
    Collector does this on its own.
    """
    cond = threading.Condition()
    acks: dict[int, Any] = {}
    prev: Callable[..., None] | None = client.on_subscribe

    def on_subscribe(c: mqtt.Client, u: Any, mid: int, codes: Any, props: Any) -> None:
        with cond:
            acks[mid] = codes
            cond.notify_all()
        if prev is not None:
            prev(c, u, mid, codes, props)

    client.on_subscribe = on_subscribe
    try:
        result, mid = client.subscribe(topic_filter, qos=qos)
        assert result == mqtt.MQTT_ERR_SUCCESS and mid is not None, f"subscribe failed: {result}"
        with cond:
            if not cond.wait_for(lambda: mid in acks, timeout):
                raise AssertionError(f"no SUBACK for {topic_filter!r} within {timeout} s")
    finally:
        client.on_subscribe = prev
    _check_granted(topic_filter, acks[mid])


def _check_granted(topic_filter: str, codes: Any) -> None:
    for code in codes if isinstance(codes, list) else [codes]:
        if getattr(code, "is_failure", False):
            raise AssertionError(f"subscription to {topic_filter!r} refused: {code}")


class Collector:
    """Subscribes `client` to `topic_filter` and collects `Received(topic, payload)` items.

    Payloads are decoded from JSON (see `decode_payload`). Subscribes again on every
    reconnect (so it survives broker restarts). Waiting uses a Condition: no sleep loops.
    Set the client's own on_connect/on_subscribe callbacks before making Collectors (they
    are chained), or use a dedicated client (the `mqtt_collector` fixture does). It uses
    `message_callback_add(topic_filter)`: another callback added for the very same filter
    string on the same client replaces it.
    """

    def __init__(
        self,
        client: mqtt.Client,
        topic_filter: str,
        *,
        qos: int = 1,
        timeout: float = 5.0,
    ) -> None:
        self.client = client
        self.topic_filter = topic_filter
        self.qos = qos
        self.items: list[Received] = []
        self._cond = threading.Condition()
        self._acked: dict[int, Any] = {}

        prev_on_subscribe: Callable[..., None] | None = client.on_subscribe
        prev_on_connect: Callable[..., None] | None = client.on_connect

        def on_subscribe(c: mqtt.Client, u: Any, mid: int, codes: Any, props: Any) -> None:
            with self._cond:
                self._acked[mid] = codes
                self._cond.notify_all()
            if prev_on_subscribe is not None:
                prev_on_subscribe(c, u, mid, codes, props)

        def on_connect(c: mqtt.Client, u: Any, flags: Any, rc: Any, props: Any) -> None:
            if prev_on_connect is not None:
                prev_on_connect(c, u, flags, rc, props)
            if not getattr(rc, "is_failure", False):
                c.subscribe(self.topic_filter, qos=self.qos)

        client.on_subscribe = on_subscribe
        client.message_callback_add(topic_filter, self._on_message)
        client.on_connect = on_connect
        self.subscribe(timeout)

    def subscribe(self, timeout: float = 5.0) -> None:
        """(Re)subscribe and wait for the SUBACK."""
        result, mid = self.client.subscribe(self.topic_filter, qos=self.qos)
        assert result == mqtt.MQTT_ERR_SUCCESS and mid is not None, f"subscribe failed: {result}"
        with self._cond:
            if not self._cond.wait_for(lambda: mid in self._acked, timeout):
                raise AssertionError(f"no SUBACK for {self.topic_filter!r} within {timeout} s")
            codes = self._acked.pop(mid)
        _check_granted(self.topic_filter, codes)

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        item = _make_received(msg)
        with self._cond:
            self.items.append(item)
            self._cond.notify_all()

    # ---- reading

    def snapshot(self) -> list[Received]:
        with self._cond:
            return list(self.items)

    def mark(self) -> int:
        """Index to pass as `start=` to only consider items received from now on."""
        with self._cond:
            return len(self.items)

    def clear(self) -> None:
        with self._cond:
            self.items.clear()

    def payloads(self, topic: str | None = None) -> list[Any]:
        return [i.payload for i in self.snapshot() if topic is None or i.topic == topic]

    def wait_for(
        self,
        predicate: Callable[[Received], bool] | str,
        timeout: float = 5.0,
        *,
        start: int = 0,
    ) -> Received:
        """First item (from index `start`) matching `predicate`; waits up to `timeout` s.

        `predicate` may be a topic or topic filter string instead of a callable.
        Raises AssertionError listing what was received on timeout.
        """
        pred = _as_predicate(predicate)
        deadline = time.monotonic() + timeout
        index = start
        with self._cond:
            while True:
                while index < len(self.items):
                    item = self.items[index]
                    index += 1
                    if pred(item):
                        return item
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(self._describe_timeout(predicate, timeout, start))
                self._cond.wait(remaining)

    def wait_for_count(
        self,
        count: int,
        predicate: Callable[[Received], bool] | str | None = None,
        timeout: float = 5.0,
        *,
        start: int = 0,
    ) -> list[Received]:
        """Wait until `count` items (matching `predicate`, if given) have arrived."""
        pred = _as_predicate(predicate) if predicate is not None else (lambda _i: True)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [i for i in self.items[start:] if pred(i)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} items, got {len(found)}; "
                        + self._describe_timeout(predicate, timeout, start)
                    )
                self._cond.wait(remaining)

    def _describe_timeout(self, predicate: Any, timeout: float, start: int) -> str:
        seen = self.items[start:]
        lines = [
            f"  {i.topic} {_short(i.payload)}{' (retained)' if i.retain else ''}"
            for i in seen[-25:]
        ]
        more = f" (last 25 of {len(seen)})" if len(seen) > 25 else ""
        return (
            f"timed out after {timeout} s waiting for {_pred_name(predicate)} on "
            f"{self.topic_filter!r}; saw {len(seen)} item(s){more}:\n" + "\n".join(lines)
        )

    def close(self) -> None:
        self.client.message_callback_remove(self.topic_filter)
        if self.client.is_connected():
            self.client.unsubscribe(self.topic_filter)


def _as_predicate(predicate: Callable[[Received], bool] | str) -> Callable[[Received], bool]:
    if isinstance(predicate, str):
        topic_filter = predicate
        return lambda item: mqtt.topic_matches_sub(topic_filter, item.topic)
    return predicate


def _pred_name(predicate: Any) -> str:
    if isinstance(predicate, str):
        return f"topic {predicate!r}"
    return getattr(predicate, "__name__", repr(predicate))


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def publish_json(
    client: mqtt.Client,
    topic: str,
    payload: Any,
    *,
    qos: int = 1,
    retain: bool = False,
    timeout: float = 5.0,
) -> None:
    """Publish `payload` as JSON and wait (bounded) until the broker acknowledged it."""
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
    info = client.publish(topic, data, qos=qos, retain=retain)
    info.wait_for_publish(timeout)
    if not info.is_published():
        raise AssertionError(f"publish to {topic!r} not acknowledged within {timeout} s")


def leaked_threads(before: Iterable[threading.Thread]) -> list[threading.Thread]:
    """Threads alive now that were not in `before`: non-daemon ones, plus paho loop threads
    and amqtt brokers (daemon, but a leaked paho client keeps reconnecting and publishing
    into later tests)."""
    known = set(before)
    return [
        t
        for t in threading.enumerate()
        if t not in known
        and t.is_alive()
        and (not t.daemon or t.name.startswith(LEAK_CHECKED_DAEMON_PREFIXES))
    ]
